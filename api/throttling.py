"""The API's per-user throttle (``API_USER_RATE``, default 600 a minute): a fixed-window counter that each
worker adds to Redis in batches (accounts/ratelimits.py ``BatchedCounter``: no round trip for most requests,
one for every 10th of a person's requests on a worker at 600 a minute) instead of DRF's ``UserRateThrottle``,
which reads and rewrites a pickled list of every request's time (two round trips and up to 600 timestamps per
person, on every request). Anonymous requests count per client address."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.addresses import client_address
from accounts.ratelimits import BatchedCounter, Rate


class UserRateThrottle(BaseThrottle):
    scope = "user"
    counter = BatchedCounter()  # this worker's counts (per process: the shared total is in Redis)

    def __init__(self) -> None:
        rates = cast(dict[str, dict[str, str]], settings.REST_FRAMEWORK)["DEFAULT_THROTTLE_RATES"]
        self.rate = Rate.parse(rates[self.scope])
        self.retry_after = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"addr:{client_address(request)}"
        allowed, self.retry_after = self.counter.allow(f"throttle:{self.scope}:{ident}", self.rate)
        return allowed

    def wait(self) -> float | None:
        return float(self.retry_after)
