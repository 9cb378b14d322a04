"""Pure rules of exam statistics and item analysis (quizzes/statistics.py), against values computed by hand."""

from __future__ import annotations

import math
from decimal import Decimal as D

import pytest

from quizzes import statistics as st

# Four people, three questions: Q1 and Q2 worth 1 mark, Q3 worth 2.
#
#            Q1  Q2  Q3  total
#   P1        1   0   2     3
#   P2        1   0   2     3
#   P3        0   1   0     1
#   P4        0   0   0     0
#
# Q1: x = 1,1,0,0, facility 2/4 = 0.5. Rest of test y = total − x = 2,2,1,0.
#     dx = .5,.5,−.5,−.5; dy (mean 1.25) = .75,.75,−.25,−1.25
#     Σdxdy = .375+.375+.125+.625 = 1.5; Σdx² = 1; Σdy² = .5625·2+.0625+1.5625 = 2.75
#     r = 1.5 / √2.75 = 0.904534… → discrimination 90.4534
# Q2: x = 0,0,1,0, facility 1/4 = 0.25 (< 0.3: flagged). y = 3,3,0,0.
#     dx (mean .25) = −.25,−.25,.75,−.25; dy (mean 1.5) = 1.5,1.5,−1.5,−1.5
#     Σdxdy = −.375−.375−1.125+.375 = −1.5; Σdx² = .0625·3+.5625 = .75; Σdy² = 9
#     r = −1.5 / √6.75 = −0.577350… → −57.7350 (< 20: flagged too): the weakest person alone got it
# Q3: x = 2,2,0,0 of 2, facility 4/8 = 0.5. y = 1,1,1,0.
#     dx (mean 1) = 1,1,−1,−1; dy (mean .75) = .25,.25,.25,−.75
#     Σdxdy = .25+.25−.25+.75 = 1; Σdx² = 4; Σdy² = .0625·3+.5625 = .75
#     r = 1 / √3 = 0.577350… → 57.7350
# Totals 3,3,1,0: mean 1.75, median (1+3)/2 = 2, sample stdev √(6.75/3) = 1.5
MARKS = {
    "Q1": [(D(1), D(1)), (D(1), D(1)), (D(0), D(1)), (D(0), D(1))],
    "Q2": [(D(0), D(1)), (D(0), D(1)), (D(1), D(1)), (D(0), D(1))],
    "Q3": [(D(2), D(2)), (D(2), D(2)), (D(0), D(2)), (D(0), D(2))],
}
TOTALS = [D(3), D(3), D(1), D(0)]


def _tally(question: str) -> st.ItemTally:
    tally = st.ItemTally()
    for (mark, max_mark), total in zip(MARKS[question], TOTALS, strict=True):
        tally.add(mark=mark, max_mark=max_mark, total=total, choices=["A"] if mark else ["B"])
    return tally


def test_facility_and_discrimination_of_the_hand_computed_case():
    q1, q2, q3 = _tally("Q1"), _tally("Q2"), _tally("Q3")
    assert (q1.facility, st.rounded(q1.discrimination)) == (0.5, 90.4534)
    assert (q2.facility, st.rounded(q2.discrimination)) == (0.25, -57.735)
    assert (q3.facility, st.rounded(q3.discrimination)) == (0.5, 57.735)
    assert q1.discrimination == pytest.approx(150 / math.sqrt(2.75))
    assert q3.discrimination == pytest.approx(100 / math.sqrt(3))
    assert q3.max_mark == D(2) and q3.n == 4


def test_flags_of_the_hand_computed_case():
    assert _tally("Q1").flags() == []
    assert _tally("Q2").flags() == [st.LIKELY_WRONG_KEY_OR_TOO_HARD, st.AMBIGUOUS_OR_MISKEYED]
    assert _tally("Q3").flags() == []


def test_summary_of_the_hand_computed_totals():
    totals = [float(t) for t in TOTALS]
    assert (st.mean(totals), st.median(totals), st.stdev(totals)) == (1.75, 2.0, 1.5)


def test_empty_and_single_values_have_no_statistics():
    assert (st.mean([]), st.median([]), st.stdev([]), st.stdev([5.0])) == (None, None, None, None)
    assert st.rounded(None) is None
    assert st.rounded(2 / 3) == 0.6667


