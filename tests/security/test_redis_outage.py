"""A Redis outage degrades to the database instead of answering 500 (config/cache.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from config.cache import ResilientRedisCache
from quizzes.models import Question
from tests.conftest import app_login

pytestmark = pytest.mark.django_db

# nothing listens on port 1: every connection is refused at once
DOWN = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}


@pytest.fixture
def redis_down(settings: Any) -> ResilientRedisCache:
    settings.CACHES = DOWN
    settings.SESSION_ENGINE = "accounts.sessions"  # as in production: cached_db, with the person in its round trip
    backend = caches["default"]
    assert isinstance(backend, ResilientRedisCache)
    return backend


def test_a_participant_signs_in_sits_and_submits_while_redis_is_down(caplog, redis_down, exam, people, bank):
    caplog.set_level(logging.WARNING, logger="xuefa.cache")
    client = app_login(people.alice.username)  # the login limits count nothing, and let it through
    assert client.get("/api/v1/me").json()["username"] == people.alice.username
    assert [e["id"] for e in client.get("/api/v1/exams/").json()["results"]] == [exam.pk]
    started = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert started.status_code == 201, started.content
    paper = started.json()
    keys = {q.pk: q.answer for q in Question.objects.filter(bank=bank)}
    for seq, question in enumerate(paper["questions"], start=1):
        saved = client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{question['question_id']}",
            {"choices": keys[question["question_id"]], "seq": seq},
            format="json",
        )
        assert saved.status_code == 200, saved.content
    submitted = client.post(f"/api/v1/attempts/{paper['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["result"]["score"] == "100.00"
    board = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert board["results"][0]["name"] == "张三"
    units = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units")
    assert units.status_code == 200
    staff = app_login(people.organizer.username)
    assert staff.get(f"/api/v1/exams/{exam.pk}/stats").status_code == 200
    assert staff.get(f"/api/v1/exams/{exam.pk}/live").status_code == 200
    # said once per interval (the first time while the fixtures were made), not once per request
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert [r.getMessage()[:17] for r in records] == ["Redis unreachable"]


def test_after_a_failure_the_cache_is_left_alone_for_a_while(redis_down, monkeypatch):
    calls = []
    real_get_client = redis_down._cache.get_client

    def counting_get_client(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real_get_client(*args, **kwargs)

    monkeypatch.setattr(redis_down._cache, "get_client", counting_get_client)
    assert redis_down.get("k", "default") == "default"
    assert len(calls) == 1
    redis_down.set("k", 1)
    assert redis_down.get_many(["k"]) == {}
    assert redis_down.add("k", 1) is False
    with pytest.raises(ValueError, match="unavailable"):
        redis_down.incr("k")
    assert len(calls) == 1  # the breaker is open: Redis was not tried again
    monkeypatch.setattr("config.cache.time.monotonic", lambda: redis_down._down_until + 1)
    assert redis_down.has_key("k") is False
    assert len(calls) == 2  # tried again after RETRY_SECONDS


def test_a_redis_down_when_the_cache_first_needs_its_client_is_an_outage_like_any_other(redis_down):
    """The client holds a connection of its own (config.cache.ReusingRedisCacheClient), so building it connects:
    while Redis cannot be reached that fails inside the breaker, and no client is kept until one is built."""
    assert redis_down.get("k", "default") == "default"
    assert not redis_down.available()
    assert redis_down._cache._clients == {}


@pytest.mark.skipif(not settings.REDIS_URL, reason="the client of a Redis that answers")
def test_the_cache_keeps_one_redis_client_per_pool_on_a_connection_of_its_own_which_survives_a_reconnect():
    """Django builds a redis.Redis per cache call (and each rebuilds its response-callback table); ours keeps one
    per pool, holding one connection of it, and that connection is opened again when Redis dropped it."""
    backend = caches["default"]
    assert isinstance(backend, ResilientRedisCache)
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client() is client  # one server: reads and writes share its pool
    assert client.connection_pool is backend._cache._get_connection_pool(True)  # type: ignore[attr-defined]
    held = client.connection
    assert held is not None  # not taken from the pool and given back around each command
    backend.set("outage-probe", 1)
    assert backend.get("outage-probe") == 1
    name = f"xuefa-probe-{id(held)}"
    client.client_setname(name)
    other = redis.Redis.from_url(settings.REDIS_URL)
    assert other.client_kill_filter(_id=str(client.client_id())) == 1  # Redis drops the held connection
    other.close()
    assert backend.get("outage-probe") == 1  # redis-py connected again and retried the read
    assert backend.available() and client.connection is held and client.client_getname() != name
    backend.delete("outage-probe")


@pytest.mark.skipif(not settings.REDIS_URL, reason="Redis's command statistics")
def test_one_value_set_many_is_one_set_with_its_expiry():
    backend = caches["default"]
    client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]

    def calls() -> dict[str, int]:
        stats = client.info("commandstats")
        return {name: stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("set", "mset", "multi", "expire")}

    before = calls()
    backend.set_many({"one-value": [1, 2]}, timeout=30)
    after = calls()
    assert {name: after[name] - before[name] for name in after} == {"set": 1, "mset": 0, "multi": 0, "expire": 0}
    assert backend.get("one-value") == [1, 2] and 0 < client.ttl(backend.make_key("one-value")) <= 30
    backend.set_many({"two-a": 1, "two-b": 2}, timeout=30)  # more values: Django's pipeline, as before
    assert (
        backend.get_many(["two-a", "two-b"]) == {"two-a": 1, "two-b": 2} and client.ttl(backend.make_key("two-b")) > 0
    )
    backend.delete_many(["one-value", "two-a", "two-b"])


@pytest.mark.skipif(not settings.REDIS_URL, reason="a Redis that answers")
def test_a_script_runs_on_the_clients_own_connection_and_outlives_a_dropped_connection_and_a_lost_script():
    """config.cache.HeldConnectionScript: the Lua scripts (every authenticated request's session among them) are
    sent on the connection that the cache's client holds, without the client's per-command path; a connection
    Redis dropped is opened again for one more try, and a script Redis lost is loaded again."""
    backend = caches["default"]
    assert isinstance(backend, ResilientRedisCache)
    client = backend._cache.get_client(write=True)
    held = client.connection
    script = backend.script("return {ARGV[1], redis.call('GET', KEYS[1])}")
    assert backend.script("return {ARGV[1], redis.call('GET', KEYS[1])}") is script  # made once
    backend.set("script-probe", 41)
    key = backend.make_key("script-probe")
    other = redis.Redis.from_url(settings.REDIS_URL)
    try:
        other.script_flush()  # whatever an earlier run left: the first run below loads the script, as after a restart
        assert script(keys=[key], args=["w"]) == [b"w", b"41"]
        held_id = client.client_id()
        with pytest.MonkeyPatch.context() as patch:  # a loaded script: not through the client's per-command path
            patch.setattr(redis.Redis, "execute_command", lambda *args, **options: pytest.fail("the client's path"))
            assert script(keys=[key], args=["x"]) == [b"x", b"41"]
        [info] = other.client_list(client_id=[held_id])
        assert info["cmd"] == "evalsha" and client.connection is held  # sent on the client's own connection

        assert other.client_kill_filter(_id=str(client.client_id())) == 1  # Redis drops the held connection
        assert script(keys=[key], args=["y"]) == [b"y", b"41"]  # opened again, and the script run once more
        assert client.connection is held

        other.script_flush()  # a restart loses the scripts
        assert script(keys=[key], args=["z"]) == [b"z", b"41"]

        failing = backend.script("return redis.error_reply('boom')")
        with pytest.raises(redis.ResponseError, match="boom"):
            failing()
        assert script(keys=[key], args=["after"]) == [b"after", b"41"]  # the connection still in step
    finally:
        other.close()
        backend.delete("script-probe")
