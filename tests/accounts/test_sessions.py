"""The session engine on Redis (accounts/sessions.py): an authenticated request reads its session and its person
in one round trip, and the id kept beside the session is only a hint."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import usercache
from accounts.models import User
from accounts.sessions import HINT_PREFIX, SessionStore
from config.cache import HeldConnectionScript
from quizzes import caching
from tests.conftest import app_login

pytestmark = pytest.mark.skipif(settings.SESSION_ENGINE != "accounts.sessions", reason="sessions on Redis only")


@pytest.fixture
def commands(monkeypatch: Any) -> list[str]:
    """The Redis commands sent, by name (a pipeline's or a script's each count as what they send); the script that
    keeps a person unless an edit has left its mark (accounts/usercache.py ``_keep``: ``caching.store_current_unless``)
    as ``KEEP``."""
    sent: list[str] = []
    execute, run = redis.Redis.execute_command, HeldConnectionScript.__call__

    def recording(self: Any, *args: Any, **options: Any) -> Any:
        sent.append(str(args[0]).upper())
        return execute(self, *args, **options)

    def running(self: HeldConnectionScript, **given: Any) -> Any:  # a script is sent on the client's connection
        sent.append("KEEP" if self.registered.script == caching.STORE_UNLESS else "EVALSHA")
        return run(self, **given)

    monkeypatch.setattr(redis.Redis, "execute_command", recording)
    monkeypatch.setattr(HeldConnectionScript, "__call__", running)
    return sent


def _token(client: Any) -> str:
    return str(client._credentials["HTTP_X_SESSION_TOKEN"])


def test_an_authenticated_request_makes_one_round_trip_for_its_session_and_person(people, commands):
    client = app_login(people.alice.username)
    client.get("/api/v1/me")
    commands.clear()
    assert client.get("/api/v1/me").json()["username"] == people.alice.username
    assert commands == ["EVALSHA"]  # the session, its person and the people generation; the throttle batches


def test_a_changed_person_shows_on_the_next_request(people):
    client = app_login(people.alice.username)
    client.get("/api/v1/me")
    alice = User.objects.get(pk=people.alice.pk)
    alice.real_name = "张三丰"
    alice.save()
    assert client.get("/api/v1/me").json()["real_name"] == "张三丰"


def test_a_hint_naming_someone_else_is_not_taken(people):
    client = app_login(people.alice.username)
    app_login(people.bob.username).get("/api/v1/me")  # bob's entry in the cache
    cache.set(HINT_PREFIX + _token(client), people.bob.pk)
    assert client.get("/api/v1/me").json()["username"] == people.alice.username
    assert cache.get(HINT_PREFIX + _token(client)) == people.alice.pk  # put right


def test_keys_a_view_wants_are_read_along_for_the_sessions_own_person_only(people, commands):
    """``caching.want_with_session``: keys of the session's person's own, read in the session's round trip (a
    missing one as None); when the hint names someone else, none are offered, since they would be theirs."""
    token = _token(app_login(people.alice.username))
    cache.set(f"mine:{people.alice.pk}", ((1,), "alice's"))
    cache.set(f"mine:{people.bob.pk}", ((1,), "bob's"))
    caching.want_with_session("mine:", "absent:")
    commands.clear()
    SessionStore(token).load()
    assert commands == ["EVALSHA"]
    assert caching._read_along.get() == {
        f"mine:{people.alice.pk}": ((1,), "alice's"),
        f"absent:{people.alice.pk}": None,
    }
    cache.set(HINT_PREFIX + token, people.bob.pk)
    caching.want_with_session("mine:")
    SessionStore(token).load()
    assert caching._read_along.get() is None


def test_a_persons_place_in_an_exams_rank_index_is_read_along_for_the_sessions_own_person_only(people, exam, commands):
    """``want_with_session(place_in=…)``: the person's place in the exam's live rank index, read in the session's
    round trip; nothing when the index is not live (the board's read builds it) or the hint names someone else."""
    from quizzes import rankindex
    from tests.quizzes.test_caching import sit

    sit(people.alice.username, exam, correct=5)
    sit(people.bob.username, exam, correct=2)  # their results built the index
    token = _token(app_login(people.bob.username))
    caching.want_with_session(place_in=exam.pk)
    commands.clear()
    SessionStore(token).load()
    assert commands == ["EVALSHA"]
    placed = caching.placed_with_session(exam.pk)
    assert isinstance(placed, rankindex.Own) and (placed.better, placed.total) == (1, 2)
    assert placed.counted.user_id == people.bob.pk and caching.placed_with_session(exam.pk + 1) is None
    carol = _token(app_login(people.carol.username))
    caching.want_with_session(place_in=exam.pk)
    SessionStore(carol).load()
    assert caching.placed_with_session(exam.pk) == rankindex.UNRANKED
    cache.set(HINT_PREFIX + token, people.alice.pk)
    caching.want_with_session(place_in=exam.pk)
    SessionStore(token).load()
    assert caching.placed_with_session(exam.pk) is None
    cache.delete(rankindex.generation_key(exam.pk))
    caching.want_with_session(place_in=exam.pk)
    SessionStore(carol).load()
    assert caching.placed_with_session(exam.pk) is None


def test_a_session_without_a_hint_loads_as_before_and_gets_one(people, commands):
    client = app_login(people.alice.username)
    cache.delete(HINT_PREFIX + _token(client))
    assert client.get("/api/v1/me").status_code == 200
    assert cache.get(HINT_PREFIX + _token(client)) == people.alice.pk
    commands.clear()
    client.get("/api/v1/me")
    assert commands == ["EVALSHA"]


def test_logging_out_deletes_the_hint_and_the_token_stops_working(people):
    client = app_login(people.alice.username)
    token = _token(client)
    assert cache.get(HINT_PREFIX + token) == people.alice.pk
    assert client.delete("/_allauth/app/v1/auth/session").status_code == 401  # allauth: logged out
    assert cache.get(HINT_PREFIX + token) is None
    assert client.get("/api/v1/me").status_code == 401


def test_an_offer_is_taken_once_and_only_for_its_person(people, django_assert_num_queries):
    alice = User.objects.select_related("unit").get(pk=people.alice.pk)
    usercache.offer(alice)
    with django_assert_num_queries(0):
        assert usercache.cached_user(people.alice.pk) is alice
    assert usercache.cached_user(people.alice.pk) is not alice  # taken: the next read is the cache's own
    usercache.offer(alice)
    bob = usercache.cached_user(people.bob.pk)
    assert bob is not None and bob.username == people.bob.username


def test_an_offer_older_than_a_moment_is_not_taken(people, monkeypatch):
    alice = User.objects.select_related("unit").get(pk=people.alice.pk)
    usercache.offer(alice)
    clock = time.monotonic() + usercache.OFFER_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    assert usercache.cached_user(people.alice.pk) is not alice


def test_a_person_not_in_the_cache_is_read_once_and_kept_with_no_round_trip_to_ask_again(people, commands):
    """The session's round trip found no current entry (expired, or stored under an older people generation): the
    person is read from the database and kept, without a second round trip to learn the generation."""
    client = app_login(people.alice.username)
    client.get("/api/v1/me")
    for make_stale in (lambda: cache.delete(usercache.user_key(people.alice.pk)), caching.people_changed):
        make_stale()
        commands.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me").json()["username"] == people.alice.username
        assert len([q for q in queries if "accounts_user" in q["sql"]]) == 1
        assert commands == ["EVALSHA", "KEEP"]  # the round trip, then the person kept
        commands.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/me")
        assert (commands, len(queries)) == (["EVALSHA"], 0)


def test_an_absent_offer_is_taken_once_and_only_for_its_person(people, django_assert_num_queries, commands):
    app_login(people.bob.username)  # bob kept by his login
    generations, _found = caching.read_current([], (caching.PEOPLE_KEY,))
    usercache.offer_absent(people.alice.pk, generations)
    commands.clear()
    with django_assert_num_queries(1):
        alice = usercache.cached_user(people.alice.pk)
    assert alice is not None and alice.username == people.alice.username
    assert "EVALSHA" not in commands  # the generation came with the offer
    usercache.offer_absent(people.alice.pk, generations)
    with django_assert_num_queries(0):  # not taken for bob: bob from the cache, whom the login kept
        bob = usercache.cached_user(people.bob.pk)
    assert bob is not None and bob.username == people.bob.username
    usercache.offer_absent(people.alice.pk, generations)
    clock = time.monotonic() + usercache.OFFER_SECONDS + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "monotonic", lambda: clock)
        with django_assert_num_queries(0):  # too old: the cache's own read, which finds alice kept above
            assert usercache.cached_user(people.alice.pk) == alice


