"""Workbooks of the roster import: the blank template and the sheet of generated initial passwords."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .roster import (
    ACCOUNT_COLUMN,
    NAME_COLUMN,
    PASSWORD_COLUMN,
    PHONE_COLUMN,
    ROSTER_COLUMNS,
    ROSTER_REQUIRED_COLUMNS,
    UNIT_COLUMN,
)

_WIDTHS = {NAME_COLUMN: 12, ACCOUNT_COLUMN: 16, PHONE_COLUMN: 16, UNIT_COLUMN: 30, PASSWORD_COLUMN: 16}
# Columns that Excel must keep as text: it would turn 13900139000 into 1.39E+10 and drop leading zeros
_TEXT_COLUMNS = {ACCOUNT_COLUMN, PHONE_COLUMN, PASSWORD_COLUMN}
# Example rows of the notes sheet, in the template's column order: Chinese people and units, like a roster's
ROSTER_EXAMPLES: list[tuple[str, str, str, str, str]] = [
    ("张三", "13900139000", "+86 139-0013-9000", "沙溪镇/党政办", ""),
    ("李四", "A1024", "13800138000", "沙溪镇", "Chushi@2026"),
]


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def roster_template_xlsx() -> bytes:
    """The 名册 sheet with its header only (required columns in red) and a sheet of notes and examples."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("名册")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, name in enumerate(ROSTER_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True, color="C00000" if name in ROSTER_REQUIRED_COLUMNS else None)
        cell.fill = fill
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = _WIDTHS[name]
        if name in _TEXT_COLUMNS:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    lines: list[Sequence[str]] = [
        (_("列"), _("说明")),
        (NAME_COLUMN, _("必填。")),
        (ACCOUNT_COLUMN, _("必填。登录用的工号或手机号，全表不能重复；再次导入时按账号更新人员。")),
        (PHONE_COLUMN, _("选填。11 位手机号码，可带 +86、空格或横线。")),
        (UNIT_COLUMN, _("必填。从您的单位往下写的单位路径，用“/”分隔，如 沙溪镇/党政办。")),
        (
            PASSWORD_COLUMN,
            _(
                "选填，须符合密码要求：至少 10 位，含大写字母、小写字母、数字、符号中的三类（或 14 位以上）。"
                "留空时系统生成，导入后只能下载一次；首次登录须修改密码。"
            ),
        ),
        (),
        (_("示例"), ""),
        *ROSTER_EXAMPLES,
    ]
    for line in lines:
        notes.append(list(line))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 70
    return _save(workbook)


def passwords_xlsx(people: Iterable[Sequence[str]]) -> bytes:
    """(姓名, 账号, 单位, 初始密码) per person whose initial password was generated."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("初始密码")
    sheet.append([NAME_COLUMN, ACCOUNT_COLUMN, UNIT_COLUMN, PASSWORD_COLUMN])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for person in people:
        sheet.append(list(person))
    for letter, width in zip("ABCD", (12, 16, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    return _save(workbook)
