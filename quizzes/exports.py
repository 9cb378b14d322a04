"""Results files for HR: results.xlsx / results.csv of an exam and the year's law-learning record.

Writers only: the rows come streamed from ``quizzes.results``; xlsx is written by xlsxwriter in
``constant_memory`` mode (each row goes to disk as it is written) and csv as a generator of lines, so
memory stays flat at any number of people. Every text cell passes ``reporting.neutralise_cell``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import IO, Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit

from . import leaderboards, reporting, results
from .models import Exam, QuestionKind

CSV_BOM = "\ufeff"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("是") if value else _("否"))


class _Cells:
    """A results row as cells, with what every row shares looked up once per file (labels, time zone)."""

    def __init__(self) -> None:
        self.yes, self.no = _("是"), _("否")
        self.tz = timezone.get_current_timezone()

    def when(self, value: datetime | None) -> str:
        return value.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    def __call__(self, row: results.ResultRow) -> list[Any]:
        return [
            row.unit_name,
            row.name,
            row.username,
            row.score,
            row.grade,
            self.yes if row.passed else self.no,
            reporting.format_seconds(row.time_used_seconds),
            self.when(row.started_at),
            self.when(row.submitted_at),
            row.attempt_count,
            row.rank,
            self.yes if row.is_makeup else self.no,
            row.leave_count,
        ]


def result_headers() -> list[str]:
    return [
        _("单位"),
        _("姓名"),
        _("账号"),
        _("成绩"),
        _("等级"),
        _("是否合格"),
        _("用时"),
        _("开始时间"),
        _("交卷时间"),
        _("作答次数"),
        _("排名"),
        _("补考"),
        _("切屏次数"),
    ]


def _safe(cells: Iterable[Any]) -> list[Any]:
    return [reporting.neutralise_cell(c) for c in cells]


def results_csv_lines(*, exam: Exam, unit: Unit, filters: results.ResultFilters = results.NO_FILTERS) -> Iterator[str]:
    """results.csv line by line: UTF-8 with a BOM (so that Excel reads Chinese) and CRLF line ends."""

    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line(), lineterminator="\r\n")
    cells = _Cells()
    yield CSV_BOM + writer.writerow(result_headers())
    for row in results.result_rows(exam=exam, unit=unit, filters=filters):
        yield writer.writerow(_safe(cells(row)))


def _workbook(out: IO[bytes] | str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})


def _write(sheet: Any, row: int, cells: Sequence[Any]) -> None:
    for col, value in enumerate(_safe(cells)):
        if value is None or value == "":
            continue  # an empty cell
        if isinstance(value, str):
            sheet.write_string(row, col, value)
        else:
            sheet.write_number(row, col, float(value))


def unit_summary_headers(kind: str) -> list[str]:
    counts = (
        [_("应考人数"), _("参考人数"), _("参考人次"), _("参考率（%）")]
        if kind == "roster"
        else [
            _("参考人数"),
            _("参考人次"),
        ]
    )
    return [
        _("排名"),
        _("单位"),
        *counts,
        _("平均分"),
        _("合格率（%）"),
        _("优秀率（%）"),
        _("最高分"),
        _("最低分"),
    ]


def unit_summary_cells(row: leaderboards.UnitRow, kind: str) -> list[Any]:
    counts: list[Any] = (
        [row.headcount, row.participants, row.attempts, row.participation_rate]
        if kind == "roster"
        else [row.participants, row.attempts]
    )
    return [
        row.rank,
        row.unit_name,
        *counts,
        row.mean_score,
        row.pass_rate,
        row.excellent_rate,
        row.highest_score,
        row.lowest_score,
    ]


def write_results_xlsx(
    out: IO[bytes] | str,
    *,
    exam: Exam,
    unit: Unit,
    filters: results.ResultFilters = results.NO_FILTERS,
    answers: bool = False,
    headcounts: Mapping[str, int] | None = None,
) -> None:
    """results.xlsx: sheet 1 one row per person, sheet 2 the unit summary of ``unit``'s children, and
    with ``answers`` sheet 3 each person's choices question by question. ``headcounts``: the summary's 应考 as
    ``leaderboards.leaderboard_units`` takes them (the API passes the cached ones), else counted here."""
    book = _workbook(out)
    people = book.add_worksheet(_("成绩"))
    _write(people, 0, result_headers())
    cells = _Cells()
    for number, row in enumerate(results.result_rows(exam=exam, unit=unit, filters=filters), start=1):
        _write(people, number, cells(row))

    board = leaderboards.leaderboard_units(exam=exam, parent=unit, headcounts=headcounts)
    summary = book.add_worksheet(_("单位汇总"))
    _write(summary, 0, unit_summary_headers(board.kind))
    for number, unit_row in enumerate(board.rows, start=1):
        _write(summary, number, unit_summary_cells(unit_row, board.kind))

    if answers:
        kinds = dict(QuestionKind.choices)
        sheet = book.add_worksheet(_("作答明细"))
        headers = [_("单位"), _("姓名"), _("账号"), _("题号"), _("试题编号"), _("题型")]
        _write(sheet, 0, [*headers, _("作答"), _("正确答案"), _("得分"), _("分值")])
        for number, a in enumerate(results.answer_rows(exam=exam, unit=unit, filters=filters), start=1):
            _write(
                sheet,
                number,
                [
                    a["attempt__user__unit__name"] or "",
                    a["attempt__user__real_name"] or a["attempt__user__username"],
                    a["attempt__user__username"],
                    a["position"],
                    a["question_id"],
                    str(kinds.get(a["kind"], a["kind"])),
                    "".join(a["choices"] or []),
                    "".join(a["answer"] or []),
                    a["marks"] if a["marks"] is not None else 0,
                    a["points"],
                ],
            )
    book.close()


def write_learning_records_xlsx(out: IO[bytes] | str, *, exams: list[results.YearExam], unit: Unit, year: int) -> None:
    """The year's law-learning record: one row per roster person, each exam's score and pass, and the
    year's conclusion."""
    book = _workbook(out)
    sheet = book.add_worksheet(_("%(year)s年学法档案") % {"year": year})
    headers: list[Any] = [_("单位"), _("姓名"), _("账号")]
    for exam in exams:
        headers += [
            _("%(title)s 成绩") % {"title": exam.title},
            _("%(title)s 是否合格") % {"title": exam.title},
        ]
    _write(sheet, 0, [*headers, _("年度结论")])
    for number, row in enumerate(results.learning_record_rows(exams=exams, unit=unit), start=1):
        cells: list[Any] = [row.unit_name, row.name, row.username]
        for exam in exams:
            score, passed = row.results.get(exam.id, (None, None))
            cells += [score if score is not None else _("未参考"), _yes_no(passed)]
        _write(sheet, number, [*cells, reporting.conclusion_label(row.conclusion)])
    book.close()


def write_absentees_xlsx(out: IO[bytes] | str, *, rows: Iterable[Mapping[str, Any]]) -> None:
    """未参考名单: rows of ``results.unit_people(absent_only=True)``."""
    book = _workbook(out)
    sheet = book.add_worksheet(_("未参考名单"))
    _write(sheet, 0, [_("单位"), _("姓名"), _("账号"), _("手机号")])
    for number, row in enumerate(rows, start=1):
        _write(
            sheet, number, [row["unit__name"] or "", row["real_name"] or row["username"], row["username"], row["phone"]]
        )
    book.close()
