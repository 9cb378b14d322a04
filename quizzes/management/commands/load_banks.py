from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.services import unit_create
from quizzes.errors import QuizError
from quizzes.importing.shipped import SHIPPED_BANKS, missing_shipped_files
from quizzes.services.laws import laws_load_shipped
from quizzes.services.shipped import banks_load_shipped

DEFAULT_ROOT_NAME = "全市"  # the unit created when there is none: data, stored as its name


class Command(BaseCommand):
    help = (
        "Load the shipped question banks (quizzes/data/banks/*.csv) into a unit; running it again adds nothing. "
        "A file with errors loads nothing; a missing file is reported and the others are loaded. The shipped law "
        "texts that the banks cite are loaded first (as manage.py load_laws does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", type=int, help=f"unit id (default: the first root unit; {DEFAULT_ROOT_NAME} is created if none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = self._unit(options.get("unit"))
        missing = missing_shipped_files()
        for shipped in missing:
            self.stderr.write(
                _("缺少题库文件 %(path)s：%(bank)s 未导入。") % {"path": shipped.display_path, "bank": shipped.name}
            )
        try:
            laws_load_shipped()
            added = banks_load_shipped(unit=unit, skip_missing=True)
        except QuizError as exc:
            self.stderr.write(exc.message)
            raise CommandError(_("%(count)d 个题库未能导入。") % {"count": len(SHIPPED_BANKS)}) from exc
        for name, count in added.items():
            self.stdout.write(
                _("%(bank)s（%(unit)s）：新增 %(count)d 题。") % {"bank": name, "unit": unit.name, "count": count}
            )
        if missing:
            raise CommandError(_("%(count)d 个题库未能导入。") % {"count": len(missing)})

    def _unit(self, unit_id: int | None) -> Unit:
        if unit_id is not None:
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise CommandError(_("单位 %(id)d 不存在。") % {"id": unit_id})
            return unit
        root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        return root or unit_create(name=DEFAULT_ROOT_NAME, kind=Unit.Kind.CITY)
