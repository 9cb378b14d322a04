"""Pure rules of results reports: names on leaderboards, safe spreadsheet cells, the yearly conclusion."""

from decimal import Decimal as D

import pytest

from quizzes.reporting import (
    ExamOutcome,
    YearConclusion,
    conclusion_label,
    excellent_percent,
    format_seconds,
    mask_name,
    name_for_participant,
    neutralise_cell,
    yearly_conclusion,
)


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三明", "张*明"), ("李四", "李*"), ("欧阳娜娜", "欧**娜"), ("王", "王"), ("", ""), (" 赵六 ", "赵*")],
)
def test_mask_name_keeps_the_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_participants_see_names_as_the_exam_says_and_never_an_account_name():
    assert name_for_participant("full", "张三明") == "张三明"
    assert name_for_participant("masked", "张三明") == "张*明"
    assert name_for_participant("unit_only", "张三明") is None
    assert name_for_participant("full", "") == "匿名"  # not the phone number it would fall back to


def test_excellent_is_the_top_grade_band():
    assert excellent_percent([{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}]) == D(90)
    assert excellent_percent([{"name": "A", "min": 85.5}, {"name": "B", "min": 0}]) == D("85.5")
    assert excellent_percent([]) == D(90)


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_text_becomes_text(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "1=1", "", 5, D("-3.5"), None])
def test_other_cells_are_unchanged(value):
    assert neutralise_cell(value) == value


def test_format_seconds():
    assert format_seconds(725) == "12:05"
    assert format_seconds(4500) == "75:00"
    assert format_seconds(None) == ""


def _o(required, passed, closed=True):
    return ExamOutcome(required=required, passed=passed, closed=closed)


def test_yearly_conclusion():
    assert yearly_conclusion([_o(True, True), _o(True, True), _o(False, None)]) == YearConclusion.PASSED
    assert yearly_conclusion([_o(True, True), _o(True, False)]) == YearConclusion.FAILED
    assert yearly_conclusion([_o(True, True), _o(True, None)]) == YearConclusion.FAILED  # missed, closed
    assert yearly_conclusion([_o(True, True), _o(True, None, closed=False)]) == YearConclusion.PENDING
    assert yearly_conclusion([_o(True, False, closed=False)]) == YearConclusion.PENDING  # may still retake
    assert yearly_conclusion([_o(False, False), _o(False, None)]) == YearConclusion.NONE_REQUIRED
    assert yearly_conclusion([]) == YearConclusion.NONE_REQUIRED
    labels = {conclusion_label(c) for c in ("passed", "failed", "pending", "none_required")}
    assert labels == {"合格", "不合格", "未完成", "无应考考试"}
