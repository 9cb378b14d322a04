from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Unit
from accounts.services import unit_create
from quizzes.errors import QuizError
from quizzes.importing.shipped import SHIPPED_BANKS, load_shipped_bank, missing_shipped_files


class Command(BaseCommand):
    help = "Load the shipped question banks (quizzes/data/banks/*.csv) into a unit; running it again adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", type=int, help="unit id (default: the first root unit; 全市 is created if none)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = self._unit(options.get("unit"))
        missing = missing_shipped_files()
        for shipped in missing:
            self.stderr.write(f"缺少题库文件 {shipped.display_path}：{shipped.name} 未导入。")
        failed = len(missing)
        for shipped in SHIPPED_BANKS:
            if shipped in missing:
                continue
            try:
                added = load_shipped_bank(shipped=shipped, unit=unit)
            except QuizError as exc:
                self.stderr.write(exc.message)
                failed += 1
                continue
            self.stdout.write(f"{shipped.name}（{unit.name}）：新增 {added} 题。")
        if failed:
            raise CommandError(f"{failed} 个题库未能导入。")

    def _unit(self, unit_id: int | None) -> Unit:
        if unit_id is not None:
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise CommandError(f"单位 {unit_id} 不存在。")
            return unit
        root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        return root or unit_create(name="全市", kind=Unit.Kind.CITY)
