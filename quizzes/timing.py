"""When a person may sit an exam, until when, and how many times: the one deadline rule, as pure functions.

An attempt's deadline is ``min(started_at + time limit, window close)`` (docs/adr/0004). A person's terms
are the exam's, changed by their overrides (Moodle's user overrides, ``models.ExamOverride``):

- an ``override`` replaces the exam's window with their own (either end may stay the exam's), adds
  ``extra_seconds`` to the time limit and ``extra_attempts`` to the attempt limit (unlimited stays
  unlimited);
- a ``makeup`` (补考) is a second sitting in a window of its own, open even after the exam was closed,
  with ``extra_attempts`` make-up attempts (at least one) and the time limit plus the extra time of both.

No database, no clock: the services load the overrides with the attempt's start and store the deadline
on the attempt, so autosave and submit read nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

OVERRIDE = "override"
MAKEUP = "makeup"


@dataclass(frozen=True)
class ExamTerms:
    opens_at: datetime
    closes_at: datetime
    time_limit_seconds: int
    max_attempts: int  # 0: unlimited
    accepting: bool  # published: regular sittings may start (a closed exam admits make-ups only)


@dataclass(frozen=True)
class PersonalTerms:
    kind: str  # OVERRIDE or MAKEUP
    opens_at: datetime | None
    closes_at: datetime | None
    extra_seconds: int = 0
    extra_attempts: int = 0


@dataclass(frozen=True)
class Sitting:
    """A window in which one person may start attempts, with the time limit and attempt limit in it."""

    makeup: bool
    opens_at: datetime
    closes_at: datetime
    time_limit_seconds: int
    max_attempts: int  # 0: unlimited; a make-up's counts make-up attempts only
    accepting: bool

    def is_open(self, now: datetime) -> bool:
        return self.accepting and self.opens_at <= now < self.closes_at


def _one(personal: Sequence[PersonalTerms], kind: str) -> PersonalTerms | None:
    return next((p for p in personal if p.kind == kind), None)


def sittings(exam: ExamTerms, personal: Sequence[PersonalTerms] = ()) -> list[Sitting]:
    """The person's sittings: the regular one (with their override) and, if granted, the make-up."""
    own = _one(personal, OVERRIDE)
    extra_seconds = own.extra_seconds if own else 0
    extra_attempts = own.extra_attempts if own else 0
    regular = Sitting(
        makeup=False,
        opens_at=(own.opens_at if own and own.opens_at else exam.opens_at),
        closes_at=(own.closes_at if own and own.closes_at else exam.closes_at),
        time_limit_seconds=exam.time_limit_seconds + extra_seconds,
        max_attempts=exam.max_attempts + extra_attempts if exam.max_attempts else 0,
        accepting=exam.accepting,
    )
    makeup = _one(personal, MAKEUP)
    if makeup is None or makeup.opens_at is None or makeup.closes_at is None:
        return [regular]
    return [
        regular,
        Sitting(
            makeup=True,
            opens_at=makeup.opens_at,
            closes_at=makeup.closes_at,
            time_limit_seconds=exam.time_limit_seconds + extra_seconds + makeup.extra_seconds,
            max_attempts=max(1, makeup.extra_attempts),
            accepting=True,
        ),
    ]


def sitting_at(all_sittings: Sequence[Sitting], now: datetime) -> Sitting | None:
    """The sitting open at ``now`` (a make-up first where two overlap), or None."""
    open_now = [s for s in all_sittings if s.is_open(now)]
    return max(open_now, key=lambda s: s.makeup) if open_now else None


def sitting_to_show(all_sittings: Sequence[Sitting], now: datetime) -> Sitting:
    """The sitting a person's exam list shows: the one open now, else the next to open, else the last."""
    current = sitting_at(all_sittings, now)
    if current is not None:
        return current
    upcoming = [s for s in all_sittings if s.accepting and s.opens_at > now]
    if upcoming:
        return min(upcoming, key=lambda s: s.opens_at)
    return max(all_sittings, key=lambda s: (s.closes_at, s.makeup))


def sitting_of(all_sittings: Sequence[Sitting], *, makeup: bool) -> Sitting:
    """The sitting an attempt belongs to (a make-up attempt whose make-up was withdrawn: the regular one)."""
    return next((s for s in all_sittings if s.makeup == makeup), all_sittings[0])


def attempt_deadline(sitting: Sitting, started_at: datetime) -> datetime:
    """``min(started_at + time limit, window close)``: the server's deadline, fixed to the second."""
    return min(started_at + timedelta(seconds=sitting.time_limit_seconds), sitting.closes_at)


def attempts_left(sitting: Sitting, taken: int) -> int | None:
    """How many more attempts the sitting allows after ``taken`` of its own (None: unlimited)."""
    if not sitting.max_attempts:
        return None
    return max(0, sitting.max_attempts - taken)
