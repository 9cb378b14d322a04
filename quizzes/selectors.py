"""Reads of the quizzes app: what a person may see, papers and results (leaderboards: ``leaderboards``).

Every non-trivial read lives here with a query-count test, and every scope decision comes from
``accounts.scopes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User

from . import leaderboards, rawsql, scoring, timing
from .lawtexts import citations
from .models import Answer, Attempt, AttemptQuestion, Exam, ExamOverride, Question, QuestionBank, Tag
from .quality import QualityQuestion, Report, bank_report
from .scoring import CENT
from .selectors_laws import library_articles


def user_in_audience(*, exam: Exam, user: User) -> bool:
    """Open quizzes admit every signed-in person in the owning unit's subtree (a town's quiz is the town's, a
    city's the whole city's); roster exams those in an audience unit's subtree."""
    if user.unit is None:
        return False
    reach = scopes.ancestor_paths(user.unit)
    if exam.audience_paths is not None:  # from the cache (caching.cached_exam), with its unit
        return exam.unit.path in reach if exam.is_public else not set(reach).isdisjoint(exam.audience_paths)
    if exam.is_public:
        return Unit.objects.filter(pk=exam.unit_id, path__in=reach).exists()
    return exam.audience_units.filter(path__in=reach).exists()


def exam_terms(exam: Exam) -> timing.ExamTerms:
    return timing.ExamTerms(
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        time_limit_seconds=exam.time_limit_seconds,
        max_attempts=exam.max_attempts,
        accepting=exam.status == Exam.Status.PUBLISHED,
    )


def _personal(override: ExamOverride) -> timing.PersonalTerms:
    return timing.PersonalTerms(
        kind=override.kind,
        opens_at=override.opens_at,
        closes_at=override.closes_at,
        extra_seconds=override.extra_seconds,
        extra_attempts=override.extra_attempts,
    )


def personal_terms(*, exam: Exam, user_id: int) -> list[timing.PersonalTerms]:
    """The person's overrides of ``exam`` (at most one of each kind), as the timing rule takes them. One query,
    written out (``rawsql``: every start of an exam's opening reads them), and none for someone the cached exam
    knows to hold none (``Exam.override_user_ids``), as nearly everyone at an exam's opening."""
    if exam.override_user_ids is not None and user_id not in exam.override_user_ids:
        return []
    return [_personal(o) for o in rawsql.instances(ExamOverride, exam=exam.pk, user=user_id)]


def person_sittings(*, exam: Exam, overrides: list[ExamOverride]) -> list[timing.Sitting]:
    return timing.sittings(exam_terms(exam), [_personal(o) for o in overrides])


@dataclass(frozen=True)
class MySitting:
    """The window a person's exam list shows them (their own, or their make-up), with attempts left in it."""

    makeup: bool
    opens_at: datetime
    closes_at: datetime
    time_limit_seconds: int
    attempts_left: int | None


def my_sitting(*, exam: Exam, now: datetime | None = None) -> MySitting | None:
    """For an exam of ``exams_visible_to`` (its ``my_overrides`` and ``my_attempts`` prefetched): the
    person's own sitting, or None when they have no override (the exam's own terms apply). No query."""
    overrides: list[ExamOverride] = getattr(exam, "my_overrides", [])
    if not overrides:
        return None
    sitting = timing.sitting_to_show(person_sittings(exam=exam, overrides=overrides), now or timezone.now())
    taken = sum(1 for a in getattr(exam, "my_attempts", []) if a.is_makeup == sitting.makeup)
    return MySitting(
        makeup=sitting.makeup,
        opens_at=sitting.opens_at,
        closes_at=sitting.closes_at,
        time_limit_seconds=sitting.time_limit_seconds,
        attempts_left=timing.attempts_left(sitting, taken),
    )


def exam_overrides(*, exam: Exam, user: User) -> QuerySet[ExamOverride]:
    """The overrides and make-ups of ``exam`` given to people of the organizer's subtree, by unit and name.
    One query per page."""
    return (
        scopes.scope_to_staff(ExamOverride.objects.filter(exam=exam), user, "user__unit")
        .select_related("user", "user__unit", "created_by")
        .order_by("user__unit__path", "user__real_name", "user_id", "kind")
    )


