"""Bad input gets a 4xx with a stable code and field errors, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quizzes.models import Answer
from tests.conftest import app_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(exam, people):
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    by_kind: dict[str, dict] = {}
    for q in paper["questions"]:
        by_kind.setdefault(q["kind"], q)
    return client, paper, by_kind


def _put(client, paper, qid, body, **kwargs):
    return client.put(f"/api/v1/attempts/{paper['id']}/answers/{qid}", body, **kwargs)


def test_malformed_json(sitting):
    client, paper, by_kind = sitting
    response = _put(
        client, paper, by_kind["single"]["question_id"], '{"choices": ["A"', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"choices": "A", "seq": 1}, "choices"),
        ({"choices": ["A"], "seq": "first"}, "seq"),
        ({"choices": ["A"], "seq": -1}, "seq"),
        ({"choices": [1, {"x": 2}], "seq": 1}, "choices"),
        ({"seq": 1}, "choices"),
        ({"choices": ["A"]}, "seq"),
        ({"choices": ["AB"], "seq": 1}, "choices"),
    ],
)
def test_wrong_types_name_the_field(sitting, body, field):
    client, paper, by_kind = sitting
    response = _put(client, paper, by_kind["single"]["question_id"], body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and field in error["fields"]
    assert error["message"] == "提交的数据有误。"
    assert not Answer.objects.exists()


def test_unknown_question(sitting):
    client, paper, _ = sitting
    response = _put(client, paper, 987654, {"choices": ["A"], "seq": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "question_not_on_paper"
    assert "question_id" in response.json()["error"]["fields"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("kind", "choices", "message_part"),
    [
        ("single", ["A", "B"], "只能选择一个"),
        ("judge", ["A", "B"], "只能选择一个"),
        ("single", ["H"], "不在本题选项中"),
        ("judge", ["C"], "不在本题选项中"),
        ("multiple", ["A", "A"], "选项重复"),
    ],
)
def test_choices_not_on_paper_or_too_many(sitting, kind, choices, message_part):
    client, paper, by_kind = sitting
    response = _put(client, paper, by_kind[kind]["question_id"], {"choices": choices, "seq": 1}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_choices"
    assert any(message_part in m for m in error["fields"]["choices"])
    assert not Answer.objects.exists()


def test_autosave_after_deadline(sitting):
    client, paper, by_kind = sitting
    from quizzes.models import Attempt

    deadline = Attempt.objects.get(pk=paper["id"]).deadline
    with time_machine.travel(deadline + timedelta(seconds=5), tick=False):
        response = _put(client, paper, by_kind["single"]["question_id"], {"choices": ["A"], "seq": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "attempt_expired", "message": "考试时间已到，答案不再保存。"}
    assert not Answer.objects.exists()


def test_someone_elses_attempt_is_not_found(sitting, people):
    _, paper, by_kind = sitting
    intruder = app_login(people.bob.username)
    response = _put(intruder, paper, by_kind["single"]["question_id"], {"choices": ["A"], "seq": 1}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert intruder.post(f"/api/v1/attempts/{paper['id']}/submit").status_code == 404
    assert intruder.get(f"/api/v1/attempts/{paper['id']}").status_code == 404
    assert not Answer.objects.exists()


def test_anonymous_is_refused_with_a_code(exam):
    from rest_framework.test import APIClient

    response = APIClient().post(f"/api/v1/exams/{exam.pk}/attempts")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "X-Session-Token"  # 403 before #10
    assert response.json()["error"]["code"] == "not_authenticated"


def test_domain_errors_over_http(tree, bank, people):
    from tests.conftest import make_exam

    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.town_a], max_attempts=1)
    outsider = app_login(people.bob.username)
    refused = outsider.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_in_audience"

    client = app_login(people.alice.username)
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    again = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_attempts_left"

    with time_machine.travel(exam.closes_at + timedelta(minutes=1), tick=False):
        closed = app_login(people.carol.username).post(f"/api/v1/exams/{exam.pk}/attempts")
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "exam_outside_window"


def test_ids_beyond_64_bits_are_client_errors(exam, people):
    organizer = app_login(people.organizer.username)
    huge = 2**70
    assert organizer.get(f"/api/v1/exams/{huge}/").status_code == 404
    assert (
        organizer.put(f"/api/v1/attempts/1/answers/{huge}", {"choices": [], "seq": 1}, format="json").status_code == 404
    )
    response = organizer.patch(f"/api/v1/exams/{exam.pk}/", {"audience_unit_ids": [huge]}, format="json")
    assert response.status_code == 400 and "audience_unit_ids" in response.json()["error"]["fields"]
    response = organizer.post(f"/api/v1/exams/{exam.pk}/regrade", {"question_id": huge}, format="json")
    assert response.status_code == 400 and "question_id" in response.json()["error"]["fields"]


@pytest.mark.parametrize("moment", ["1250-05-26T09:12:53+08:00", "1900-12-31T23:00:00Z", "2300-01-01T00:00:00Z"])
def test_exam_window_outside_sensible_years_is_a_field_error(exam, people, moment):
    """Found by schemathesis: a date before 1901 was stored and echoed with Shanghai's LMT offset."""
    organizer = app_login(people.organizer.username)
    response = organizer.patch(f"/api/v1/exams/{exam.pk}/", {"opens_at": moment}, format="json")
    assert response.status_code == 400 and "opens_at" in response.json()["error"]["fields"]


