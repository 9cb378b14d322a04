"""The Excel template: its columns, the blank template workbook, and a bank exported in it.

Export writes exactly what ``parse_table`` reads back, so export → import gives the same bank.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import JUDGE_OPTIONS, OPTION_LETTERS, QuestionKind
from .build import KIND_LABELS
from .types import FIELD_LABELS, option_column

# The template's columns (data: files must match them, whatever the reader's language)
OPTION_COLUMNS = [option_column(letter) for letter in OPTION_LETTERS]
COLUMNS = ["题型", "题干", *OPTION_COLUMNS, "答案", "解析", "法条依据", "难度", "标签", "互斥组"]
REQUIRED_COLUMNS = ["题干", "答案"]
TAG_SEPARATOR = "、"
SHEET_TITLE = "试题"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_WIDTHS = {"题型": 8, "题干": 50, "答案": 8, "解析": 40, "法条依据": 30, "难度": 6, "标签": 16, "互斥组": 20}

# Example questions of the instructions sheet: Chinese questions, like the banks they show
EXAMPLES: list[list[Any]] = [
    [
        "单选",
        "《民法典》规定，成年人为完全民事行为能力人，成年人是指年满（　）周岁的自然人。",
        "十六",
        "十八",
        "二十",
        "二十二",
        "",
        "",
        "",
        "",
        "B",
        "十八周岁以上的自然人为成年人。",
        "《中华人民共和国民法典》第十七条",
        1,
        "总则编",
        "",
    ],
    [
        "多选",
        "下列属于《民法典》规定的承担民事责任方式的有（　）。",
        "停止侵害",
        "排除妨碍",
        "赔礼道歉",
        "罚款",
        "",
        "",
        "",
        "",
        "ABC",
        "罚款是行政处罚，不是民事责任。",
        "《中华人民共和国民法典》第一百七十九条",
        2,
        "总则编、侵权责任编",
        "",
    ],
    [
        "判断",
        "八周岁以上的未成年人为限制民事行为能力人。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "正确",
        "",
        "《中华人民共和国民法典》第十九条",
        1,
        "总则编",
        "",
    ],
]

INSTRUCTIONS = [
    gettext_lazy("填写说明（本页不会被导入）"),
    gettext_lazy("1. 第一行是表头，请不要修改列名；每行一道题。"),
    gettext_lazy("2. 题型：单选、多选、判断（也可写“单选题”“单项选择题”等）；留空时按答案推断。"),
    gettext_lazy("3. 选项A～选项H：选择题至少填两个选项，判断题不填选项。"),
    gettext_lazy(
        "4. 答案：选择题填选项字母，如 B 或 ABD（也可写 A,B,D、A、B、D）；判断题填 正确 或 错误（对/错、√/× 也可）。"
    ),
    gettext_lazy("5. 难度：1～5 的整数，留空为 3。标签：多个标签用顿号或逗号分隔。"),
    gettext_lazy("6. 解析、法条依据可留空；法条依据示例：《中华人民共和国民法典》第一千零七十七条。"),
    gettext_lazy("7. 互斥组：可留空；同一题库中互斥组相同的试题（如同一法条的单选题和判断题）不会出现在同一份试卷中。"),
    gettext_lazy("示例："),
]


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def question_row(question: Mapping[str, Any]) -> list[Any]:
    """One question (the stored fields) as a template row."""
    kind = question["kind"]
    options = [] if kind == QuestionKind.JUDGE else list(question["options"])
    answer = question["answer"]
    if kind == QuestionKind.JUDGE:
        answer_text = JUDGE_OPTIONS[0] if answer == ["A"] else JUDGE_OPTIONS[1] if answer == ["B"] else "".join(answer)
    else:
        answer_text = "".join(answer)
    padded = options + [""] * (len(OPTION_LETTERS) - len(options))
    return [
        KIND_LABELS.get(kind, kind),
        question["stem"],
        *padded,
        answer_text,
        question.get("explanation", ""),
        question.get("legal_basis", ""),
        question.get("difficulty", 3),
        TAG_SEPARATOR.join(question.get("tags", [])),
        question.get("exclusion_group", ""),
    ]


def rows_to_xlsx(rows: Iterable[list[Any]]) -> bytes:
    """A write-only workbook in the template layout; every text cell is stored as text (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, name in enumerate(COLUMNS):
        sheet.column_dimensions[_column_letter(index)].width = _WIDTHS.get(name, 14)
    sheet.freeze_panes = "C2"
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=_text(value))
                cell.data_type = "s"  # a stem starting with "=" stays text
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def questions_to_xlsx(questions: Iterable[Mapping[str, Any]]) -> bytes:
    return rows_to_xlsx(question_row(q) for q in questions)


def template_xlsx() -> bytes:
    """The blank template: a header-only 试题 sheet with drop-downs, and a 填写说明 sheet with examples."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append(COLUMNS)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, name in enumerate(COLUMNS):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = Font(bold=True, color="C00000" if name in REQUIRED_COLUMNS else None)
        cell.fill = fill
        sheet.column_dimensions[_column_letter(index)].width = _WIDTHS.get(name, 14)
    sheet.freeze_panes = "C2"
    kinds = DataValidation(type="list", formula1=f'"{",".join(KIND_LABELS.values())}"', allow_blank=True)
    kinds.add("A2:A5000")
    levels = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
    levels.error = _("难度为 1～5 的整数")
    difficulty = _column_letter(COLUMNS.index(FIELD_LABELS["difficulty"]))
    levels.add(f"{difficulty}2:{difficulty}5000")
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(levels)

    help_sheet = workbook.create_sheet(_("填写说明"))
    for text in INSTRUCTIONS:
        help_sheet.append([str(text)])
    help_sheet.append(COLUMNS)
    for row in EXAMPLES:
        help_sheet.append(row)
    help_sheet.column_dimensions["A"].width = 12
    for row in help_sheet.iter_rows(min_row=1, max_row=len(INSTRUCTIONS)):
        row[0].alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
