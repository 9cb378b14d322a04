"""The load harness's verdict on issue 9's must-shows (bench/load_bench.py ``must_shows``): each figure judged by
its share of the ceiling measured beside it, and a rate set on the issue's machine also by its share of that
machine's ceiling. No server runs here: the figures are made up."""

from __future__ import annotations

from bench.load_bench import ISSUE_CEILING, Figure, MustShow, must_shows


def figure(
    name: str, rps: float, *, beside: float = 2000.0, p99_ms: float = 50.0, spread: float = 0.0
) -> tuple[Figure, bool]:
    return Figure(name, rps, p99_ms / 2, p99_ms, 1000, 0, 1.0, 0.1, beside=beside, beside_spread=spread), True


def verdicts(shown: list[MustShow]) -> dict[str, tuple[bool, bool | None]]:
    return {item.what.split(":")[0]: (item.met, item.as_share) for item in shown}


def test_shares_are_judged_against_the_ceiling_beside_each_figure() -> None:
    shown = verdicts(
        must_shows(
            [
                figure("GET /me", 1000, beside=1900),  # 52.6 %
                figure("autosave (PUT one answer, 32 connections)", 700, beside=2100),  # 33.3 %
                figure("autosave at 10,000 takers' steady rate (139/s offered)", 139, p99_ms=120),
                figure("person leaderboard (200 finished)", 800),  # 40 %
                figure("unit leaderboard (200 finished)", 900),  # 45 %
                figure("unit leaderboard (100000 finished)", 880),  # 44 %: fell
            ],
            day_ok=True,
        )
    )
    assert shown["GET /me"] == (True, None)
    assert shown["autosave (PUT one answer, 32 connections)"] == (False, None)
    assert shown["autosave at 10,000 takers' steady rate (139/s offered)"] == (False, None)
    assert shown["person leaderboard (200 finished)"] == (True, None)
    assert shown["unit leaderboard (100000 finished)"] == (True, None)
    assert shown["unit leaderboard's share not falling, 200 finished → 100000 finished"] == (False, None)
    assert shown["exam day"] == (True, None)


def test_an_absolute_rate_is_also_judged_as_its_share_of_the_issues_ceiling() -> None:
    start_share = 300 / ISSUE_CEILING  # 8.3 %
    shown = verdicts(
        must_shows(
            [
                figure("start storm (300 papers of 25 drawn from 5000)", 2000 * start_share + 1, beside=2000),
                figure("submit storm (300 submits of 25 answers)", 260, beside=4000, p99_ms=400),  # 6.5 % < 6.9 %
                figure("login storm (300 people, Argon2id)", 39.9),
            ],
            day_ok=None,
        )
    )
    assert shown["start storm (300 papers of 25 drawn from 5000)"] == (False, True)
    assert shown["submit storm (300 submits of 25 answers)"] == (True, False)
    assert shown["login storm (300 people, Argon2id)"] == (False, None)
    assert "exam day" not in shown


def test_a_p99_over_its_bound_fails_a_rate_both_ways() -> None:
    shown = verdicts(must_shows([figure("submit storm (10000 submits of 25 answers)", 400, p99_ms=501)], day_ok=False))
    assert shown["submit storm (10000 submits of 25 answers)"] == (False, False)
    assert shown["exam day"] == (False, None)


def test_me_and_the_autosave_are_also_stated_against_their_floors_which_do_not_change_the_verdict() -> None:
    shown = {
        item.what.split(":")[0]: item
        for item in must_shows(
            [
                figure("floor: ceiling + 1 Redis round trip (GET /me's)", 1400, beside=2000),  # 70 %
                figure("floor: ceiling + 1 Redis + 1 PostgreSQL upsert (autosave's)", 760, beside=2000),  # 38 %
                figure("GET /me", 950, beside=2000),  # 47.5 %
                figure("autosave (PUT one answer, 32 connections)", 500, beside=2000),  # 25 %
            ],
            day_ok=None,
        )
    }
    assert shown["GET /me"].measured == "47.5 % (its floor 70.0 %: 68 % of it)"
    assert not shown["GET /me"].met
    assert shown["autosave (PUT one answer, 32 connections)"].measured == "25.0 % (its floor 38.0 %: 66 % of it)"
    assert not shown["autosave (PUT one answer, 32 connections)"].met
    assert not any(what.startswith("floor") for what in shown)  # the floors are figures, not must-shows


def test_the_unit_rankings_share_falls_only_by_more_than_the_machine_moved_beside_it() -> None:
    def not_falling(large_rps: float, spreads: tuple[float, float]) -> MustShow:
        shown = must_shows(
            [
                figure("unit leaderboard (200 finished)", 900, spread=spreads[0]),  # 45 %
                figure("unit leaderboard (100000 finished)", large_rps, spread=spreads[1]),
            ],
            day_ok=None,
        )
        return next(item for item in shown if "not falling" in item.what)

    # 45 % → 44.9 %: the ceiling beside the larger moved 1 % (0.45 points), so this is the machine's
    within = not_falling(898, (0.002, 0.01))
    assert within.met and within.measured == "45.0 → 44.9 % (the machine moved ±0.5 points)"
    # 45 % → 44 %: more than the 0.45 points either ceiling moved
    assert not not_falling(880, (0.01, 0.002)).met
    # a machine that did not move at all: any fall is a fall, and no fall is none
    assert not not_falling(899.9, (0.0, 0.0)).met
    assert not_falling(900, (0.0, 0.0)).met


def test_without_floors_measured_a_share_stands_alone() -> None:
    (item,) = must_shows([figure("GET /me", 1100, beside=2000)], day_ok=None)
    assert item.measured == "55.0 %" and item.met


def test_a_rate_just_below_its_target_does_not_read_as_the_target() -> None:
    shown = {
        item.what.split(":")[0]: item
        for item in must_shows(
            [
                figure("start storm (300 papers of 25 drawn from 5000)", 299.96, beside=2900),
                figure("login storm (300 people, Argon2id)", 39.99),
            ],
            day_ok=None,
        )
    }
    start = shown["start storm (300 papers of 25 drawn from 5000)"]
    assert start.measured.startswith("299.9/s") and not start.met
    assert shown["login storm (300 people, Argon2id)"].measured == "39.9/s"
