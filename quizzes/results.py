"""Reads of results for organizers and HR: a unit's people (drill-down), who has not sat (未参考名单), the
rows of the results exports and of the year's law-learning record (学法档案).

Like ``selectors``, reads only; each returns a queryset or a generator that streams rows from one
database cursor (``iterator``), so that memory stays flat at any size; each has a query-count test.
Scopes are the caller's (``access.access_results_unit``): every function here is given its unit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User

from . import ranking, reporting, scoring, selectors
from .leaderboards import LEADERBOARD_ORDER, audience_paths_of, people_q
from .models import Attempt, AttemptQuestion, Exam, PageLeave
from .selectors import CHUNK


def roster_q(exam: Exam, prefix: str = "") -> Q:
    """The roster people an exam expects (应考): for a roster exam its audience's roster (``people_q``);
    an open quiz has no audience, so the whole roster."""
    if exam.is_public:
        return scopes.roster_person_q(prefix)
    return people_q(exam, prefix)


def unit_people(*, exam: Exam, unit: Unit, absent_only: bool = False) -> QuerySet[Any, Any]:
    """The people of ``unit``'s subtree for the unit ranking's drill-down: the roster, each with their
    counting attempt's result, or none (未参考); in an open quiz also everyone off the roster who took
    part. ``absent_only``: the roster people without a finished attempt (未参考名单). One query per page."""
    people = User.objects.filter(scopes.subtree_q(unit, "unit")).annotate(
        counted=FilteredRelation("attempts", condition=Q(attempts__exam=exam, attempts__is_counted=True))
    )
    if absent_only:
        people = people.filter(roster_q(exam), counted__id__isnull=True)
    elif exam.is_public:
        people = people.filter(roster_q(exam) | Q(people_q(exam), counted__id__isnull=False))
    else:
        people = people.filter(roster_q(exam))
    return people.order_by("unit__path", "real_name", "pk").values(
        "pk",
        "real_name",
        "username",
        "phone",
        "unit__name",
        "counted__score",
        "counted__max_score",
        "counted__passed",
        "counted__time_used_seconds",
        "counted__submitted_at",
        "counted__is_makeup",
        "counted__leave_count",
    )


# --- Live participation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveCounts:
    """Where a running exam stands in a unit's subtree, now. People, not attempts, but ``attempts``."""

    unit: Unit
    kind: str  # "roster" (a roster exam) or "open" (an open quiz)
    headcount: int  # 应考: the roster people (``roster_q``), as the 未参考名单 counts them
    started: int  # people who have started an attempt (finished or not)
    in_progress: int  # people sitting now: an open attempt before its deadline + grace
    submitted: int  # 参考: people with a finished attempt (submitted or timed out)
    attempts: int  # 人次: finished attempts
    absent: int  # roster people without a finished attempt: the length of the 未参考名单
    participation_rate: Decimal | None  # roster people who finished ÷ headcount, % (None: headcount 0)
    now: datetime


def live_counts(*, exam: Exam, unit: Unit, now: datetime | None = None) -> LiveCounts:
    """The live dashboard's counts for ``unit``'s subtree. Whose attempts count is the unit ranking's rule
    (``people_q``: a roster exam its audience's roster, an open quiz every participant; never staff);
    ``headcount`` and ``absent`` are the 未参考名单's (``roster_q``). An attempt past its deadline + grace
    that nobody has finalised yet is not "in progress": its sitter can no longer answer. A person may be
    both submitted and in progress (a second attempt). Three queries for a roster exam, two for an open
    quiz, whatever the size."""
    now = now or timezone.now()
    audience = [] if exam.is_public else audience_paths_of(exam)
    who = people_q(exam, "user__", audience_paths=audience)
    roster = scopes.roster_person_q("user__") if exam.is_public else people_q(exam, "user__", audience_paths=audience)
    finished = ~Q(status=Attempt.Status.IN_PROGRESS)
    sitting = Q(status=Attempt.Status.IN_PROGRESS, deadline__gt=now - timedelta(seconds=exam.grace_seconds))
    tally = (
        Attempt.objects.filter(scopes.subtree_q(unit, "user__unit"), exam=exam)
        .filter(who | (roster & finished))
        .aggregate(
            started=Count("user", distinct=True, filter=who),
            in_progress=Count("user", distinct=True, filter=who & sitting),
            submitted=Count("user", distinct=True, filter=who & finished),
            attempts=Count("pk", filter=who & finished),
            roster_submitted=Count("user", distinct=True, filter=roster & finished),
        )
    )
    roster_people = scopes.roster_person_q() if exam.is_public else people_q(exam, audience_paths=audience)
    headcount = User.objects.filter(roster_people, scopes.subtree_q(unit, "unit")).count()
    return LiveCounts(
        unit=unit,
        kind="open" if exam.is_public else "roster",
        headcount=headcount,
        started=tally["started"],
        in_progress=tally["in_progress"],
        submitted=tally["submitted"],
        attempts=tally["attempts"],
        absent=headcount - tally["roster_submitted"],
        participation_rate=(
            scoring.percent_of(Decimal(tally["roster_submitted"]), Decimal(headcount)) if headcount else None
        ),
        now=now,
    )


