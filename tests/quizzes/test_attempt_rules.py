"""Each decided rule of GUIDE §1, on the services with a frozen clock and the real database."""

from __future__ import annotations

import io
import random
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from quizzes import errors
from quizzes.leaderboards import attempt_rank, leaderboard_people, leaderboard_units
from quizzes.models import Answer, Attempt, Exam, Question
from quizzes.services.attempts import (
    answer_save,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
    exam_regrade_question,
)
from quizzes.services.banks import question_update
from quizzes.services.exams import RuleSpec, exam_create, exam_publish
from tests.conftest import finished_attempt, make_exam

pytestmark = pytest.mark.django_db


def answer_all(attempt: Attempt, *, correct: bool = True, now=None) -> None:
    for seq, aq in enumerate(attempt.paper.order_by("position"), start=1):
        choices = aq.answer if correct else [o["letter"] for o in aq.options if o["letter"] not in aq.answer][:1]
        answer_save(
            attempt_id=attempt.pk, user=attempt.user, question_id=aq.question_id, choices=choices, seq=seq, now=now
        )


# --- Time belongs to the server ----------------------------------------------------------------


def test_deadline_is_start_plus_limit_or_close_whichever_first(exam, people):
    start = exam.opens_at + timedelta(minutes=5)
    attempt, created = attempt_start(exam=exam, user=people.alice, now=start)
    assert created and attempt.deadline == start + timedelta(seconds=exam.time_limit_seconds)

    late = exam.closes_at - timedelta(minutes=10)
    late_attempt, _ = attempt_start(exam=exam, user=people.bob, now=late)
    assert late_attempt.deadline == exam.closes_at


def test_autosave_refused_after_deadline_submit_accepted_within_grace(exam, people):
    start = exam.opens_at + timedelta(minutes=1)
    attempt, _ = attempt_start(exam=exam, user=people.alice, now=start)
    first = attempt.paper.order_by("position").first()
    assert first is not None
    with time_machine.travel(attempt.deadline - timedelta(seconds=1), tick=False):
        answer_save(
            attempt_id=attempt.pk, user=people.alice, question_id=first.question_id, choices=first.answer, seq=1
        )
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False), pytest.raises(errors.AttemptExpired):
        answer_save(attempt_id=attempt.pk, user=people.alice, question_id=first.question_id, choices=[], seq=2)
    with time_machine.travel(attempt.deadline + timedelta(seconds=59), tick=False):
        submitted = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    assert submitted.status == Attempt.Status.SUBMITTED
    assert submitted.submitted_at == attempt.deadline  # answers as saved by the deadline
    assert submitted.time_used_seconds == exam.time_limit_seconds
    assert submitted.score == Decimal(10)  # the one answer saved before the deadline, unchanged after
    assert Answer.objects.get(attempt=attempt, question_id=first.question_id).choices == first.answer


def test_an_invalid_answer_to_a_finished_attempt_is_told_the_attempt_is_finished(exam, people):
    """The common save checks the choices against the paper it keeps before the attempt's state, which it does not
    read; what it cannot store goes to the locked path, which says first that the attempt is finished or expired."""
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    assert attempt.fresh_paper is not None
    first = attempt.fresh_paper[0]["question_id"]
    answer_save(attempt_id=attempt.pk, user=people.alice, question_id=first, choices=["A"], seq=1)  # keeps the paper
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False), pytest.raises(errors.AttemptExpired):
        answer_save(attempt_id=attempt.pk, user=people.alice, question_id=first, choices=["A", "Z"], seq=2)
    attempt_submit(attempt_id=attempt.pk, user=people.alice)
    with pytest.raises(errors.AttemptFinalised):
        answer_save(attempt_id=attempt.pk, user=people.alice, question_id=first, choices=["A", "Z"], seq=3)
    with pytest.raises(errors.InvalidChoices):  # an open attempt: the choices are what is wrong
        answer_save(
            attempt_id=attempt_start(exam=exam, user=people.bob)[0].pk,
            user=people.bob,
            question_id=first,
            choices=["Z"],
            seq=1,
        )


