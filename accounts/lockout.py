"""Login lockout (docs/security.md): wrong passwords lock an (account, client address) pair with back-off,
and a generous cap locks the account from every address. Counters live in the cache (Redis in production).

Login limits (docs/deployment.md): attempts per account and per client address, and wrong passwords per client
address, in fixed windows (``XUEFA_LOGIN_RATE_PER_ACCOUNT``, ``XUEFA_LOGIN_RATE_PER_IP``,
``XUEFA_LOGIN_FAILED_RATE_PER_IP``); counting an attempt costs one Redis round trip (accounts/ratelimits.py).

Keyed per pair so that nobody can lock a named participant out just before an exam by typing wrong
passwords from their own machine; the per-account cap stops a spread-out guess, and an organizer of the
person's unit (or the superuser) unlocks at once (``lockout_reset``). Every login goes through Django's
``authenticate``: allauth headless (browser and app) and the admin alike; ``LockoutModelBackend`` refuses a locked
login before any password is checked, and the ``user_login_failed``/``user_logged_in`` signals count.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import check_password_with_timing_attack_mitigation
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from . import usercache
from .addresses import client_address
from .audit import AuditContext, audit_record
from .models import AuditEvent, User
from .ratelimits import Rate, hit

__all__ = ["client_address"]  # re-exported: the one rule for a client's address


@dataclass(frozen=True)
class Policy:
    pair_failures: int = 5  # wrong passwords from one address before the pair locks
    pair_first_lock: int = 60  # seconds; doubles with every further failure ...
    pair_max_lock: int = 30 * 60  # ... up to this
    account_failures: int = 50  # wrong passwords from all addresses before the account locks
    account_lock: int = 15 * 60
    window: int = 60 * 60  # failures are forgotten this long after the last one


POLICY = Policy()
REQUEST_FLAG = "xuefa_login_locked_for"  # seconds, set on the request of a login refused by the lockout
RATE_FLAG = "xuefa_login_rate_limited_for"  # seconds, set on the request of a login over a rate limit


def _generation_key(username: str) -> str:
    return f"lockout:gen:{username.strip().lower()}"


def _keys(username: str, address: str) -> tuple[str, str]:
    generation = cache.get(_generation_key(username)) or "0"
    account = hashlib.sha256(f"{username.strip().lower()}\0{generation}".encode()).hexdigest()[:32]
    return f"lockout:{account}", f"lockout:{account}:{address}"


def _address_key(address: str) -> str:
    return f"lockout:address:{address}"


def locked_for(*, username: str, address: str, now: float | None = None) -> int:
    """Seconds until ``username`` may try again from ``address``; 0 when it may now."""
    now = time.time() if now is None else now
    keys = [f"{key}:until" for key in (*_keys(username, address), _address_key(address))]
    until = max(cache.get_many(keys).values(), default=0)
    return max(0, int(until - now + 0.999))


def _fail(key: str, *, limit: int, lock_seconds: Callable[[int], int], now: float) -> bool:
    """Count one failure atomically (Redis INCR) and, from the ``limit``-th on, lock until now + the lock.
    True when this failure locked."""
    count_key, keep = f"{key}:failures", POLICY.window + POLICY.pair_max_lock + POLICY.account_lock
    cache.add(count_key, 0, POLICY.window)
    try:
        failures = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, failures := 1, POLICY.window)
    cache.touch(count_key, POLICY.window)  # the window runs from the last failure
    over = failures - limit  # 0 at the limit-th failure
    if over >= 0:
        cache.set(f"{key}:until", now + lock_seconds(over), keep)
    return over >= 0


def record_failure(*, username: str, address: str, now: float | None = None) -> bool:
    """Count a wrong password; True when it locked the pair or the account."""
    now = time.time() if now is None else now
    account_key, pair_key = _keys(username, address)
    policy = POLICY
    pair_locked = _fail(
        pair_key,
        limit=policy.pair_failures,
        lock_seconds=lambda over: min(policy.pair_first_lock * 2**over, policy.pair_max_lock),
        now=now,
    )
    account_locked = _fail(
        account_key, limit=policy.account_failures, lock_seconds=lambda over: policy.account_lock, now=now
    )
    return pair_locked or account_locked


def rate_limited_for(*, username: str, address: str, now: float | None = None) -> int:
    """Count a login attempt per account and per address; seconds to wait when it is over either limit, else 0."""
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    rates = [Rate.parse(settings.XUEFA_LOGIN_RATE_PER_ACCOUNT), Rate.parse(settings.XUEFA_LOGIN_RATE_PER_IP)]
    hits = hit([(f"login:account:{account}", rates[0]), (f"login:address:{address}", rates[1])], now=now)
    return max((h.retry_after for h, rate in zip(hits, rates, strict=True) if h.count > rate.amount), default=0)


def record_address_failure(*, address: str, now: float | None = None) -> None:
    """Count a wrong password from ``address``: over ``XUEFA_LOGIN_FAILED_RATE_PER_IP`` the address is refused
    (every account) until the window ends. Stops one address trying a common password on many accounts."""
    now = time.time() if now is None else now
    rate = Rate.parse(settings.XUEFA_LOGIN_FAILED_RATE_PER_IP)
    [result] = hit([(f"login-failed:address:{address}", rate)], now=now)
    if result.count > rate.amount:
        cache.set(f"{_address_key(address)}:until", now + result.retry_after, result.retry_after + 1)


def record_success(*, username: str, address: str) -> None:
    """A correct password clears the pair's failures, not the account's: the person's own logins must not
    reset a guess spread over many addresses."""
    pair_key = _keys(username, address)[1]
    cache.delete_many([f"{pair_key}:failures", f"{pair_key}:until"])


def lockout_reset(*, user: User) -> None:
    """Unlock ``user`` from every address at once: a new generation makes all their counters unreachable."""
    cache.set(_generation_key(user.username), uuid.uuid4().hex, None)


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend that first refuses a locked login, before any password is checked. First in
    AUTHENTICATION_BACKENDS, so that the PermissionDenied stops allauth's backend too. The person of a session
    (every authenticated request) is read through the cache (accounts/usercache.py)."""

    def get_user(self, user_id: Any) -> User | None:
        from .usercache import cached_user

        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @sensitive_variables("password")  # as ModelBackend's: error reports leave the password out
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if request is not None and username:
            address = client_address(request)
            seconds = rate_limited_for(username=str(username), address=address)
            if seconds:
                setattr(request, RATE_FLAG, seconds)
                raise PermissionDenied
            seconds = locked_for(username=str(username), address=address)
            if seconds:
                setattr(request, REQUEST_FLAG, seconds)
                raise PermissionDenied
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        # ModelBackend's, but the person is read with their unit, after the people generation, so that the login
        # caches this very row (usercache.remember_user) and its audit record names the unit, with no more reads
        user = usercache.read_for_login(username)
        if check_password_with_timing_attack_mitigation(user, password) and self.user_can_authenticate(user):
            return user
        return None


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = credentials.get("username")
    if request is None or not username:
        return
    address = client_address(request)
    refused = bool(getattr(request, REQUEST_FLAG, None) or getattr(request, RATE_FLAG, None))
    person = User.objects.filter(username__iexact=str(username)).select_related("unit").first()
    unit = person.unit if person is not None else None
    context = AuditContext(actor=None, address=address)
    details = {"username": str(username)[:150], "locked": refused}
    audit_record(context=context, action=AuditEvent.Action.LOGIN_FAILED, unit=unit, target=person, after=details)
    if refused:
        return
    record_address_failure(address=address)
    if record_failure(username=str(username), address=address):
        audit_record(context=context, action=AuditEvent.Action.LOGIN_LOCKED, unit=unit, target=person, after=details)


@receiver(user_logged_in)
def _clear_on_success(sender: Any, user: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and isinstance(user, User):
        address = client_address(request)
        record_success(username=user.username, address=address)
        audit_record(
            context=AuditContext(actor=user, address=address),
            action=AuditEvent.Action.LOGIN,
            unit=user.unit,
            target=user,
        )