def page_leave_rows(*, exam: Exam, unit: Unit) -> QuerySet[Any, Any]:
    """Every attempt of ``unit``'s subtree that left the exam page (切屏) at least once, in progress or
    finished, most leaves first: who, which attempt, its status, the count and the last leave. One query
    per page (the last leave: an indexed subquery per row of the page)."""
    last_leave = PageLeave.objects.filter(attempt=OuterRef("pk"), kind=PageLeave.Kind.LEAVE).order_by("-seq")
    return (
        Attempt.objects.filter(scopes.subtree_q(unit, "user__unit"), exam=exam, leave_count__gt=0)
        .annotate(last_left_at=Subquery(last_leave.values("at")[:1]))
        .order_by("-leave_count", "user__unit__path", "user__real_name", "pk")
        .values(
            "pk",
            "number",
            "status",
            "leave_count",
            "is_makeup",
            "last_left_at",
            "user_id",
            "user__real_name",
            "user__username",
            "user__unit__name",
        )
    )


def makeup_candidates(*, exam: Exam, people: QuerySet[User], absent: bool, failed: bool) -> QuerySet[User]:
    """Of ``people``: those with no finished attempt (``absent``, 未参考) and/or whose counted result failed
    (``failed``), the filters a make-up (补考) is given by. Neither: nobody."""
    wanted = Q(pk__in=[])
    if absent:
        wanted |= Q(counted__id__isnull=True)
    if failed:
        wanted |= Q(counted__passed=False)
    return people.annotate(
        counted=FilteredRelation("attempts", condition=Q(attempts__exam=exam, attempts__is_counted=True))
    ).filter(wanted)


# --- Exports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilters:
    passed: bool | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None

    def attempt_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.passed is not None:
            q &= Q(**{f"{prefix}passed": self.passed})
        if self.submitted_from is not None:
            q &= Q(**{f"{prefix}submitted_at__date__gte": self.submitted_from})
        if self.submitted_to is not None:
            q &= Q(**{f"{prefix}submitted_at__date__lte": self.submitted_to})
        return q


NO_FILTERS = ResultFilters()


@dataclass(frozen=True)
class ResultRow:
    unit_name: str
    name: str
    username: str
    score: Decimal
    grade: str
    passed: bool
    time_used_seconds: int | None
    started_at: datetime
    submitted_at: datetime | None
    attempt_count: int
    rank: int
    is_makeup: bool = False
    leave_count: int = 0


def result_rows(*, exam: Exam, unit: Unit, filters: ResultFilters = NO_FILTERS) -> Iterator[ResultRow]:
    """One row per person of ``unit``'s subtree with a counting attempt, in leaderboard order, with
    their global competition rank and how many attempts they finished. Streams one query: every
    counting attempt is read in order (ranks are global), those outside the unit or the filters skipped."""
    finished = (
        Attempt.objects.filter(exam=exam, user=OuterRef("user"))
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Attempt.objects.filter(exam=exam, is_counted=True)
        .annotate(
            keep=ExpressionWrapper(scopes.subtree_q(unit, "user__unit") & filters.attempt_q(), BooleanField()),
            finished=Subquery(finished),
        )
        .order_by(*LEADERBOARD_ORDER)
        .values_list(
            "score",
            "time_used_seconds",
            "keep",
            "user__unit__name",
            "user__real_name",
            "user__username",
            "max_score",
            "passed",
            "started_at",
            "submitted_at",
            "finished",
            "is_makeup",
            "leave_count",
        )
    )
    grade = functools.lru_cache(maxsize=4096)(
        lambda score, max_score: scoring.grade_band(scoring.percent_of(score, max_score), exam.grade_bands)
    )
    for rank, row in ranking.ranked(rows.iterator(chunk_size=CHUNK), lambda row: (row[0], row[1])):
        score, used, keep, unit_name, real_name, username, max_score, passed, started, submitted, n, makeup, leaves = (
            row
        )
        if not keep:
            continue
        yield ResultRow(
            unit_name=unit_name or "",
            name=real_name or username,
            username=username,
            score=score or Decimal(0),
            grade=grade(score or Decimal(0), max_score),
            passed=bool(passed),
            time_used_seconds=used,
            started_at=started,
            submitted_at=submitted,
            attempt_count=n or 0,
            rank=rank,
            is_makeup=makeup,
            leave_count=leaves,
        )


