"""The signed-in person is read from the cache (accounts/usercache.py): no query on an authenticated request, yet
every change to the person or their unit shows on the next request."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from accounts import usercache
from accounts.models import User
from accounts.selectors import person_with_unit
from accounts.services import unit_create, user_create
from accounts.usercache import cached_user
from config.cache import reachable_redis
from tests.conftest import PASSWORD, app_login


def _me(client: Any) -> Any:
    return client.get("/api/v1/me")


def test_an_authenticated_request_reads_the_person_from_the_cache(people):
    client = app_login(people.alice.username)
    _me(client)
    with CaptureQueriesContext(connection) as queries:
        assert _me(client).status_code == 200
    assert [q["sql"] for q in queries if "accounts_user" in q["sql"]] == []


def test_the_login_leaves_the_person_in_the_cache_for_the_first_request(people):
    """At an exam's opening every participant logs in and asks at once: the first request of a session reads the
    person from the cache too (the login put them there after saving last_login)."""
    client = app_login(people.alice.username)
    with CaptureQueriesContext(connection) as queries:
        assert _me(client).json()["unit"]["name"] == "南关镇党政办"
    assert [q["sql"] for q in queries if "accounts_user" in q["sql"]] == []


def _seconds_left(key: str) -> float:
    """How long the cache keeps ``key`` still: Redis's TTL, or local memory's expiry."""
    backend = reachable_redis()
    if backend is not None:
        return float(backend.client().ttl(backend.make_key(key)))
    expiry: float = cache._expire_info[cache.make_key(key)]  # type: ignore[attr-defined]
    return expiry - time.time()


def test_the_login_caches_the_row_it_checked_the_password_against(people):
    """The login reads the person once, with their unit; that instance is what the cache holds, as a fresh read
    would have it (last_login saved), not where the login came in (``backend``), and as long as a person read on a
    request: an edit committed between the login's read and its store could not stay (the next tests)."""
    with CaptureQueriesContext(connection) as queries:
        app_login(people.alice.username)
    assert len([q for q in queries if q["sql"].startswith("SELECT") and "accounts_user" in q["sql"]]) == 1
    assert usercache.TTL - 5 < _seconds_left(usercache.user_key(people.alice.pk)) <= usercache.TTL
    cached = cached_user(people.alice.pk)
    assert cached is not None and cached.last_login is not None
    assert cached.last_login == User.objects.get(pk=people.alice.pk).last_login
    assert "backend" not in cached.__dict__
    with CaptureQueriesContext(connection) as queries:
        assert cached_user(people.alice.pk).unit.name == "南关镇党政办"  # type: ignore[union-attr]
    assert len(queries) == 0


def _edited_meanwhile(people: Any) -> None:
    """An organizer's edit of alice, committed (its forgetting done, at its commit too) while a request holds the
    row it read before."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        alice = User.objects.get(pk=people.alice.pk)
        alice.real_name = "张三丰"
        alice.is_active = False
        alice.save()


def test_a_login_does_not_keep_the_row_an_edit_changed_after_the_logins_read(people, monkeypatch):
    """The login reads the person before it checks the password, tens of milliseconds before it caches them: an
    edit committed in between is not undone by the login's store, whose entry would outlive the edit's forgetting."""
    read_for_login = usercache.read_for_login

    def read_then_edited(username: str) -> User | None:
        user = read_for_login(username)
        _edited_meanwhile(people)
        return user

    monkeypatch.setattr(usercache, "read_for_login", read_then_edited)
    app_login(people.alice.username)
    assert cache.get(usercache.user_key(people.alice.pk)) is None
    assert cached_user(people.alice.pk).is_active is False  # type: ignore[union-attr]


def test_a_request_does_not_keep_the_row_an_edit_changed_after_its_read(people, monkeypatch):
    """The same for a request that reads a person not in the cache: its store comes after the edit's forgetting."""

    def read_then_edited(*args: Any, **kwargs: Any) -> User | None:
        user = person_with_unit(*args, **kwargs)
        _edited_meanwhile(people)
        return user

    monkeypatch.setattr(usercache, "person_with_unit", read_then_edited)
    assert cached_user(people.alice.pk).real_name == "张三"  # type: ignore[union-attr]  # what it read
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:
        assert cached_user(people.alice.pk).real_name == "张三丰"  # type: ignore[union-attr]
    assert len(queries) == 1