def test_submit_after_grace_gets_the_timed_out_result_stamped_with_the_deadline(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice, now=exam.opens_at + timedelta(minutes=1))
    answer_all(attempt, now=attempt.started_at + timedelta(minutes=1))
    with time_machine.travel(attempt.deadline + timedelta(seconds=61), tick=False):
        result = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    assert result.status == Attempt.Status.TIMED_OUT
    assert result.submitted_at == attempt.deadline
    assert result.score == Decimal(100)


def test_overdue_attempts_are_finalised_by_the_command_stamped_with_deadline(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice, now=exam.opens_at + timedelta(minutes=1))
    answer_all(attempt, now=attempt.started_at + timedelta(minutes=2))
    within_grace = attempt.deadline + timedelta(seconds=30)
    assert attempts_close_overdue(now=within_grace) == 0  # a submit may still be on its way
    sweep_time = attempt.deadline + timedelta(hours=3)
    with time_machine.travel(sweep_time, tick=False):
        call_command("close_overdue_attempts", stdout=io.StringIO())
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT
    assert attempt.submitted_at == attempt.deadline != sweep_time
    assert attempt.score == Decimal(100) and attempt.is_counted


def test_overdue_attempt_is_finalised_lazily_when_touched(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice, now=exam.opens_at + timedelta(minutes=1))
    question = attempt.paper.first()
    assert question is not None
    with pytest.raises(errors.AttemptExpired):
        answer_save(
            attempt_id=attempt.pk,
            user=people.alice,
            question_id=question.question_id,
            choices=[],
            seq=1,
            now=attempt.deadline + timedelta(minutes=5),
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT and attempt.submitted_at == attempt.deadline


def test_exam_outside_window_before_or_after_window_or_as_draft(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    with pytest.raises(errors.ExamOutsideWindow):
        attempt_start(exam=exam, user=people.alice, now=exam.opens_at - timedelta(seconds=1))
    with pytest.raises(errors.ExamOutsideWindow):
        attempt_start(exam=exam, user=people.alice, now=exam.closes_at)
    draft = make_exam(unit=tree.city, bank=bank, audience=[tree.city], publish=False, title="草稿")
    with pytest.raises(errors.ExamOutsideWindow):
        attempt_start(exam=draft, user=people.alice, now=draft.opens_at + timedelta(minutes=1))


# --- Autosave and submit are idempotent --------------------------------------------------------


def test_duplicate_and_stale_autosave(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    aq = attempt.paper.filter(kind="multiple").first()
    assert aq is not None
    qid = aq.question_id
    first = answer_save(attempt_id=attempt.pk, user=people.alice, question_id=qid, choices=["A", "B"], seq=5)
    assert first.applied
    # the same save again (a retry after a lost response) answers as the first did: applied, nothing rewritten
    duplicate = answer_save(attempt_id=attempt.pk, user=people.alice, question_id=qid, choices=["B", "A"], seq=5)
    assert duplicate.applied and duplicate.answer.choices == ["A", "B"]
    assert duplicate.answer.saved_at == first.answer.saved_at
    other = answer_save(attempt_id=attempt.pk, user=people.alice, question_id=qid, choices=["C"], seq=5)
    assert not other.applied and other.answer.choices == ["A", "B"]
    stale = answer_save(attempt_id=attempt.pk, user=people.alice, question_id=qid, choices=["C"], seq=4)
    assert not stale.applied and stale.answer.choices == ["A", "B"]
    newer = answer_save(attempt_id=attempt.pk, user=people.alice, question_id=qid, choices=["B", "A", "C"], seq=6)
    assert newer.applied and newer.answer.choices == ["A", "B", "C"]
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert Answer.objects.get(attempt=attempt).seq == 6


def test_double_submit_returns_the_first_result(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    answer_all(attempt)
    first = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        second = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    assert (second.pk, second.score, second.submitted_at) == (first.pk, first.score, first.submitted_at)
    assert Attempt.objects.filter(exam=exam, user=people.alice).count() == 1
    with pytest.raises(errors.AttemptFinalised):
        answer_save(
            attempt_id=attempt.pk,
            user=people.alice,
            question_id=attempt.paper.get(position=1).question_id,
            choices=[],
            seq=99,
        )


def test_invalid_choices_write_nothing(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    single = attempt.paper.filter(kind="single").first()
    judge = attempt.paper.filter(kind="judge").first()
    assert single and judge
    for question_id, choices, code in [
        (single.question_id, ["A", "B"], "invalid_choices"),
        (single.question_id, ["Z"], "invalid_choices"),
        (judge.question_id, ["C"], "invalid_choices"),
        (judge.question_id, ["A", "A"], "invalid_choices"),
        (999999, ["A"], "question_not_on_paper"),
    ]:
        with pytest.raises(errors.QuizError) as caught:
            answer_save(attempt_id=attempt.pk, user=people.alice, question_id=question_id, choices=choices, seq=1)
        assert caught.value.code == code
    assert not Answer.objects.filter(attempt=attempt).exists()


# --- Papers are frozen at start ----------------------------------------------------------------


def test_paper_unchanged_by_later_bank_edits_until_explicit_regrade(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    aq = attempt.paper.get(kind="single", position=1)
    original = (aq.stem, aq.options, aq.answer)
    answer_all(attempt)  # all correct under the original key
    attempt_submit(attempt_id=attempt.pk, user=people.alice)

    question = Question.objects.get(pk=aq.question_id)
    wrong_key = "B" if question.answer == ["A"] else "A"
    question_update(question=question, stem="改过的题干", options=["甲", "乙", "丙", "丁"], answer=[wrong_key])
    aq.refresh_from_db()
    attempt.refresh_from_db()
    assert (aq.stem, aq.options, aq.answer) == original
    assert attempt.score == Decimal(100)

    assert exam_regrade_question(exam=exam, question=question) == 1
    attempt.refresh_from_db()
    aq.refresh_from_db()
    assert aq.answer == [wrong_key] and aq.stem == original[0]  # only the key is corrected
    assert attempt.score == Decimal(90)


def test_option_shuffle_keeps_original_letters(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], shuffle_questions=True, shuffle_options=True)
    attempt, _ = attempt_start(exam=exam, user=people.alice, rng=random.Random(7))
    kinds = [aq.kind for aq in attempt.paper.order_by("position")]
    assert kinds == sorted(kinds, key=["single", "multiple", "judge"].index)  # grouped by kind
    for aq in attempt.paper.all():
        question = Question.objects.get(pk=aq.question_id)
        assert sorted(o["letter"] for o in aq.options) == list("ABCDEFGH"[: len(question.options)])
        assert {o["letter"]: o["text"] for o in aq.options} == dict(zip("ABCDEFGH", question.options, strict=False))
    answer_all(attempt)
    assert attempt_submit(attempt_id=attempt.pk, user=people.alice).score == Decimal(100)


def test_random_draw_follows_rules_and_refuses_when_bank_too_small(tree, bank, people):
    now = timezone.now()
    exam = exam_create(
        unit=tree.city,
        created_by=people.organizer,
        is_public=True,
        composition=Exam.Composition.RANDOM,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=5),
        rules=[
            RuleSpec(kind="single", bank_id=bank.pk, count=2, points=Decimal(10)),
            RuleSpec(kind="judge", bank_id=bank.pk, count=2, points=Decimal(5), tag="总则编"),
        ],
    )
    exam = exam_publish(exam=exam)
    attempt, _ = attempt_start(exam=exam, user=people.bob, rng=random.Random(1))
    assert sorted(attempt.paper.values_list("kind", flat=True)) == ["judge", "judge", "single", "single"]
    assert attempt.max_score == Decimal(30)

    too_many = exam_create(
        unit=tree.city,
        created_by=people.organizer,
        composition=Exam.Composition.RANDOM,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=5),
        rules=[RuleSpec(kind="multiple", bank_id=bank.pk, count=3, points=Decimal(10))],
    )
    with pytest.raises(errors.InsufficientQuestions):
        exam_publish(exam=too_many)


# --- Attempts, audience ------------------------------------------------------------------------


def test_attempt_limit(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], max_attempts=2)
    for _ in range(2):
        attempt, created = attempt_start(exam=exam, user=people.alice)
        assert created
        attempt_submit(attempt_id=attempt.pk, user=people.alice)
    with pytest.raises(errors.NoAttemptsLeft):
        attempt_start(exam=exam, user=people.alice)


def test_start_resumes_the_open_attempt(exam, people):
    first, created = attempt_start(exam=exam, user=people.alice)
    again, created_again = attempt_start(exam=exam, user=people.alice)
    assert created and not created_again and again.pk == first.pk


def test_user_outside_the_audience_is_refused(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.town_a])
    attempt_start(exam=exam, user=people.alice)  # town A office: inside town A's subtree
    with pytest.raises(errors.NotInAudience):
        attempt_start(exam=exam, user=people.bob)  # town B


def test_open_quiz_admits_everyone_and_best_score_counts(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, is_public=True, max_attempts=3, counting_policy="highest")
    first, _ = attempt_start(exam=exam, user=people.bob)
    answer_all(first)
    attempt_submit(attempt_id=first.pk, user=people.bob)
    second, _ = attempt_start(exam=exam, user=people.bob)
    answer_all(second, correct=False)
    attempt_submit(attempt_id=second.pk, user=people.bob)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_counted and not second.is_counted
    assert attempt_rank(attempt=second) == (1, 1)


# --- Ranking -----------------------------------------------------------------------------------


def test_leaderboard_competition_ranks_with_ties(tree, bank, people):
    # a roster exam: unit rates are over the roster (an open quiz has none: see test_unit_ranking.py)
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    start = exam.opens_at + timedelta(minutes=1)
    plans = [  # (user, correct answers, minutes used)
        (people.alice, True, 10),
        (people.bob, False, 10),
        (people.carol, False, 10),
        (people.organizer, False, 12),
    ]
    for user, correct, minutes in plans:
        attempt, _ = attempt_start(exam=exam, user=user, now=start)
        answer_all(attempt, correct=correct, now=start + timedelta(minutes=1))
        attempt_submit(attempt_id=attempt.pk, user=user, now=start + timedelta(minutes=minutes))
    rows = leaderboard_people(exam=exam)
    assert [r.rank for r in rows] == [1, 2, 2, 4]
    assert rows[0].name == "张三" and rows[3].name == "赵组织"
    assert rows[1].score == rows[2].score == rows[3].score

    units = {row.unit_name: row for row in leaderboard_units(exam=exam).rows}
    # the roster is participant accounts: organizer_a and hr_b are staff, the city organizer is not counted
    assert (units["南关镇"].headcount, units["南关镇"].participants) == (2, 2)  # alice (office), carol
    assert (units["北岭镇"].headcount, units["北岭镇"].participants) == (1, 1)  # bob
    assert units["南关镇"].participation_rate == units["北岭镇"].participation_rate == Decimal("100.00")
    assert units["南关镇"].mean_score == Decimal("50.00")  # (100 + 0) / 2
    assert units["南关镇"].pass_rate == Decimal("50.00")
    assert units["北岭镇"].mean_score == Decimal("0.00")
    assert [units["南关镇"].rank, units["北岭镇"].rank] == [1, 2]  # same rate: mean score decides
    assert units["市司法局"].headcount == 0 and units["市司法局"].rank == 3


def test_the_submits_rank_is_the_leaderboards_rank_with_ties_in_score_and_time(tree, bank, people):
    """``attempt_rank`` (written out: ``leaderboards._rank_tally``) gives each counted attempt the rank the
    leaderboard shows: score with cents, ties in score broken by time used, full ties sharing a rank."""
    from accounts.models import User

    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    plans = [("87.50", 600), ("87.5", 600), ("87.49", 10), ("100", 900), ("87.50", 599), ("0", 1), ("99.99", 5)]
    users = User.objects.bulk_create(
        User(username=f"rank{i}", real_name=f"排名{i}", unit=tree.town_a, role=User.Role.PARTICIPANT)
        for i in range(len(plans))
    )
    attempts = Attempt.objects.bulk_create(
        finished_attempt(exam=exam, user=user, score=Decimal(score), used=used)
        for user, (score, used) in zip(users, plans, strict=True)
    )
    board = {row.user_id: row.rank for row in leaderboard_people(exam=exam)}
    assert sorted(board.values()) == [1, 2, 3, 4, 4, 6, 7]
    for attempt in attempts:
        assert attempt_rank(attempt=attempt) == (board[attempt.user_id], len(plans))


def test_gets_write_nothing_and_the_following_submit_finalises_an_overdue_attempt(exam, people):
    """GET requests never write: an attempt past deadline + grace is shown in progress with its deadline
    and the server's clock; the client's submit (or the periodic command) finalises it at its deadline."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import app_login

    client = app_login(people.alice.username)
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    deadline = Attempt.objects.get(pk=attempt["id"]).deadline
    with time_machine.travel(deadline + timedelta(minutes=2), tick=False):
        with CaptureQueriesContext(connection) as reads:
            mine = client.get("/api/v1/exams/").json()["results"][0]["my_attempts"]
            detail = client.get(f"/api/v1/exams/{exam.pk}/").json()
            shown = client.get(f"/api/v1/attempts/{attempt['id']}").json()
            client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people")
        writes = [q["sql"] for q in reads.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes == []
        assert mine[0]["status"] == detail["my_attempts"][0]["status"] == shown["status"] == "in_progress"
        assert shown["deadline"] < shown["server_now"]
        assert Attempt.objects.get(pk=attempt["id"]).status == Attempt.Status.IN_PROGRESS
        submitted = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert submitted["status"] == "timed_out"
    assert Attempt.objects.get(pk=attempt["id"]).submitted_at == deadline


def test_ranks_of_a_page_match_the_whole_list(tree, bank, people):
    """Pages get the ranks of the whole list: from their position (a page of the full leaderboard) or
    by counting better attempts (a unit's rows: one aggregate, or the score/time histogram)."""
    from accounts.models import User
    from quizzes.leaderboards import leaderboard_people_rows, leaderboard_rank_rows
    from quizzes.ranking import competition_ranks

    exam = make_exam(unit=tree.city, bank=bank, is_public=True)
    rng = random.Random(5)
    users = User.objects.bulk_create(
        User(username=f"p{i}", unit=tree.town_a if i % 2 else tree.town_b, password="!") for i in range(180)
    )
    start = exam.opens_at
    Attempt.objects.bulk_create(
        Attempt(
            exam=exam,
            user=user,
            status=Attempt.Status.SUBMITTED,
            started_at=start,
            deadline=start + timedelta(hours=1),
            submitted_at=start + timedelta(seconds=i),
            score=Decimal(rng.choice([60, 70, 80, 90, 100])),
            max_score=Decimal(100),
            time_used_seconds=rng.randrange(300, 340),
            is_counted=True,
        )
        for i, user in enumerate(users)
    )
    rows = list(leaderboard_people_rows(exam=exam))
    expected = competition_ranks(rows, lambda r: (r["score"], r["time_used_seconds"]))
    distinct_keys = len({(r["score"], r["time_used_seconds"]) for r in rows})
    assert 100 < distinct_keys < 180  # more keys than one aggregate takes, and some ties
    assert [r.rank for r in leaderboard_people(exam=exam)] == expected
    assert [r.rank for r in leaderboard_rank_rows(exam=exam, rows=rows)] == expected  # counted: histogram path
    for offset in range(0, 180, 20):  # page by page: from positions, and from counts (one aggregate)
        page = rows[offset : offset + 20]
        assert [r.rank for r in leaderboard_rank_rows(exam=exam, rows=page, offset=offset)] == expected[
            offset : offset + 20
        ]
        assert [r.rank for r in leaderboard_rank_rows(exam=exam, rows=page)] == expected[offset : offset + 20]
    global_rank = {r["pk"]: rank for r, rank in zip(rows, expected, strict=True)}
    town_a = leaderboard_people(exam=exam, within=tree.town_a)
    assert len(town_a) == 90
    assert [r.rank for r in town_a] == [global_rank[r.attempt_id] for r in town_a]  # ranks stay global