def answer_rows(*, exam: Exam, unit: Unit, filters: ResultFilters = NO_FILTERS) -> Iterator[Any]:
    """Each counting attempt's paper question by question with the person's choices and marks, for the
    people of ``unit``'s subtree (papers may differ per person). Streams one query."""
    rows = (
        selectors.with_answers(
            AttemptQuestion.objects.filter(
                filters.attempt_q("attempt__"),
                scopes.subtree_q(unit, "attempt__user__unit"),
                attempt__exam=exam,
                attempt__is_counted=True,
            )
        )
        .order_by("attempt__user__unit__path", "attempt__user__real_name", "attempt_id", "position")
        .values(
            "attempt__user__unit__name",
            "attempt__user__real_name",
            "attempt__user__username",
            "position",
            "question_id",
            "kind",
            "answer",
            "choices",
            "marks",
            "points",
        )
    )
    yield from rows.iterator(chunk_size=CHUNK)


# --- The year's law-learning record (学法档案) --------------------------------------------------------


@dataclass(frozen=True)
class YearExam:
    id: int
    title: str
    is_public: bool
    closed: bool
    audience_paths: tuple[str, ...]

    def required_of(self, unit_path: str) -> bool:
        """A roster exam is required of the roster people of its audience; an open quiz of nobody."""
        return not self.is_public and any(unit_path.startswith(p) for p in self.audience_paths)


@dataclass
class RecordRow:
    unit_name: str
    name: str
    username: str
    results: dict[int, tuple[Decimal, bool]] = field(default_factory=dict)  # exam id → (score, passed)
    conclusion: str = ""


def year_exams(*, exams: QuerySet[Exam], year: int, now: datetime | None = None) -> list[YearExam]:
    """The published or closed exams of ``exams`` that open in ``year`` (Beijing time), in date order,
    with their audience units' paths. Two queries."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    chosen = list(
        exams.exclude(status=Exam.Status.DRAFT)
        .filter(opens_at__gte=start, opens_at__lt=end)
        .order_by("opens_at", "pk")
        .values("pk", "title", "is_public", "status", "closes_at")
    )
    paths: dict[int, list[str]] = {}
    for exam_id, path in Exam.audience_units.through.objects.filter(exam_id__in=[e["pk"] for e in chosen]).values_list(
        "exam_id", "unit__path"
    ):
        paths.setdefault(exam_id, []).append(path)
    return [
        YearExam(
            id=e["pk"],
            title=e["title"],
            is_public=e["is_public"],
            closed=e["status"] == Exam.Status.CLOSED or e["closes_at"] <= now,
            audience_paths=tuple(paths.get(e["pk"], [])),
        )
        for e in chosen
    ]


def learning_record_rows(*, exams: list[YearExam], unit: Unit) -> Iterator[RecordRow]:
    """One row per roster person of ``unit``'s subtree (active participants on the roster) with the
    counted result of each of ``exams`` and the year's conclusion (``reporting.yearly_conclusion``).
    Two streamed queries, merged by (unit path, person): people, and their counting attempts."""
    people = (
        User.objects.filter(scopes.subtree_q(unit, "unit"), scopes.roster_person_q())
        .order_by("unit__path", "pk")
        .values_list("pk", "unit__path", "unit__name", "real_name", "username")
    )
    attempts = (
        Attempt.objects.filter(
            scopes.subtree_q(unit, "user__unit"),
            scopes.roster_person_q("user__"),
            exam_id__in=[e.id for e in exams],
            is_counted=True,
        )
        .order_by("user__unit__path", "user_id")
        .values_list("user__unit__path", "user_id", "exam_id", "score", "passed")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(attempts, None)
    for user_id, path, unit_name, real_name, username in people.iterator(chunk_size=CHUNK):
        row = RecordRow(unit_name=unit_name or "", name=real_name or username, username=username)
        while pending is not None and (pending[0], pending[1]) < (path, user_id):
            pending = next(attempts, None)  # an attempt of someone not listed (cannot happen: same filters)
        while pending is not None and (pending[0], pending[1]) == (path, user_id):
            row.results[pending[2]] = (pending[3] or Decimal(0), bool(pending[4]))
            pending = next(attempts, None)
        row.conclusion = reporting.yearly_conclusion(
            reporting.ExamOutcome(
                required=e.required_of(path),
                passed=row.results[e.id][1] if e.id in row.results else None,
                closed=e.closed,
            )
            for e in exams
        )
        yield row
