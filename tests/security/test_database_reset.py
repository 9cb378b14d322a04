"""A database connection lost under a request in flight (issue #10): the server answers a retryable JSON 503
with Retry-After, not a 500, and the client's retry of the autosave completes, whether or not the first
try had committed. On PostgreSQL the connection is really terminated (pg_terminate_backend)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.db import InterfaceError, OperationalError, close_old_connections, connection, transaction
from django.test import Client, RequestFactory

from api.views import attempts as attempt_views
from api.views.errors import server_error
from config.postgresql.base import DatabaseWrapper as PostgresWrapper
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


def _checked() -> PostgresWrapper:
    """The connection as config.postgresql's wrapper, with its health check's state."""
    return cast(PostgresWrapper, connection)


def _backend_pid() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def _no_select_1(*args: Any, **kwargs: Any) -> bool:
    raise AssertionError("the health check asked PostgreSQL (SELECT 1)")


def _saved_once_then_idle(exam, people) -> tuple[Any, str, int, int]:
    """(client, save URL, attempt id, backend pid) after one save, the connection left idle as between two
    requests on a server: the next request's first query checks it first."""
    url, attempt_id = save_url(exam, people)
    client = app_login(people.alice.username)
    assert client.put(url, {"choices": ["A"], "seq": 1}, format="json").status_code == 200
    pid = _backend_pid()
    close_old_connections()  # a request's end, as the server has it (the test client switches that off)
    return client, url, attempt_id, pid


@pytest.mark.skipif(connection.vendor != "postgresql", reason="config.postgresql's health check")
@pytest.mark.django_db(transaction=True)
def test_a_sound_connection_is_kept_between_requests_without_asking_postgresql(exam, people, monkeypatch):
    client, url, _, pid = _saved_once_then_idle(exam, people)
    assert _checked().health_check_enabled and not _checked().health_check_done
    monkeypatch.setattr(connection, "is_usable", _no_select_1)

    assert client.put(url, {"choices": ["B"], "seq": 2}, format="json").json()["applied"] is True
    assert _checked().health_check_done and _backend_pid() == pid  # the same connection, no round trip for it


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a real PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_a_connection_terminated_between_requests_is_opened_afresh_before_the_next_save(exam, people, monkeypatch):
    client, url, attempt_id, pid = _saved_once_then_idle(exam, people)
    other = connection.copy()  # what a database restart, a failover or PgBouncer does to an idle connection
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(500):  # until PostgreSQL has said it (bounded: 5 s)
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.01)
    other.close()
    assert _checked().quiet_and_idle() is False  # the socket says so: PostgreSQL spoke unasked, then hung up
    monkeypatch.setattr(connection, "is_usable", _no_select_1)

    saved = client.put(url, {"choices": ["C"], "seq": 2}, format="json")  # no 503: the dead connection never served
    assert saved.status_code == 200 and saved.json()["applied"] is True
    assert _backend_pid() != pid
    assert Answer.objects.get(attempt_id=attempt_id).choices == ["C"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="config.postgresql's health check")
@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_is_checked_by_asking(monkeypatch):
    asked = []

    def is_usable() -> bool:
        asked.append(1)
        return True

    monkeypatch.setattr(connection, "is_usable", is_usable)
    with transaction.atomic():
        Answer.objects.exists()
        _checked().health_check_done = False  # as if a request began here
        assert _checked().quiet_and_idle() is None  # a transaction is open: the socket cannot tell
        Answer.objects.exists()
    assert asked == [1]
