"""Benchmark of results for organizers and HR at 100,000 finished attempts (a province-sized exam).

    python bench/results_bench.py [--attempts 100000] [--towns 20] [--depts 15] [--ranking-only]

Uses the database of DATABASE_URL if set (run it against PostgreSQL to measure production), else a
throwaway SQLite file under /tmp. Set-up bulk-creates the units, people and their finished attempts, then
ANALYZEs the tables, as autovacuum would have long before a real exam's 100,000th submit (without
statistics PostgreSQL plans the joins for tables of one row). Measured, each next to a baseline taken in
the same run:

- the unit ranking (towns, rolled up over departments) against a bare SELECT of the same attempt rows,
  uncached (target ≤ 200 ms on PostgreSQL) and cached (quizzes.caching: Redis when REDIS_URL is set, else
  locmem; target ≤ 10 ms), and recomputed after a submit (a new generation of the exam's results, the headcounts
  kept) on one connection again and again, as an app worker does, its statements prepared;
- results.xlsx of every row: time and peak memory (tracemalloc) against writing the same rows with the
  plain csv module, and the bare SELECT of the rows (skipped with ``--ranking-only``).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(call: Callable[[], object], repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def peak_memory(call: Callable[[], object]) -> tuple[float, float]:
    """(milliseconds, peak traced memory in MiB) of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    call()
    elapsed = (time.perf_counter() - started) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--depts", type=int, default=15)
    parser.add_argument("--ranking-only", action="store_true", help="measure the unit ranking, not the exports")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="xuefa-results-bench-", dir="/tmp")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from accounts.models import Unit, User
    from quizzes import caching, exports, selectors
    from quizzes.leaderboards import leaderboard_units
    from quizzes.models import Attempt
    from quizzes.services.banks import bank_create, question_create
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    on_postgres = connection.vendor == "postgresql"
    old_config = setup_databases(verbosity=0, interactive=False) if on_postgres else None
    if not on_postgres:
        call_command("migrate", verbosity=0)
    try:
        city = Unit.objects.create(name="基准市", path="0001", depth=0)
        towns = Unit.objects.bulk_create(
            Unit(name=f"镇{t}", parent=city, path=f"0001{t + 1:04d}", depth=1) for t in range(args.towns)
        )
        depts = Unit.objects.bulk_create(
            Unit(name=f"镇{t}部门{d}", parent=town, path=f"{town.path}{d + 1:04d}", depth=2)
            for t, town in enumerate(towns)
            for d in range(args.depts)
        )
        units = towns + depts
        bank = bank_create(name="基准题库", unit=city)
        questions = [
            question_create(bank=bank, kind="single", stem=f"第{i}题", options=["甲", "乙", "丙", "丁"], answer=["A"])
            for i in range(50)
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
        people = args.attempts + args.attempts // 10  # a tenth did not sit
        User.objects.bulk_create(
            (
                User(username=f"u{i:07d}", real_name=f"人员{i}", unit=units[i % len(units)], password="!")
                for i in range(people)
            ),
            batch_size=5000,
        )
        started = now - timedelta(hours=5)
        user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True)[: args.attempts])
        Attempt.objects.bulk_create(
            (
                Attempt(
                    exam=exam,
                    user_id=user_id,
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
                for i, user_id in enumerate(user_ids)
            ),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        reset_queries()

        def bare_select() -> None:
            for _row in (
                Attempt.objects.filter(exam=exam, is_counted=True)
                .values_list("score", "time_used_seconds", "user__unit__path", "user__real_name", "user__username")
                .iterator(chunk_size=selectors.CHUNK)
            ):
                pass

        def plain_csv() -> None:
            out = io.StringIO()
            writer = csv.writer(out)
            for row in (
                Attempt.objects.filter(exam=exam, is_counted=True)
                .order_by("-score", "time_used_seconds", "submitted_at", "pk")
                .values_list("user__unit__name", "user__real_name", "user__username", "score", "time_used_seconds")
                .iterator(chunk_size=selectors.CHUNK)
            ):
                writer.writerow(row)
                out.seek(0)
                out.truncate()

        def xlsx() -> None:
            with tempfile.TemporaryFile() as out:
                exports.write_results_xlsx(out, exam=exam, unit=city)

        def results_csv() -> None:
            for _line in exports.results_csv_lines(exam=exam, unit=city):
                pass

        baseline = timed(bare_select)
        ranking = timed(lambda: leaderboard_units(exam=exam, parent=city))
        ranking_depts = timed(lambda: leaderboard_units(exam=exam, parent=towns[0]))
        caching.people_changed()  # new generations: the first read below misses, its headcounts too
        caching.exam_changed(exam.pk)
        cold = timed(lambda: caching.cached_leaderboard_units(exam=exam, parent=city), repeat=1)
        cached = timed(lambda: caching.cached_leaderboard_units(exam=exam, parent=city), repeat=20)

        def after_a_submit() -> None:  # what a submit leaves the next reader to compute: the headcounts are kept
            caching.exam_changed(exam.pk)
            caching.cached_leaderboard_units(exam=exam, parent=city)

        # an app worker's connection runs the same statements again and again: from the DATABASE_PREPARE_THRESHOLD-th
        # run on, they are prepared, and PostgreSQL may plan them once for any parameters (a generic plan)
        for _ in range(8):
            after_a_submit()
        resubmitted = timed(after_a_submit, repeat=9)
        assert caching.cached_leaderboard_units(exam=exam, parent=city) == leaderboard_units(exam=exam, parent=city)
        backend = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
        print(
            f"database: {connection.vendor}; {args.attempts} finished attempts, {people} people, "
            f"{len(units)} units ({args.towns} towns × {args.depts} departments)"
        )
        print(f"{'baseline: bare SELECT of the same attempt rows':<56} {baseline:9.1f} ms")
        print(f"{'unit ranking: towns rolled up over departments':<56} {ranking:9.1f} ms  ({ranking / baseline:.2f}×)")
        print(
            f"{'unit ranking: departments of one town':<56} {ranking_depts:9.1f} ms  ({ranking_depts / baseline:.2f}×)"
        )
        print(f"{'unit ranking, cache miss (rank and store), ' + backend:<56} {cold:9.1f} ms  ({cold / baseline:.2f}×)")
        print(f"{'unit ranking, cached (median of 20), ' + backend:<56} {cached:9.2f} ms  ({cached / baseline:.3f}×)")
        print(
            f"{'unit ranking after a submit, run again and again':<56} {resubmitted:9.1f} ms  "
            f"({resubmitted / baseline:.2f}×)"
        )
        if args.ranking_only:
            return 0
        # time without tracing (which slows Python code down), then peak memory in a traced run
        select_ms, csv_ms, ours_csv_ms, xlsx_ms = (
            timed(f, repeat=1) for f in (bare_select, plain_csv, results_csv, xlsx)
        )
        select_peak, csv_peak, ours_csv_peak, xlsx_peak = (
            peak_memory(f)[1] for f in (bare_select, plain_csv, results_csv, xlsx)
        )

        print(f"{'(time of one run; peak traced memory of another)':<56}")
        print(f"{'baseline: bare SELECT, streamed':<56} {select_ms:9.1f} ms  peak {select_peak:6.1f} MiB")
        print(f"{'baseline: plain csv of the same rows, streamed':<56} {csv_ms:9.1f} ms  peak {csv_peak:6.1f} MiB")
        print(
            f"{'results.csv (ranks, grades, neutralised cells)':<56} {ours_csv_ms:9.1f} ms"
            f"  peak {ours_csv_peak:6.1f} MiB"
        )
        print(f"{'results.xlsx (constant_memory, sheets 1 and 2)':<56} {xlsx_ms:9.1f} ms  peak {xlsx_peak:6.1f} MiB")
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
