"""Fixed-window counters in the cache: the API's per-user throttle (api/throttling.py) and the login limits per
account and per client address (accounts/lockout.py).

The throttle counts in batches (``BatchedCounter``): each worker process counts a person's requests itself and
adds them to the shared counter ``batch`` at a time, so a person far below the limit (a participant saves an
answer every few seconds at most) costs no round trip at all. The price is a bounded overshoot: each worker
may let through up to ``batch - 1`` requests that the shared counter has not seen, with ``batch`` a 60th of the
limit (10 for 600 a minute; limits under 120 a window count every request). The login limits count every
event (``hit``).

One event costs one round trip to Redis: INCR and EXPIRE NX of every key in one pipeline, no lock and no history
list (allauth's and DRF's limiters read, rewrite and, for allauth, lock a pickled list of timestamps per key: four
round trips, and under a storm of logins from one NAT address its lock turns requests away by itself). Other
cache backends (locmem in development and tests) count with add + incr.
"""

from __future__ import annotations

import functools
import threading
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
    @functools.cache  # the API throttle reads its setting on every request
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


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """The number of ``rate``'s window at ``now``, and the seconds until it ends (rounded up)."""
    index = int(now // rate.seconds)
    return index, int((index + 1) * rate.seconds - now) + 1


def hit(keys: list[tuple[str, Rate]], *, now: float | None = None, amount: int = 1) -> list[Hit]:
    """Count ``amount`` events (one, unless a worker adds a batch) under each ``(key, rate)`` in the rate's current
    window; one Redis round trip."""
    now = time.time() if now is None else now
    windows = []
    for key, rate in keys:
        index, retry_after = _window(rate, now)
        windows.append((f"rl:{key}:{rate.seconds}:{index}", rate, retry_after))
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        counts = _redis_counts(backend, windows, amount)
    else:
        counts = []
        for key, rate, _ in windows:
            backend.add(key, 0, rate.seconds + 1)
            try:
                counts.append(backend.incr(key, amount))
            except ValueError:  # expired between add and incr
                backend.set(key, amount, rate.seconds + 1)
                counts.append(amount)
    return [Hit(int(count), retry) for count, (_, _, retry) in zip(counts, windows, strict=True)]


def _redis_counts(backend: RedisCache, windows: list[tuple[str, Rate, int]], amount: int) -> list[int]:
    """INCRBY and EXPIRE NX of every window's key in one pipeline. While Redis is unreachable
    (config.cache.ResilientRedisCache) nothing is counted: the limits let the request through."""
    if isinstance(backend, ResilientRedisCache) and not backend.available():
        return [0] * len(windows)
    try:
        client = backend._cache.get_client(write=True)
        pipe = client.pipeline(transaction=False)
        for key, rate, _ in windows:
            full = backend.make_key(key)
            pipe.incr(full, amount)
            pipe.expire(full, rate.seconds + 1, nx=True)
        return [int(count) for count in pipe.execute()[::2]]
    except UNAVAILABLE as error:
        if not isinstance(backend, ResilientRedisCache):
            raise
        backend.failed(error)
        return [0] * len(windows)


BATCH_DIVISOR = 60  # a throttle's batch is this fraction of its limit


class BatchedCounter:
    """A worker's local counts for ``allow``: per key, the current window's events not yet added to the shared
    counter, and whether the shared counter already stood over the limit in this window. A window's counts go
    when the next window begins. Nothing here is needed by another worker or server: each adds its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[int, int], dict[str, list[int]]] = {}  # (seconds, index) -> key -> [n, over]

    def allow(self, key: str, rate: Rate, *, now: float | None = None) -> tuple[bool, int]:
        """Count one event under ``key``: (allowed, seconds until the window ends)."""
        now = time.time() if now is None else now
        batch = rate.amount // BATCH_DIVISOR
        if batch <= 1:  # a small limit: every event counted where all workers see it, nothing kept here
            [result] = hit([(key, rate)], now=now)
            return result.count <= rate.amount, result.retry_after
        index, retry_after = _window(rate, now)
        with self._lock:
            window = self._windows.get((rate.seconds, index))
            if window is None:
                self._windows = {w: keys for w, keys in self._windows.items() if w[0] != rate.seconds or w[1] > index}
                window = self._windows[(rate.seconds, index)] = {}
            state = window.setdefault(key, [0, 0])
            if state[1]:
                return False, retry_after
            state[0] += 1
            if state[0] < batch:
                return True, retry_after
            state[0] = 0
        [shared] = hit([(key, rate)], now=now, amount=batch)  # 0 while Redis is unreachable: nothing counted
        if shared.count > rate.amount:
            with self._lock:
                state[1] = 1
            return False, retry_after
        return True, retry_after