def test_an_edit_leaves_a_mark_that_a_login_or_a_new_person_does_not(people):
    """The mark keeps the edited person out of the cache for a while; a login's save of last_login, the only save
    at every login, and a new account leave none, so the login's entry stays."""
    assert cache.get(usercache.edit_mark_key(people.alice.pk)) is None  # created
    app_login(people.alice.username)
    assert cache.get(usercache.edit_mark_key(people.alice.pk)) is None
    assert cache.get(usercache.user_key(people.alice.pk)) is not None
    alice = User.objects.get(pk=people.alice.pk)
    alice.real_name = "张三丰"
    alice.save(update_fields=["real_name"])
    assert cache.get(usercache.edit_mark_key(people.alice.pk)) is not None
    assert cache.get(usercache.user_key(people.alice.pk)) is None
    assert cached_user(people.alice.pk).real_name == "张三丰"  # type: ignore[union-attr]
    assert cache.get(usercache.user_key(people.alice.pk)) is None  # read from the database while the mark lasts
    alice.delete()
    assert cached_user(people.alice.pk) is None


def test_a_saved_person_is_read_again(people):
    client = app_login(people.alice.username)
    _me(client)
    alice = User.objects.get(pk=people.alice.pk)
    alice.real_name = "张三丰"
    alice.save()
    assert _me(client).json()["real_name"] == "张三丰"


def test_a_deactivated_person_is_logged_out_at_once_even_by_a_bulk_update(people):
    """The roster deactivates by queryset update (no signal); it bumps the people generation."""
    from quizzes import caching

    client = app_login(people.alice.username)
    assert _me(client).status_code == 200
    User.objects.filter(pk=people.alice.pk).update(is_active=False)
    caching.people_changed()
    assert _me(client).status_code == 401


def test_a_changed_password_ends_the_other_sessions(people):
    client = app_login(people.alice.username)
    assert _me(client).status_code == 200
    alice = User.objects.get(pk=people.alice.pk)
    alice.set_password("Another-Passw0rd-2026")
    alice.save()
    assert _me(client).status_code == 401  # the session's password hash no longer matches


def test_a_renamed_or_new_unit_shows_at_once(people, tree):
    client = app_login(people.alice.username)
    assert _me(client).json()["unit"]["name"] == "南关镇党政办"
    office = tree.town_a_office
    office.name = "南关镇综合办"
    office.save()
    assert _me(client).json()["unit"]["name"] == "南关镇综合办"
    unit_create(name="新单位", parent=tree.city)
    assert _me(client).status_code == 200


def test_an_unknown_person_is_none(db):
    assert cached_user(987654) is None
    someone = user_create(username="13900000009", password=PASSWORD)
    assert cached_user(someone.pk) == someone
    someone.delete()
    assert cached_user(someone.pk) is None


def test_a_token_is_looked_up_by_loading_its_session_once(people, settings):
    """api.authentication.SessionTokenStrategy: one read of the session (allauth's own asks whether it exists,
    then loads it), and an unknown, logged-out or expired token is still a 401."""
    from django.contrib.sessions.models import Session

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # the session reads show as queries
    client = app_login(people.alice.username)
    _me(client)
    with CaptureQueriesContext(connection) as queries:
        assert _me(client).status_code == 200
    assert len([q for q in queries if "django_session" in q["sql"]]) == 1
    token = client._credentials["HTTP_X_SESSION_TOKEN"]  # type: ignore[attr-defined]
    client.credentials(HTTP_X_SESSION_TOKEN="no-such-session-token")
    assert _me(client).status_code == 401
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert _me(client).status_code == 200
    Session.objects.filter(session_key=token).delete()
    assert _me(client).status_code == 401


