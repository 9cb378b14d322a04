from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from quizzes.models import QuestionBank
from quizzes.quality import WARN
from quizzes.selectors import bank_quality_report


class Command(BaseCommand):
    help = (
        "Print the quality report of a question bank (key letters, true/false balance, multiple choice with one "
        "wrong option, longest keys, absolute words, stems containing the key, duplicates, mirror pairs, "
        "uncited questions). See docs/import-formats.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bank", help="question bank id or name")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = self._bank(options["bank"])
        report = bank_quality_report(bank=bank)
        if options["json"]:
            body = {"bank": {"id": bank.pk, "name": bank.name}, **report.to_dict()}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        counts = report.counts
        self.stdout.write(
            _("题库 %(id)d“%(name)s”：%(questions)d 题（单选 %(single)d、多选 %(multiple)d、判断 %(judge)d），")
            % {"id": bank.pk, "name": bank.name, **counts}
            + _("互斥组 %(groups)d 个（%(grouped)d 题）。") % counts
        )
        for metric in report.metrics:
            level = _("警告") if metric.status == WARN else _("通过")
            value = "—" if metric.value is None else metric.value
            self.stdout.write(
                _("[%(level)s] %(title)s：%(value)s（标准：%(threshold)s）")
                % {"level": level, "title": metric.title, "value": value, "threshold": metric.threshold}
            )
            for name, detail in metric.detail.items():
                self.stdout.write(f"    {name}: {json.dumps(detail, ensure_ascii=False)}")
        self.stdout.write(_("共 %(count)d 项警告。") % {"count": report.warnings})

    @staticmethod
    def _bank(key: str) -> QuestionBank:
        if key.isdigit():
            bank = QuestionBank.objects.filter(pk=int(key)).first()
            if bank is not None:
                return bank
        banks = list(QuestionBank.objects.filter(name=key).order_by("pk"))
        if not banks:
            raise CommandError(_("题库“%(bank)s”不存在。") % {"bank": key})
        if len(banks) > 1:
            ids = ", ".join(str(b.pk) for b in banks)
            raise CommandError(
                _("有多个名为“%(bank)s”的题库（编号 %(ids)s），请用编号指定。") % {"bank": key, "ids": ids}
            )
        return banks[0]
