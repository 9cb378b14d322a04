"""Reads of the quizzes app: what a person may see, leaderboards and ranks.

Every non-trivial read lives here with a query-count test, and every scope decision comes from
``accounts.scopes``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User

from . import ranking
from .models import Answer, Attempt, AttemptQuestion, Exam, QuestionBank
from .scoring import CENT


def user_in_audience(*, exam: Exam, user: User) -> bool:
    """Open quizzes admit every signed-in person; roster exams those in an audience unit's subtree."""
    if exam.is_open:
        return True
    if user.unit is None:
        return False
    return exam.audience_units.filter(path__in=scopes.ancestor_paths(user.unit)).exists()


def exams_for_participant(user: User) -> QuerySet[Exam]:
    """Published or closed exams this person may sit or look back at."""
    visible = Q(is_open=True)
    if user.unit is not None:
        visible |= Q(audience_units__path__in=scopes.ancestor_paths(user.unit))
    ids = Exam.objects.filter(visible).values("pk")
    return Exam.objects.filter(pk__in=ids).exclude(status=Exam.Status.DRAFT)


def exams_managed_by(user: User | AnonymousUser) -> QuerySet[Exam]:
    """Exams an organizer manages: those owned by a unit in their subtree."""
    if not scopes.is_organizer(user):
        return Exam.objects.none()
    return scopes.scope_to_staff(Exam.objects.all(), user, "unit")


def exams_with_results_for(user: User | AnonymousUser) -> QuerySet[Exam]:
    """Exams whose results an organizer or HR person may read (only their subtree's people, see
    ``results_user_scope``): exams their subtree owns, and exams whose audience reaches it."""
    if not scopes.is_results_reader(user):
        return Exam.objects.none()
    if user.is_superuser:
        return Exam.objects.all()
    assert isinstance(user, User) and user.unit is not None
    unit = user.unit
    reach = (
        scopes.subtree_q(unit, "unit")
        | scopes.subtree_q(unit, "audience_units")
        | Q(audience_units__path__in=scopes.ancestor_paths(unit))
        | Q(is_open=True)
    )
    return Exam.objects.filter(pk__in=Exam.objects.filter(reach).values("pk"))