def exams_for_participant(user: User) -> QuerySet[Exam]:
    """Published or closed exams this person may sit or look back at."""
    if user.unit is None:
        return Exam.objects.none()
    reach = scopes.ancestor_paths(user.unit)
    visible = Q(is_public=True, unit__path__in=reach) | Q(audience_units__path__in=reach)
    ids = Exam.objects.filter(visible).values("pk")
    return Exam.objects.filter(pk__in=ids).exclude(status=Exam.Status.DRAFT)


def exams_managed_by(user: User | AnonymousUser) -> QuerySet[Exam]:
    """Exams an organizer manages: those owned by a unit in their subtree."""
    if not scopes.is_organizer(user):
        return Exam.objects.none()
    return scopes.scope_to_staff(Exam.objects.all(), user, "unit")


def exams_with_results_for(user: User | AnonymousUser) -> QuerySet[Exam]:
    """Published or closed exams whose results an organizer or HR person may read (only their subtree's
    people, see ``results_unit_scope``): exams their subtree owns, and exams whose audience reaches it.
    Drafts have no results: only the organizers who manage them see them (``exams_managed_by``)."""
    if not scopes.is_results_reader(user):
        return Exam.objects.none()
    if user.is_superuser:
        return Exam.objects.exclude(status=Exam.Status.DRAFT)
    unit = scopes.staff_unit(user)
    if unit is None:  # an organizer or HR account not yet given a unit reads nothing
        return Exam.objects.none()
    reach = (
        scopes.subtree_q(unit, "unit")
        | scopes.subtree_q(unit, "audience_units")
        | Q(audience_units__path__in=scopes.ancestor_paths(unit))
        | Q(is_public=True, unit__path__in=scopes.ancestor_paths(unit))
    )
    return Exam.objects.filter(pk__in=Exam.objects.filter(reach).values("pk")).exclude(status=Exam.Status.DRAFT)


