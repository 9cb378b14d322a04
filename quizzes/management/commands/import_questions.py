from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from quizzes.errors import QuizError
from quizzes.importing.build import KIND_LABELS
from quizzes.management.importing_cli import command_error, issue_line, read_file
from quizzes.models import QuestionBank
from quizzes.services.imports import import_commit, import_preview


class Command(BaseCommand):
    help = (
        "Preview (and with --commit, import) a question file (.xlsx, .csv, .docx, .txt) into a bank. "
        "Exits non-zero when the file has errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", type=int, required=True, help="question bank id")
        parser.add_argument("file", help="path of the file to import")
        parser.add_argument("--commit", action="store_true", help="import when the preview has no errors")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = QuestionBank.objects.filter(pk=options["bank"]).first()
        if bank is None:
            raise CommandError(_("题库 %(id)d 不存在。") % {"id": options["bank"]})
        path = Path(options["file"])
        content = read_file(path)
        try:
            batch = import_preview(bank=bank, uploaded_by=None, filename=path.name, content=content)
        except QuizError as exc:
            raise command_error(exc) from exc

        for issue in batch.file_warnings:
            self.stdout.write(issue_line(_("警告"), issue))
        for item in batch.items:
            fields = item["fields"]
            stem = fields["stem"].replace("\n", " ")
            kind = KIND_LABELS.get(fields["kind"], fields["kind"])
            self.stdout.write(
                _("第 %(line)d 行 [%(kind)s] %(stem)s 答案 %(answer)s")
                % {"line": item["line"], "kind": kind, "stem": stem[:40], "answer": "".join(fields["answer"])}
            )
            for issue in item["errors"]:
                self.stdout.write(issue_line(_("错误"), issue))
            for issue in item["warnings"]:
                self.stdout.write(issue_line(_("警告"), issue))
        self.stdout.write(
            _("共 %(count)d 题，错误 %(errors)d 处，警告 %(warnings)d 处（预览编号 %(id)d）。")
            % {"count": len(batch.items), "errors": batch.error_count, "warnings": batch.warning_count, "id": batch.pk}
        )
        if batch.error_count:
            raise CommandError(_("有 %(count)d 处错误，未导入。") % {"count": batch.error_count})
        if options["commit"]:
            try:
                created = import_commit(batch=batch)
            except QuizError as exc:  # e.g. committed meanwhile by someone else
                raise command_error(exc) from exc
            self.stdout.write(_("已导入 %(count)d 题到题库“%(bank)s”。") % {"count": created, "bank": bank.name})