def test_a_login_writes_its_new_session_once_with_the_person_in_it(people, commands):
    """A login cycles its new session's key: the session is INSERTed once, at the end, with who is signed in (not
    INSERTed to reserve the key and UPDATEd after), and its token, data and hint are those of that row."""
    with CaptureQueriesContext(connection) as queries:
        client = app_login(people.alice.username)
    session_writes = [q["sql"].split()[0] for q in queries if '"django_session"' in q["sql"]]
    assert session_writes == ["INSERT"]
    assert commands.count("SET") == 2  # the session and its hint once each
    assert commands.count("KEEP") == 1  # and the person the login keeps
    token = _token(client)
    row = Session.objects.get(session_key=token)
    assert row.get_decoded()[SESSION_KEY] == str(people.alice.pk)
    assert cache.get(HINT_PREFIX + token) == people.alice.pk
    assert client.get("/api/v1/me").json()["username"] == people.alice.username


def test_a_saved_session_cycles_its_key_as_django_does(db):
    """A session already in the database keeps Django's cycle: its data under a new key, the old key gone. A new
    one cycled before its first save is INSERTed by that save, and UPDATEd by the next."""
    saved = SessionStore()
    saved["stage"] = "one"
    saved.save()
    old_key = saved.session_key
    saved.cycle_key()
    assert saved.session_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert SessionStore(saved.session_key)["stage"] == "one"

    fresh = SessionStore()
    fresh.cycle_key()
    key = fresh.session_key
    assert key is not None and not Session.objects.filter(session_key=key).exists()
    fresh["stage"] = "two"
    with CaptureQueriesContext(connection) as first:
        fresh.save()
    fresh["stage"] = "three"
    with CaptureQueriesContext(connection) as second:
        fresh.save()
    assert [q["sql"].split()[0] for q in first if '"django_session"' in q["sql"]] == ["INSERT"]
    assert [q["sql"].split()[0] for q in second if '"django_session"' in q["sql"]] == ["UPDATE"]
    assert fresh.session_key == key
    assert SessionStore(key)["stage"] == "three"


def test_the_persons_entry_is_unpickled_once_by_a_worker(people, monkeypatch):
    """The same bytes of the person's cache entry, read with the session, are not unpickled again
    (``usercache.entry_from``): each request still gets a person of its own."""
    import pickle

    client = app_login(people.alice.username)
    first = client.get("/api/v1/me")
    unpickled: list[Any] = []
    real = pickle.loads

    def loads(data: bytes) -> Any:
        unpickled.append(real(data))
        return unpickled[-1]

    monkeypatch.setattr(pickle, "loads", loads)  # Django's Redis serializer calls it
    assert client.get("/api/v1/me").json() == first.json()
    assert not [value for value in unpickled if isinstance(value, tuple) and isinstance(value[-1], User)]
