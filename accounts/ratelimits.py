"""Fixed-window counters in the cache: the API's per-user throttle (api/throttling.py) and the login limits per
account and per client address (accounts/lockout.py).

One event costs one round trip to Redis: INCR and EXPIRE NX of every key in one pipeline, no lock and no history
list (allauth's and DRF's limiters read, rewrite and, for allauth, lock a pickled list of timestamps per key: four
round trips, and under a storm of logins from one NAT address its lock turns requests away by itself). Other
cache backends (locmem in development and tests) count with add + incr.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from config.cache import UNAVAILABLE, ResilientRedisCache

UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"600/m"``, ``"600/min"``, ``"10/5m"`` (allauth's ``"600/m/ip"`` is read as ``"600/m"``)."""
        amount, _, period = text.strip().partition("/")
        period = period.split("/", 1)[0]
        digits = "".join(c for c in period if c.isdigit())
        unit = period[len(digits) :]
        if unit not in UNITS or not amount.isdigit():
            raise ValueError(f"not a rate: {text!r} (expected e.g. 600/m)")
        return cls(int(amount), int(digits or 1) * UNITS[unit])


@dataclass(frozen=True)
class Hit:
    count: int  # events in the current window, this one included
    retry_after: int  # seconds until the window ends


def hit(keys: list[tuple[str, Rate]], *, now: float | None = None) -> list[Hit]:
    """Count one event under each ``(key, rate)`` in the rate's current window; one Redis round trip."""
    now = time.time() if now is None else now
    windows = []
    for key, rate in keys:
        index = int(now // rate.seconds)
        windows.append((f"rl:{key}:{rate.seconds}:{index}", rate, int((index + 1) * rate.seconds - now) + 1))
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        counts = _redis_counts(backend, windows)
    else:
        counts = []
        for key, rate, _ in windows:
            backend.add(key, 0, rate.seconds + 1)
            try:
                counts.append(backend.incr(key))
            except ValueError:  # expired between add and incr
                backend.set(key, 1, rate.seconds + 1)
                counts.append(1)
    return [Hit(int(count), retry) for count, (_, _, retry) in zip(counts, windows, strict=True)]


def _redis_counts(backend: RedisCache, windows: list[tuple[str, Rate, int]]) -> list[int]:
    """INCR and EXPIRE NX of every window's key in one pipeline. While Redis is unreachable
    (config.cache.ResilientRedisCache) nothing is counted: the limits let the request through."""
    if isinstance(backend, ResilientRedisCache) and not backend.available():
        return [0] * len(windows)
    try:
        client = backend._cache.get_client(write=True)
        pipe = client.pipeline(transaction=False)
        for key, rate, _ in windows:
            full = backend.make_key(key)
            pipe.incr(full)
            pipe.expire(full, rate.seconds + 1, nx=True)
        return [int(count) for count in pipe.execute()[::2]]
    except UNAVAILABLE as error:
        if not isinstance(backend, ResilientRedisCache):
            raise
        backend.failed(error)
        return [0] * len(windows)