def test_an_item_without_variance_has_no_discrimination_and_no_flag_for_it():
    everyone_right = st.ItemTally()
    for total in (D(5), D(3), D(1)):
        everyone_right.add(mark=D(1), max_mark=D(1), total=total, choices=["A"])
    assert everyone_right.facility == 1.0 and everyone_right.discrimination is None
    assert everyone_right.flags() == []
    everyone_wrong = st.ItemTally()
    for total in (D(5), D(3)):
        everyone_wrong.add(mark=D(0), max_mark=D(1), total=total, choices=None)
    assert everyone_wrong.facility == 0.0 and everyone_wrong.discrimination is None
    assert everyone_wrong.flags() == [st.LIKELY_WRONG_KEY_OR_TOO_HARD]


def test_a_rest_of_test_without_variance_has_no_discrimination():
    tally = st.ItemTally()
    tally.add(mark=D(1), max_mark=D(1), total=D(3), choices=["A"])  # rest 2
    tally.add(mark=D(0), max_mark=D(1), total=D(2), choices=["B"])  # rest 2
    assert tally.discrimination is None


def test_no_attempts_no_facility():
    tally = st.ItemTally()
    assert (tally.facility, tally.discrimination, tally.flags()) == (None, None, [])


def test_pearson_is_the_textbook_correlation():
    xs, ys = [1, 2, 3, 4, 5], [2, 4, 5, 4, 5]
    r = st.pearson(5, sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys), sum(map(int.__mul__, xs, ys)))
    assert r == pytest.approx(0.7745967, abs=1e-7)  # 6 / √60
    assert st.pearson(2, 2, 3, 2, 5, 3) is None  # x = 1, 1: no variance


def test_facility_over_papers_with_different_points_is_marks_over_maximum_marks():
    tally = st.ItemTally()
    tally.add(mark=D("1.5"), max_mark=D(2), total=D(10), choices=["A", "C"])
    tally.add(mark=D(4), max_mark=D(4), total=D(12), choices=["A", "B", "C"])
    assert tally.facility == 5.5 / 6 and tally.max_mark == D(4)
    assert tally.choice_counts("ABCD") == {"A": 2, "B": 1, "C": 2, "D": 0}


def test_choice_counts_list_every_letter_and_count_skips():
    tally = st.ItemTally()
    for choices in (["B"], [], None, ["B"], ["E"]):
        tally.add(mark=D(0), max_mark=D(1), total=D(0), choices=choices)
    assert tally.choice_counts("ABC") == {"A": 0, "B": 2, "C": 0, "E": 1}
    assert tally.skipped == 2


@pytest.mark.parametrize(
    ("percents", "bins"),
    [
        ([D(0), D("9.99"), D(10), D(55), D("89.99"), D(90), D(100)], [2, 1, 0, 0, 0, 1, 0, 0, 1, 2]),
        ([], [0] * 10),
        ([D(-1), D(101)], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]),  # cannot happen; clamped rather than lost
    ],
)
def test_histogram_bins_are_ten_points_wide_with_100_in_the_last(percents, bins):
    assert st.histogram(percents) == bins


def test_band_counts_list_every_band_highest_first():
    bands = [{"name": "合格", "min": 60}, {"name": "优秀", "min": 90}, {"name": "不合格", "min": 0}]
    counts = st.band_counts([D(95), D(60), D("59.99"), D(0), D(100)], bands)
    assert [(c.name, c.min, c.count) for c in counts] == [("优秀", D(90), 2), ("合格", D(60), 1), ("不合格", D(0), 2)]
    assert [c.count for c in st.band_counts([], bands)] == [0, 0, 0]


def test_flags_thresholds_are_strict():
    assert st.item_flags(0.3, 20.0) == []
    assert st.item_flags(0.2999, 19.9999) == [st.LIKELY_WRONG_KEY_OR_TOO_HARD, st.AMBIGUOUS_OR_MISKEYED]
    assert st.item_flags(None, None) == []


def test_cents_are_exact_hundredths():
    assert (st.cents(D("12.34")), st.cents(D(0)), st.cents(D("0.5"))) == (1234, 0, 50)
