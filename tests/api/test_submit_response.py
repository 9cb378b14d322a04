"""The submit response tells the truth: it equals what a later GET of the same attempt returns."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from quizzes.models import Attempt, AttemptQuestion
from tests.conftest import app_login, make_exam

pytestmark = pytest.mark.django_db


def _sit(client, exam, *, correct: bool) -> dict:
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    keys = {aq.question_id: aq for aq in AttemptQuestion.objects.filter(attempt_id=paper["id"])}
    for seq, q in enumerate(paper["questions"], start=1):
        aq = keys[q["question_id"]]
        wrong = [o["letter"] for o in aq.options if o["letter"] not in aq.answer][:1]
        choices = aq.answer if correct else wrong
        saved = client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}",
            {"choices": choices, "seq": seq},
            format="json",
        )
        assert saved.status_code == 200, saved.content
    submitted = client.post(f"/api/v1/attempts/{paper['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


def _without_clock(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "server_now"}


@pytest.mark.parametrize(
    ("policy", "second_is_better", "second_counts"),
    [
        ("highest", True, True),
        ("highest", False, False),
        ("latest", True, True),
        ("latest", False, True),
        ("first", True, False),
        ("first", False, False),
    ],
)
def test_submit_response_equals_the_later_get(tree, bank, people, policy, second_is_better, second_counts):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], max_attempts=2, counting_policy=policy)
    client = app_login(people.alice.username)

    first = _sit(client, exam, correct=not second_is_better)
    assert first["result"]["is_counted"] is True  # the only finished attempt always counts
    assert _without_clock(first) == _without_clock(client.get(f"/api/v1/attempts/{first['id']}").json())

    second = _sit(client, exam, correct=second_is_better)
    assert second["result"]["is_counted"] is second_counts
    assert _without_clock(second) == _without_clock(client.get(f"/api/v1/attempts/{second['id']}").json())
    assert Attempt.objects.get(pk=first["id"]).is_counted is not second_counts
    again = client.post(f"/api/v1/attempts/{second['id']}/submit").json()  # idempotent: the same answer
    assert _without_clock(again) == _without_clock(second)


def test_start_and_submit_answers_equal_the_later_get_with_a_question_left_unanswered(tree, bank, people):
    """The start answers from the paper it has just written (Attempt.fresh_paper) and the submit's review from
    the rows its marking read (Attempt.fresh_review), so neither is read back: both must still be what a GET
    returns, an unanswered and a wrong question included, with the review shown at once."""
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy="immediately")
    client = app_login(people.alice.username)
    started = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert started.status_code == 201
    paper = started.json()
    assert _without_clock(paper) == _without_clock(client.get(f"/api/v1/attempts/{paper['id']}").json())
    keys = {aq.question_id: aq for aq in AttemptQuestion.objects.filter(attempt_id=paper["id"])}
    for seq, q in enumerate(paper["questions"][:-1], start=1):
        aq = keys[q["question_id"]]
        wrong = [o["letter"] for o in aq.options if o["letter"] not in aq.answer][:1]
        choices = aq.answer if seq % 2 else wrong
        client.put(f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}", {"choices": choices, "seq": seq})
    submitted = client.post(f"/api/v1/attempts/{paper['id']}/submit").json()
    review = submitted["review"]
    assert review is not None and len(review) == len(paper["questions"])
    assert review[-1]["choices"] == [] and review[-1]["score"] == "0.00" and review[-1]["correct"] is False
    assert {r["correct"] for r in review[:-1]} == {True, False}
    assert _without_clock(submitted) == _without_clock(client.get(f"/api/v1/attempts/{paper['id']}").json())


def test_the_paper_written_in_one_statement_reads_back_as_the_start_gave_it(tree, bank, people):
    """``attempt_start`` writes its paper as one JSON parameter taken apart by the database: every value, text
    that JSON must escape and points with cents included, reads back through the ORM as the start gave it."""
    from decimal import Decimal

    from quizzes.models import Question
    from quizzes.services.attempts import attempt_start
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    odd = Question.objects.filter(bank=bank, kind="single").order_by("id")[0]
    odd.stem = '引号"、反斜杠\\、换行\n与 emoji 😀 的题干'
    odd.options = ["甲'乙", "丙\t丁", "[1, 2]", "null"]
    odd.explanation = '解析 {"a": 1}'
    odd.legal_basis = "《中华人民共和国民法典》第一千一百六十五条"
    odd.save()
    questions = list(Question.objects.filter(bank=bank).order_by("id"))
    exam = exam_publish(
        exam=exam_create(
            unit=tree.city,
            created_by=None,
            audience_units=[tree.city],
            fixed=[PaperItem(q, Decimal("2.50") if q.pk == odd.pk else Decimal(7)) for q in questions],
            title="回读",
            opens_at=timezone.now() - timedelta(hours=1),
            closes_at=timezone.now() + timedelta(days=1),
            time_limit_seconds=1800,
            shuffle_options=True,
        )
    )
    attempt, created = attempt_start(exam=exam, user=people.alice)
    assert created
    stored: list[dict[str, Any]] = [
        dict(row) for row in AttemptQuestion.objects.filter(attempt=attempt).order_by("position").values()
    ]
    assert attempt.fresh_paper is not None and len(stored) == len(questions) == len(attempt.fresh_paper)
    for row, given in zip(stored, attempt.fresh_paper, strict=True):
        assert {name: row[name] for name in given} == given
        assert type(row["points"]) is Decimal
    first = next(row for row in stored if row["question_id"] == odd.pk)
    assert first["stem"] == odd.stem and first["explanation"] == odd.explanation
    assert sorted(o["text"] for o in first["options"]) == sorted(odd.options)
    assert first["points"] == Decimal("2.50") and first["answer"] == list(odd.answer)