def test_the_api_authenticates_as_allauth_does_and_would_report_to_its_session_tracking(people, monkeypatch):
    """api.authentication.SessionTokenAuthentication reads the person without allauth's wrappers: the same person, a
    session whose password hash no longer matches authenticates nobody, and were
    allauth's session tracking installed, it would hear of every authenticated request."""
    from allauth.usersessions.internal import usersessionkit

    from api import authentication

    tracked: list[Any] = []
    monkeypatch.setattr(authentication, "_tracks_sessions", lambda: True)
    monkeypatch.setattr(usersessionkit, "track_activity", lambda request, *, user, session: tracked.append(user))
    client = app_login(people.alice.username)
    assert _me(client).json()["username"] == people.alice.username
    assert [user.pk for user in tracked] == [people.alice.pk]
    User.objects.filter(pk=people.alice.pk).update(password="argon2$other")  # the session's hash is stale now
    usercache.forget_user(people.alice.pk)
    assert _me(client).status_code == 401
    assert len(tracked) == 1


def _as_loaded(user: User | None) -> dict[str, Any] | None:
    """A person's loaded values and their unit's, without the model state."""
    if user is None:
        return None
    unit = user._state.fields_cache["unit"]
    values = {key: value for key, value in user.__dict__.items() if key != "_state"}
    return {**values, "unit": None if unit is None else {k: v for k, v in unit.__dict__.items() if k != "_state"}}


def test_the_person_is_read_with_their_unit_in_one_written_out_statement_as_the_orm_loads_them(people):
    """``selectors.person_with_unit``, what a cache miss and a login read: the same instance as
    ``select_related("unit")`` gives, by pk (as a session holds it, text) or exact username, in one statement."""
    from accounts.selectors import person_with_unit

    nobody = user_create(username="13900000008", password=PASSWORD)  # no unit
    for person in (people.alice, nobody):
        expected = _as_loaded(User.objects.select_related("unit").get(pk=person.pk))
        for key, by_username in ((person.pk, False), (str(person.pk), False), (person.username, True)):
            with CaptureQueriesContext(connection) as queries:
                found = person_with_unit(key, by_username=by_username)
                assert _as_loaded(found) == expected
            assert len(queries) == 1  # the unit came with the person, even when there is none
            assert found is not None and not found._state.adding and found._state.db == "default"
    assert person_with_unit(987654) is None
    assert person_with_unit(None) is None
    assert person_with_unit("no-such-account", by_username=True) is None
    assert person_with_unit(str(people.alice.pk), by_username=True) is None  # a username, not a pk


def test_a_person_entry_is_unpickled_once_per_worker_and_each_request_gets_a_person_of_its_own(people):
    """accounts.sessions reads the person's entry as bytes in the session's round trip: the same bytes are
    unpickled once by a worker, and each request gets a copy whose attributes and state are its own."""
    import pickle

    from accounts.selectors import person_with_unit

    usercache._unpickled.clear()
    unpickled: list[bytes] = []

    def loads(raw: bytes) -> Any:
        unpickled.append(raw)
        return pickle.loads(raw)

    raw = pickle.dumps(((7,), person_with_unit(people.alice.pk)))
    generations, first = usercache.entry_from(raw, loads)
    again, second = usercache.entry_from(bytes(bytearray(raw)), loads)  # the same bytes, read again
    assert unpickled == [raw] and generations == again == (7,)
    assert first is not None and second is not None and first is not second
    assert second.unit is not None and (second.pk, second.real_name, second.unit.name) == (
        people.alice.pk,
        "张三",
        "南关镇党政办",
    )
    first.real_name = "改名"
    first._perm_cache = {"quizzes.view_exam"}  # type: ignore[attr-defined]  # as a permission check leaves it
    first._state.fields_cache["unit"] = None
    _, third = usercache.entry_from(raw, loads)
    assert third is not None and third.real_name == "张三" and not hasattr(third, "_perm_cache")
    assert third.unit is not None and third.unit.name == "南关镇党政办"
    assert len(unpickled) == 1

    alice = User.objects.get(pk=people.alice.pk)
    alice.real_name = "张三丰"
    alice.save()
    _, changed = usercache.entry_from(pickle.dumps(((8,), person_with_unit(people.alice.pk))), loads)
    assert changed is not None and changed.real_name == "张三丰" and len(unpickled) == 2  # other bytes: unpickled
