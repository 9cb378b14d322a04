"""Benchmark of certificates (合格证书): the time to draw one, and the throughput and memory of the zip of a
unit subtree's certificates, streamed.

    python bench/certificates_bench.py [--certificates 60] [--sample 10]

Uses the database of DATABASE_URL if set, else a throwaway SQLite file under /tmp, and the server's CJK font
(quizzes.certificate_pdf.certificate_font: XUEFA_CERTIFICATE_FONT or Debian's fonts-noto-cjk). Measured:

- the first certificate of a process (which parses the font, once per process: certificate_pdf._parsed_font)
  and the median of ``--sample`` further ones (subsetting the font is most of their time), wall clock and
  CPU time of the process
  (the CPU time is what a machine shared with other work does not inflate);
- the zip of ``--certificates`` certificates through the view's own generator (selectors_certificates +
  certificate_pdf.certificates_zip): total time, certificates and MB per second, and peak traced memory
  growth, against the baseline of drawing the same number of certificates one by one.
- whether reportlab, the other candidate, can embed the same font (if it is installed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=60)
    parser.add_argument("--sample", type=int, default=10)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="xuefa-certificates-bench-", dir="/tmp")
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
    from quizzes import certificates, selectors_certificates
    from quizzes.certificate_pdf import certificate_font, certificates_zip, render_certificate
    from quizzes.errors import CertificateFontMissing
    from quizzes.models import Attempt, Certificate
    from quizzes.services.banks import bank_create, question_create
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    try:
        font = certificate_font()
    except CertificateFontMissing:
        print("no CJK font: install fonts-noto-cjk or set XUEFA_CERTIFICATE_FONT")
        return 1
    on_postgres = connection.vendor == "postgresql"
    old_config = setup_databases(verbosity=0, interactive=False) if on_postgres else None
    if not on_postgres:
        call_command("migrate", verbosity=0)
    try:
        city = Unit.objects.create(name="清河市", path="0001", depth=0)
        town = Unit.objects.create(name="沙溪镇", parent=city, path="00010001", depth=1)
        office = Unit.objects.create(name="党政办", parent=town, path="000100010001", depth=2)
        bank = bank_create(name="基准题库", unit=city)
        question = question_create(bank=bank, kind="single", stem="第1题", options=["甲", "乙"], answer=["A"])
        now = timezone.now()
        exam = exam_create(
            unit=city,
            created_by=None,
            audience_units=[city],
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            fixed=[PaperItem(question, Decimal(100))],
            title="2026年度学纪学法网上考试（民法典专题）",
        )
        exam = exam_publish(exam=exam)
        surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞"
        people = User.objects.bulk_create(
            User(
                username=f"u{i:06d}",
                real_name=surnames[i % 20] + given[(i * 7) % 20] + given[(i * 3) % 20],
                unit=office,
                password="!",
            )
            for i in range(args.certificates)
        )
        started = now - timedelta(hours=2)
        attempts = Attempt.objects.bulk_create(
            Attempt(
                exam=exam,
                user=person,
                status=Attempt.Status.SUBMITTED,
                started_at=started,
                deadline=started + timedelta(hours=1),
                submitted_at=started + timedelta(minutes=20),
                score=Decimal(60 + i % 41),
                max_score=Decimal(100),
                passed=True,
                time_used_seconds=1200,
                is_counted=True,
            )
            for i, person in enumerate(people)
        )
        Certificate.objects.bulk_create(
            Certificate(exam=exam, user=a.user, attempt=a, code=certificates.new_code(), issued_at=now)
            for a in attempts
        )

        def url(code: str) -> str:
            return f"https://xuefa.example.gov.cn/verify/{code}"

        facts = [f for _, f in selectors_certificates.subtree_certificates(exam=exam, unit=city, verify_url=url)]
        began, cpu_began = time.perf_counter(), time.process_time()
        first = render_certificate(facts[0], font)
        first_ms = (time.perf_counter() - began) * 1000
        first_cpu = (time.process_time() - cpu_began) * 1000
        samples, cpu_samples = [], []
        for fact in facts[1 : 1 + args.sample]:
            began, cpu_began = time.perf_counter(), time.process_time()
            render_certificate(fact, font)
            samples.append((time.perf_counter() - began) * 1000)
            cpu_samples.append((time.process_time() - cpu_began) * 1000)
        per, per_cpu = statistics.median(samples), statistics.median(cpu_samples)

        tracemalloc.start()
        began, cpu_began = time.perf_counter(), time.process_time()
        size = 0
        for chunk in certificates_zip(
            selectors_certificates.subtree_certificates(exam=exam, unit=city, verify_url=url), font
        ):
            size += len(chunk)
        zip_s, zip_cpu = time.perf_counter() - began, time.process_time() - cpu_began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        print(f"font: {font.path} (face {font.index})")
        kb = len(first) / 1024
        print(f"one certificate: first {first_ms:.0f} ms, then median {per:.0f} ms of {len(samples)}; {kb:.1f} KB")
        print(f"  CPU time (not inflated by a loaded machine): first {first_cpu:.0f} ms, then {per_cpu:.0f} ms")
        print(
            f"zip of {len(facts)}: {zip_s:.1f} s = {len(facts) / zip_s:.2f} certificates/s, "
            f"{size / 2**20 / zip_s:.2f} MB/s, {size / 2**20:.1f} MB; peak traced memory {peak / 2**20:.1f} MiB"
        )
        print(f"  CPU time {zip_cpu:.1f} s = {len(facts) / zip_cpu:.2f} certificates per CPU second")
        print(f"baseline, {len(facts)} × the median certificate: {len(facts) * per / 1000:.1f} s")
        print("(the tracemalloc run is slower than an untraced one; the timings above include its cost)")
        try:
            from reportlab.pdfbase.ttfonts import TTFont
        except ImportError:
            print("reportlab: not installed (it cannot embed CFF-outline fonts such as Noto CJK)")
        else:
            try:
                TTFont("cjk", font.path, subfontIndex=font.index)
                print("reportlab: can read this font")
            except Exception as error:  # reportlab's TTFError, reported as measured
                print(f"reportlab: {error}")
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
