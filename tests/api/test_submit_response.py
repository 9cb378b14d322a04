"""The submit response tells the truth: it equals what a later GET of the same attempt returns."""

from __future__ import annotations

import pytest

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
