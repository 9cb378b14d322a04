"""The one deadline rule with overrides and make-ups (quizzes/timing.py), on worked examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizzes import timing

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
EXAM = timing.ExamTerms(
    opens_at=T0, closes_at=T0 + timedelta(hours=2), time_limit_seconds=1800, max_attempts=1, accepting=True
)


def test_without_overrides_the_exam_s_terms_apply():
    [regular] = timing.sittings(EXAM)
    assert (regular.makeup, regular.opens_at, regular.closes_at) == (False, EXAM.opens_at, EXAM.closes_at)
    assert (regular.time_limit_seconds, regular.max_attempts) == (1800, 1)
    assert timing.attempt_deadline(regular, T0 + timedelta(minutes=10)) == T0 + timedelta(minutes=40)
    # the window's close caps the time limit
    assert timing.attempt_deadline(regular, T0 + timedelta(minutes=100)) == EXAM.closes_at
    assert timing.sitting_at([regular], T0 - timedelta(seconds=1)) is None
    assert timing.sitting_at([regular], T0) == regular
    assert timing.sitting_at([regular], EXAM.closes_at) is None


def test_an_override_extends_time_attempts_and_window():
    own = timing.PersonalTerms(
        kind=timing.OVERRIDE, opens_at=None, closes_at=T0 + timedelta(hours=3), extra_seconds=600, extra_attempts=2
    )
    [regular] = timing.sittings(EXAM, [own])
    assert (regular.opens_at, regular.closes_at) == (EXAM.opens_at, T0 + timedelta(hours=3))
    assert (regular.time_limit_seconds, regular.max_attempts) == (2400, 3)
    assert timing.attempt_deadline(regular, T0 + timedelta(minutes=110)) == T0 + timedelta(minutes=150)
    assert timing.attempts_left(regular, 1) == 2 and timing.attempts_left(regular, 5) == 0
    unlimited = timing.ExamTerms(**{**EXAM.__dict__, "max_attempts": 0})
    [regular] = timing.sittings(unlimited, [own])
    assert regular.max_attempts == 0 and timing.attempts_left(regular, 9) is None
    earlier = timing.PersonalTerms(kind=timing.OVERRIDE, opens_at=T0 - timedelta(hours=1), closes_at=None)
    [regular] = timing.sittings(EXAM, [earlier])
    assert (regular.opens_at, regular.closes_at) == (T0 - timedelta(hours=1), EXAM.closes_at)


def test_a_makeup_is_a_second_sitting_open_even_on_a_closed_exam():
    closed = timing.ExamTerms(**{**EXAM.__dict__, "accepting": False})
    makeup = timing.PersonalTerms(
        kind=timing.MAKEUP, opens_at=T0 + timedelta(days=7), closes_at=T0 + timedelta(days=8), extra_seconds=60
    )
    own = timing.PersonalTerms(kind=timing.OVERRIDE, opens_at=None, closes_at=None, extra_seconds=300)
    regular, second = timing.sittings(closed, [makeup, own])
    assert second.makeup and second.max_attempts == 1 and second.time_limit_seconds == 1800 + 300 + 60
    assert timing.sitting_at([regular, second], T0 + timedelta(minutes=5)) is None  # closed: no regular sitting
    assert timing.sitting_at([regular, second], T0 + timedelta(days=7, hours=1)) == second
    assert timing.sitting_of([regular, second], makeup=True) == second
    assert timing.sitting_of([regular], makeup=True) == regular  # a withdrawn make-up: the regular terms
    # what the exam list shows: the open one, else the next, else the last to close
    assert timing.sitting_to_show([regular, second], T0 + timedelta(days=1)) == second
    assert timing.sitting_to_show([regular, second], T0 + timedelta(days=7, hours=1)) == second
    assert timing.sitting_to_show([regular, second], T0 + timedelta(days=9)) == second
    assert timing.sitting_to_show([timing.sittings(EXAM)[0]], T0 - timedelta(days=1)).opens_at == T0
    # overlapping windows: the make-up first
    overlapping = timing.PersonalTerms(kind=timing.MAKEUP, opens_at=T0, closes_at=T0 + timedelta(hours=1))
    both = timing.sittings(EXAM, [overlapping])
    chosen = timing.sitting_at(both, T0 + timedelta(minutes=1))
    assert chosen is not None and chosen.makeup
    # a make-up without a window is no sitting
    assert len(timing.sittings(EXAM, [timing.PersonalTerms(kind=timing.MAKEUP, opens_at=None, closes_at=None)])) == 1
