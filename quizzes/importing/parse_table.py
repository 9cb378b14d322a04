"""Rows of the template (xlsx, or the same columns as CSV) → parsed questions.

The header row may be any of the first rows; columns are found by name, in any order, with a few
common aliases (题目 → 题干, 正确答案 → 答案, …). Line numbers are the sheet's row numbers, or for CSV
the file's line on which the record starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..i18n import join_list
from ..models import JUDGE_OPTIONS, OPTION_LETTERS
from .build import RawQuestion, build_question
from .detect import decode_text
from .template import COLUMNS, REQUIRED_COLUMNS
from .types import FIELD_LABELS, ImportFileError, Issue, ParseResult, option_column

MAX_QUESTIONS = 20000
HEADER_SEARCH_ROWS = 20

# Header names that other platforms use → the template's column (vocabulary, matched in files)
_ALIASES = {
    "类型": "题型",
    "题目类型": "题型",
    "试题类型": "题型",
    "题目": "题干",
    "试题": "题干",
    "题目内容": "题干",
    "试题内容": "题干",
    "问题": "题干",
    "正确答案": "答案",
    "参考答案": "答案",
    "标准答案": "答案",
    "答案解析": "解析",
    "试题解析": "解析",
    "法律依据": "法条依据",
    "依据": "法条依据",
    "法条": "法条依据",
    "难易程度": "难度",
    "难易度": "难度",
    "知识点": "标签",
    "分类": "标签",
    "互斥": "互斥组",
    "互斥分组": "互斥组",
}

Row = Sequence[Any]
_OPTION_HEADER = re.compile(r"(?:选项)?([A-Ha-h])(?:选项)?")


def _header_name(value: Any) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).strip("*:")
    option = _OPTION_HEADER.fullmatch(text)
    if option:
        return option_column(option.group(1).upper())
    return _ALIASES.get(text, text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return JUDGE_OPTIONS[0] if value else JUDGE_OPTIONS[1]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


class TableReader:
    """Turns the rows of one sheet into questions; the first row naming 题干 is the header."""

    def __init__(self) -> None:
        self.columns: dict[str, int] | None = None
        self.file_warnings: list[Issue] = []

    def read_header(self, line: int, row: Row) -> bool:
        names = [_header_name(v) for v in row]
        if FIELD_LABELS["stem"] not in names:
            return False
        self.columns = {}
        for index, name in enumerate(names):
            if name in COLUMNS and name not in self.columns:
                self.columns[name] = index
            elif name:
                self.file_warnings.append(
                    Issue(
                        line,
                        cell_text(row[index]),
                        "column_ignored",
                        _("未知的列“%(column)s”，已忽略。") % {"column": cell_text(row[index])},
                    )
                )
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            raise ImportFileError(
                _("第 %(line)d 行表头缺少必需的列：%(missing)s。表头应为：%(columns)s。")
                % {"line": line, "missing": join_list(missing), "columns": join_list(COLUMNS)},
                code="missing_columns",
            )
        return True

    def question(self, line: int, row: Row) -> RawQuestion | None:
        assert self.columns is not None
        values = {name: cell_text(row[i]) if i < len(row) else "" for name, i in self.columns.items()}
        if not any(values.values()):
            return None
        return RawQuestion(
            line=line,
            kind_text=values.get(FIELD_LABELS["kind"], ""),
            stem=values.get(FIELD_LABELS["stem"], ""),
            options=[values.get(option_column(letter), "") for letter in OPTION_LETTERS],
            answer_text=values.get(FIELD_LABELS["answer"], ""),
            explanation=values.get(FIELD_LABELS["explanation"], ""),
            legal_basis=values.get(FIELD_LABELS["legal_basis"], ""),
            difficulty_text=values.get(FIELD_LABELS["difficulty"], ""),
            tags_text=values.get(FIELD_LABELS["tags"], ""),
            exclusion_group=values.get(FIELD_LABELS["exclusion_group"], ""),
        )


def parse_rows(rows: Iterable[tuple[int, Row]], *, file_format: str) -> ParseResult:
    """Numbered rows (line, cells) of one sheet → questions. Raises ``ImportFileError`` for file problems."""
    reader = TableReader()
    questions = []
    for line, row in rows:
        if reader.columns is None:
            if line > HEADER_SEARCH_ROWS:
                break
            reader.read_header(line, row)
            continue
        raw = reader.question(line, row)
        if raw is None:
            continue
        questions.append(build_question(raw))
        if len(questions) > MAX_QUESTIONS:
            raise ImportFileError(
                _("一次最多导入 %(count)d 题，请拆分文件后上传。") % {"count": MAX_QUESTIONS}, code="too_many_questions"
            )
    if reader.columns is None:
        raise ImportFileError(
            _("没有找到表头（含“题干”“答案”的一行）。表头应为：%(columns)s。") % {"columns": join_list(COLUMNS)},
            code="missing_columns",
        )
    if not questions:
        raise ImportFileError(_("文件中没有找到试题（表头下面没有内容）。"), code="no_questions")
    return ParseResult(file_format=file_format, questions=questions, file_warnings=reader.file_warnings)


def xlsx_rows(content: bytes, *, is_header: Callable[[Row], bool] | None = None) -> Iterator[tuple[int, Row]]:
    """Numbered rows of the first sheet whose first rows hold a header (``is_header``; default: a question
    header naming 题干), else of the first sheet. Also read by the roster import (``accounts.roster``)."""
    if is_header is None:
        is_header = _is_question_header
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, lxml errors) on bad files
        raise ImportFileError(_("Excel 文件已损坏或格式不正确，无法读取。"), code="file_corrupt") from exc
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise ImportFileError(_("Excel 文件中没有工作表。"), code="no_questions")
        chosen = sheets[0]
        for sheet in sheets:
            rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            if any(is_header(row) for row in rows):
                chosen = sheet
                break
        reset = getattr(chosen, "reset_dimensions", None)
        if reset is not None:
            reset()  # LibreOffice and others may write a wrong <dimension>; read every row regardless
        yield from enumerate(chosen.iter_rows(values_only=True), start=1)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("Excel 文件已损坏或格式不正确，无法读取。"), code="file_corrupt") from exc
    finally:
        workbook.close()


def _is_question_header(row: Row) -> bool:
    return FIELD_LABELS["stem"] in (_header_name(v) for v in row)


def parse_xlsx(content: bytes) -> ParseResult:
    return parse_rows(xlsx_rows(content), file_format="xlsx")


def csv_rows(text: str) -> Iterator[tuple[int, Row]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV 文件第 %(line)d 行格式错误：%(error)s。") % {"line": start, "error": exc}, code="file_corrupt"
        ) from exc


def parse_csv(content: bytes) -> ParseResult:
    return parse_rows(csv_rows(decode_text(content)), file_format="csv")


def looks_like_table(text: str) -> bool:
    """A text file whose first non-empty line is a template header (e.g. Excel's “Unicode text”)."""
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        if line.strip():
            cells = re.split(r"[\t,]", line)
            return len(cells) >= 3 and FIELD_LABELS["stem"] in (_header_name(c) for c in cells)
    return False
