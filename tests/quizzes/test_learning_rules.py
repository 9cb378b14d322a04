"""The pure rules of learning (``quizzes.learning``): drawing by slot, the daily seed, the book's retirement rule,
the streak and the month calendar."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from quizzes import learning
from quizzes.learning import BookState, Slot, book_after_answer


def test_slot_of_groups_by_bank_and_group():
    assert learning.slot_of(7, 1, "") == ("q", 7)
    assert learning.slot_of(7, 1, "诉讼时效") == ("g", 1, "诉讼时效")


def test_pick_slots_takes_one_question_per_slot_and_skips_used_ones():
    group: Slot = ("g", 1, "甲")
    candidates: list[tuple[int, Slot]] = [(1, group), (2, group), (3, ("q", 3)), (4, ("q", 4)), (5, ("q", 5))]
    used: set[Slot] = {("q", 5)}
    picked = learning.pick_slots(list(candidates), 10, random.Random(1), used)
    assert len(picked) == 3 and 5 not in picked and len({1, 2} & set(picked)) == 1
    assert group in used and ("q", 3) in used
    assert len(learning.pick_slots(list(candidates), 2, random.Random(1), set())) == 2


def test_pick_slots_draws_as_a_full_shuffle_would_with_only_as_many_numbers_as_it_takes():
    """The shuffle stops once ``count`` are taken (a paper of 25 from a bank of 5,000 costs 25 random numbers),
    yet the draw is that of shuffling every candidate and taking them in order: ungrouped questions equally
    likely, a group of three as likely as it is under the full shuffle."""

    class Counting(random.Random):
        calls = 0

        def randrange(self, *args: Any, **kwargs: Any) -> int:
            Counting.calls += 1
            return super().randrange(*args, **kwargs)

    def full_shuffle(candidates: list[tuple[int, Slot]], count: int, rng: random.Random) -> list[int]:
        rng.shuffle(candidates)
        taken: dict[Slot, int] = {}
        for qid, slot in candidates:
            if len(taken) < count and slot not in taken:
                taken[slot] = qid
        return list(taken.values())

    group: Slot = ("g", 1, "甲")
    candidates: list[tuple[int, Slot]] = [(1, group), (2, group), (3, group)] + [(i, ("q", i)) for i in range(4, 10)]
    draws = 20_000

    def tally(draw: Any, rng: random.Random) -> dict[Any, int]:
        counts: dict[Any, int] = dict.fromkeys(["甲", *range(4, 10)], 0)
        for _ in range(draws):
            for qid in draw(list(candidates), 2, rng):
                counts["甲" if qid <= 3 else qid] += 1
        return counts

    ours = tally(lambda c, n, rng: learning.pick_slots(c, n, rng, set()), Counting(7))
    reference = tally(full_shuffle, random.Random(8))
    assert all(abs(ours[k] - reference[k]) < 0.05 * reference[k] for k in reference), (ours, reference)
    singles = [ours[k] for k in range(4, 10)]
    assert max(singles) - min(singles) < 0.08 * min(singles), ours
    Counting.calls = 0
    bank: list[tuple[int, Slot]] = [(i, ("q", i)) for i in range(5000)]
    assert len(set(learning.pick_slots(bank, 25, Counting(9), set()))) == 25 and Counting.calls == 25


def test_daily_draw_is_deterministic_per_set_unit_and_day_whatever_the_order():
    candidates: list[tuple[int, Slot]] = [(i, ("q", i)) for i in range(1, 41)]
    day = date(2026, 11, 30)

    def draw(**kw: Any) -> list[int]:
        args: dict[str, Any] = dict(candidates=candidates, count=5, practice_set_id=1, unit_id=2, day=day) | kw
        return learning.daily_draw(**args)

    assert draw() == draw(candidates=list(reversed(candidates)))
    assert len(set(draw())) == 5
    assert draw() != draw(day=date(2026, 12, 1))
    assert draw() != draw(unit_id=3)
    assert draw() != draw(practice_set_id=9)
    assert learning.daily_seed(practice_set_id=1, unit_id=2, day=day) == "daily:1:2:2026-11-30"


def test_a_wrong_answer_enters_the_book_or_puts_a_retired_question_back():
    assert book_after_answer(None, correct=False) == BookState(1, 0, False)
    assert book_after_answer(BookState(1, 1, False), correct=False) == BookState(2, 0, False)
    assert book_after_answer(BookState(3, 2, True), correct=False) == BookState(4, 0, False)


def test_two_right_answers_in_a_row_retire_a_question():
    assert book_after_answer(None, correct=True) is None
    once = book_after_answer(BookState(1, 0, False), correct=True)
    assert once == BookState(1, 1, False)
    assert book_after_answer(once, correct=True) == BookState(1, 2, True)
    retired = BookState(1, 2, True)
    assert book_after_answer(retired, correct=True) is retired
    assert learning.RETIRE_AFTER == 2


def test_the_streak_counts_days_up_to_today_or_yesterday():
    today = date(2026, 11, 30)
    assert learning.streak(set(), today) == 0
    assert learning.streak({date(2026, 11, 30), date(2026, 11, 29), date(2026, 11, 27)}, today) == 2
    assert learning.streak({date(2026, 11, 29), date(2026, 11, 28)}, today) == 2  # today not done yet
    assert learning.streak({date(2026, 11, 28)}, today) == 0  # yesterday missed: broken
    assert learning.streak({date(2026, 12, 1), date(2026, 11, 30)}, date(2026, 12, 1)) == 2  # across months


def test_month_days_lists_every_day_with_whether_it_was_done():
    days = learning.month_days(2026, 2, [date(2026, 2, 3), date(2026, 3, 1)])
    assert len(days) == 28 and days[2] == (date(2026, 2, 3), True)
    assert sum(done for _day, done in days) == 1
    assert len(learning.month_days(2028, 2, [])) == 29


def test_chapters_follow_the_bank_not_the_characters():
    # the Civil Code's books, as the shipped bank holds them (its first question of each), and a case tag
    first = {"侵权责任编": 540, "合同编": 180, "总则编": 1, "物权编": 90, "以案释法": 600, "人格权编": 300}
    first |= {"婚姻家庭编": 400, "继承编": 470}
    assert learning.chapter_order(first) == [
        "总则编",
        "物权编",
        "合同编",
        "人格权编",
        "婚姻家庭编",
        "继承编",
        "侵权责任编",
        "以案释法",
    ]
    assert sorted(first) != learning.chapter_order(first)  # code-point order is not the law's
    # two tags whose first question is the same one: by name
    assert learning.chapter_order({"乙": 3, "甲": 3, "丙": 1}) == ["丙", "乙", "甲"]
    assert learning.chapter_order({}) == []
