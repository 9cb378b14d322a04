"""Pure ranking rules: which attempt counts for a person, competition ranks, unit ordering."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class FinishedAttempt:
    id: int
    number: int
    score: Decimal
    time_used_seconds: int
    submitted_at: datetime
    makeup: bool = False


def _best(attempt: FinishedAttempt) -> tuple[Decimal, int, datetime, int]:
    return (-attempt.score, attempt.time_used_seconds, attempt.submitted_at, attempt.number)


def counted_attempt(attempts: Sequence[FinishedAttempt], policy: str) -> FinishedAttempt | None:
    """The attempt that counts for one person: ``highest`` score (ties: less time, then earlier),
    ``latest`` or ``first`` by attempt number.

    A make-up (补考) counts once: the policy picks one of the regular attempts and one of the make-up
    attempts, and the better of the two counts (higher score; ties: less time, then earlier)."""
    regular = _by_policy([a for a in attempts if not a.makeup], policy)
    makeup = _by_policy([a for a in attempts if a.makeup], policy)
    if regular is None or makeup is None:
        return regular or makeup
    return min(regular, makeup, key=_best)


def _by_policy(attempts: Sequence[FinishedAttempt], policy: str) -> FinishedAttempt | None:
    if not attempts:
        return None
    if policy == "latest":
        return max(attempts, key=lambda a: a.number)
    if policy == "first":
        return min(attempts, key=lambda a: a.number)
    if policy == "highest":
        return min(attempts, key=_best)
    raise ValueError(f"unknown counting policy {policy!r}")


def competition_ranks[T](rows: Sequence[T], tie_key: Callable[[T], Hashable]) -> list[int]:
    """Standard competition ranks ("1224") for rows already in leaderboard order.

    Rows with equal ``tie_key`` share a rank; the next distinct row's rank is its 1-based position.
    """
    return [rank for rank, _row in ranked(rows, tie_key)]


def ranked[T](rows: Iterable[T], tie_key: Callable[[T], Hashable]) -> Iterator[tuple[int, T]]:
    """``competition_ranks`` streamed: (rank, row) for rows already in leaderboard order, read lazily."""
    rank = 0
    previous: Hashable = object()
    for position, row in enumerate(rows, start=1):
        current = tie_key(row)
        if rank == 0 or current != previous:
            rank = position
        previous = current
        yield rank, row


UNIT_ORDER_KEYS = ("participation_rate", "mean_score", "pass_rate", "excellent_rate")


def unit_order(primary: str = "participation_rate", *, open_quiz: bool = False) -> tuple[str, ...]:
    """Unit ranking keys: the organizer's chosen primary key, then the others in the default order.

    An open quiz has no roster, hence no participation rate: it counts people instead (``participants``).
    """
    if primary not in UNIT_ORDER_KEYS:
        raise ValueError(f"unknown unit ranking key {primary!r}")
    keys = (primary, *(k for k in UNIT_ORDER_KEYS if k != primary))
    if open_quiz:
        keys = tuple("participants" if k == "participation_rate" else k for k in keys)
    return keys


def rank_units[R: Mapping[str, Any]](rows: Sequence[R], order: Sequence[str]) -> list[tuple[int, R]]:
    """Rows ordered by ``order`` (each key descending, a missing value last) with competition ranks:
    units equal on every key share a rank (1, 2, 2, 4); among them the given order is kept."""

    def key(row: R) -> tuple[tuple[bool, Any], ...]:
        return tuple((row[k] is None, -row[k] if row[k] is not None else 0) for k in order)

    ordered = sorted(rows, key=key)
    return list(zip(competition_ranks(ordered, key), ordered, strict=True))
