"""Reads of learning between exams: practice sets, rounds, progress, the wrong-answer book, the daily calendar
and the learning reach (学习覆盖) of a unit's subtree. Pure reads, each with a query-count test.

Hidden questions (docs/adr/0015): a question that is in an exam open now to a person (its audience, published,
in their sitting's window by ``timing``: the exam's window, their override's, their make-up's) is never offered
for practice to that person and its key is never shown to them in practice. "In an exam" means on its fixed
paper or among the candidates of one of its draw rules (bank, kind, tag, difficulty): a random exam hides
every question it may draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User

from . import learning, scoring, selectors, timing
from .models import (
    DrawRule,
    Exam,
    ExamOverride,
    ExamQuestion,
    PracticeItem,
    PracticeRound,
    PracticeSet,
    Question,
    Tag,
    WrongAnswer,
)

# --- Which questions are hidden from a person -------------------------------------------------------------


def exams_open_to(*, user: User, now: datetime) -> list[int]:
    """Ids of the exams open to ``user`` now: in their audience (``selectors.exams_for_participant``, the rule
    the exam list and the start use) and in one of their sittings (``timing.sitting_at``, overrides and
    make-ups included). Two queries: the candidates (open by the exam's window, or with an override of the
    person's), their overrides."""
    candidates = (
        selectors.exams_for_participant(user)
        .filter(
            Q(status=Exam.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
            | Q(pk__in=ExamOverride.objects.filter(user=user).values("exam_id"))
        )
        .order_by()
        .prefetch_related(Prefetch("overrides", queryset=ExamOverride.objects.filter(user=user), to_attr="mine"))
    )
    return [
        exam.pk
        for exam in candidates
        if timing.sitting_at(selectors.person_sittings(exam=exam, overrides=exam.mine), now) is not None
    ]


def in_exams_q(exams: QuerySet[Exam, Any] | Sequence[int], prefix: str = "") -> Q:
    """Questions (reached from the queried model through ``prefix``, e.g. ``"question__"``) that are in one of
    ``exams``: on a fixed paper, or a candidate of a draw rule (bank, kind, tag if any, difficulty if any)."""

    def ref(name: str) -> OuterRef:
        return OuterRef(f"{prefix}{name}")

    fixed = ExamQuestion.objects.filter(exam__in=exams, question_id=ref("id"))
    drawn = DrawRule.objects.filter(exam__in=exams, bank_id=ref("bank_id"), kind=ref("kind")).filter(
        Q(difficulty__isnull=True) | Q(difficulty=ref("difficulty")),
        Q(tag__isnull=True) | Q(tag__questions=ref("id")),
    )
    return Q(Exists(fixed)) | Q(Exists(drawn))


def _window_open_exams(user: User, now: datetime) -> QuerySet[Exam, Any]:
    """Exams of the person's audience open now by their own window, without an override of the person's (those
    are ``timing``'s to decide: ``exams_open_to``)."""
    return (
        selectors.exams_for_participant(user)
        .filter(status=Exam.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .exclude(pk__in=ExamOverride.objects.filter(user=user).values("exam_id"))
        .order_by()
        .values("pk")
    )


def exams_open_to_unit(*, unit: Unit, now: datetime) -> QuerySet[Exam, Any]:
    """Exams open now by their own window to the people of ``unit`` (their audience reaches it; an open quiz:
    its owning unit is above it). The daily draw leaves their questions out for the whole unit; a person's own
    override or make-up is checked when they answer."""
    reach = scopes.ancestor_paths(unit)
    audience = Q(is_public=True, unit__path__in=reach) | Q(audience_units__path__in=reach)
    return Exam.objects.filter(
        pk__in=Exam.objects.filter(audience).values("pk"),
        status=Exam.Status.PUBLISHED,
        opens_at__lte=now,
        closes_at__gt=now,
    ).values("pk")


def _override_exams(user: User) -> QuerySet[Exam, Any]:
    return Exam.objects.filter(pk__in=ExamOverride.objects.filter(user=user).values("exam_id")).values("pk")


# --- Practice sets ----------------------------------------------------------------------------------------


def practice_sets_for(user: User) -> QuerySet[PracticeSet]:
    """Open practice sets whose audience reaches the person's unit, with the bank and tags. Two queries."""
    if user.unit is None:
        return PracticeSet.objects.none()
    reach = scopes.ancestor_paths(user.unit)
    ids = PracticeSet.objects.filter(audience_units__path__in=reach).values("pk")
    return (
        PracticeSet.objects.filter(pk__in=ids, is_open=True)
        .select_related("bank")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-created_at", "-pk")
    )


def practice_sets_managed_by(user: User) -> QuerySet[PracticeSet]:
    """Practice sets owned by a unit of the organizer's subtree, with bank, tags and audience."""
    if not scopes.is_organizer(user):
        return PracticeSet.objects.none()
    return (
        scopes.scope_to_staff(PracticeSet.objects.all(), user, "unit")
        .select_related("bank", "unit")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("audience_units", queryset=Unit.objects.order_by("path")),
        )
        .order_by("-created_at", "-pk")
    )


def audience_unit_of(*, practice_set: PracticeSet, user: User) -> Unit | None:
    """The audience unit through which ``user`` reaches the set: the deepest one above (or at) their unit.
    Their daily questions are this unit's. One query."""
    if user.unit is None:
        return None
    return practice_set.audience_units.filter(path__in=scopes.ancestor_paths(user.unit)).order_by("-path").first()


def practice_questions(*, practice_set: PracticeSet, tag: Tag | None = None) -> QuerySet[Question]:
    """The set's active questions (of its tags, if it has any), narrowed to ``tag``."""
    questions = Question.objects.filter(bank_id=practice_set.bank_id, is_active=True)
    tag_ids = [t.pk for t in practice_set.tags.all()]
    if tag_ids:
        questions = questions.filter(
            pk__in=Question.tags.through.objects.filter(tag_id__in=tag_ids).values("question_id")
        )
    if tag is not None:
        questions = questions.filter(tags=tag)
    return questions


def slot_candidates(questions: QuerySet[Question]) -> list[tuple[int, learning.Slot]]:
    rows = questions.order_by("id").values_list("id", "bank_id", "exclusion_group").distinct()
    return [(qid, learning.slot_of(qid, bank_id, group)) for qid, bank_id, group in rows]


# --- Rounds -----------------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "question_id",
    "position",
    "question__kind",
    "question__stem",
    "question__options",
    "question__answer",
    "question__explanation",
    "question__legal_basis",
    "question__bank__unit_id",
    "choices",
    "correct",
    "answered_at",
)


def _options(texts: Sequence[str]) -> list[dict[str, str]]:
    from .models import OPTION_LETTERS

    return [{"letter": letter, "text": text} for letter, text in zip(OPTION_LETTERS, texts, strict=False)]


def question_feedback(
    row: dict[str, Any], prefix: str = "question__", articles: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """What practice shows after an answer: the key, the explanation (解析), the legal basis (法条依据) and the
    text of the articles it cites (法条原文, ``cited_articles``)."""
    return {
        "answer": row[f"{prefix}answer"],
        "explanation": row[f"{prefix}explanation"],
        "legal_basis": row[f"{prefix}legal_basis"],
        "articles": list(articles),
    }


def cited_articles(rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """For each question row (``question__legal_basis``, ``question__bank__unit_id``), the text of the articles
    its legal basis cites, from the library of its bank's unit (the library the bank's citations are checked
    against), read through the cache (``caching.cited_article_texts``): none when all are cached, else one
    query per bank unit among the rows that cite something (a practice set's round: its bank's one)."""
    from .caching import cited_article_texts  # caching imports the selectors; this one reads through it

    texts: list[list[dict[str, Any]]] = [[] for _row in rows]
    by_unit: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        by_unit.setdefault(row["question__bank__unit_id"], []).append(index)
    for unit_id, indexes in by_unit.items():
        found = cited_article_texts(unit_id=unit_id, legal_bases=[rows[i]["question__legal_basis"] for i in indexes])
        for index, articles in zip(indexes, found, strict=True):
            texts[index] = articles
    return texts


def round_detail(*, practice_round: PracticeRound, user: User, now: datetime | None = None) -> dict[str, Any]:
    """A round as its owner sees it, with the chapter (``tag``) it was drawn from: each question without its key
    until answered; once answered, the choices, whether right, and the key with explanation, legal basis and the
    cited articles' text, unless the question is now in an exam open to the person (then ``hidden`` and no key).
    Three queries: the open exams (two), the items; and the cited articles of all its questions (``cited_articles``:
    one, none when they are cached or nothing is cited), which also readies them for the answers to come."""
    now = now or timezone.now()
    open_ids = exams_open_to(user=user, now=now)
    rows = list(
        PracticeItem.objects.filter(round=practice_round)
        .annotate(hidden=in_exams_q(open_ids, "question__"))
        .order_by("position")
        .values(*ITEM_FIELDS, "hidden")
    )
    # the articles of every question, answered or not: only the answered ones are shown, but reading them all
    # puts them in the cache, where the answers to come find them (services.learning.practice_answer)
    articles = {row["question_id"]: texts for row, texts in zip(rows, cited_articles(rows), strict=True)}
    questions = []
    for row in rows:
        answered = row["answered_at"] is not None
        questions.append(
            {
                "question_id": row["question_id"],
                "position": row["position"],
                "kind": row["question__kind"],
                "stem": row["question__stem"],
                "options": _options(row["question__options"]),
                "hidden": row["hidden"],
                "answered": answered,
                "choices": row["choices"],
                "correct": row["correct"],
                "feedback": question_feedback(row, articles=articles[row["question_id"]])
                if answered and not row["hidden"]
                else None,
            }
        )
    return {
        "id": practice_round.pk,
        "kind": practice_round.kind,
        "practice_set_id": practice_round.practice_set_id,
        "tag": practice_round.tag.name if practice_round.tag else None,
        "day": practice_round.day,
        "started_at": practice_round.started_at,
        "questions": questions,
    }


def rounds_of(*, user: User) -> QuerySet[Any, Any]:
    """The person's rounds, newest first, each with its chapter (tag), how many questions it holds, how many
    were answered and how many right (to resume one, or look back). One query a page."""
    return (
        PracticeRound.objects.filter(user=user)
        .annotate(
            question_count=Count("items"),
            answered_count=Count("items", filter=Q(items__answered_at__isnull=False)),
            correct_count=Count("items", filter=Q(items__correct=True)),
        )
        .order_by("-started_at", "-pk")
        .values(
            "id",
            "kind",
            "practice_set_id",
            "practice_set__title",
            "tag__name",
            "day",
            "started_at",
            "question_count",
            "answered_count",
            "correct_count",
        )
    )


@dataclass(frozen=True)
class TagProgress:
    tag: str
    questions: int  # the set's active questions with this tag
    seen: int  # of them, answered at least once in practice
    correct: int  # of them, answered right at least once


def tag_progress(*, practice_set: PracticeSet, user: User) -> list[TagProgress]:
    """The person's progress per tag (chapter) of a practice set, the chapters in the bank's order
    (``learning.chapter_order``): questions, seen, answered right. Two queries (plus the set's tags)."""
    questions = practice_questions(practice_set=practice_set)
    rows = list(
        questions.filter(tags__isnull=False)
        .values("tags__name")
        .annotate(n=Count("pk", distinct=True), first=Min("pk"))
    )
    totals = {row["tags__name"]: row["n"] for row in rows}
    order = learning.chapter_order({row["tags__name"]: row["first"] for row in rows})
    mine = (
        PracticeItem.objects.filter(round__user=user, answered_at__isnull=False, question__in=questions.values("pk"))
        .filter(question__tags__name__in=list(totals))
        .values("question__tags__name")
        .annotate(
            seen=Count("question", distinct=True), correct=Count("question", filter=Q(correct=True), distinct=True)
        )
    )
    done = {row["question__tags__name"]: row for row in mine}
    return [
        TagProgress(
            tag=name,
            questions=totals[name],
            seen=done[name]["seen"] if name in done else 0,
            correct=done[name]["correct"] if name in done else 0,
        )
        for name in order
    ]


# --- The wrong-answer book ----------------------------------------------------------------------------------


def book_visible_q(now: datetime) -> Q:
    """Book entries the person may see now: every practice mistake; an exam's mistake once the exam's review
    policy shows its key: the query form of ``selectors.review_is_available`` for a finalised attempt
    (immediately; after close, once closed or past its window; never: never)."""
    exam = "attempt__exam__"
    after_close = Q(**{f"{exam}review_policy": Exam.ReviewPolicy.AFTER_CLOSE}) & (
        Q(**{f"{exam}status": Exam.Status.CLOSED}) | Q(**{f"{exam}closes_at__lte": now})
    )
    return Q(from_practice=True) | Q(**{f"{exam}review_policy": Exam.ReviewPolicy.IMMEDIATELY}) | after_close


def book_entries(*, user: User, now: datetime | None = None, retired: bool = False) -> QuerySet[Any, Any]:
    """The person's book, latest mistake first: the question, their last wrong choices, counts, and whether
    the question is hidden now (in an exam open to them: no key then). Three queries a page (open exams: two)."""
    now = now or timezone.now()
    open_ids = exams_open_to(user=user, now=now)
    return (
        WrongAnswer.objects.filter(book_visible_q(now), user=user, retired_at__isnull=not retired)
        .annotate(hidden=in_exams_q(open_ids, "question__"))
        .order_by("-last_wrong_at", "-pk")
        .values(
            "question_id",
            "question__bank_id",
            "question__bank__unit_id",
            "question__kind",
            "question__stem",
            "question__options",
            "question__answer",
            "question__explanation",
            "question__legal_basis",
            "choices",
            "wrong_count",
            "right_streak",
            "from_practice",
            "attempt__exam_id",
            "last_wrong_at",
            "retired_at",
            "hidden",
        )
    )


def book_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of the book as shown, with the cited articles' text of the questions not hidden (one query per
    bank unit, ``cited_articles``)."""
    shown = [row for row in rows if not row["hidden"]]
    articles = {row["question_id"]: texts for row, texts in zip(shown, cited_articles(shown), strict=True)}
    return [book_row(row, articles.get(row["question_id"], [])) for row in rows]


def book_row(row: dict[str, Any], articles: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "question_id": row["question_id"],
        "kind": row["question__kind"],
        "stem": row["question__stem"],
        "options": _options(row["question__options"]),
        "choices": row["choices"],
        "wrong_count": row["wrong_count"],
        "right_streak": row["right_streak"],
        "source": "practice" if row["from_practice"] else "exam",
        "exam_id": row["attempt__exam_id"],
        "last_wrong_at": row["last_wrong_at"],
        "retired_at": row["retired_at"],
        "hidden": row["hidden"],
        "feedback": None if row["hidden"] else question_feedback(row, articles=articles),
    }


def book_count(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """How many questions are in the person's book (to practise) and how many retired. One query."""
    counts = WrongAnswer.objects.filter(book_visible_q(now or timezone.now()), user=user).aggregate(
        open=Count("pk", filter=Q(retired_at__isnull=True)), retired=Count("pk", filter=Q(retired_at__isnull=False))
    )
    return {"open": counts["open"], "retired": counts["retired"]}


def book_candidates(*, user: User, now: datetime, exclude_exams: Sequence[int]) -> list[tuple[int, learning.Slot]]:
    """The questions of the person's book to practise again (visible, not retired, not hidden), as slots."""
    ids = (
        WrongAnswer.objects.filter(book_visible_q(now), user=user, retired_at__isnull=True)
        .exclude(in_exams_q(exclude_exams, "question__"))
        .values("question_id")
    )
    return slot_candidates(Question.objects.filter(pk__in=ids))


# --- Daily questions --------------------------------------------------------------------------------------


def daily_done_days(*, user: User) -> set[date]:
    """Days on which the person answered every question of a daily round (of any practice set). One query."""
    rounds = PracticeRound.objects.filter(user=user, kind=PracticeRound.Kind.DAILY)
    rows = rounds.annotate(
        total=Count("items"), answered=Count("items", filter=Q(items__answered_at__isnull=False))
    ).values_list("day", "total", "answered")
    return {day for day, total, answered in rows if day is not None and total and answered == total}


@dataclass(frozen=True)
class DailyCalendar:
    streak: int
    today_done: bool
    days: list[tuple[date, bool]]


def daily_calendar(*, user: User, year: int, month: int, today: date) -> DailyCalendar:
    """The person's streak and the month's days done. One query."""
    done = daily_done_days(user=user)
    return DailyCalendar(
        streak=learning.streak(done, today), today_done=today in done, days=learning.month_days(year, month, done)
    )


# --- Reach of learning (学习覆盖), for organizers and HR ---------------------------------------------------------


@dataclass(frozen=True)
class ReachRow:
    people: int  # distinct people who answered at least one practice question
    rounds: int  # 人次: rounds with at least one answer
    answered: int
    correct: int

    @property
    def accuracy(self) -> Decimal | None:
        return scoring.percent_of(Decimal(self.correct), Decimal(self.answered)) if self.answered else None


def _answered_in(unit: Unit, date_from: date, date_to: date) -> QuerySet[PracticeItem]:
    return PracticeItem.objects.filter(
        scopes.subtree_q(unit, "round__user__unit"),
        answered_at__date__gte=date_from,
        answered_at__date__lte=date_to,
    )


def _tally(rows: Iterable[dict[str, Any]]) -> ReachRow:
    rows = list(rows)
    return ReachRow(
        people=sum(r["people"] for r in rows),
        rounds=sum(r["rounds"] for r in rows),
        answered=sum(r["answered"] for r in rows),
        correct=sum(r["correct"] for r in rows),
    )


AGGREGATES = {
    "people": Count("round__user", distinct=True),
    "rounds": Count("round", distinct=True),
    "answered": Count("pk"),
    "correct": Count("pk", filter=Q(correct=True)),
}


@dataclass(frozen=True)
class Reach:
    total: ReachRow
    units: list[tuple[Unit, ReachRow]]  # the unit's children (or the unit itself when it has none), rolled up
    days: list[tuple[date, ReachRow]]  # every day of the range


def learning_reach(*, unit: Unit, date_from: date, date_to: date) -> Reach:
    """Practice in ``unit``'s subtree between two days (inclusive, the site's time zone): per child unit
    (each rolled up over its subtree, as the unit ranking does) and per day, people, 人次 (rounds), questions
    answered and accuracy. A person belongs to their unit as it is now. Three queries whatever the size."""
    children = list(Unit.objects.filter(parent=unit).order_by("sort_order", "path")) or [unit]
    key_length = len(children[0].path)
    by_path: dict[str, list[dict[str, Any]]] = {}
    units_rows: QuerySet[Any, Any] = (
        _answered_in(unit, date_from, date_to).values("round__user__unit__path").annotate(**AGGREGATES)
    )
    for row in units_rows:
        by_path.setdefault(row["round__user__unit__path"][:key_length], []).append(row)
    day_rows: QuerySet[Any, Any] = (
        _answered_in(unit, date_from, date_to)
        .annotate(day=TruncDate("answered_at"))
        .values("day")
        .annotate(**AGGREGATES)
    )
    per_day = {row["day"]: ReachRow(row["people"], row["rounds"], row["answered"], row["correct"]) for row in day_rows}
    units = [(child, _tally(by_path.get(child.path, []))) for child in children]
    days = []
    day = date_from
    while day <= date_to:
        days.append((day, per_day.get(day, ReachRow(0, 0, 0, 0))))
        day = date.fromordinal(day.toordinal() + 1)
    total = _tally([row for rows in by_path.values() for row in rows])
    return Reach(total=total, units=units, days=days)
