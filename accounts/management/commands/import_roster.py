from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.services.roster import roster_commit, roster_preview
from quizzes.errors import QuizError
from quizzes.management.importing_cli import command_error, issue_line, read_file


class Command(BaseCommand):
    help = (
        "Preview (and with --commit, import) a roster file (.xlsx, .csv). Unit paths start at the root "
        "(or at --unit). Exits non-zero when the file has errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the roster file")
        parser.add_argument("--commit", action="store_true", help="import when the preview has no errors")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="deactivate roster participants of the subtree that the file leaves out",
        )
        parser.add_argument("--unit", type=int, help="unit id the paths start from (default: the root)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = self._unit(options["unit"])
        path = Path(options["file"])
        content = read_file(path)
        try:
            batch = roster_preview(
                unit=unit,
                uploaded_by=None,
                filename=path.name,
                content=content,
                deactivate_missing=options["deactivate_missing"],
            )
        except QuizError as exc:
            raise command_error(exc) from exc

        for issue in batch.file_warnings:
            self.stdout.write(issue_line(_("警告"), issue))
        for item in batch.items:
            for issue in item["errors"]:
                self.stdout.write(issue_line(_("错误"), issue))
            for issue in item["warnings"]:
                self.stdout.write(issue_line(_("警告"), issue))
        counts = batch.counts
        self.stdout.write(
            _(
                "共 %(rows)d 人：新建 %(create)d，更新 %(update)d，不变 %(unchanged)d，停用 %(deactivate)d；"
                "错误 %(errors)d 处，警告 %(warnings)d 处（预览编号 %(id)d）。"
            )
            % {
                "rows": counts["rows"],
                "create": counts["to_create"],
                "update": counts["to_update"],
                "unchanged": counts["unchanged"],
                "deactivate": counts["to_deactivate"],
                "errors": counts["errors"],
                "warnings": counts["warnings"],
                "id": batch.pk,
            }
        )
        if batch.error_count:
            raise CommandError(_("有 %(count)d 处错误，未导入。") % {"count": batch.error_count})
        if not options["commit"]:
            return
        try:
            result = roster_commit(batch=batch)
        except QuizError as exc:
            raise command_error(exc) from exc
        self.stdout.write(
            _("已导入：新建 %(created)d，更新 %(updated)d，不变 %(unchanged)d，停用 %(deactivated)d。")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            }
        )
        if result.passwords:
            self.stdout.write(_("生成的初始密码（只显示这一次，首次登录须修改）："))
            for name, username, unit_text, password in result.passwords:
                self.stdout.write(f"  {name}\t{username}\t{unit_text}\t{password}")

    @staticmethod
    def _unit(unit_id: int | None) -> Unit:
        if unit_id is not None:
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise CommandError(_("单位 %(id)d 不存在。") % {"id": unit_id})
            return unit
        roots = list(Unit.objects.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise CommandError(_("有 %(count)d 个根单位，请用 --unit 指定从哪个单位开始。") % {"count": len(roots)})
        return roots[0]
