"""Unit ranking, drill-down, 未参考名单 and export rows on a generated exam of 10,000 finished attempts over
300 units, each compared with a plain Python recomputation from the raw rows; and the selectors' query
counts, pinned and the same at 10 and at 300 units.

The data is bulk-created directly (test data, not a service path), so the big case runs in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Unit, User
from quizzes import leaderboards, results
from quizzes.models import Attempt, Exam
from quizzes.scoring import CENT, percent_of
from tests.conftest import finished_attempt, make_bank, make_exam

pytestmark = pytest.mark.django_db

UNIT_BOARD_QUERIES = 4  # children, audience, headcounts, attempt aggregates
UNIT_PEOPLE_QUERIES = 2  # the audience, one page
RESULT_ROWS_QUERIES = 1
ANSWER_ROWS_QUERIES = 1
YEAR_QUERIES = 2  # exams, their audiences
RECORD_ROWS_QUERIES = 2  # people, attempts (merged)


@dataclass
class World:
    root: Unit
    towns: list[Unit]
    units: list[Unit]  # every unit but the root
    exam: Exam


def _build(towns: int, depts_per_town: int, people_per_unit: int, *, extra_attempts: int) -> World:
    """root → towns → departments; people in every unit; finished attempts for most of them."""
    root = Unit.objects.create(name="测试市", path="9000", depth=0)
    town_units = Unit.objects.bulk_create(
        Unit(name=f"镇{t}", parent=root, path=f"9000{t + 1:04d}", depth=1) for t in range(towns)
    )
    depts = Unit.objects.bulk_create(
        Unit(name=f"镇{t}部门{d}", parent=town, path=f"{town.path}{d + 1:04d}", depth=2)
        for t, town in enumerate(town_units)
        for d in range(depts_per_town)
    )
    units = town_units + depts
    bank = make_bank(root, name="规模题库")
    # the audience leaves the last town out: its people are nobody's roster for this exam
    exam = make_exam(unit=root, bank=bank, audience=town_units[:-1])
    people, meta = [], []
    for index, unit in enumerate(units):
        for k in range(people_per_unit):
            meta.append((index % 7, k))  # units alike (same index mod 7) tie
            people.append(
                User(
                    username=f"s{unit.pk}-{k}",
                    real_name=f"人{index}-{k}",
                    unit=unit,
                    password="!",
                    is_on_roster=k % 9 != 8,  # self-signed-up public participants
                    is_active=k % 23 != 22,
                )
            )
    people.append(User(username="staffsat", real_name="职员", unit=units[0], password="!", role=User.Role.HR))
    meta.append((0, 0))  # staff: their attempt is nobody's result
    people = User.objects.bulk_create(people)
    attempts = []
    for user, (pattern, k) in zip(people, meta, strict=True):
        if (k + pattern) % 6 == 5:
            continue  # absent
        score = Decimal((pattern * 13 + k * 7) % 101)
        used = 300 + (k * 31) % 1200
        attempts.append(finished_attempt(exam=exam, user=user, score=score, used=used))
    first = list(attempts)
    for i in range(extra_attempts):  # second, worse attempts that do not count
        a = first[i % len(first)]
        attempts.append(
            finished_attempt(
                exam=exam,
                user=a.user,
                score=Decimal(0),
                used=1800,
                number=2,
                status=Attempt.Status.TIMED_OUT,
                counted=False,
            )
        )
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    return World(root=root, towns=town_units, units=units, exam=exam)


def _expected_units(world: World, parent: Unit, primary: str) -> list[tuple[int, int, dict]]:
    """The unit ranking recomputed in plain Python from raw rows."""
    audience = [t.path for t in world.towns[:-1]]
    users = {
        u["pk"]: u
        for u in User.objects.values("pk", "unit__path", "role", "is_active", "is_on_roster")
        if u["unit__path"].startswith(parent.path)
    }
    roster = {
        pk
        for pk, u in users.items()
        if u["role"] == "participant"
        and u["is_active"]
        and u["is_on_roster"]
        and any(u["unit__path"].startswith(p) for p in audience)
    }
    finished: list[Any] = [
        dict(a)
        for a in Attempt.objects.filter(exam=world.exam).exclude(status="in_progress").values()
        if a["user_id"] in roster
    ]
    rows = []
    for child in Unit.objects.filter(parent=parent).order_by("sort_order", "path"):
        mine = {pk for pk in roster if users[pk]["unit__path"].startswith(child.path)}
        counted = [a for a in finished if a["user_id"] in mine and a["is_counted"]]
        scores = [a["score"] for a in counted]
        n = len(counted)

        def rate(part, whole):
            return percent_of(Decimal(part), Decimal(whole)) if whole else None

        rows.append(
            {
                "unit_id": child.pk,
                "headcount": len(mine),
                "participants": n,
                "attempts": sum(1 for a in finished if a["user_id"] in mine),
                "participation_rate": rate(n, len(mine)),
                "mean_score": (sum(scores) / n).quantize(CENT) if n else None,
                "pass_rate": rate(sum(1 for a in counted if a["passed"]), n),
                "excellent_rate": rate(sum(1 for a in counted if a["score"] * 100 >= a["max_score"] * 90), n),
                "highest_score": max(scores) if scores else None,
                "lowest_score": min(scores) if scores else None,
            }
        )
    keys = [primary] + [k for k in ("participation_rate", "mean_score", "pass_rate", "excellent_rate") if k != primary]

    def key(row):
        return [(row[k] is None, -(row[k] or 0)) for k in keys]

    rows.sort(key=key)
    ranked: list[tuple[int, int, dict]] = []
    for position, row in enumerate(rows, start=1):
        rank = ranked[-1][0] if ranked and key(ranked[-1][2]) == key(row) else position
        ranked.append((rank, row["unit_id"], row))
    return ranked


def _as_dict(row: leaderboards.UnitRow) -> dict:
    return {k: v for k, v in vars(row).items() if k not in {"rank", "unit_name"}}


def _check_queries(world: World, django_assert_num_queries) -> None:
    exam = Exam.objects.get(pk=world.exam.pk)
    with django_assert_num_queries(UNIT_BOARD_QUERIES):
        leaderboards.leaderboard_units(exam=exam, parent=world.root)
    with django_assert_num_queries(UNIT_PEOPLE_QUERIES):
        list(results.unit_people(exam=exam, unit=world.root)[:50])
    with django_assert_num_queries(UNIT_PEOPLE_QUERIES):
        list(results.unit_people(exam=exam, unit=world.root, absent_only=True)[:50])
    with django_assert_num_queries(RESULT_ROWS_QUERIES):
        list(results.result_rows(exam=exam, unit=world.towns[0]))
    with django_assert_num_queries(ANSWER_ROWS_QUERIES):
        list(results.answer_rows(exam=exam, unit=world.towns[0]))
    with django_assert_num_queries(YEAR_QUERIES):
        exams = results.year_exams(exams=Exam.objects.all(), year=timezone.localtime(exam.opens_at).year)
    with django_assert_num_queries(RECORD_ROWS_QUERIES):
        list(results.learning_record_rows(exams=exams, unit=world.root))


def test_selectors_use_the_same_queries_at_a_small_size(django_assert_num_queries):
    world = _build(towns=3, depts_per_town=3, people_per_unit=5, extra_attempts=3)
    _check_queries(world, django_assert_num_queries)
    ranked = leaderboards.leaderboard_units(exam=world.exam, parent=world.root)
    assert [(r.rank, r.unit_id, _as_dict(r)) for r in ranked.rows] == _expected_units(
        world, world.root, "participation_rate"
    )


def test_ten_thousand_attempts_over_three_hundred_units(django_assert_num_queries):
    # 10 towns × 29 departments + 10 towns = 300 units; 35 people each (10,500); 10,000 finished attempts
    world = _build(towns=10, depts_per_town=29, people_per_unit=35, extra_attempts=1_214)
    exam = world.exam
    assert Attempt.objects.filter(exam=exam).exclude(status="in_progress").count() == 10_000
    assert len(world.units) == 300
    _check_queries(world, django_assert_num_queries)

    # unit ranking and roll-up: exactly the recomputation, for every ranking key, at two levels
    for parent in (world.root, world.towns[0]):
        for primary in ("participation_rate", "mean_score", "pass_rate", "excellent_rate"):
            board = leaderboards.leaderboard_units(exam=exam, parent=parent, primary=primary)
            assert board.kind == "roster"
            got = [(r.rank, r.unit_id, _as_dict(r)) for r in board.rows]
            assert got == _expected_units(world, parent, primary), (parent.name, primary)
    ranks = [r.rank for r in leaderboards.leaderboard_units(exam=exam, parent=world.towns[0]).rows]
    # competition ranks: a tie shares the rank, the next unit's rank is its position (1, 2, 2, 4)
    assert any(a == b for a, b in pairwise(ranks)), ranks
    assert all(rank == ranks[i - 1] or rank == i + 1 for i, rank in enumerate(ranks) if i), ranks
    left_out = leaderboards.leaderboard_units(exam=exam, parent=world.root).rows
    assert {r.unit_id: r.headcount for r in left_out}[world.towns[-1].pk] == 0  # not in the audience

    # 未参考名单: exactly the roster minus those with a finished attempt
    audience = [t.path for t in world.towns[:-1]]
    for unit in (world.root, world.towns[1], world.units[40]):
        roster = {
            u["pk"]
            for u in User.objects.filter(role="participant", is_active=True, is_on_roster=True).values(
                "pk", "unit__path"
            )
            if u["unit__path"].startswith(unit.path) and any(u["unit__path"].startswith(p) for p in audience)
        }
        finishers = set(
            Attempt.objects.filter(exam=exam).exclude(status="in_progress").values_list("user_id", flat=True)
        )
        absent = {row["pk"] for row in results.unit_people(exam=exam, unit=unit, absent_only=True)}
        assert absent == roster - finishers and absent
        drill = list(results.unit_people(exam=exam, unit=unit))
        assert {row["pk"] for row in drill} == roster
        assert {row["pk"] for row in drill if row["counted__score"] is None} == absent

    # export rows: everyone of the unit with a counting attempt, with global competition ranks
    counted = list(
        Attempt.objects.filter(exam=exam, is_counted=True)
        .order_by("-score", "time_used_seconds", "submitted_at", "pk")
        .values("user_id", "score", "time_used_seconds", "user__unit__path", "user__username")
    )
    global_rank, previous = {}, None
    for position, a in enumerate(counted, start=1):
        key = (a["score"], a["time_used_seconds"])
        global_rank[a["user__username"]] = (
            position if key != previous else global_rank[counted[position - 2]["user__username"]]
        )
        previous = key
    town = world.towns[2]
    rows = list(results.result_rows(exam=exam, unit=town))
    assert [r.username for r in rows] == [
        a["user__username"] for a in counted if a["user__unit__path"].startswith(town.path)
    ]
    assert all(r.rank == global_rank[r.username] for r in rows)
    assert {r.attempt_count for r in rows} <= {1, 2}
    passed = list(results.result_rows(exam=exam, unit=town, filters=results.ResultFilters(passed=True)))
    assert passed and all(r.passed for r in passed) and len(passed) < len(rows)
