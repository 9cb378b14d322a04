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
