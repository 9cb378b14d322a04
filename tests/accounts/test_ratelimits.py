"""Fixed-window counters (accounts/ratelimits.py): rates as written in settings, windows, both cache backends."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from accounts import ratelimits
from accounts.ratelimits import BatchedCounter, Rate, hit


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("600/m", Rate(600, 60)),
        ("600/min", Rate(600, 60)),
        ("600/m/ip", Rate(600, 60)),  # allauth's spelling of the same
        ("10/5m", Rate(10, 300)),
        ("3/s", Rate(3, 1)),
        ("100/hour", Rate(100, 3600)),
        ("1/d", Rate(1, 86400)),
    ],
)
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["600", "x/m", "10/fortnight", "/m"])
def test_a_bad_rate_names_itself(text):
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse(text)


def test_counts_per_key_and_window():
    rate = Rate(3, 60)
    at = 1_800_000_000.0  # a window boundary (divisible by 60)
    assert [hit([("k", rate)], now=at + i)[0].count for i in range(4)] == [1, 2, 3, 4]
    assert hit([("other", rate)], now=at)[0].count == 1
    nxt = hit([("k", rate)], now=at + 60)[0]
    assert nxt.count == 1  # a new window
    assert nxt.retry_after == 61  # until the window ends (rounded up)
    first, second = hit([("a", Rate(1, 60)), ("b", Rate(5, 3600))], now=at + 30)
    assert (first.count, second.count) == (1, 1)
    assert first.retry_after == 31


def test_one_round_trip_on_redis(settings):
    """On Redis the counters are INCR + EXPIRE NX in one pipeline; the keys expire with their window."""
    redis_url = settings.REDIS_URL
    if not redis_url:
        pytest.skip("REDIS_URL not set")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
    }
    backend = caches["default"]
    backend.clear()
    at = 1_800_000_000.0
    assert [hit([("r", Rate(5, 60))], now=at)[0].count for _ in range(3)] == [1, 2, 3]
    client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]
    key = backend.make_key(f"rl:r:60:{int(at // 60)}")
    assert 0 < client.ttl(key) <= 61


# --- the throttle's batches (BatchedCounter) ----------------------------------------------------------------


def _shared_adds(monkeypatch):
    """Record each addition to the shared counter (each is one round trip on Redis)."""
    adds: list[int] = []
    counted = ratelimits.hit

    def recording(keys, *, now=None, amount=1):
        adds.append(amount)
        return counted(keys, now=now, amount=amount)

    monkeypatch.setattr(ratelimits, "hit", recording)
    return adds


def test_a_worker_adds_a_persons_requests_to_the_shared_count_ten_at_a_time(monkeypatch):
    adds = _shared_adds(monkeypatch)
    rate, at = Rate(600, 60), 1_800_000_000.0
    worker = BatchedCounter()
    assert all(worker.allow("u1", rate, now=at + i / 100)[0] for i in range(25))
    assert adds == [10, 10]  # 25 requests: two round trips, five still counted here only
    assert hit([("u1", Rate(10**6, 60))], now=at)[0].count == 21  # the shared count (and this hit)


def test_workers_share_the_limit_and_a_worker_refuses_the_rest_of_the_window_itself(monkeypatch):
    adds = _shared_adds(monkeypatch)
    rate, at = Rate(120, 60), 1_800_000_000.0  # batches of 2
    one, other = BatchedCounter(), BatchedCounter()
    allowed = [(one if i % 2 else other).allow("u2", rate, now=at + i / 10)[0] for i in range(140)]
    # the shared count reaches 122 at the 123rd request (two batches of 2 per four requests): over the limit
    # by at most one uncounted request per worker (batch - 1), never more
    assert allowed.index(False) == 122 and allowed.count(True) == 122 == 120 + 2 * (2 - 1)
    round_trips = len(adds)
    assert one.allow("u2", rate, now=at + 30) == (False, 31)  # refused with no round trip, until the window ends
    assert len(adds) == round_trips
    assert one.allow("u2", rate, now=at + 60)[0] is True  # a new window
    assert one.allow("someone-else", rate, now=at + 30)[0] is True


def test_a_small_limit_counts_every_request():
    rate, at = Rate(3, 60), 1_800_000_000.0
    worker = BatchedCounter()
    assert [worker.allow("u3", rate, now=at)[0] for _ in range(4)] == [True, True, True, False]


def test_an_old_windows_counts_go_when_the_next_begins():
    rate, at = Rate(600, 60), 1_800_000_000.0
    worker = BatchedCounter()
    for minute in range(5):
        worker.allow(f"u{minute}", rate, now=at + 60 * minute)
    assert list(worker._windows) == [(60, int(at // 60) + 4)]
