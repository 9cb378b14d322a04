"""The question banks shipped with Xuefa (quizzes/data/banks/*.csv, in the import template's columns).

``load_shipped_banks`` is idempotent: a question already in the bank (same normalised stem and
options, see ``dedupe.question_text``) is skipped, so running it twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Unit

from ..errors import ImportHasErrors
from ..models import Question, QuestionBank
from .dedupe import question_text
from .parse_table import parse_csv
from .types import ImportFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "banks"


@dataclass(frozen=True)
class ShippedBank:
    filename: str
    name: str
    description: str

    @property
    def path(self) -> Path:
        return DATA_DIR / self.filename

    @property
    def display_path(self) -> str:
        try:
            return str(self.path.relative_to(Path(settings.BASE_DIR)))
        except ValueError:
            return str(self.path)


SHIPPED_BANKS = [
    ShippedBank(
        "civil_code.csv",
        "《中华人民共和国民法典》题库",
        "民法典七编（总则、物权、合同、人格权、婚姻家庭、继承、侵权责任）知识题。",
    ),
    ShippedBank(
        "cadre_law.csv",
        "学纪学法（宪法与公职人员法律）题库",
        "宪法（2018年修正）、公职人员政务处分法、行政处罚法（2021年修订）、行政复议法（2023年修订）知识题。",
    ),
]


def missing_shipped_files(banks: list[ShippedBank] | None = None) -> list[ShippedBank]:
    return [b for b in (banks or SHIPPED_BANKS) if not b.path.is_file()]


def load_shipped_bank(*, shipped: ShippedBank, unit: Unit) -> int:
    """Add the file's questions that the bank does not hold yet; returns how many were added.

    Raises ``ImportFileError`` (code ``shipped_bank_missing``) when the file is absent and
    ``ImportHasErrors`` listing the first problems when any row has an error.
    """
    from ..services.banks import bank_create
    from ..services.imports import questions_bulk_create

    if not shipped.path.is_file():
        raise ImportFileError(f"缺少题库文件：{shipped.display_path}（{shipped.name}）。", code="shipped_bank_missing")
    result = parse_csv(shipped.path.read_bytes())
    problems = [issue for q in result.questions for issue in q.errors]
    if problems:
        listed = "；".join(f"第 {i.line} 行 {i.column or ''}：{i.message}" for i in problems[:10])
        raise ImportHasErrors(f"{shipped.display_path} 有 {len(problems)} 处错误：{listed}")
    with transaction.atomic():
        bank = QuestionBank.objects.select_for_update().filter(unit=unit, name=shipped.name).first()
        if bank is None:
            bank = bank_create(name=shipped.name, unit=unit, description=shipped.description)
        seen = {
            question_text(kind=kind, stem=stem, options=options)
            for kind, stem, options in Question.objects.filter(bank=bank).values_list("kind", "stem", "options")
        }
        new = []
        for question in result.questions:
            text = question_text(kind=question.kind, stem=question.stem, options=question.options)
            if text not in seen:
                seen.add(text)
                new.append(question.fields())
        return questions_bulk_create(bank=bank, items=new)


def load_shipped_banks(*, unit: Unit, skip_missing: bool = False) -> dict[str, int]:
    """Load every shipped bank into ``unit``: {bank name: questions added}.

    A missing file raises ``ImportFileError`` naming it, before anything is loaded, unless
    ``skip_missing`` (then the missing banks are left out of the result).
    """
    missing = missing_shipped_files()
    if missing and not skip_missing:
        names = "、".join(b.display_path for b in missing)
        raise ImportFileError(f"缺少题库文件：{names}。", code="shipped_bank_missing")
    return {
        shipped.name: load_shipped_bank(shipped=shipped, unit=unit)
        for shipped in SHIPPED_BANKS
        if shipped not in missing
    }
