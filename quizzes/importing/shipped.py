"""The question banks shipped with Xuefa (quizzes/data/banks/*.csv, in the import template's columns).

Which files there are, and their parsed questions; nothing is written here. The service
``quizzes.services.shipped.banks_load_shipped`` loads them into a unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..errors import ImportHasErrors
from ..i18n import join_clauses, join_list
from .parse_table import parse_csv
from .types import ImportFileError, ParsedQuestion

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


# The shipped banks' names and descriptions are data: stored as the banks' own texts
SHIPPED_BANKS = [
    ShippedBank(
        "civil_code.csv",
        "《中华人民共和国民法典》题库",
        "民法典七编（总则、物权、合同、人格权、婚姻家庭、继承、侵权责任）知识题。",
    ),
    ShippedBank(
        "cadre_law.csv",
        "学纪学法（宪法与公职人员法律）题库",
        "宪法（2018年修正）、监察法（2024年修正）、监察官法、公职人员政务处分法、公务员法（2018年修订）、"
        "保守国家秘密法（2024年修订）、行政处罚法（2021年修订）、行政许可法、行政强制法、国家赔偿法知识题。",
    ),
]


def missing_shipped_files(banks: list[ShippedBank] | None = None) -> list[ShippedBank]:
    return [b for b in (banks or SHIPPED_BANKS) if not b.path.is_file()]


def read_shipped_bank(shipped: ShippedBank) -> list[ParsedQuestion]:
    """The file's questions, all valid.

    Raises ``ImportFileError`` (code ``shipped_bank_missing``) when the file is absent and
    ``ImportHasErrors`` listing the first problems when any row has an error.
    """
    if not shipped.path.is_file():
        raise ImportFileError(
            _("缺少题库文件：%(path)s（%(bank)s）。") % {"path": shipped.display_path, "bank": shipped.name},
            code="shipped_bank_missing",
        )
    questions = parse_csv(shipped.path.read_bytes()).questions
    problems = [issue for q in questions for issue in q.errors]
    if problems:
        listed = join_clauses(
            _("第 %(line)s 行 %(column)s：%(message)s")
            % {"line": i.line, "column": i.column or "", "message": i.message}
            for i in problems[:10]
        )
        raise ImportHasErrors(
            _("%(path)s 有 %(count)d 处错误：%(problems)s")
            % {"path": shipped.display_path, "count": len(problems), "problems": listed}
        )
    return questions


def read_shipped_banks(*, skip_missing: bool = False) -> list[tuple[ShippedBank, list[ParsedQuestion]]]:
    """Every shipped bank with its questions, read and checked before anything is loaded.

    A missing file raises ``ImportFileError`` naming every missing file, unless ``skip_missing`` (then
    the missing banks are left out).
    """
    missing = missing_shipped_files()
    if missing and not skip_missing:
        names = join_list(b.display_path for b in missing)
        raise ImportFileError(_("缺少题库文件：%(paths)s。") % {"paths": names}, code="shipped_bank_missing")
    return [(shipped, read_shipped_bank(shipped)) for shipped in SHIPPED_BANKS if shipped not in missing]
