"""The rules of learning between exams (practice, the wrong-answer book, daily questions), as pure functions.

No database, no clock: the services and selectors (``services/learning.py``, ``selectors_learning.py``) load
the facts and pass today's date in. Tested directly at 100 % coverage (docs/adr/0015).

- Drawing: one question per *slot* (an ungrouped question, or one exclusion group of a bank), shuffled, the
  same rule an exam's random paper uses (``services.exams._draw`` calls ``pick_slots``).
- The book (错题本): a wrong answer puts the question in (or back in) the book and resets its run of right
  answers; a question answered right ``RETIRE_AFTER`` times in a row is retired.
- Chapters (tags) are listed in the bank's order, not the characters' (``chapter_order``).
- Daily questions (每日一练): drawn by a generator seeded with (practice set, unit, day), so that everyone of
  one unit gets the same questions on one day and another day gets others; a streak counts consecutive days
  done up to today (or up to yesterday while today is not done yet).
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# A draw slot: a question without a group ("q", id), or one exclusion group of a bank ("g", bank id, name)
Slot = tuple[str, int] | tuple[str, int, str]

RETIRE_AFTER = 2  # right answers in a row that retire a question from the book


def slot_of(question_id: int, bank_id: int, group: str) -> Slot:
    """The slot a question takes in a draw: its exclusion group within its bank, or itself."""
    return ("g", bank_id, group) if group else ("q", question_id)


def pick_slots(candidates: list[tuple[int, Slot]], count: int, rng: random.Random, used: set[Slot]) -> list[int]:
    """Take up to ``count`` of ``candidates`` in random order, at most one per slot and none whose slot is in
    ``used`` (which gains the slots taken): the draw of shuffling every candidate and taking them in turn.

    A Fisher–Yates shuffle of ``candidates`` in place, stopped as soon as ``count`` are taken: the same draw
    as the full shuffle, but a paper of 25 from a bank of 5,000 costs some 25 random numbers, not 5,000
    (``random.SystemRandom`` asks the operating system for each)."""
    picked: list[int] = []
    size = len(candidates)
    for i in range(size):
        if len(picked) == count:
            break
        j = i + rng.randrange(size - i)
        candidates[i], candidates[j] = candidates[j], candidates[i]
        qid, slot = candidates[i]
        if slot in used:
            continue
        used.add(slot)
        picked.append(qid)
    return picked


def daily_seed(*, practice_set_id: int, unit_id: int, day: date) -> str:
    """The seed of one unit's daily questions of one practice set on one day."""
    return f"daily:{practice_set_id}:{unit_id}:{day.isoformat()}"


def daily_draw(
    *, candidates: Sequence[tuple[int, Slot]], count: int, practice_set_id: int, unit_id: int, day: date
) -> list[int]:
    """The day's questions for a unit: ``count`` of ``candidates`` (one per slot), drawn by a generator
    seeded with (set, unit, day). The same candidates give the same questions, whoever asks; the order of
    ``candidates`` does not matter (they are sorted first)."""
    rng = random.Random(daily_seed(practice_set_id=practice_set_id, unit_id=unit_id, day=day))  # not secret
    return pick_slots(sorted(candidates), count, rng, set())


@dataclass(frozen=True)
class BookState:
    """A question's entry in a person's wrong-answer book."""

    wrong_count: int
    right_streak: int
    retired: bool


def book_after_answer(entry: BookState | None, *, correct: bool) -> BookState | None:
    """The entry after a practice answer; None: no entry (a right answer to a question not in the book).

    A wrong answer puts the question in the book, or back in if it was retired, and resets the run of right
    answers; a right answer lengthens the run, and the ``RETIRE_AFTER``-th in a row retires it."""
    if not correct:
        wrong = entry.wrong_count if entry else 0
        return BookState(wrong_count=wrong + 1, right_streak=0, retired=False)
    if entry is None:
        return None
    if entry.retired:
        return entry
    streak = entry.right_streak + 1
    return BookState(wrong_count=entry.wrong_count, right_streak=streak, retired=streak >= RETIRE_AFTER)


def streak(done_days: Collection[date], today: date) -> int:
    """Consecutive days done, ending today, or yesterday while today is not done yet (the streak is not broken
    before the day is over)."""
    day = today if today in done_days else today - timedelta(days=1)
    count = 0
    while day in done_days:
        count += 1
        day -= timedelta(days=1)
    return count


def month_days(year: int, month: int, done_days: Iterable[date]) -> list[tuple[date, bool]]:
    """Every day of the month with whether it was done."""
    done = set(done_days)
    last = calendar.monthrange(year, month)[1]
    return [(date(year, month, d), date(year, month, d) in done) for d in range(1, last + 1)]


def chapter_order(first_question: Mapping[str, int]) -> list[str]:
    """The chapters (tags) of a practice set in the bank's order: each where its first question stands
    (``first_question``: the tag's lowest question id, i.e. the order the bank was written or imported in), ties
    by name. A bank written along a law lists its chapters in the law's order (民法典: 总则编, 物权编, 合同编,
    人格权编, 婚姻家庭编, 继承编, 侵权责任编), which the order of the characters does not; and the rule needs
    nothing of a bank but its questions, whatever laws (or none) they cite."""
    return sorted(first_question, key=lambda tag: (first_question[tag], tag))