def banks_for(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    if not scopes.is_organizer(user):
        return QuestionBank.objects.none()
    return scopes.scope_to_staff(QuestionBank.objects.all(), user, "unit")


def exam_can_be_read_by(*, exam: Exam, user: User) -> bool:
    if exams_with_results_for(user).filter(pk=exam.pk).exists():
        return True
    return exam.status != Exam.Status.DRAFT and user_in_audience(exam=exam, user=user)


def results_unit_scope(user: User | AnonymousUser) -> Unit | None:
    """The unit whose subtree bounds the rows a staff member reads; None means everything."""
    if (
        isinstance(user, User)
        and not user.is_superuser
        and user.role in {User.Role.ORGANIZER, User.Role.HR}
        and user.unit is not None
    ):
        return user.unit
    return None


def review_is_available(*, exam: Exam, attempt: Attempt, now: datetime | None = None) -> bool:
    """Keys and explanations reach a participant only after finalisation, and as the policy allows."""
    if not attempt.is_finalised:
        return False
    if exam.review_policy == Exam.ReviewPolicy.IMMEDIATELY:
        return True
    if exam.review_policy == Exam.ReviewPolicy.AFTER_CLOSE:
        return exam.status == Exam.Status.CLOSED or (now or timezone.now()) >= exam.closes_at
    return False


# --- Leaderboards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    rank: int
    user_id: int
    name: str
    unit_name: str
    score: Decimal
    time_used_seconds: int
    submitted_at: datetime
    attempt_id: int


def leaderboard_people_rows(*, exam: Exam, within: Unit | None = None) -> QuerySet[Attempt, Any]:
    """Everyone's counting attempt in leaderboard order (score desc, time used asc, submitted_at asc),
    as dicts without names or ranks: page it, then complete the page with ``leaderboard_rank_rows``.

    Unfiltered, it reads the ``attempt_leaderboard_order`` index and joins nothing, so counting and
    paging stay cheap at 10,000 people. ``within`` only filters rows; ranks stay global.
    """
    rows = Attempt.objects.filter(exam=exam, is_counted=True)
    if within is not None:
        rows = rows.filter(scopes.subtree_q(within, "user__unit"))
    return rows.order_by("-score", "time_used_seconds", "submitted_at", "pk").values(
        "pk", "user_id", "score", "time_used_seconds", "submitted_at"
    )


RankKey = tuple[Decimal, int]


def _rank_key(row: Mapping[str, Any]) -> RankKey:
    return (row["score"], row["time_used_seconds"])


def _better_than(key: RankKey) -> Q:
    score, used = key
    return Q(score__gt=score) | Q(score=score, time_used_seconds__lt=used)


def _ranks_of_contiguous(exam: Exam, rows: Sequence[Mapping[str, Any]], offset: int) -> list[int]:
    """Ranks of rows that stand at positions offset+1, offset+2, … of the unfiltered leaderboard.

    A row's competition rank is its position unless it ties with the row before it; only the first
    row, whose tie may begin on an earlier page, needs one indexed count.
    """
    if not rows:
        return []
    within_page = ranking.competition_ranks(rows, _rank_key)
    if offset == 0:
        return within_page
    first = 1 + Attempt.objects.filter(_better_than(_rank_key(rows[0])), exam=exam, is_counted=True).count()
    return [first if rank == 1 else offset + rank for rank in within_page]


def _ranks_of_scattered(exam: Exam, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Global ranks of rows picked out of the leaderboard (a unit's people): one query.

    rank = 1 + the number of counting attempts strictly better (higher score, or same score in less time).
    """
    keys = sorted({_rank_key(r) for r in rows})
    if not keys:
        return []
    counted = Attempt.objects.filter(exam=exam, is_counted=True)
    if len(keys) <= 100:  # a page: count the better attempts for each key in one aggregate
        counts = counted.aggregate(**{f"k{i}": Count("pk", filter=_better_than(key)) for i, key in enumerate(keys)})
        by_key = {key: counts[f"k{i}"] + 1 for i, key in enumerate(keys)}
    else:  # a long list: walk the histogram of (score, time used)
        by_key, better = {}, 0
        for row in (
            counted.values("score", "time_used_seconds").annotate(n=Count("pk")).order_by("-score", "time_used_seconds")
        ):
            by_key[_rank_key(row)] = better + 1
            better += row["n"]
    return [by_key[_rank_key(r)] for r in rows]


def leaderboard_rank_rows(
    *, exam: Exam, rows: Sequence[Mapping[str, Any]], offset: int | None = None
) -> list[PersonRow]:
    """Complete rows of ``leaderboard_people_rows`` with names and competition ranks (ties: same score
    and time used). Pass ``offset``, the rows' position in the unfiltered leaderboard, when they are a
    contiguous page of it; leave it None for rows filtered ``within`` a unit. At most two queries.
    """
    ranks = _ranks_of_scattered(exam, rows) if offset is None else _ranks_of_contiguous(exam, rows, offset)
    people = (
        {
            p["pk"]: p
            for p in User.objects.filter(pk__in=[r["user_id"] for r in rows]).values(
                "pk", "real_name", "username", "unit__name"
            )
        }
        if rows
        else {}
    )
    return [
        PersonRow(
            rank=rank,
            user_id=r["user_id"],
            name=people[r["user_id"]]["real_name"] or people[r["user_id"]]["username"],
            unit_name=people[r["user_id"]]["unit__name"] or "",
            score=r["score"],
            time_used_seconds=r["time_used_seconds"],
            submitted_at=r["submitted_at"],
            attempt_id=r["pk"],
        )
        for rank, r in zip(ranks, rows, strict=True)
    ]


def leaderboard_people(*, exam: Exam, within: Unit | None = None) -> list[PersonRow]:
    """The whole person leaderboard, ranked (for exports and tests; the API pages it)."""
    rows = list(leaderboard_people_rows(exam=exam, within=within))
    return leaderboard_rank_rows(exam=exam, rows=rows, offset=0 if within is None else None)


def attempt_rank(*, attempt: Attempt) -> tuple[int | None, int]:
    """(competition rank of this person's counting attempt, number of ranked people). Two queries."""
    counted = Attempt.objects.filter(exam_id=attempt.exam_id, is_counted=True)
    mine = counted.filter(user_id=attempt.user_id).values("score", "time_used_seconds").first()
    total = counted.count()
    if mine is None:
        return None, total
    better = counted.filter(
        Q(score__gt=mine["score"]) | Q(score=mine["score"], time_used_seconds__lt=mine["time_used_seconds"])
    ).count()
    return better + 1, total


@dataclass(frozen=True)
class UnitRow:
    rank: int
    unit_id: int
    unit_name: str
    headcount: int
    participants: int
    participation_rate: Decimal
    mean_score: Decimal
    pass_rate: Decimal


def leaderboard_units(*, exam: Exam, parent: Unit | None = None, primary: str = "participation_rate") -> list[UnitRow]:
    """Rank the child units of ``parent`` (default: the exam's own unit), each over its whole subtree.

    headcount = active participant accounts in the subtree (the roster; organizer and HR accounts are
    staff, not roster); participants = roster people with a finished, counting attempt; participation
    rate = participants / headcount; mean score and pass rate are over participants. Ordered by the
    chosen primary key, then the others. Three queries whatever the size.
    """
    parent = parent or exam.unit
    children = list(Unit.objects.filter(parent=parent).order_by("sort_order", "path"))
    if not children:
        children = [parent]
    headcount_by_path: dict[str, int] = {
        row["unit__path"]: row["n"]
        for row in User.objects.filter(scopes.subtree_q(parent, "unit"), is_active=True, role=User.Role.PARTICIPANT)
        .values("unit__path")
        .annotate(n=Count("pk"))
    }
    results_by_path: dict[str, Any] = {
        row["user__unit__path"]: row
        for row in Attempt.objects.filter(
            scopes.subtree_q(parent, "user__unit"), exam=exam, is_counted=True, user__role=User.Role.PARTICIPANT
        )
        .values("user__unit__path")
        .annotate(n=Count("pk"), total=Sum("score"), passed=Count("pk", filter=Q(passed=True)))
    }
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for child in children:
        acc = sums[child.pk]
        for path, n in headcount_by_path.items():
            if path.startswith(child.path):
                acc["headcount"] += n
        for path, row in results_by_path.items():
            if path.startswith(child.path):
                acc["participants"] += row["n"]
                acc["total"] += row["total"] or 0
                acc["passed"] += row["passed"]
    cent = Decimal("0.01")
    unranked: list[dict[str, Any]] = []
    for child in children:
        acc = sums[child.pk]
        headcount, participants = int(acc["headcount"]), int(acc["participants"])
        unranked.append(
            {
                "unit_id": child.pk,
                "unit_name": child.name,
                "headcount": headcount,
                "participants": participants,
                "participation_rate": (Decimal(participants * 100) / headcount).quantize(cent)
                if headcount
                else Decimal(0),
                "mean_score": (acc["total"] / participants).quantize(cent) if participants else Decimal(0),
                "pass_rate": (acc["passed"] * 100 / participants).quantize(cent) if participants else Decimal(0),
            }
        )
    order = ranking.unit_order(primary)
    unranked.sort(key=lambda r: tuple(-r[k] for k in order))
    ranks = ranking.competition_ranks(unranked, lambda r: tuple(r[k] for k in order))
    return [UnitRow(rank=rank, **row) for rank, row in zip(ranks, unranked, strict=True)]


# --- Papers and results ------------------------------------------------------------------------

PARTICIPANT_PAPER_FIELDS = ("question_id", "position", "kind", "stem", "options", "points")


def attempt_paper(*, attempt: Attempt) -> list[dict[str, Any]]:
    """The frozen paper as a participant sees it while sitting: no key, explanation or legal basis.

    Each question carries the participant's saved answer (choices, seq). Two queries.
    """
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
    """Paper with key, explanation, legal basis, the participant's choices and marks (after finalisation)."""
    answers = {
        row["question_id"]: row
        for row in Answer.objects.filter(attempt=attempt).values("question_id", "choices", "score")
    }
    review = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values(*PARTICIPANT_PAPER_FIELDS, "answer", "explanation", "legal_basis")
    )
    for question in review:
        answer = answers.get(question["question_id"])
        question["choices"] = answer["choices"] if answer else []
        question["score"] = answer["score"] if answer and answer["score"] is not None else Decimal("0.00")
        question["correct"] = sorted(question["choices"]) == sorted(question["answer"])
    return review


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


def exam_composition(*, exam: Exam) -> dict[str, Any]:
    """Audience and paper composition of an exam, for the organizers who manage it. Three queries."""
    return {
        "audience_unit_ids": list(exam.audience_units.values_list("pk", flat=True)),
        "fixed_questions": list(exam.fixed_questions.order_by("position").values("question_id", "position", "points")),
        "draw_rules": list(
            exam.draw_rules.order_by("position").values(
                "position", "kind", "bank_id", "tag__name", "difficulty", "count", "points"
            )
        ),
    }
