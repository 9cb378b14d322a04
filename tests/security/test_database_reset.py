"""A database connection lost under a request in flight (issue #10): the server answers a retryable JSON 503
with Retry-After, not a 500, and the client's retry of the autosave completes, whether or not the first
try had committed. On PostgreSQL the connection is really terminated (pg_terminate_backend)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.test import Client, RequestFactory

from api.views import attempts as attempt_views
from api.views.errors import server_error
from quizzes.models import Answer
from quizzes.services import attempts as attempt_services
from quizzes.services.attempts import attempt_start
from tests.conftest import app_login

pytestmark = pytest.mark.django_db


def once(error: Exception, then: Callable[..., Any]) -> Callable[..., Any]:
    """A stand-in that raises ``error`` on its first call and behaves as ``then`` afterwards."""
    calls = []

    def call(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise error
        return then(*args, **kwargs)

    return call


def save_url(exam, people) -> tuple[str, int]:
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    question = attempt.paper.filter(kind="single").earliest("position")
    return f"/api/v1/attempts/{attempt.pk}/answers/{question.question_id}", attempt.pk


def assert_retryable_503(response) -> None:
    assert response.status_code == 503, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"), InterfaceError()])
def test_a_connection_lost_before_the_save_is_a_503_and_the_retry_saves(exam, people, monkeypatch, error):
    url, attempt_id = save_url(exam, people)
    monkeypatch.setattr(attempt_services, "_answer_row_upsert", once(error, attempt_services._answer_row_upsert))
    client = app_login(people.alice.username)
    client.raise_request_exception = False
    assert_retryable_503(client.put(url, {"choices": ["A"], "seq": 1}, format="json"))
    assert not Answer.objects.filter(attempt_id=attempt_id).exists()  # rolled back: nothing half-written

    retry = client.put(url, {"choices": ["A"], "seq": 1}, format="json")
    assert retry.status_code == 200 and retry.json()["applied"] is True
    assert Answer.objects.get(attempt_id=attempt_id).choices == ["A"]


def test_a_connection_lost_after_the_commit_is_a_503_and_the_retry_answers_as_the_first_save(exam, people, monkeypatch):
    url, attempt_id = save_url(exam, people)
    lost = OperationalError("SSL connection has been closed unexpectedly")
    serializer = attempt_views.AnswerOutputSerializer  # type: ignore[attr-defined]
    monkeypatch.setattr(attempt_views, "AnswerOutputSerializer", once(lost, serializer))
    client = app_login(people.alice.username)
    client.raise_request_exception = False
    assert_retryable_503(client.put(url, {"choices": ["B"], "seq": 3}, format="json"))
    stored = Answer.objects.get(attempt_id=attempt_id)
    assert (stored.choices, stored.seq) == (["B"], 3)  # committed, but the client was never told

    retry = client.put(url, {"choices": ["B"], "seq": 3}, format="json").json()
    assert (retry["applied"], retry["choices"], retry["seq"]) == (True, ["B"], 3)
    assert Answer.objects.filter(attempt_id=attempt_id).count() == 1
    assert Answer.objects.get(attempt_id=attempt_id).saved_at == stored.saved_at  # not written twice


def test_a_lost_connection_outside_the_api_is_a_plain_503_and_other_faults_stay_500(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"]
    assert response["Content-Type"].startswith("text/html")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(RequestFactory().get("/api/v1/me"))
    assert response.status_code == 500 and not response.has_header("Retry-After")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a real PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backend_terminated_under_an_autosave(exam, people, monkeypatch):
    url, attempt_id = save_url(exam, people)

    def terminate_then_save(*args: Any, **kwargs: Any) -> Any:
        with connection.cursor() as cursor:  # what a database restart or failover does to the connection
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        raise AssertionError("the terminated connection answered")  # pragma: no cover

    monkeypatch.setattr(attempt_services, "_answer_row_upsert", terminate_then_save)
    client = app_login(people.alice.username)
    client.raise_request_exception = False
    assert_retryable_503(client.put(url, {"choices": ["C"], "seq": 1}, format="json"))

    # Django closes an unusable connection when a request ends (the test client switches that off: do it here)
    close_old_connections()
    monkeypatch.undo()
    retry = client.put(url, {"choices": ["C"], "seq": 1}, format="json")
    assert retry.status_code == 200 and retry.json()["applied"] is True
    assert Answer.objects.get(attempt_id=attempt_id).choices == ["C"]
    assert Client().get("/api/v1/").status_code == 200  # and the server goes on serving
