from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
            raise CommandError(f"题库 {options['bank']} 不存在。")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        try:
            batch = import_preview(bank=bank, uploaded_by=None, filename=path.name, content=content)
        except QuizError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc

        for issue in batch.file_warnings:
            self.stdout.write(self._issue_line("警告", issue))
        for item in batch.items:
            fields = item["fields"]
            stem = fields["stem"].replace("\n", " ")
            kind = KIND_LABELS.get(fields["kind"], fields["kind"])
            self.stdout.write(f"第 {item['line']} 行 [{kind}] {stem[:40]} 答案 {''.join(fields['answer'])}")
            for issue in item["errors"]:
                self.stdout.write(self._issue_line("错误", issue))
            for issue in item["warnings"]:
                self.stdout.write(self._issue_line("警告", issue))
        counts = f"错误 {batch.error_count} 处，警告 {batch.warning_count} 处"
        self.stdout.write(f"共 {len(batch.items)} 题，{counts}（预览编号 {batch.pk}）。")
        if batch.error_count:
            raise CommandError(f"有 {batch.error_count} 处错误，未导入。")
        if options["commit"]:
            created = import_commit(batch=batch)
            self.stdout.write(f"已导入 {created} 题到题库“{bank.name}”。")

    @staticmethod
    def _issue_line(level: str, issue: dict[str, Any]) -> str:
        where = f"第 {issue['line']} 行" if issue.get("line") else "文件"
        column = f" {issue['column']}" if issue.get("column") else ""
        return f"  {where}{column} {level}：{issue['message']}（{issue['code']}）"
