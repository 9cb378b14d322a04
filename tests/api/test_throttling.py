"""The API's per-user throttle (api/throttling.py): a fixed window per person, anonymous requests per address."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.conftest import app_login


def test_a_person_over_the_rate_gets_429_throttled_with_retry_after(people, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/min"}}
    alice = app_login(people.alice.username)
    assert [alice.get("/api/v1/me").status_code for _ in range(3)] == [200] * 3
    refused = alice.get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 61
    # counted per person: someone else is not held back
    assert app_login(people.bob.username).get("/api/v1/me").status_code == 200


def test_anonymous_requests_count_per_address(db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "2/min"}}
    one, other = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")
    assert [one.get("/api/v1/units/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/units/").status_code == 200
