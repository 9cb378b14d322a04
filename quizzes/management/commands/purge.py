"""manage.py purge [--dry-run] [--batch-days N] [--answer-days N]: stop keeping what has served its purpose."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from quizzes.services.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Delete import batches (questions and rosters) committed or abandoned more than --batch-days ago, expired "
        "sessions, and the answers of attempts in exams closed more than --answer-days ago (scores and ranks stay)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would go; delete nothing")
        parser.add_argument("--batch-days", type=int, default=settings.XUEFA_RETAIN_IMPORTS_DAYS)
        parser.add_argument(
            "--answer-days",
            type=int,
            default=settings.XUEFA_RETAIN_ANSWERS_DAYS,
            help="answers of exams closed this many days ago; 0 in the setting keeps every answer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        answer_days = options["answer_days"] or None
        counts = retention_purge(batch_days=options["batch_days"], answer_days=answer_days, dry_run=options["dry_run"])
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(
            f"{verb}: {counts.question_import_batches} question import batches, "
            f"{counts.roster_import_batches} roster import batches, {counts.expired_sessions} expired sessions, "
            f"{counts.answers} answers of long-closed exams"
            + ("" if answer_days else " (answers are kept: XUEFA_RETAIN_ANSWERS_DAYS=0)")
        )
