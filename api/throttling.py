"""The API's per-user throttle (``API_USER_RATE``, default 600 a minute): a fixed-window counter costing one
Redis round trip per request (accounts/ratelimits.py) instead of DRF's ``UserRateThrottle``, which reads and
rewrites a pickled list of every request's time (two round trips and up to 600 timestamps per person).
Anonymous requests count per client address."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.addresses import client_address
from accounts.ratelimits import Rate, hit


class UserRateThrottle(BaseThrottle):
    scope = "user"

    def __init__(self) -> None:
        rates = cast(dict[str, dict[str, str]], settings.REST_FRAMEWORK)["DEFAULT_THROTTLE_RATES"]
        self.rate = Rate.parse(rates[self.scope])
        self.retry_after = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"addr:{client_address(request)}"
        [result] = hit([(f"throttle:{self.scope}:{ident}", self.rate)])
        self.retry_after = result.retry_after
        return result.count <= self.rate.amount

    def wait(self) -> float | None:
        return float(self.retry_after)
