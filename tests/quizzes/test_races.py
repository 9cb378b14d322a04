"""Races between two tabs or a double click, run in real threads on PostgreSQL (row locks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections, transaction

from quizzes.models import Answer, Attempt, Exam
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)"),
]


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; return results or raised exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def run_in_threads(*targets: Callable[[], None]) -> None:
    """Start each target in a thread of its own (they order themselves with events) and wait for all."""
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def _answer_everything(attempt: Attempt) -> None:
    for seq, aq in enumerate(attempt.paper.all(), start=1):
        answer_save(attempt_id=attempt.pk, user=attempt.user, question_id=aq.question_id, choices=aq.answer, seq=seq)


@pytest.mark.parametrize("round_", range(5))
def test_two_submits_racing_score_once(exam, people, round_):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    _answer_everything(attempt)
    first, second = run_together(
        lambda: attempt_submit(attempt_id=attempt.pk, user=people.alice),
        lambda: attempt_submit(attempt_id=attempt.pk, user=people.alice),
    )
    assert isinstance(first, Attempt) and isinstance(second, Attempt), (first, second)
    assert (
        (first.score, first.submitted_at) == (second.score, second.submitted_at) == (Decimal(100), first.submitted_at)
    )
    assert Attempt.objects.filter(exam=exam, user=people.alice, is_counted=True).count() == 1
    assert Answer.objects.filter(attempt=attempt, score__isnull=True).count() == 0


def test_two_tabs_starting_get_one_attempt(exam, people):
    results = run_together(
        lambda: attempt_start(exam=exam, user=people.bob), lambda: attempt_start(exam=exam, user=people.bob)
    )
    assert all(isinstance(r, tuple) for r in results), results
    assert {r[0].pk for r in results} == {Attempt.objects.get(exam=exam, user=people.bob).pk}
    assert sorted(r[1] for r in results) == [False, True]


def test_racing_autosaves_keep_the_newest_sequence(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.carol)
    question = attempt.paper.filter(kind="multiple").first()
    assert question is not None
    for round_ in range(5):
        low, high = 10 * round_ + 1, 10 * round_ + 2
        save = partial(answer_save, attempt_id=attempt.pk, user=people.carol, question_id=question.question_id)
        run_together(partial(save, choices=["A"], seq=low), partial(save, choices=["B"], seq=high))
        saved = Answer.objects.get(attempt=attempt, question_id=question.question_id)
        assert (saved.seq, saved.choices) == (high, ["B"])


def test_submit_racing_an_autosave_loses_nothing(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    question = attempt.paper.filter(kind="single").first()
    assert question is not None
    save, submit = run_together(
        lambda: answer_save(
            attempt_id=attempt.pk, user=people.alice, question_id=question.question_id, choices=question.answer, seq=1
        ),
        lambda: attempt_submit(attempt_id=attempt.pk, user=people.alice),
    )
    assert isinstance(submit, Attempt)
    attempt.refresh_from_db()
    if isinstance(save, Exception):  # the submit won: the save was refused, not silently dropped
        assert type(save).__name__ == "AttemptFinalised" and attempt.score == Decimal(0)
    else:  # the save won: it is counted in the score
        assert attempt.score == Decimal(10)


def test_autosave_does_not_wait_for_a_lock_on_the_exam(exam, people):
    """Every participant's autosave locks their own attempt, never the exam's row: otherwise all autosaves and
    submits of one exam would queue behind each other, and behind an organizer's edit of the exam."""
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    first = attempt.paper.order_by("position").first()
    assert first is not None
    exam_locked, release = threading.Event(), threading.Event()

    def hold_the_exam_row() -> None:
        try:
            with transaction.atomic():
                Exam.objects.select_for_update().get(pk=exam.pk)
                exam_locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def autosave() -> Any:
        exam_locked.wait(timeout=10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                return answer_save(
                    attempt_id=attempt.pk, user=people.alice, question_id=first.question_id, choices=["A"], seq=1
                )
        except Exception as exc:
            return exc
        finally:
            release.set()
            connections.close_all()

    holder = threading.Thread(target=hold_the_exam_row)
    holder.start()
    results: list[Any] = []
    saver = threading.Thread(target=lambda: results.append(autosave()))
    saver.start()
    saver.join(timeout=30)
    holder.join(timeout=30)
    assert results and not isinstance(results[0], Exception), results
    assert results[0].applied


def test_an_autosave_arriving_while_a_submit_holds_the_attempt_waits_and_stores_nothing(exam, people):
    """The unlocked save (two statements, no transaction) checks that the attempt is open with a share lock on
    its row: arriving while a submit holds the row, it waits for the submit to commit and then refuses
    (finalised), instead of storing an answer that the submit's score never saw."""
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    question = attempt.paper.filter(kind="single").first()
    assert question is not None
    held, results = threading.Event(), list[Any]()

    def submit_holding_the_row() -> None:
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                held.set()
                time.sleep(1.0)  # the save arrives meanwhile and must wait for this transaction
                attempt_submit(attempt_id=attempt.pk, user=people.alice)
        finally:
            connections.close_all()

    def save() -> None:
        held.wait(timeout=10)
        try:
            results.append(
                answer_save(
                    attempt_id=attempt.pk, user=people.alice, question_id=question.question_id, choices=["A"], seq=1
                )
            )
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    run_in_threads(submit_holding_the_row, save)
    assert len(results) == 1 and type(results[0]).__name__ == "AttemptFinalised", results
    assert not Answer.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score == Decimal(0)


def test_a_submit_waits_for_an_autosave_that_got_there_first(exam, people):
    """The other order: a save holding its share lock (its statement not yet committed) makes the submit wait,
    and the submit scores it."""
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    question = attempt.paper.filter(kind="single").first()
    assert question is not None
    saved, results = threading.Event(), list[Any]()

    def save_then_linger() -> None:
        try:
            with transaction.atomic():  # as if the save's statement were slow to commit
                answer_save(
                    attempt_id=attempt.pk,
                    user=people.alice,
                    question_id=question.question_id,
                    choices=question.answer,
                    seq=1,
                )
                saved.set()
                time.sleep(1.0)
        finally:
            connections.close_all()

    def submit() -> None:
        saved.wait(timeout=10)
        try:
            results.append(attempt_submit(attempt_id=attempt.pk, user=people.alice))
        finally:
            connections.close_all()

    run_in_threads(save_then_linger, submit)
    assert len(results) == 1 and results[0].score == Decimal(10), results
