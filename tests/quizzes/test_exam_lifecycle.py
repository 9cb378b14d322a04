"""An exam's life on the services: draft → published → closed, and what may change at each step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from quizzes import errors
from quizzes.models import Attempt, Exam, Question, QuestionBank
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.exams import PaperItem, RuleSpec, exam_close, exam_create, exam_publish, exam_update
from tests.conftest import People, Tree, make_exam

pytestmark = pytest.mark.django_db


def _window(**extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return dict(title="期中测验", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), **extra)


def _draft(tree: Tree, bank: QuestionBank, **fields: Any) -> Exam:
    return make_exam(unit=tree.city, bank=bank, audience=[tree.city], publish=False, **fields)


# --- create -----------------------------------------------------------------------------------


def test_create_makes_a_draft_with_its_paper_and_audience(tree: Tree, bank: QuestionBank) -> None:
    exam = _draft(tree, bank)
    assert exam.status == Exam.Status.DRAFT and exam.published_at is None
    assert exam.fixed_questions.count() == Question.objects.filter(bank=bank).count()
    assert list(exam.audience_units.all()) == [tree.city]


def test_create_refuses_a_window_that_closes_before_it_opens(tree: Tree) -> None:
    now = timezone.now()
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_create(unit=tree.city, created_by=None, title="倒置", opens_at=now, closes_at=now)
    assert "closes_at" in caught.value.fields
    assert not Exam.objects.exists()


def test_create_refuses_a_rule_with_an_unknown_tag(tree: Tree, bank: QuestionBank) -> None:
    rules = [RuleSpec(kind="single", bank_id=bank.pk, count=1, points=Decimal(5), tag="不存在的标签")]
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_create(unit=tree.city, created_by=None, composition=Exam.Composition.RANDOM, rules=rules, **_window())
    assert "draw_rules" in caught.value.fields
    assert not Exam.objects.exists()  # atomic: the half-made exam is gone too


# --- publish ----------------------------------------------------------------------------------


def test_publish_a_draft(tree: Tree, bank: QuestionBank) -> None:
    exam = exam_publish(exam=_draft(tree, bank))
    assert exam.status == Exam.Status.PUBLISHED and exam.published_at is not None
    exam.refresh_from_db()
    assert exam.status == Exam.Status.PUBLISHED


def test_publish_refuses_what_is_not_a_draft(exam: Exam) -> None:
    with pytest.raises(errors.InvalidStatusChange):
        exam_publish(exam=exam)
    exam_close(exam=exam)
    with pytest.raises(errors.InvalidStatusChange):
        exam_publish(exam=exam)
    exam.refresh_from_db()
    assert exam.status == Exam.Status.CLOSED


def test_publish_refuses_a_fixed_paper_without_questions(tree: Tree) -> None:
    empty = exam_create(unit=tree.city, created_by=None, audience_units=[tree.city], **_window())
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_publish(exam=empty)
    assert "fixed_questions" in caught.value.fields
    empty.refresh_from_db()
    assert empty.status == Exam.Status.DRAFT


def test_publish_refuses_a_random_paper_without_rules(tree: Tree) -> None:
    exam = exam_create(unit=tree.city, created_by=None, composition=Exam.Composition.RANDOM, **_window())
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_publish(exam=exam)
    assert "draw_rules" in caught.value.fields


def test_publish_refuses_rules_the_bank_cannot_satisfy(tree: Tree, bank: QuestionBank) -> None:
    rules = [RuleSpec(kind="judge", bank_id=bank.pk, count=3, points=Decimal(5))]  # the bank has 2 judge questions
    exam = exam_create(unit=tree.city, created_by=None, composition=Exam.Composition.RANDOM, rules=rules, **_window())
    with pytest.raises(errors.InsufficientQuestions):
        exam_publish(exam=exam)
    exam.refresh_from_db()
    assert exam.status == Exam.Status.DRAFT


def test_publish_a_satisfiable_random_paper(tree: Tree, bank: QuestionBank) -> None:
    rules = [
        RuleSpec(kind="single", bank_id=bank.pk, count=2, points=Decimal(10), tag="总则编"),
        RuleSpec(kind="judge", bank_id=bank.pk, count=2, points=Decimal(5)),
    ]
    exam = exam_create(unit=tree.city, created_by=None, composition=Exam.Composition.RANDOM, rules=rules, **_window())
    assert exam_publish(exam=exam).status == Exam.Status.PUBLISHED


# --- close ------------------------------------------------------------------------------------


def test_close_a_published_exam(exam: Exam) -> None:
    closed = exam_close(exam=exam)
    assert closed.status == Exam.Status.CLOSED
    exam.refresh_from_db()
    assert exam.status == Exam.Status.CLOSED


def test_close_refuses_a_draft_and_a_closed_exam(tree: Tree, bank: QuestionBank, exam: Exam) -> None:
    draft = _draft(tree, bank)
    with pytest.raises(errors.InvalidStatusChange):
        exam_close(exam=draft)
    draft.refresh_from_db()
    assert draft.status == Exam.Status.DRAFT
    exam_close(exam=exam)
    with pytest.raises(errors.InvalidStatusChange):
        exam_close(exam=exam)


def test_close_stops_new_attempts_but_a_running_one_finishes(exam: Exam, people: People) -> None:
    running, _ = attempt_start(exam=exam, user=people.alice)
    exam_close(exam=exam)
    exam.refresh_from_db()
    with pytest.raises(errors.QuizError):
        attempt_start(exam=exam, user=people.carol)
    assert not Attempt.objects.filter(exam=exam, user=people.carol).exists()

    first = running.paper.order_by("position").first()
    assert first is not None
    answer_save(attempt_id=running.pk, user=people.alice, question_id=first.question_id, choices=first.answer, seq=1)
    submitted = attempt_submit(attempt_id=running.pk, user=people.alice)
    assert submitted.status == Attempt.Status.SUBMITTED
    assert submitted.score == first.points


# --- update -----------------------------------------------------------------------------------


def test_a_draft_may_change_everything(tree: Tree, bank: QuestionBank) -> None:
    exam = _draft(tree, bank)
    first_two = [PaperItem(q, Decimal(50)) for q in Question.objects.filter(bank=bank).order_by("id")[:2]]
    exam = exam_update(
        exam=exam,
        audience_units=[tree.town_a, tree.town_b],
        fixed=first_two,
        title="改名",
        time_limit_seconds=600,
        multiple_scoring=Exam.MultipleScoring.PARTIAL,
        pass_percent=Decimal(70),
    )
    exam.refresh_from_db()
    assert (exam.title, exam.time_limit_seconds, exam.pass_percent) == ("改名", 600, Decimal(70))
    assert exam.multiple_scoring == Exam.MultipleScoring.PARTIAL
    assert set(exam.audience_units.all()) == {tree.town_a, tree.town_b}
    assert [eq.points for eq in exam.fixed_questions.order_by("position")] == [Decimal(50), Decimal(50)]


def test_a_draft_may_switch_to_random_rules(tree: Tree, bank: QuestionBank) -> None:
    exam = _draft(tree, bank)
    rules = [RuleSpec(kind="multiple", bank_id=bank.pk, count=1, points=Decimal(20), difficulty=None)]
    exam_update(exam=exam, composition=Exam.Composition.RANDOM, rules=rules)
    assert [(r.kind, r.count) for r in exam.draw_rules.all()] == [("multiple", 1)]


def test_a_published_exam_may_change_its_window_audience_and_texts(tree: Tree, exam: Exam) -> None:
    later = exam.closes_at + timedelta(days=7)
    exam_update(
        exam=exam, audience_units=[tree.town_b], title="延期", description="延长一周", closes_at=later, max_attempts=2
    )
    exam.refresh_from_db()
    assert (exam.title, exam.closes_at, exam.max_attempts) == ("延期", later, 2)
    assert list(exam.audience_units.all()) == [tree.town_b]
    assert exam.status == Exam.Status.PUBLISHED


@pytest.mark.parametrize(
    "frozen",
    [
        {"time_limit_seconds": 60},
        {"multiple_scoring": "partial"},
        {"score_step": Decimal(1)},
        {"pass_percent": Decimal(80)},
        {"counting_policy": "latest"},
        {"composition": "random"},
    ],
)
def test_a_published_exam_keeps_its_paper_timing_and_scoring(exam: Exam, frozen: dict[str, Any]) -> None:
    before = {name: getattr(exam, name) for name in frozen}
    with pytest.raises(errors.ExamNotEditable):
        exam_update(exam=exam, **frozen)
    exam.refresh_from_db()
    assert {name: getattr(exam, name) for name in frozen} == before


def test_a_published_exam_keeps_its_questions_and_rules(exam: Exam, bank: QuestionBank) -> None:
    count = exam.fixed_questions.count()
    one = [PaperItem(Question.objects.filter(bank=bank).order_by("id")[0], Decimal(100))]
    with pytest.raises(errors.ExamNotEditable):
        exam_update(exam=exam, fixed=one)
    with pytest.raises(errors.ExamNotEditable):
        exam_update(exam=exam, rules=[])
    assert exam.fixed_questions.count() == count


def test_a_closed_exam_is_as_frozen_as_a_published_one(exam: Exam) -> None:
    exam_close(exam=exam)
    with pytest.raises(errors.ExamNotEditable):
        exam_update(exam=exam, time_limit_seconds=60)


def test_update_refuses_a_window_that_closes_before_it_opens(exam: Exam) -> None:
    with pytest.raises(errors.InvalidComposition):
        exam_update(exam=exam, closes_at=exam.opens_at - timedelta(minutes=1))
    closes_at = exam.closes_at
    exam.refresh_from_db()
    assert exam.closes_at == closes_at


def test_submit_stores_every_answers_marks_in_one_statement(exam: Exam, people: People) -> None:
    """The marks are written by one ``UPDATE … FROM`` the rows packed into one parameter: right, wrong, partly
    right and unanswered questions each get their own mark."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.models import Answer

    attempt, _ = attempt_start(exam=exam, user=people.alice)
    paper = list(attempt.paper.order_by("position"))
    choices = {}
    for seq, row in enumerate(paper[:-1], start=1):  # the last question stays unanswered
        wrong = [letter for letter in "AB" if letter not in row.answer][:1]
        choices[row.question_id] = row.answer[:1] if row.kind == "multiple" else (wrong if seq % 2 else row.answer)
        answer_save(
            attempt_id=attempt.pk,
            user=people.alice,
            question_id=row.question_id,
            choices=choices[row.question_id],
            seq=seq,
        )
    with CaptureQueriesContext(connection) as queries:
        finished = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    table = Answer._meta.db_table
    assert [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')] != []
    assert len([q for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]) == 1
    marks = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "score"))
    assert set(marks) == set(choices) and None not in marks.values()
    for row in paper[:-1]:
        full = sorted(choices[row.question_id]) == sorted(row.answer)
        assert (marks[row.question_id] == row.points) is full, (row.kind, choices[row.question_id], row.answer)
    assert finished.score == sum((mark for mark in marks.values() if mark is not None), Decimal(0))
