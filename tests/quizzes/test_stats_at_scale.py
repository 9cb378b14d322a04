"""Exam statistics on a generated exam of 2,000 finished first attempts with random papers (12 questions,
6 drawn per paper in random order), read through the API and compared with a plain Python recomputation
from the raw rows; and the selector's query count, the same at 40 and at 2,000 attempts.

The data is bulk-created directly (test data, not a service path), so the big case runs in seconds.
"""

from __future__ import annotations

import math
import random
import statistics as pystats
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Unit, User
from quizzes import selectors_stats
from quizzes.models import Answer, Attempt, AttemptQuestion, Exam, Question
from quizzes.scoring import grade_band, percent_of
from quizzes.services.banks import bank_create
from tests.conftest import PASSWORD, app_login, make_bank, make_exam

pytestmark = pytest.mark.django_db

STATS_QUERIES = 3  # attempts, paper questions with answers, questions
POINTS = {"single": Decimal(2), "multiple": Decimal(4), "judge": Decimal(1)}


@dataclass
class World:
    root: Unit
    towns: list[Unit]
    exam: Exam
    questions: list[Question]


def _build(people: int, seed: int = 8) -> World:
    rng = random.Random(seed)
    root = Unit.objects.create(name="统计市", path="8000", depth=0)
    towns = Unit.objects.bulk_create(
        Unit(name=f"镇{t}", parent=root, path=f"8000{t + 1:04d}", depth=1) for t in range(4)
    )
    exam = make_exam(unit=root, bank=make_bank(root, name="卷面题库"), audience=[root])
    pool = bank_create(name="抽题题库", unit=root)
    kinds = ["single"] * 5 + ["multiple"] * 4 + ["judge"] * 3
    questions = Question.objects.bulk_create(
        Question(
            bank=pool,
            kind=kind,
            stem=f"第{i}题：" + "民法典" * 30,
            options=["正确", "错误"] if kind == "judge" else ["甲", "乙", "丙", "丁"],
            answer=["A", "C"] if kind == "multiple" else ["A"],
        )
        for i, kind in enumerate(kinds)
    )
    users = User.objects.bulk_create(
        [
            User(username=f"st{i}", real_name=f"人{i}", unit=towns[i % 4], password="!", is_on_roster=True)
            for i in range(people)
        ]
        + [User(username="st-hr", real_name="人事", unit=towns[0], password="!", role=User.Role.HR)]
    )
    start = exam.opens_at
    attempts, papers = [], []
    for i, user in enumerate(users):
        ability = rng.random()
        numbers = [1, 2] if i % 5 == 0 else [1]  # some second attempts: not "first"
        for number in numbers:
            drawn = rng.sample(questions, 6)
            marks = []
            for question in drawn:
                p_right = min(0.95, 0.2 + ability * (0.4 if question.pk == questions[0].pk else 0.8))
                if question.pk == questions[1].pk:
                    p_right = 0.9 - ability * 0.6  # miskeyed-like: the strong get it wrong
                roll = rng.random()
                if roll < 0.05:
                    choices: list[str] | None = None if roll < 0.025 else []  # skipped: no row, or cleared
                    mark = Decimal(0)
                elif roll < p_right:
                    choices, mark = list(question.answer), POINTS[question.kind]
                elif question.kind == "multiple" and roll < p_right + 0.15:
                    choices, mark = ["A"], POINTS["multiple"] / 2  # half marks for a correct subset
                else:
                    choices, mark = ["B"], Decimal(0)
                marks.append((question, choices, mark))
            score = sum((m for _, _, m in marks), Decimal(0))
            max_score = sum((POINTS[q.kind] for q in drawn), Decimal(0))
            used = 300 + rng.randrange(1500)
            status = Attempt.Status.IN_PROGRESS if i % 97 == 3 and number == 1 else Attempt.Status.SUBMITTED
            if status == Attempt.Status.IN_PROGRESS and number == 2:
                continue
            attempts.append(
                Attempt(
                    exam=exam,
                    user=user,
                    number=number,
                    status=status,
                    started_at=start,
                    deadline=start + timedelta(minutes=30),
                    submitted_at=None if status == Attempt.Status.IN_PROGRESS else start + timedelta(seconds=used),
                    score=None if status == Attempt.Status.IN_PROGRESS else score,
                    max_score=max_score,
                    passed=None if status == Attempt.Status.IN_PROGRESS else percent_of(score, max_score) >= 60,
                    time_used_seconds=None if status == Attempt.Status.IN_PROGRESS else used,
                    is_counted=number == numbers[-1] and status != Attempt.Status.IN_PROGRESS,
                )
            )
            papers.append(marks)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    rows, answers = [], []
    for attempt, marks in zip(attempts, papers, strict=True):
        for position, (question, choices, mark) in enumerate(marks, start=1):
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    question=question,
                    position=position,
                    kind=question.kind,
                    stem=question.stem,
                    options=[{"letter": chr(65 + k), "text": t} for k, t in enumerate(question.options)],
                    answer=question.answer,
                    points=POINTS[question.kind],
                )
            )
            if choices is not None:
                answers.append(Answer(attempt=attempt, question=question, choices=choices, saved_at=start, score=mark))
    AttemptQuestion.objects.bulk_create(rows, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return World(root=root, towns=towns, exam=exam, questions=questions)


def _expected(world: World, unit: Unit) -> dict:
    """The statistics recomputed in plain Python, two-pass, from the raw rows: first attempts only."""
    attempts: dict[int, dict[str, Any]] = {
        a["pk"]: dict(a)
        for a in Attempt.objects.filter(exam=world.exam, number=1)
        .exclude(status="in_progress")
        .values("pk", "score", "max_score", "passed", "time_used_seconds", "user__role", "user__unit__path")
        if a["user__role"] == "participant" and a["user__unit__path"].startswith(unit.path)
    }
    marks = {
        (a, q): (s, c) for a, q, s, c in Answer.objects.values_list("attempt_id", "question_id", "score", "choices")
    }
    per_question: dict[int, list[tuple[float, float, float]]] = {}
    picks: dict[int, dict[str, int]] = {}
    for attempt_id, question_id, points in AttemptQuestion.objects.values_list("attempt_id", "question_id", "points"):
        if attempt_id not in attempts:
            continue
        mark, choices = marks.get((attempt_id, question_id), (Decimal(0), None))
        total = attempts[attempt_id]["score"]
        mark = mark or Decimal(0)
        per_question.setdefault(question_id, []).append((float(mark), float(points), float(total - mark)))
        counts = picks.setdefault(question_id, {"skipped": 0})
        for letter in choices or ["skipped"]:
            counts[letter] = counts.get(letter, 0) + 1

    def pearson(xs, ys):
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
        sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
        return None if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy) * 100

    items = {}
    for question_id, rows in per_question.items():
        xs, maxima, rests = zip(*rows, strict=True)
        items[question_id] = {
            "attempts": len(xs),
            "facility": sum(xs) / sum(maxima),
            "discrimination": pearson(xs, rests),
            "picks": {k: v for k, v in picks[question_id].items() if v},
        }
    scores = [float(a["score"]) for a in attempts.values()]
    percents = [percent_of(a["score"], a["max_score"]) for a in attempts.values()]
    histogram = [0] * 10
    for p in percents:
        histogram[min(int(p // 10), 9)] += 1
    bands = [grade_band(p, world.exam.grade_bands) for p in percents]
    return {
        "attempt_count": len(attempts),
        "histogram": histogram,
        "grades": {name: bands.count(name) for name in ("优秀", "良好", "合格", "不合格")},
        "passed": sum(bool(a["passed"]) for a in attempts.values()),
        "mean_score": pystats.mean(scores),
        "median_score": pystats.median(scores),
        "stdev_score": pystats.stdev(scores),
        "mean_time_used_seconds": pystats.mean(a["time_used_seconds"] for a in attempts.values()),
        "items": items,
    }


def _check(body: dict, expected: dict) -> None:
    assert body["attempt_count"] == expected["attempt_count"]
    assert body["histogram"] == expected["histogram"]
    assert {g["name"]: g["count"] for g in body["grades"]} == expected["grades"]
    assert body["passed"] == expected["passed"]
    assert body["pass_rate"] == pytest.approx(expected["passed"] * 100 / expected["attempt_count"], abs=1e-4)
    for name in ("mean_score", "median_score", "stdev_score", "mean_time_used_seconds"):
        assert body[name] == pytest.approx(expected[name], abs=1e-4), name
    assert {i["question_id"] for i in body["items"]} == set(expected["items"])
    for item in body["items"]:
        want = expected["items"][item["question_id"]]
        assert item["attempts"] == want["attempts"]
        assert item["facility"] == pytest.approx(want["facility"], abs=1e-4)
        assert item["discrimination"] == pytest.approx(want["discrimination"], abs=1e-4)
        picks = {k: v for k, v in item["choices"].items() if v}
        if item["skipped"]:
            picks["skipped"] = item["skipped"]
        assert picks == want["picks"]
        assert len(item["stem"]) <= selectors_stats.STEM_EXCERPT and item["stem"].endswith("…")


def test_stats_of_2000_attempts_equal_a_plain_recomputation_from_the_rows():
    world = _build(2000)
    organizer = User.objects.create_user(
        username="st-org", password=PASSWORD, real_name="组织", unit=world.root, role=User.Role.ORGANIZER
    )
    client = app_login(organizer.username)
    body = client.get(f"/api/v1/exams/{world.exam.pk}/stats").json()
    expected = _expected(world, world.root)
    assert expected["attempt_count"] > 1900
    _check(body, expected)
    flagged = {i["question_id"]: [f["code"] for f in i["flags"]] for i in body["items"]}
    assert "ambiguous_or_miskeyed" in flagged[world.questions[1].pk]  # the strong get it wrong

    town = world.towns[2]
    _check(client.get(f"/api/v1/exams/{world.exam.pk}/stats?unit={town.pk}").json(), _expected(world, town))


@pytest.mark.parametrize("people", [40, 2000])
def test_stats_query_count_is_constant(people, django_assert_num_queries):
    world = _build(people)
    with django_assert_num_queries(STATS_QUERIES):
        stats = selectors_stats.exam_stats(exam=world.exam, unit=world.root)
    assert stats.attempt_count > people * 0.9
    assert len(stats.items) == len(world.questions)
