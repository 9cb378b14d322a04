"""Benchmark of the exam hot paths at the size of a city's yearly exam (10,000 people).

    python bench/exam_bench.py [--people 10000] [--questions 50]

Uses the database of DATABASE_URL if set (run it against PostgreSQL to measure production), else a
throwaway SQLite file under /tmp. Set-up bulk-creates the people and their finished attempts; what is
timed goes through the real services and selectors. Each figure is the median of several runs, next
to a baseline measured in the same run: the bare query that reads the same attempt rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(call: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="xuefa-exam-bench-", dir="/tmp")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from accounts.models import Unit, User
    from accounts.services import unit_create
    from quizzes.leaderboards import (
        attempt_rank,
        leaderboard_people,
        leaderboard_people_rows,
        leaderboard_rank_rows,
        leaderboard_units,
    )
    from quizzes.models import Attempt
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
    from quizzes.services.banks import bank_create, question_create
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    on_postgres = connection.vendor == "postgresql"
    old_config = setup_databases(verbosity=0, interactive=False) if on_postgres else None
    if not on_postgres:
        call_command("migrate", verbosity=0)
    try:
        city = unit_create(name="基准市", kind=Unit.Kind.CITY)
        towns = [unit_create(name=f"镇{i}", parent=city, kind=Unit.Kind.TOWN) for i in range(12)]
        bank = bank_create(name="基准题库", unit=city)
        questions = [
            question_create(bank=bank, kind="single", stem=f"第{i}题", options=["甲", "乙", "丙", "丁"], answer=["A"])
            for i in range(args.questions)
        ]
        now = timezone.now()
        exam = exam_create(
            unit=city,
            created_by=None,
            audience_units=[city],
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            time_limit_seconds=3600,
            fixed=[PaperItem(q, Decimal(2)) for q in questions],
            title="基准考试",
        )
        exam = exam_publish(exam=exam)
        users = User.objects.bulk_create(
            User(username=f"u{i:06d}", real_name=f"人员{i}", unit=towns[i % len(towns)], password="!")
            for i in range(args.people)
        )
        started = now - timedelta(hours=5)
        Attempt.objects.bulk_create(
            Attempt(
                exam=exam,
                user=user,
                status=Attempt.Status.SUBMITTED,
                started_at=started,
                deadline=started + timedelta(hours=1),
                submitted_at=started + timedelta(seconds=600 + i % 1800),
                score=Decimal(i % 101),
                max_score=Decimal(100),
                passed=i % 101 >= 60,
                time_used_seconds=600 + i % 1800,
                is_counted=True,
            )
            for i, user in enumerate(users[:-1])
        )
        sitter = users[-1]
        attempt, _ = attempt_start(exam=exam, user=sitter)
        paper = list(attempt.paper.order_by("position").values_list("question_id", flat=True))
        seq = iter(range(1, 10_000))

        def autosave() -> None:
            answer_save(attempt_id=attempt.pk, user=sitter, question_id=paper[0], choices=["A"], seq=next(seq))

        baseline = timed(lambda: list(Attempt.objects.filter(exam=exam, is_counted=True).values_list("score", "pk")))

        def leaderboard_page(number: int) -> None:
            """What GET …/leaderboard/people does for one page of 20: count, page, ranks of the page."""
            rows = leaderboard_people_rows(exam=exam)
            rows.count()
            leaderboard_rank_rows(exam=exam, rows=list(rows[(number - 1) * 20 : number * 20]), offset=(number - 1) * 20)

        some_attempt = Attempt.objects.filter(exam=exam).earliest("pk")
        rows = [
            ("autosave (one answer)", timed(autosave, repeat=20)),
            ("person leaderboard, first page of 20 (API)", timed(lambda: leaderboard_page(1))),
            ("person leaderboard, page 400 of 500 (API)", timed(lambda: leaderboard_page(400))),
            ("person leaderboard, all rows ranked (exports)", timed(lambda: leaderboard_people(exam=exam))),
            ("unit leaderboard (12 towns)", timed(lambda: leaderboard_units(exam=exam).rows)),
            ("rank of one attempt", timed(lambda: attempt_rank(attempt=some_attempt))),
        ]
        for qid in paper:
            answer_save(attempt_id=attempt.pk, user=sitter, question_id=qid, choices=["A"], seq=next(seq))
        submit_started = time.perf_counter()
        attempt_submit(attempt_id=attempt.pk, user=sitter)
        rows.append(
            (f"submit ({args.questions} answers, scored, counted)", (time.perf_counter() - submit_started) * 1000)
        )

        print(
            f"database: {connection.vendor}; {args.people} people with a finished attempt; "
            f"{args.questions}-question paper"
        )
        print(f"{'baseline: read every counted attempt (score, id)':<52} {baseline:8.1f} ms")
        for name, ms in rows:
            print(f"{name:<52} {ms:8.1f} ms  ({ms / baseline:.1f}× baseline)")
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
