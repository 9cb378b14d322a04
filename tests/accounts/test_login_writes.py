"""A login's writes as the database commits them (accounts/adapter.py, ``AccountAdapter.login``): ``last_login`` and
the audit record of the login in one transaction, the new session after the view, and the person cached for the
session's first request once that transaction has committed.

Transactional tests: in a test's own transaction nothing commits, and what happens at a commit (the forgetting of
a saved person, accounts/usercache.py) would not be seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import lockout, usercache
from accounts.models import AuditEvent, User
from quizzes.caching import PEOPLE_KEY, read_current
from tests.conftest import PASSWORD, app_login, statement_name

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def commits(monkeypatch: Any) -> Iterator[list[list[str]]]:
    """The writes the database commits, one list per commit: a write made in autocommit mode is a commit of its own;
    a transaction's writes are one list, at its COMMIT (and none at a rollback)."""
    committed: list[list[str]] = []
    pending: list[str] = []
    commit, rollback = connection.commit, connection.rollback

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if sql.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            if connection.get_autocommit():
                committed.append([statement_name(sql)])
            else:
                pending.append(statement_name(sql))
        return result

    def committing() -> None:
        commit()
        if pending:
            committed.append(pending.copy())
            pending.clear()

    def rolling_back() -> None:
        rollback()
        pending.clear()

    monkeypatch.setattr(connection, "commit", committing)
    monkeypatch.setattr(connection, "rollback", rolling_back)
    with connection.execute_wrapper(record):
        yield committed


# Redis sessions (accounts/sessions.py) are INSERTed once, after the view; Django's database sessions INSERT the new
# key when the login cycles it (in the login's transaction) and UPDATE the row after the view.
LOGIN_COMMITS = (
    [["UPDATE accounts_user", "INSERT accounts_auditevent"], ["INSERT django_session"]]
    if settings.SESSION_ENGINE == "accounts.sessions"
    else [["INSERT django_session", "UPDATE accounts_user", "INSERT accounts_auditevent"], ["UPDATE django_session"]]
)


def test_a_login_commits_last_login_and_its_audit_record_together(people, commits):
    app_login(people.alice.username)
    assert commits == LOGIN_COMMITS
    alice = User.objects.get(pk=people.alice.pk)
    assert alice.last_login is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, target_id=str(alice.pk)).count() == 1


def test_the_person_is_cached_after_the_login_has_committed(people):
    """The save of ``last_login`` forgets the person now and again at its commit; the login caches them after that
    commit, so the session's first request reads no row of theirs, and what it reads is what was committed."""
    client = app_login(people.alice.username)
    key = usercache.user_key(people.alice.pk)
    _generations, found = read_current([key], (PEOPLE_KEY,))
    assert key in found
    assert found[key].last_login == User.objects.get(pk=people.alice.pk).last_login
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me").json()["username"] == people.alice.username
    assert [q["sql"] for q in queries if '"accounts_user"' in q["sql"]] == []


def test_a_login_whose_audit_record_fails_writes_nothing(people, monkeypatch):
    """One transaction: when the audit record of a login cannot be written, ``last_login`` is not saved either, the
    answer hands out no session token, and nothing of the person is cached from it."""

    def failing(**kwargs: Any) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(lockout, "audit_record", failing)
    api = APIClient(raise_request_exception=False)
    response = api.post(
        "/_allauth/app/v1/auth/login", {"username": people.alice.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 500
    assert User.objects.get(pk=people.alice.pk).last_login is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
    assert b"session_token" not in response.content
    key = usercache.user_key(people.alice.pk)
    assert key not in read_current([key], (PEOPLE_KEY,))[1]
