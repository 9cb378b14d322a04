"""Drafts are for the organizers who manage them; a draft's paper has bounded size (issue #10)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.conftest import app_login, make_bank, make_exam


def test_hr_and_participants_never_see_drafts(tree, people, bank):
    draft = make_exam(unit=tree.city, bank=bank, audience=[tree.city], publish=False, title="草稿考试")
    for username in (people.hr_b.username, people.bob.username):
        client = app_login(username)
        assert "草稿考试" not in {e["title"] for e in client.get("/api/v1/exams/").json()["results"]}, username
        assert client.get(f"/api/v1/exams/{draft.pk}/").status_code == 404, username
        assert client.get(f"/api/v1/exams/{draft.pk}/leaderboard/people").status_code == 404, username
    organizer = app_login(people.organizer.username)
    assert "草稿考试" in {e["title"] for e in organizer.get("/api/v1/exams/").json()["results"]}
    assert organizer.get(f"/api/v1/exams/{draft.pk}/").json()["management"] is not None
    # an organizer of a town does not manage the city's draft
    assert app_login(people.organizer_a.username).get(f"/api/v1/exams/{draft.pk}/").status_code == 404


def exam_body(**extra):
    now = timezone.now()
    return {
        "title": "随机组卷",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        **extra,
    }


def test_too_many_draw_rules_are_refused(tree, people):
    bank = make_bank(tree.city)
    rule = {"kind": "single", "bank_id": bank.pk, "count": 1, "points": "1"}
    organizer = app_login(people.organizer.username)
    refused = organizer.post("/api/v1/exams/", exam_body(composition="random", draw_rules=[rule] * 51), format="json")
    assert refused.status_code == 400
    assert "50" in str(refused.json()["error"]["fields"]["draw_rules"])
    accepted = organizer.post("/api/v1/exams/", exam_body(composition="random", draw_rules=[rule] * 50), format="json")
    assert accepted.status_code == 201, accepted.content


def test_too_many_fixed_questions_are_refused(tree, people):
    bank = make_bank(tree.city)
    item = {"question_id": bank.questions.earliest("id").pk, "points": "1"}
    organizer = app_login(people.organizer.username)
    refused = organizer.post("/api/v1/exams/", exam_body(fixed_questions=[item] * 201), format="json")
    assert refused.status_code == 400
    assert "200" in str(refused.json()["error"]["fields"]["fixed_questions"])


def test_a_paper_of_more_than_200_questions_is_refused(tree, people):
    bank = make_bank(tree.city)
    organizer = app_login(people.organizer.username)
    rules = [{"kind": "single", "bank_id": bank.pk, "count": 100, "points": "1"}] * 2
    accepted = organizer.post("/api/v1/exams/", exam_body(composition="random", draw_rules=rules), format="json")
    assert accepted.status_code == 201, accepted.content
    rules = [*rules, {"kind": "judge", "bank_id": bank.pk, "count": 1, "points": "1"}]
    refused = organizer.post("/api/v1/exams/", exam_body(composition="random", draw_rules=rules), format="json")
    assert refused.status_code == 400
    assert "200" in str(refused.json()["error"]["fields"]["draw_rules"])
    patched = organizer.patch(f"/api/v1/exams/{accepted.json()['id']}/", {"draw_rules": rules}, format="json")
    assert patched.status_code == 400 and "draw_rules" in patched.json()["error"]["fields"]
    huge = [{"kind": "single", "bank_id": bank.pk, "count": 500, "points": "1"}] * 1000
    refused = organizer.post("/api/v1/exams/", exam_body(composition="random", draw_rules=huge), format="json")
    assert refused.status_code == 400


def test_a_question_twice_on_a_fixed_paper_is_a_field_error_not_a_500(tree, people):
    bank = make_bank(tree.city)
    item = {"question_id": bank.questions.earliest("id").pk, "points": "1"}
    refused = app_login(people.organizer.username).post("/api/v1/exams/", exam_body(fixed_questions=[item] * 2))
    assert refused.status_code == 400
    assert "fixed_questions" in refused.json()["error"]["fields"]


def test_the_exam_service_holds_the_limits_for_every_caller(tree, people):
    from decimal import Decimal
    from typing import Any

    import pytest

    from quizzes.errors import InvalidComposition
    from quizzes.models import Question
    from quizzes.services.exams import PaperItem, RuleSpec, exam_create

    bank = make_bank(tree.city)
    now = timezone.now()
    window: dict[str, Any] = {"opens_at": now, "closes_at": now + timedelta(days=1), "title": "t"}
    question = Question.objects.filter(bank=bank).earliest("id")
    with pytest.raises(InvalidComposition) as caught:
        exam_create(unit=tree.city, created_by=None, fixed=[PaperItem(question, Decimal(1))] * 201, **window)
    assert "fixed_questions" in caught.value.fields
    rule = RuleSpec(kind="single", bank_id=bank.pk, count=1, points=Decimal(1))
    with pytest.raises(InvalidComposition) as caught:
        exam_create(unit=tree.city, created_by=None, composition="random", rules=[rule] * 51, **window)
    assert "draw_rules" in caught.value.fields