def test_duplicate_bank_name_is_a_field_error(bank, people):
    organizer = app_login(people.organizer.username)
    response = organizer.post("/api/v1/banks/", {"name": bank.name}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bank_name_taken" and "name" in response.json()["error"]["fields"]


def test_site_settings_patch_needs_the_switch(people):
    organizer = app_login(people.organizer.username)
    response = organizer.patch("/api/v1/site-settings", {}, format="json")
    assert response.status_code == 400 and "self_signup_enabled" in response.json()["error"]["fields"]


def test_exam_actions_accept_only_post(exam, people):
    organizer = app_login(people.organizer.username)
    for action in ("publish", "close", "regrade"):
        assert organizer.get(f"/api/v1/exams/{exam.pk}/{action}").status_code == 405
        assert organizer.patch(f"/api/v1/exams/{exam.pk}/{action}", {}, format="json").status_code == 405


def test_messages_follow_the_clients_language(exam, people):
    """Chinese first; a client that asks for English gets English messages with the same codes."""
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    url = f"/api/v1/attempts/{paper['id']}/answers/987654"
    chinese = client.put(url, {"choices": ["A"], "seq": 1}, format="json").json()["error"]
    english = client.put(url, {"choices": ["A"], "seq": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert chinese["code"] == english["code"] == "question_not_on_paper"
    assert chinese["message"] == "该题不在本次试卷中。"
    assert english["message"] == "This question is not part of this exam paper."


def test_invalid_question_is_refused_by_the_service_with_field_errors(bank, people):
    organizer = app_login(people.organizer.username)
    before = bank.questions.count()
    response = organizer.post(
        f"/api/v1/banks/{bank.pk}/questions/",
        {"kind": "single", "stem": "题干（ ）。", "options": ["甲"], "answer": ["A", "C"]},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_question" and set(error["fields"]) == {"options", "answer"}
    question = bank.questions.earliest("id")
    edit = organizer.put(
        f"/api/v1/banks/{bank.pk}/questions/{question.pk}/",
        {"kind": "judge", "stem": question.stem, "answer": ["A", "B"]},
        format="json",
    )
    assert edit.status_code == 400 and edit.json()["error"]["fields"]["answer"] == ["单选题和判断题只能有一个答案。"]
    assert bank.questions.count() == before
    question.refresh_from_db()
    assert question.kind == "single"
