"""Django's Redis cache that degrades instead of failing when Redis cannot be reached.

Everything Xuefa keeps in the cache can be recomputed or done without: cached rankings and statistics
(read again from the database), the person behind a session (read from the database), sessions
(``cached_db``: the database holds them too), paper candidates, and the throttle and login counters.
So while Redis is unreachable a read is a miss and a write is skipped, and requests are served from the
database instead of answering 500. What is given up meanwhile, and why that is the better side for an
exam's opening: the API throttle and the login limits per address and per account count nothing (the
password policy and Argon2's cost still stand; docs/security.md).

After a failure the cache is not tried again for ``RETRY_SECONDS`` by that worker thread (a circuit breaker:
Django keeps a cache object per thread), so a Redis host that drops packets costs one connect timeout per
thread and interval, not one per request.
Connect and socket timeouts are short for the same reason (settings: ``socket_connect_timeout``,
``socket_timeout``). When Redis is back, values written before the outage may be stale for at most
``quizzes.caching.TTL`` seconds, the same safety net as for writes outside the services.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("xuefa.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
T = TypeVar("T")


def reachable_redis() -> ResilientRedisCache | None:
    """The default cache when it is Redis and reachable now, for what talks to Redis itself (scripts, sorted sets);
    None: do without (local memory in development and tests, or Redis down)."""
    from django.core.cache import caches

    backend = caches["default"]
    return backend if isinstance(backend, ResilientRedisCache) and backend.available() else None


class CacheUnavailable(Exception):
    """Redis cannot be reached now (for callers that talk to its client directly: accounts.ratelimits)."""


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client wrapper, keeping one ``redis.Redis`` per connection pool, each holding one connection of
    that pool for itself (``single_connection_client``).

    Django builds a new ``redis.Redis`` for every cache call, and each rebuilds its table of some 170 response
    callbacks: on a cached request that was more CPU than the round trips themselves (issue 9's profile). And a
    pooled client takes a connection from the pool and gives it back around every command, asking the socket
    each time whether stale data waits on it (a ``poll`` system call) and checking its arguments for deprecated
    ones: a sixth of the CPU of the session's round trip, which every authenticated request makes. Django keeps a
    cache object, and so this client, per thread, so the held connection is this thread's (redis-py still locks
    it around each command). Building the client connects, so callers build it inside the breaker (``guarded``)
    as they use it; a connection that fails is closed and opened again for one retry (``ResilientRedisCache``'s
    ``retry``). Pipelines (the rank index's build, the rate limits) take their own connection from the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # Django's private helpers, untyped in its stubs
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django_client._get_connection_pool(write)
            client = self._clients[index] = django_client._client(connection_pool=pool, single_connection_client=True)
        return client


class HeldConnectionScript:
    """A Lua script run by its hash on the connection that a ``ReusingRedisCacheClient`` client holds: the command
    written and its reply read by that redis-py connection, under that connection's retry policy (the cache's:
    ``ResilientRedisCache``, a dropped connection opened again for one more try, a timeout not retried), and a
    script Redis lost (a restart, ``SCRIPT FLUSH``) loaded again, as redis-py's ``Script`` does. The client's own
    path around each command (``execute_command``) adds a lock for a connection no other thread uses, and timings and
    counters for its observability hooks: with redis-py's ``Script`` around it, 57,000 of the 2.17 million
    instructions of an in-process ``GET /me``, whose session is one such script (accounts/sessions.py), like the
    rank index's and the generations' (issue 9, callgrind)."""

    def __init__(self, client: Any, source: str) -> None:
        self.client = client
        self.registered = client.register_script(source)  # redis-py's: the hash, and the source to load again

    def __call__(self, *, keys: Sequence[Any] = (), args: Sequence[Any] = ()) -> Any:
        try:
            return self._run(keys, args)
        except NoScriptError:  # Redis lost it: load it again (under the same hash, which is the source's)
            self.client.script_load(self.registered.script)
            return self._run(keys, args)

    def _run(self, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        connection = self.client.connection

        def run() -> Any:
            connection.send_command("EVALSHA", self.registered.sha, len(keys), *keys, *args)
            return connection.read_response()

        return connection.retry.call_with_retry(run, lambda _error: connection.disconnect())


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # A connection Redis has dropped (a restart, a failover, an idle timeout) fails its next command once and is
        # opened again for one more try: the pool used to notice such a connection when handing it out, and a
        # connection held by its client (ReusingRedisCacheClient) is never handed out. A timeout is not retried,
        # so a Redis that drops packets still costs one socket timeout before the breaker opens. Every command
        # Xuefa sends may run twice (reads, SET, and counters and generations that only need to move).
        options = {
            "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def client(self, *, write: bool = True) -> Any:
        """The pooled ``redis.Redis`` (the primary; a replica when there is one and ``write`` is False, as Django
        reads), for what Django's cache API lacks: scripts, sorted sets. Use it inside ``guarded``, with keys passed
        through ``make_key``."""
        return self._cache.get_client(write=write)

    def script(self, source: str, *, write: bool = True) -> HeldConnectionScript:
        """The Lua ``source`` for ``client(write=write)``, made once (a call runs it by its hash, loading it if
        Redis lost it)."""
        client = self.client(write=write)
        scripts: dict[tuple[int, str], HeldConnectionScript] = self.__dict__.setdefault("_scripts", {})
        script = scripts.get((id(client), source))
        if script is None:
            script = scripts[(id(client), source)] = HeldConnectionScript(client, source)
        return script

    def failed(self, error: BaseException) -> None:
        """Note an unreachable Redis: skip it for RETRY_SECONDS, and say so in the log once per interval."""
        if self.available():
            logger.warning("Redis unreachable (%s); serving without the cache for %.0f s", error, RETRY_SECONDS)
        self._down_until = time.monotonic() + RETRY_SECONDS

    def guarded(self, call: Callable[[], T], fallback: T) -> T:
        if not self.available():
            return fallback
        try:
            return call()
        except UNAVAILABLE as error:
            self.failed(error)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self.guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self.guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self.guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        """As Django's; one value is one ``SET`` with its expiry, where Django's sends a pipeline (``MULTI``, ``MSET``,
        ``EXPIRE``, ``EXEC``) on a connection taken from the pool: a participant's own leaderboard row is stored
        this way at their first look at each board."""
        if len(data) == 1:
            ((key, value),) = data.items()
            self.set(key, value, timeout, version)
            return []
        return self.guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), [])

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self.guarded(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self.guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """As Django's; while Redis is unreachable it raises ValueError, as for a missing key, so that callers
        fall back to ``set`` (skipped too): a counter then counts nothing."""
        missing = object()
        value = self.guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value  # type: ignore[return-value]
