"""Reads of an exam's statistics for organizers and HR: the score distribution and the item analysis
(facility, discrimination, option choices, flags) over the finished attempts of a unit's subtree.

The arithmetic is ``statistics``' (pure); this module only reads. Three queries whatever the data size
(attempts, their paper questions with the answers, the questions), the first two streamed; memory holds
one number per attempt and one tally per question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from accounts import scopes
from accounts.models import Unit, User

from . import scoring, selectors, statistics
from .models import OPTION_LETTERS, Attempt, AttemptQuestion, Exam, Question
from .selectors import CHUNK

STEM_EXCERPT = 60

FIRST, COUNTED, ALL = "first", "counted", "all"
ATTEMPT_SETS = (FIRST, COUNTED, ALL)


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    bank_id: int  # where the question is edited
    kind: str
    stem: str  # an excerpt
    answer: list[str]  # the bank's current key
    points: Decimal  # the question's maximum mark (the largest, should papers differ)
    attempts: int  # attempts whose paper held it
    facility: float | None
    discrimination: float | None
    choices: dict[str, int]
    skipped: int
    flags: list[str]


@dataclass(frozen=True)
class ExamStats:
    attempt_set: str
    unit: Unit
    attempt_count: int
    histogram: list[int]
    grades: list[statistics.BandCount]
    passed: int
    pass_rate: float | None  # a percentage
    mean_score: float | None
    median_score: float | None
    stdev_score: float | None
    mean_time_used_seconds: float | None
    items: list[ItemStats]


def stats_attempts(*, exam: Exam, unit: Unit, attempt_set: str = FIRST) -> QuerySet[Attempt]:
    """The finished attempts the statistics are over: participants of ``unit``'s subtree (staff trial
    attempts are left out), each person's first attempt (``first``), their counting one (``counted``) or
    every finished one (``all``)."""
    attempts = Attempt.objects.filter(
        scopes.subtree_q(unit, "user__unit"), exam=exam, user__role=User.Role.PARTICIPANT
    ).exclude(status=Attempt.Status.IN_PROGRESS)
    if attempt_set == FIRST:
        return attempts.filter(number=1)
    if attempt_set == COUNTED:
        return attempts.filter(is_counted=True)
    return attempts


def _excerpt(stem: str) -> str:
    stem = " ".join(stem.split())
    return stem if len(stem) <= STEM_EXCERPT else stem[: STEM_EXCERPT - 1] + "…"


def exam_stats(*, exam: Exam, unit: Unit, attempt_set: str = FIRST) -> ExamStats:
    """The exam's statistics over ``stats_attempts``; the items in order of question id. Three queries."""
    chosen = stats_attempts(exam=exam, unit=unit, attempt_set=attempt_set)
    totals: dict[int, Decimal] = {}
    percents: list[Decimal] = []
    scores: list[float] = []
    times: list[float] = []
    passed = 0
    for pk, score, max_score, is_passed, used in (
        chosen.order_by().values_list("pk", "score", "max_score", "passed", "time_used_seconds").iterator(CHUNK)
    ):
        score = score or Decimal(0)
        totals[pk] = score
        percents.append(scoring.percent_of(score, max_score))
        scores.append(float(score))
        passed += bool(is_passed)
        if used is not None:
            times.append(float(used))

    paper = (
        selectors.with_answers(AttemptQuestion.objects.filter(attempt__in=chosen.values("pk")))
        .order_by()
        .values_list("attempt_id", "question_id", "points", "choices", "marks")
    )
    tallies: dict[int, statistics.ItemTally] = {}
    for attempt_id, question_id, points, choices, marks in paper.iterator(CHUNK):
        if attempt_id not in totals:
            continue  # finished between the two reads: not in this snapshot
        tally = tallies.setdefault(question_id, statistics.ItemTally())
        tally.add(mark=Decimal(marks or 0), max_mark=points, total=totals[attempt_id], choices=choices)

    questions = Question.objects.filter(
        pk__in=AttemptQuestion.objects.filter(attempt__in=chosen.values("pk")).values("question_id")
    )
    items = [
        _item(question, tallies[question["pk"]])
        for question in questions.order_by("pk").values("pk", "bank_id", "kind", "stem", "answer", "options")
        if question["pk"] in tallies
    ]
    count = len(scores)
    return ExamStats(
        attempt_set=attempt_set,
        unit=unit,
        attempt_count=count,
        histogram=statistics.histogram(percents),
        grades=statistics.band_counts(percents, exam.grade_bands),
        passed=passed,
        pass_rate=statistics.rounded(passed * 100 / count) if count else None,
        mean_score=statistics.rounded(statistics.mean(scores)),
        median_score=statistics.rounded(statistics.median(scores)),
        stdev_score=statistics.rounded(statistics.stdev(scores)),
        mean_time_used_seconds=statistics.rounded(statistics.mean(times)),
        items=items,
    )


def _item(question: Mapping[str, Any], tally: statistics.ItemTally) -> ItemStats:
    letters = OPTION_LETTERS[: max(len(question["options"]), 2)]
    return ItemStats(
        question_id=question["pk"],
        bank_id=question["bank_id"],
        kind=question["kind"],
        stem=_excerpt(question["stem"]),
        answer=list(question["answer"]),
        points=tally.max_mark,
        attempts=tally.n,
        facility=statistics.rounded(tally.facility),
        discrimination=statistics.rounded(tally.discrimination),
        choices=tally.choice_counts(letters),
        skipped=tally.skipped,
        flags=tally.flags(),
    )
