from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from quizzes.errors import QuizError
from quizzes.importing.build import KIND_LABELS
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
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}) from exc
        try:
            batch = import_preview(bank=bank, uploaded_by=None, filename=path.name, content=content)
        except QuizError as exc:
            raise CommandError(_("%(message)s（%(code)s）") % {"message": exc.message, "code": exc.code}) from exc

        for issue in batch.file_warnings:
            self.stdout.write(self._issue_line(_("警告"), issue))
        for item in batch.items:
            fields = item["fields"]
            stem = fields["stem"].replace("\n", " ")
            kind = KIND_LABELS.get(fields["kind"], fields["kind"])
            self.stdout.write(
                _("第 %(line)d 行 [%(kind)s] %(stem)s 答案 %(answer)s")
                % {"line": item["line"], "kind": kind, "stem": stem[:40], "answer": "".join(fields["answer"])}
            )
            for issue in item["errors"]:
                self.stdout.write(self._issue_line(_("错误"), issue))
            for issue in item["warnings"]:
                self.stdout.write(self._issue_line(_("警告"), issue))
        self.stdout.write(
            _("共 %(count)d 题，错误 %(errors)d 处，警告 %(warnings)d 处（预览编号 %(id)d）。")
            % {"count": len(batch.items), "errors": batch.error_count, "warnings": batch.warning_count, "id": batch.pk}
        )
        if batch.error_count:
            raise CommandError(_("有 %(count)d 处错误，未导入。") % {"count": batch.error_count})
        if options["commit"]:
            created = import_commit(batch=batch)
            self.stdout.write(_("已导入 %(count)d 题到题库“%(bank)s”。") % {"count": created, "bank": bank.name})

    @staticmethod
    def _issue_line(level: str, issue: dict[str, Any]) -> str:
        where = _("第 %(line)d 行") % {"line": issue["line"]} if issue.get("line") else _("文件")
        column = f" {issue['column']}" if issue.get("column") else ""
        return "  " + _("%(where)s%(column)s %(level)s：%(message)s（%(code)s）") % {
            "where": where,
            "column": column,
            "level": level,
            "message": issue["message"],
            "code": issue["code"],
        }
