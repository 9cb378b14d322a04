from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from quizzes.ranking import FinishedAttempt, competition_ranks, counted_attempt, rank_units, ranked, unit_order

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_competition_ranks_share_ties_and_skip():
    rows = [(100, 300), (90, 200), (90, 200), (80, 100), (80, 100), (80, 100), (70, 50)]
    assert competition_ranks(rows, lambda r: r) == [1, 2, 2, 4, 4, 4, 7]


def test_time_used_breaks_score_ties():
    rows = [(90, 100), (90, 150), (90, 150)]
    assert competition_ranks(rows, lambda r: r) == [1, 2, 2]


def test_empty_leaderboard():
    assert competition_ranks([], lambda r: r) == []


def _attempts():
    return [
        FinishedAttempt(1, 1, D(70), 600, T0),
        FinishedAttempt(2, 2, D(90), 500, T0 + timedelta(days=1)),
        FinishedAttempt(3, 3, D(90), 400, T0 + timedelta(days=2)),
        FinishedAttempt(4, 4, D(60), 300, T0 + timedelta(days=3)),
    ]


@pytest.mark.parametrize(("policy", "expected_id"), [("highest", 3), ("latest", 4), ("first", 1)])
def test_counting_policies(policy, expected_id):
    chosen = counted_attempt(_attempts(), policy)
    assert chosen is not None and chosen.id == expected_id


def test_no_attempts_counts_nothing():
    assert counted_attempt([], "highest") is None


def test_unit_order_puts_the_chosen_key_first():
    assert unit_order() == ("participation_rate", "mean_score", "pass_rate", "excellent_rate")
    assert unit_order("mean_score") == ("mean_score", "participation_rate", "pass_rate", "excellent_rate")
    assert unit_order("excellent_rate")[0] == "excellent_rate"
    with pytest.raises(ValueError):
        unit_order("headcount")


def test_an_open_quiz_ranks_units_by_people_instead_of_a_rate():
    assert unit_order(open_quiz=True) == ("participants", "mean_score", "pass_rate", "excellent_rate")
    assert unit_order("pass_rate", open_quiz=True) == ("pass_rate", "participants", "mean_score", "excellent_rate")


def test_rank_units_shares_ranks_on_equal_keys_and_puts_missing_values_last():
    rows: list[dict[str, object]] = [
        {"id": "a", "rate": D(50), "mean": D(70)},
        {"id": "b", "rate": D(80), "mean": D(60)},
        {"id": "c", "rate": D(80), "mean": D(60)},
        {"id": "d", "rate": None, "mean": None},
        {"id": "e", "rate": D(80), "mean": D(90)},
        {"id": "f", "rate": D(50), "mean": None},
    ]
    ranked = rank_units(rows, ("rate", "mean"))
    assert [(rank, row["id"]) for rank, row in ranked] == [
        (1, "e"),
        (2, "b"),
        (2, "c"),
        (4, "a"),
        (5, "f"),
        (6, "d"),
    ]


def test_highest_breaks_score_ties_by_time_then_submission_then_number():
    same_score = [
        FinishedAttempt(1, 1, D(90), 400, T0 + timedelta(days=1)),
        FinishedAttempt(2, 2, D(90), 400, T0),
        FinishedAttempt(3, 3, D(90), 400, T0),
    ]
    chosen = counted_attempt(same_score, "highest")
    assert chosen is not None and chosen.id == 2


def test_unknown_counting_policy_is_an_error():
    with pytest.raises(ValueError, match="average"):
        counted_attempt(_attempts(), "average")
    # no attempts: nothing counts, whatever the policy
    assert counted_attempt([], "average") is None


def test_ranks_follow_any_tie_key():
    rows = [{"score": 9, "name": "a"}, {"score": 9, "name": "b"}, {"score": 8, "name": "c"}]
    assert competition_ranks(rows, lambda r: r["score"]) == [1, 1, 3]
    assert competition_ranks(rows, lambda r: r["name"]) == [1, 2, 3]


def test_ranked_streams_competition_ranks_lazily() -> None:
    def rows():
        yield from [("a", 90), ("b", 80), ("c", 80), ("d", 70)]
        raise AssertionError("read past the rows asked for")

    stream = ranked(rows(), lambda row: row[1])
    assert [next(stream) for _ in range(4)] == [(1, ("a", 90)), (2, ("b", 80)), (2, ("c", 80)), (4, ("d", 70))]


def _finished(id_, number, score, *, makeup=False, used=100):
    return FinishedAttempt(id_, number, D(score), used, T0 + timedelta(days=number), makeup=makeup)


@pytest.mark.parametrize(("policy", "counted"), [("highest", 1), ("latest", 4), ("first", 1)])
def test_a_makeup_counts_once_the_better_of_the_policy_s_regular_and_makeup_results(policy, counted):
    # regular 70 then 50; make-up 60 then 65. highest: 70 vs 65; latest: 50 vs 65; first: 70 vs 60
    attempts = [
        _finished(1, 1, 70),
        _finished(2, 2, 50),
        _finished(3, 3, 60, makeup=True),
        _finished(4, 4, 65, makeup=True),
    ]
    chosen = counted_attempt(attempts, policy)
    assert chosen is not None and chosen.id == counted


def test_an_absentee_s_makeup_counts_alone_and_a_worse_makeup_does_not_replace_a_better_result():
    def counted_id(attempts: list[FinishedAttempt], policy: str) -> int | None:
        chosen = counted_attempt(attempts, policy)
        return chosen.id if chosen else None

    assert counted_id([_finished(5, 1, 40, makeup=True)], "first") == 5
    assert counted_id([_finished(1, 1, 80), _finished(2, 2, 40, makeup=True)], "latest") == 1
    # equal scores: less time, then earlier
    assert counted_id([_finished(1, 1, 80, used=300), _finished(2, 2, 80, makeup=True, used=200)], "first") == 2
