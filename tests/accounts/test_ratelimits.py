"""Fixed-window counters (accounts/ratelimits.py): rates as written in settings, windows, both cache backends."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from accounts.ratelimits import Rate, hit


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