def banks_for(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    if not scopes.is_organizer(user):
        return QuestionBank.objects.none()
    return scopes.scope_to_staff(QuestionBank.objects.all(), user, "unit")


def bank_tags(*, bank: QuestionBank) -> QuerySet[Tag]:
    """The tags used in a bank, by name, each with ``question_count`` (its questions in the bank), in one query."""
    return Tag.objects.filter(questions__bank=bank).annotate(question_count=Count("questions")).order_by("name")


def bank_quality_report(*, bank: QuestionBank) -> Report:
    """The quality report (``quizzes.quality``) over the bank's active questions (those a draw can pick), in
    one query, and the coverage of the laws they cite that the bank's unit's law-text library holds (two more
    when it holds any); questions are named by id."""
    fields = ("pk", "kind", "stem", "options", "answer", "legal_basis", "exclusion_group")
    rows = Question.objects.filter(bank=bank, is_active=True).order_by("pk").values(*fields)
    questions = [QualityQuestion.from_fields(row["pk"], row) for row in rows]
    keys = {cited.key for q in questions for cited in citations(q.legal_basis)}
    return bank_report(questions, library_articles(unit_id=bank.unit_id, keys=keys))


def exam_can_be_read_by(*, exam: Exam, user: User) -> bool:
    """Drafts: the organizers who manage the exam. Otherwise also its results readers and its audience."""
    if exam.status == Exam.Status.DRAFT:
        return exams_managed_by(user).filter(pk=exam.pk).exists()
    if scopes.is_results_reader(user) and exams_with_results_for(user).filter(pk=exam.pk).exists():
        return True
    return user_in_audience(exam=exam, user=user)


def results_unit_scope(user: User | AnonymousUser) -> Unit | None:
    """The unit whose subtree bounds the rows a staff member reads; None means everything (the superuser;
    others without a unit read no exam at all, see ``exams_with_results_for``)."""
    return scopes.staff_unit(user)


def review_is_available(*, exam: Exam, attempt: Attempt, now: datetime | None = None) -> bool:
    """Keys and explanations reach a participant only after finalisation, and as the policy allows."""
    if not attempt.is_finalised:
        return False
    if exam.review_policy == Exam.ReviewPolicy.IMMEDIATELY:
        return True
    if exam.review_policy == Exam.ReviewPolicy.AFTER_CLOSE:
        return exam.status == Exam.Status.CLOSED or (now or timezone.now()) >= exam.closes_at
    return False


# --- Papers and results ------------------------------------------------------------------------

CHUNK = 2000  # rows per fetch when a read streams (exports, statistics)


def with_answers(paper: QuerySet[AttemptQuestion]) -> QuerySet[Any, Any]:
    """Paper questions annotated with the person's answer to each: ``choices`` and ``marks`` (None when
    unanswered)."""
    answer = Answer.objects.filter(attempt=OuterRef("attempt"), question=OuterRef("question"))
    return paper.annotate(choices=Subquery(answer.values("choices")[:1]), marks=Subquery(answer.values("score")[:1]))


PARTICIPANT_PAPER_FIELDS = ("question_id", "position", "kind", "stem", "options", "points")
REVIEW_PAPER_FIELDS = (*PARTICIPANT_PAPER_FIELDS, "answer", "explanation", "legal_basis")


def attempt_paper(*, attempt: Attempt) -> list[dict[str, Any]]:
    """The frozen paper as a participant sees it while sitting: no key, explanation or legal basis.

    Each question carries the participant's saved answer (choices, seq). Two queries; none for the attempt
    ``attempt_start`` has just created (``Attempt.fresh_paper``: its paper, and no answer yet).
    """
    if attempt.fresh_paper is not None:
        fresh = sorted(attempt.fresh_paper, key=lambda row: row["position"])
        return [{name: row[name] for name in PARTICIPANT_PAPER_FIELDS} | {"saved": None} for row in fresh]
    saved = {
        row["question_id"]: row
        for row in Answer.objects.filter(attempt=attempt).values("question_id", "choices", "seq", "saved_at")
    }
    questions = list(
        AttemptQuestion.objects.filter(attempt=attempt).order_by("position").values(*PARTICIPANT_PAPER_FIELDS)
    )
    for question in questions:
        answer = saved.get(question["question_id"])
        question["saved"] = (
            {"choices": answer["choices"], "seq": answer["seq"], "saved_at": answer["saved_at"]} if answer else None
        )
    return questions


def attempt_review(*, attempt: Attempt) -> list[dict[str, Any]]:
    """Paper with key, explanation, legal basis, the participant's choices and marks (after finalisation),
    and the text of the articles each legal basis cites (``articles``: 法条原文, from the library of the
    exam's unit, through the cache: one query for the whole paper when they are not cached, none when nothing
    is cited)."""
    answers: Mapping[int, Mapping[str, Any]]
    if attempt.fresh_review is not None:  # just marked by attempt_finalise: its rows, read once
        rows, answers = attempt.fresh_review
        review = [dict(row) for row in rows]
    else:
        answers = {
            row["question_id"]: row
            for row in Answer.objects.filter(attempt=attempt).values("question_id", "choices", "score")
        }
        review = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position").values(*REVIEW_PAPER_FIELDS))
    from .caching import cited_article_texts  # caching imports the selectors; the review reads through it

    texts = cited_article_texts(unit_id=attempt.exam.unit_id, legal_bases=[q["legal_basis"] for q in review])
    for question, cited in zip(review, texts, strict=True):
        question["articles"] = cited
        answer = answers.get(question["question_id"])
        question["choices"] = answer["choices"] if answer else []
        question["score"] = answer["score"] if answer and answer["score"] is not None else Decimal("0.00")
        question["correct"] = sorted(question["choices"]) == sorted(question["answer"])
    return review


@dataclass(frozen=True)
class AttemptResult:
    score: Decimal
    percent: Decimal
    grade: str
    passed: bool
    time_used_seconds: int
    is_counted: bool
    rank: int | None
    ranked_count: int
    review_available: bool


def attempt_result(*, attempt: Attempt, exam: Exam, now: datetime | None = None) -> AttemptResult:
    """Score, grade band, pass, rank and whether the review may be shown, for a finalised attempt."""
    assert attempt.score is not None, "only finalised attempts have a result"
    percent = scoring.percent_of(attempt.score, attempt.max_score)
    rank, ranked_count = leaderboards.attempt_rank(attempt=attempt)
    return AttemptResult(
        score=attempt.score,
        percent=percent,
        grade=scoring.grade_band(percent, exam.grade_bands),
        passed=bool(attempt.passed),
        time_used_seconds=attempt.time_used_seconds or 0,
        is_counted=attempt.is_counted,
        rank=rank,
        ranked_count=ranked_count,
        review_available=review_is_available(exam=exam, attempt=attempt, now=now),
    )


def attempt_for_owner(*, attempt: Attempt, exam: Exam, now: datetime | None = None) -> dict[str, Any]:
    """The attempt as its owner may see it now: the paper (no key) while open; result and, as the review
    policy allows, the review once final. Writes nothing: an overdue open attempt is shown open, with
    ``deadline`` and ``server_now`` for the client to submit it."""
    now = now or timezone.now()
    data: dict[str, Any] = {
        "id": attempt.pk,
        "exam_id": exam.pk,
        "exam_title": exam.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "grace_seconds": exam.grace_seconds,
        "server_now": now,
        "submitted_at": attempt.submitted_at,
        "max_score": attempt.max_score,
        "is_makeup": attempt.is_makeup,
        "leave_count": attempt.leave_count,
        "leave_seq": attempt.leave_seq,
        "leave_limit": exam.leave_limit,
    }
    if not attempt.is_finalised:
        data["questions"] = attempt_paper(attempt=attempt)
        return data
    result = attempt_result(attempt=attempt, exam=exam, now=now)
    data["result"] = asdict(result)
    data["review"] = attempt_review(attempt=attempt) if result.review_available else None
    return data


def exams_visible_to(user: User) -> QuerySet[Exam]:
    """Exams a person may sit, manage or read results of, each with that person's own attempts
    prefetched as ``my_attempts`` and their overrides as ``my_overrides``."""
    sit = exams_for_participant(user).order_by().values("pk")
    read = exams_with_results_for(user).order_by().values("pk")
    manage = exams_managed_by(user).order_by().values("pk")
    return (
        Exam.objects.filter(Q(pk__in=sit) | Q(pk__in=read) | Q(pk__in=manage))
        .select_related("unit")
        .prefetch_related(
            Prefetch("attempts", queryset=Attempt.objects.filter(user=user).order_by("number"), to_attr="my_attempts"),
            Prefetch("overrides", queryset=ExamOverride.objects.filter(user=user), to_attr="my_overrides"),
        )
        .order_by("-opens_at", "id")
    )


@dataclass(frozen=True)
class PaperSummary:
    question_count: int
    max_score: Decimal


def exam_paper_summary(*, exam: Exam) -> PaperSummary:
    """How many questions and how many points one paper of ``exam`` has. One query."""
    if exam.composition == Exam.Composition.FIXED:
        agg = exam.fixed_questions.aggregate(n=Count("pk"), total=Sum("points"))
        return PaperSummary(agg["n"] or 0, (agg["total"] or Decimal(0)).quantize(CENT))
    rules = list(exam.draw_rules.values("count", "points"))
    total = sum((r["count"] * r["points"] for r in rules), Decimal(0))
    return PaperSummary(sum(r["count"] for r in rules), total.quantize(CENT))


@dataclass(frozen=True)
class FixedQuestionEntry:
    question_id: int
    position: int
    points: Decimal


@dataclass(frozen=True)
class DrawRuleEntry:
    position: int
    kind: str
    bank_id: int
    tag: str | None
    difficulty: int | None
    count: int
    points: Decimal


@dataclass(frozen=True)
class ExamComposition:
    audience_unit_ids: list[int]
    fixed_questions: list[FixedQuestionEntry]
    draw_rules: list[DrawRuleEntry]


def exam_composition(*, exam: Exam) -> ExamComposition:
    """Audience and paper composition of an exam, for the organizers who manage it. Three queries."""
    rules = exam.draw_rules.order_by("position").values(
        "position", "kind", "bank_id", "tag__name", "difficulty", "count", "points"
    )
    return ExamComposition(
        audience_unit_ids=list(exam.audience_units.order_by("pk").values_list("pk", flat=True)),
        fixed_questions=[
            FixedQuestionEntry(**row)
            for row in exam.fixed_questions.order_by("position").values("question_id", "position", "points")
        ],
        draw_rules=[
            DrawRuleEntry(
                position=row["position"],
                kind=row["kind"],
                bank_id=row["bank_id"],
                tag=row["tag__name"],
                difficulty=row["difficulty"],
                count=row["count"],
                points=row["points"],
            )
            for row in rules
        ],
    )


@dataclass(frozen=True)
class ExamDetail:
    question_count: int
    max_score: Decimal
    management: ExamComposition | None  # only for the organizers who manage the exam


def exam_detail(*, exam: Exam, user: User) -> ExamDetail:
    """What the exam page shows beyond the exam's own fields: the size of one paper and, for its
    managers, audience and composition."""
    summary = exam_paper_summary(exam=exam)
    managed = exams_managed_by(user).filter(pk=exam.pk).exists()
    return ExamDetail(summary.question_count, summary.max_score, exam_composition(exam=exam) if managed else None)


def exam_attempts_left(*, exam: Exam, attempts_taken: int) -> int | None:
    """How many more attempts the person may start (None: unlimited). Says nothing of the window."""
    if not exam.max_attempts:
        return None
    return max(0, exam.max_attempts - attempts_taken)


# The console's states of an exam: its status and, once published, where now lies in its window.
EXAM_STATES = ("draft", "published", "running", "closed")


def _exam_state_q(state: str, now: datetime) -> Q:
    published = Q(status=Exam.Status.PUBLISHED)
    return {
        "draft": Q(status=Exam.Status.DRAFT),
        "published": published & Q(opens_at__gt=now),  # not open yet
        "running": published & Q(opens_at__lte=now, closes_at__gt=now),
        "closed": Q(status=Exam.Status.CLOSED) | (published & Q(closes_at__lte=now)),
    }[state]


def exam_state(exam: Exam, now: datetime) -> str:
    """``EXAM_STATES``' name for the exam now (the same rule as the console list's filter)."""
    if exam.status == Exam.Status.DRAFT:
        return "draft"
    if exam.status == Exam.Status.CLOSED or exam.closes_at <= now:
        return "closed"
    return "published" if exam.opens_at > now else "running"


def exams_for_console(
    *, user: User, state: str | None = None, search: str = "", now: datetime | None = None
) -> QuerySet[Exam]:
    """The exams an organizer manages, newest window first, for the console's list: each with its audience
    units prefetched and ``people_started`` / ``people_submitted`` (distinct people with an attempt, with a
    finished one). Three queries a page, whatever the number of attempts: the count, the page, the audience."""
    now = now or timezone.now()
    exams = exams_managed_by(user)
    if state:
        exams = exams.filter(_exam_state_q(state, now))
    if search:
        exams = exams.filter(title__icontains=search)

    def people(finished: bool) -> Subquery:
        attempts = Attempt.objects.filter(exam=OuterRef("pk"))
        if finished:
            attempts = attempts.exclude(status=Attempt.Status.IN_PROGRESS)
        counted = attempts.order_by().values("exam").annotate(n=Count("user", distinct=True)).values("n")
        return Subquery(counted)

    return (
        exams.select_related("unit")
        .prefetch_related(Prefetch("audience_units", queryset=Unit.objects.order_by("path")))
        .annotate(people_started=people(False), people_submitted=people(True))
        .order_by("-opens_at", "-id")
    )


def person_attempts(*, person: User) -> QuerySet[Attempt]:
    """A person's attempts at every exam, newest first, with the exam (for the console's person page; the
    person is in the reader's scope: ``accounts.access.access_person``). One query."""
    return Attempt.objects.filter(user=person).select_related("exam").order_by("-started_at", "-pk")
