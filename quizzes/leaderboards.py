"""Leaderboards: people by score and time with competition ranks, units by participation, mean and pass rate.

Reads only, like ``selectors``; each has a query-count test. The ranking rules themselves are the pure
functions of ``quizzes.ranking``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from accounts import scopes
from accounts.models import Unit, User

from . import ranking, scoring
from .models import Attempt, Exam


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


def leaderboard_person_row(*, exam: Exam, user_id: int) -> PersonRow | None:
    """One person's ranked row (their counting attempt, global rank), or None if they have none.
    At most three queries."""
    rows = list(leaderboard_people_rows(exam=exam).filter(user_id=user_id))
    return leaderboard_rank_rows(exam=exam, rows=rows)[0] if rows else None


def attempt_rank(*, attempt: Attempt) -> tuple[int | None, int]:
    """(competition rank of this person's counting attempt, number of ranked people). Two queries."""
    counted = Attempt.objects.filter(exam_id=attempt.exam_id, is_counted=True)
    mine = counted.filter(user_id=attempt.user_id).values("score", "time_used_seconds").first()
    total = counted.count()
    if mine is None:
        return None, total
    return 1 + counted.filter(_better_than(_rank_key(mine))).count(), total


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
    unranked: list[dict[str, Any]] = []
    for child in children:
        inside = [row for path, row in results_by_path.items() if path.startswith(child.path)]
        headcount = sum(n for path, n in headcount_by_path.items() if path.startswith(child.path))
        participants = sum(row["n"] for row in inside)
        total = sum((row["total"] or Decimal(0) for row in inside), Decimal(0))
        passed = sum(row["passed"] for row in inside)
        unranked.append(
            {
                "unit_id": child.pk,
                "unit_name": child.name,
                "headcount": headcount,
                "participants": participants,
                "participation_rate": scoring.percent_of(Decimal(participants), Decimal(headcount)),
                "mean_score": (total / participants).quantize(scoring.CENT) if participants else Decimal(0),
                "pass_rate": scoring.percent_of(Decimal(passed), Decimal(participants)),
            }
        )
    order = ranking.unit_order(primary)
    unranked.sort(key=lambda r: tuple(-r[k] for k in order))
    ranks = ranking.competition_ranks(unranked, lambda r: tuple(r[k] for k in order))
    return [UnitRow(rank=rank, **row) for rank, row in zip(ranks, unranked, strict=True)]
