"""Benchmark of question import: preview and commit of a 5,000-question xlsx into a 5,000-question bank.

    python bench/import_bench.py [--questions 5000] [--keep]

Each step runs in a fresh process, so that its peak RSS is its own (Python + Django + the step);
the figures are printed as seconds and MB. Limits: each step ≤ 10 s and ≤ 300 MB; the exit code is 1
when one is exceeded. The database is a throwaway SQLite file under /tmp, migrated here and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BANK_NAME = "基准测试题库"
LIMIT_SECONDS = 10.0
LIMIT_MB = 300.0
CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]


def _django(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choices(CHARS, k=rng.randint(low, high)))


def _question(rng: random.Random, number: int) -> dict[str, Any]:
    kind = ("single", "multiple", "judge")[number % 3]
    options = [] if kind == "judge" else [_text(rng, 4, 20) for _ in range(rng.choice((4, 4, 5)))]
    if kind == "single":
        answer = [rng.choice("ABCD")]
    elif kind == "multiple":
        answer = sorted(rng.sample("ABCD", rng.randint(2, 4)))
    else:
        answer = [rng.choice("AB")]
    return {
        "kind": kind,
        "stem": f"根据《中华人民共和国民法典》，{_text(rng, 30, 90)}（　）。",
        "options": options,
        "answer": answer,
        "explanation": _text(rng, 40, 160),
        "legal_basis": f"《中华人民共和国民法典》第{rng.randint(1, 1260)}条",
        "difficulty": rng.randint(1, 5),
        "tags": [rng.choice(["总则编", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编"])],
    }


def step_prepare(db_path: str, file_path: str, count: int) -> dict[str, Any]:
    _django(db_path)
    from django.core.management import call_command

    from accounts.models import Unit
    from accounts.services import unit_create, user_create
    from quizzes.importing.template import questions_to_xlsx
    from quizzes.services.banks import bank_create
    from quizzes.services.imports import questions_bulk_create

    call_command("migrate", verbosity=0)
    unit = unit_create(name="全市", kind=Unit.Kind.CITY)
    user_create(username="bench-organizer", password=None, unit=unit, role="organizer")
    bank = bank_create(name=BANK_NAME, unit=unit)
    rng = random.Random(2024)
    existing = [_question(rng, i) for i in range(count)]
    questions_bulk_create(bank=bank, items=existing)
    upload = [_question(rng, i) for i in range(count)]
    for i in range(0, 50):  # some exact duplicates of the bank, and some near ones (one character changed)
        upload[i * 7] = dict(existing[i * 11])
        near = dict(existing[i * 13 + 1])
        near["stem"] = near["stem"][:-5] + "之" + near["stem"][-4:]
        upload[i * 7 + 3] = near
    Path(file_path).write_bytes(questions_to_xlsx(upload))
    return {"bank_questions": count, "file_mb": round(Path(file_path).stat().st_size / 2**20, 2)}


def step_preview(db_path: str, file_path: str) -> dict[str, Any]:
    _django(db_path)
    from accounts.models import User
    from quizzes.models import QuestionBank
    from quizzes.services.imports import import_preview

    bank = QuestionBank.objects.get(name=BANK_NAME)
    user = User.objects.get(username="bench-organizer")
    content = Path(file_path).read_bytes()
    started = time.perf_counter()
    batch = import_preview(bank=bank, uploaded_by=user, filename=Path(file_path).name, content=content)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "batch_id": batch.pk,
        "questions": len(batch.items),
        "errors": batch.error_count,
        "warnings": batch.warning_count,
    }


def step_baseline(db_path: str, file_path: str) -> dict[str, Any]:
    """The floor any xlsx import pays on this machine: Django loaded, every cell read by openpyxl."""
    _django(db_path)
    import openpyxl

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(file_path, read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb(), 1), "cells": cells}


def step_commit(db_path: str, batch_id: int) -> dict[str, Any]:
    _django(db_path)
    from quizzes.models import ImportBatch, Question
    from quizzes.services.imports import import_commit

    batch = ImportBatch.objects.get(pk=batch_id)
    started = time.perf_counter()
    created = import_commit(batch=batch)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "created": created,
        "bank_questions": Question.objects.filter(bank=batch.bank).count(),
    }


def _run(*args: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"step {args[1]} failed")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--step", choices=["prepare", "baseline", "preview", "commit"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step == "prepare":
        print(json.dumps(step_prepare(args.db, args.file, args.questions)))
        return 0
    if args.step == "baseline":
        print(json.dumps(step_baseline(args.db, args.file)))
        return 0
    if args.step == "preview":
        print(json.dumps(step_preview(args.db, args.file)))
        return 0
    if args.step == "commit":
        print(json.dumps(step_commit(args.db, args.batch)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="xuefa-import-bench-", dir="/tmp"))
    db, file = str(folder / "bench.sqlite3"), str(folder / "questions.xlsx")
    try:
        prepared = _run("--step", "prepare", "--db", db, "--file", file, "--questions", str(args.questions))
        upload = f"upload of {args.questions} ({prepared['file_mb']} MB xlsx)"
        print(f"prepared: bank of {prepared['bank_questions']} questions, {upload}")
        baseline = _run("--step", "baseline", "--db", db, "--file", file)
        print(
            f"baseline: {baseline['seconds']:.2f} s, peak RSS {baseline['peak_rss_mb']:.1f} MB "
            f"(openpyxl reading all {baseline['cells']} cells, nothing parsed or stored)"
        )
        preview = _run("--step", "preview", "--db", db, "--file", file)
        print(
            f"preview: {preview['seconds']:.2f} s, peak RSS {preview['peak_rss_mb']:.1f} MB "
            f"({preview['questions']} questions, {preview['errors']} errors, {preview['warnings']} warnings; "
            f"{preview['seconds'] / max(baseline['seconds'], 0.01):.1f}× the baseline's time)"
        )
        commit = _run("--step", "commit", "--db", db, "--batch", str(preview["batch_id"]))
        print(
            f"commit:  {commit['seconds']:.2f} s, peak RSS {commit['peak_rss_mb']:.1f} MB "
            f"({commit['created']} created, bank now {commit['bank_questions']})"
        )
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    over = [
        f"{name} {what}"
        for name, step in (("preview", preview), ("commit", commit))
        for what, value, limit in (("time", step["seconds"], LIMIT_SECONDS), ("memory", step["peak_rss_mb"], LIMIT_MB))
        if value > limit
    ]
    if over:
        print(f"OVER LIMIT ({LIMIT_SECONDS:.0f} s, {LIMIT_MB:.0f} MB): {', '.join(over)}")
        return 1
    print(f"within limits: each step ≤ {LIMIT_SECONDS:.0f} s and ≤ {LIMIT_MB:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
