"""The whole journey through HTTP, as a phone app (X-Session-Token) and as the browser (cookie + CSRF)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from quizzes.models import Question
from tests.conftest import PASSWORD, app_login

pytestmark = pytest.mark.django_db


def _assert_no_key(payload: Any) -> None:
    text = str(payload)
    for forbidden in ("'answer'", "explanation", "legal_basis", "'correct'"):
        assert forbidden not in text, f"{forbidden} leaked to a participant: {text[:300]}"


def test_app_client_journey(exam, people, bank):
    client = app_login(people.alice.username)

    me = client.get("/api/v1/me").json()
    assert me["real_name"] == "张三" and me["unit"]["name"] == "南关镇党政办"

    exams = client.get("/api/v1/exams/").json()["results"]
    assert [e["id"] for e in exams] == [exam.pk]

    started = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert started.status_code == 201, started.content
    paper = started.json()
    _assert_no_key(paper)
    assert paper["deadline"] and paper["server_now"]
    assert len(paper["questions"]) == 7

    keys = {q.pk: q.answer for q in Question.objects.filter(bank=bank)}
    for seq, question in enumerate(paper["questions"], start=1):
        qid = question["question_id"]
        saved = client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{qid}", {"choices": keys[qid], "seq": seq}, format="json"
        )
        assert saved.status_code == 200, saved.content
        assert saved.json()["applied"] is True
        _assert_no_key(saved.json())

    resumed = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert resumed.status_code == 200 and resumed.json()["id"] == paper["id"]
    assert all(q["saved"]["choices"] for q in resumed.json()["questions"])
    _assert_no_key(resumed.json())

    submitted = client.post(f"/api/v1/attempts/{paper['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    result = submitted.json()["result"]
    assert result["score"] == "100.00"
    assert result["grade"] == "优秀" and result["passed"] is True
    assert result["rank"] == 1 and result["ranked_count"] == 1
    review = submitted.json()["review"]
    assert review[0]["answer"] and review[0]["explanation"] == "解析。"

    board = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert board["count"] == 1
    assert board["results"][0]["name"] == "张三" and board["results"][0]["rank"] == 1
    units = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()["results"]
    town_a = next(row for row in units if row["unit_name"] == "南关镇")
    assert town_a["participants"] == 1 and town_a["rank"] == 1


def test_browser_client_journey_with_csrf(exam, people, bank):
    client = Client(enforce_csrf_checks=True)
    config = client.get("/_allauth/browser/v1/config")
    assert config.status_code == 200
    csrf = client.cookies["csrftoken"].value

    refused = client.post(
        "/_allauth/browser/v1/auth/login",
        {"username": people.bob.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert refused.status_code == 403  # no CSRF header

    login = client.post(
        "/_allauth/browser/v1/auth/login",
        {"username": people.bob.username, "password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert login.status_code == 200, login.content
    csrf = client.cookies["csrftoken"].value  # rotated at login

    assert client.get("/api/v1/me").json()["username"] == people.bob.username
    assert client.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 403  # session auth demands CSRF
    started = client.post(f"/api/v1/exams/{exam.pk}/attempts", headers={"X-CSRFToken": csrf})
    assert started.status_code == 201, started.content
    paper = started.json()
    _assert_no_key(paper)

    keys = {q.pk: q.answer for q in Question.objects.filter(bank=bank)}
    for seq, question in enumerate(paper["questions"], start=1):
        qid = question["question_id"]
        choices = keys[qid] if question["kind"] != "multiple" else keys[qid][:1]
        saved = client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{qid}",
            {"choices": choices, "seq": seq},
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )
        assert saved.status_code == 200, saved.content

    submitted = client.post(f"/api/v1/attempts/{paper['id']}/submit", headers={"X-CSRFToken": csrf})
    assert submitted.status_code == 200
    result = submitted.json()["result"]
    assert result["score"] == "60.00"  # multiples half-answered score 0 in all-or-nothing mode
    assert result["grade"] == "合格" and result["rank"] == 1

    board = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert board["results"][0]["name"] == "李四"
    assert re.match(r"\d+", str(board["results"][0]["time_used_seconds"]))
