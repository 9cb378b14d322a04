"""Worked examples of every scoring rule (GUIDE §1), straight on the pure functions."""

from decimal import Decimal as D

import pytest

from quizzes.models import default_grade_bands
from quizzes.scoring import grade_band, is_pass, percent_of, round_up_to_step, score_answer


@pytest.mark.parametrize(
    ("kind", "key", "choices", "expected"),
    [
        ("single", ["B"], ["B"], D("2.00")),
        ("single", ["B"], ["C"], D("0.00")),
        ("single", ["B"], [], D("0.00")),
        ("judge", ["A"], ["A"], D("2.00")),
        ("judge", ["A"], ["B"], D("0.00")),
    ],
)
def test_single_and_judge_score_only_the_exact_key(kind, key, choices, expected):
    for mode in ("all_or_nothing", "partial", "half"):
        assert score_answer(kind=kind, key=key, choices=choices, points=D(2), multiple_mode=mode) == expected


# Key ABD, 6 points.
@pytest.mark.parametrize(
    ("mode", "choices", "expected"),
    [
        ("all_or_nothing", "ABD", D("6.00")),
        ("all_or_nothing", "AB", D("0.00")),
        ("all_or_nothing", "ABCD", D("0.00")),
        ("partial", "ABD", D("6.00")),
        ("partial", "AB", D("4.00")),  # 2 of 3 correct options: 2 × 6/3
        ("partial", "A", D("2.00")),
        ("partial", "AC", D("0.00")),  # any wrong option scores 0
        ("partial", "", D("0.00")),
        ("half", "ABD", D("6.00")),
        ("half", "A", D("3.00")),  # any correct subset: half
        ("half", "BD", D("3.00")),
        ("half", "ABC", D("0.00")),
        ("half", "ABCD", D("0.00")),
    ],
)
def test_multiple_choice_modes(mode, choices, expected):
    assert score_answer(kind="multiple", key="ABD", choices=choices, points=D(6), multiple_mode=mode) == expected


def test_partial_shares_are_rounded_to_cents():
    # key ABC, 5 points, one correct option: 5/3 = 1.666… → 1.67
    assert score_answer(kind="multiple", key="ABC", choices="A", points=D(5), multiple_mode="partial") == D("1.67")


def test_half_is_rounded_up_to_the_exams_score_step():
    # 5 points: half is 2.5; with step 1 that rounds up to 3, with step 0.5 it stays 2.5
    assert score_answer(kind="multiple", key="AB", choices="A", points=D(5), multiple_mode="half", step=D(1)) == D(3)
    assert score_answer(kind="multiple", key="AB", choices="A", points=D(5), multiple_mode="half", step=D("0.5")) == D(
        "2.5"
    )
    # 3 points: half is 1.5; step 2 → 2
    assert score_answer(kind="multiple", key="AB", choices="B", points=D(3), multiple_mode="half", step=D(2)) == D(2)


def test_round_up_to_step():
    assert round_up_to_step(D("1.25"), D("0.5")) == D("1.50")
    assert round_up_to_step(D("1.5"), D("0.5")) == D("1.50")
    assert round_up_to_step(D("0.01"), D(1)) == D("1.00")


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="bogus"):
        score_answer(kind="multiple", key="AB", choices="A", points=D(2), multiple_mode="bogus")


@pytest.mark.parametrize(
    ("score", "max_score", "band", "passed"),
    [
        (D(100), D(100), "优秀", True),
        (D(90), D(100), "优秀", True),
        (D("89.5"), D(100), "良好", True),
        (D(80), D(100), "良好", True),
        (D(60), D(100), "合格", True),
        (D("59.99"), D(100), "不合格", False),
        (D(0), D(100), "不合格", False),
        (D(45), D(50), "优秀", True),  # bands are percentages of full marks
    ],
)
def test_grade_bands_and_pass_mark(score, max_score, band, passed):
    percent = percent_of(score, max_score)
    assert grade_band(percent, default_grade_bands()) == band
    assert is_pass(percent, D(60)) is passed


def test_custom_bands_in_any_order():
    bands = [{"name": "不及格", "min": 0}, {"name": "及格", "min": 70}]
    assert grade_band(D(70), bands) == "及格"
    assert grade_band(D(69), bands) == "不及格"


def test_a_step_of_zero_or_less_only_rounds_to_cents():
    assert round_up_to_step(D("1.234"), D(0)) == D("1.23")
    assert round_up_to_step(D("1.235"), D("-1")) == D("1.24")
    # the half mode with no step: exactly half, to the cent
    assert score_answer(kind="multiple", key="AB", choices="A", points=D(5), multiple_mode="half", step=D(0)) == D(
        "2.50"
    )


def test_half_never_exceeds_the_points():
    # 1 point, half is 0.5, a step of 2 would round it up to 2: capped at the question's points
    assert score_answer(kind="multiple", key="AB", choices="A", points=D(1), multiple_mode="half", step=D(2)) == D(1)


def test_percent_of_an_exam_worth_nothing_is_zero():
    assert percent_of(D(0), D(0)) == D(0)
    assert percent_of(D(5), D("-1")) == D(0)
    assert percent_of(D(1), D(3)) == D("33.33")


def test_a_percent_below_every_band_has_no_band():
    assert grade_band(D(10), [{"name": "及格", "min": 60}]) == ""
    assert grade_band(D(10), []) == ""
