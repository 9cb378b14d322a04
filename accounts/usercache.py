"""The signed-in person, as authentication reads them on every request, from the cache (Redis in production,
shared by every app server) instead of the database: one round trip reads the person and the people
generation together.

A cached person (with their unit) is valid while the people generation (``quizzes.caching.PEOPLE_KEY``: roster
commits, new accounts and units, and here any unit saved or deleted) is the one it was stored under; saving or
deleting the person forgets them at once and again when the transaction commits, each time after leaving a mark
(``edit_mark_key``) that refuses any store of them for ``TTL`` seconds: a reader that loaded the row before the
edit's commit and stores it after the edit's forgetting cannot keep the old row (``_keep``). A login caches the
person it has just signed in (``remember_user``, once the login's transaction has committed:
``accounts.adapter.AccountAdapter.login``), so that the first request of a new session, at an exam's opening every
participant's, reads no row either.
Values expire after ``TTL`` seconds, the safety net for writes outside the ORM's signals. Authentication still
checks the session's password hash and ``is_active`` on the cached person.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quizzes.caching import (
    PEOPLE_KEY,
    WorkerCopies,
    model_copy,
    people_changed,
    read_current,
    store_current_unless,
)

from .models import Unit, User
from .selectors import person_with_unit

TTL = 300


def user_key(user_id: Any) -> str:
    return f"auth:user:{user_id}"


def edit_mark_key(user_id: Any) -> str:
    """Left by each edit of the person (``forget_user``) before it forgets them, for ``TTL`` seconds: longer than
    any request takes from its read of the row to its store of it."""
    return f"auth:user:{user_id}:edited"


def _keep(user: User, generations: tuple[int, ...]) -> None:
    """Cache ``user`` (read after ``generations``) for ``TTL`` seconds, unless an edit of them has left its mark.

    An edit leaves its mark before it forgets the person, now and at its commit. So a row read before an edit's
    commit is either stored before that forgetting, which removes it, or finds the mark and is not stored
    (``caching.store_current_unless``). A person edited in the last ``TTL`` seconds is read from the database until
    the mark expires; edits are rare, and the login's own save of ``last_login`` leaves none."""
    store_current_unless(user_key(user.pk), user, generations, unless=edit_mark_key(user.pk), timeout=TTL)


OFFER_SECONDS = 1.0


class _Offer(NamedTuple):
    user_id: str
    user: User | None  # None: not in the cache under ``generations``
    generations: tuple[int, ...]
    at: float


_offered: ContextVar[_Offer | None] = ContextVar("usercache_offered", default=None)


def offer(user: User | None) -> None:
    """A current cache entry of the person of the session just loaded (accounts/sessions.py reads it in the
    session's round trip), for the ``cached_user`` call that authentication makes next. Taken once, and only
    within ``OFFER_SECONDS``: as fresh as the read ``cached_user`` would have made itself."""
    _offered.set(None if user is None else _Offer(str(user.pk), user, (), time.monotonic()))


def offer_absent(user_id: Any, generations: tuple[int, ...]) -> None:
    """What the session's round trip found of a person who has no current cache entry: the people generation,
    read before the database read that ``cached_user`` makes next, which then needs no round trip of its own to
    learn what it already knows. Taken as ``offer``'s."""
    _offered.set(_Offer(str(user_id), None, generations, time.monotonic()))


# Each person entry that a session's round trip brought back (``accounts.sessions``), unpickled, by its very bytes:
# the same bytes are the same entry, so nothing kept here is ever stale. About 4.3 KB each (the bytes and the
# instances): 43 MB for a city's 10,000 takers on one worker, and all dropped for more.
_unpickled: WorkerCopies[bytes, tuple[tuple[int, ...], User | None]] = WorkerCopies(seconds=None, most=10_000)


def entry_from(raw: bytes, loads: Callable[[bytes], Any]) -> tuple[tuple[int, ...], User | None]:
    """A person's cache entry (``(generations, person)``, as ``store_current`` keeps it) from the bytes that the
    session's round trip read: unpickled by ``loads`` once per worker for the same bytes, and the person copied for
    each request (their attributes and state their own; the unit instance is shared by this worker's requests:
    read it, never change it). Unpickling a person with their unit cost about 8 % of the CPU of an in-process
    ``GET /me``, the copy half as much (issue 9)."""
    kept = _unpickled.get(raw)
    if kept is None:
        kept = loads(raw)
        _unpickled.keep({raw: kept})
    generations, user = kept
    return generations, None if user is None else model_copy(user)


def cached_user(user_id: Any) -> User | None:
    offered = _offered.get()
    if offered is not None:
        _offered.set(None)
        if offered.user_id == str(user_id) and time.monotonic() - offered.at < OFFER_SECONDS:
            if offered.user is not None:
                return offered.user
            return _read_and_keep(user_id, offered.generations)
    key = user_key(user_id)
    generations, found = read_current([key], (PEOPLE_KEY,))
    if key in found:
        return found[key]  # type: ignore[no-any-return]
    return _read_and_keep(user_id, generations)


def _read_and_keep(user_id: Any, generations: tuple[int, ...]) -> User | None:
    """The person with their unit from the database, kept under ``generations`` (read before this read: a change
    meanwhile makes the entry stale)."""
    user = person_with_unit(user_id)
    if user is not None:
        _keep(user, generations)
    return user


_login_read: ContextVar[tuple[User, tuple[int, ...]] | None] = ContextVar("usercache_login_read", default=None)


def read_for_login(username: str) -> User | None:
    """The person a login is checking (exactly this username), with their unit, read after the people generation:
    ``remember_user`` then caches this very instance instead of reading the row again."""
    generations, _found = read_current([], (PEOPLE_KEY,))  # before the read: a change meanwhile makes it stale
    user = person_with_unit(username, by_username=True)
    if user is not None:
        _login_read.set((user, generations))
    return user


def remember_user(user: User) -> None:
    """Cache the person just logged in (with their unit), so that the first request of the new session finds
    them (the login's own save of ``last_login`` has forgotten them, now and at its commit, which has come: this
    runs after it): the instance the login read (``read_for_login``, under the generation read before it), else
    read again. The login's instance was read before its password hash was checked, some tens of milliseconds
    earlier; an edit of the person committed in between has left its mark, and ``_keep`` does not store it."""
    read = _login_read.get()
    _login_read.set(None)
    if read is None or read[0] is not user:  # a login that did not come through the backend's read
        _read_and_keep(user.pk, read_current([], (PEOPLE_KEY,))[0])
        return
    fresh = model_copy(user)
    fresh.__dict__.pop("backend", None)  # where this login came in, not the person's
    _keep(fresh, read[1])


def forget_user(user_id: Any, *, edited: bool = True) -> None:
    """Drop the person's entry now and when the transaction commits; ``edited``: leave the edit's mark first each
    time (``_keep``)."""
    key, mark = user_key(user_id), edit_mark_key(user_id)

    def forget() -> None:
        if edited:
            cache.set(mark, 1, timeout=TTL)
        cache.delete(key)

    forget()
    transaction.on_commit(forget, robust=True)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    # after the login's commit, whose forgetting (last_login saved, by Django's receiver connected first) runs first
    transaction.on_commit(lambda: remember_user(user), robust=True)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    # No mark for a new person (nobody can have read the row before its commit), nor for a login's save of
    # last_login, which changes nothing a request reads of the person (a login in another session saves it too):
    # the login then keeps the person it read (remember_user).
    edited = not kwargs.get("created") and kwargs.get("update_fields") != frozenset({"last_login"})
    forget_user(instance.pk, edited=edited)


@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def _unit_changed(sender: Any, instance: Unit, **kwargs: Any) -> None:
    people_changed()  # a cached person holds their unit (name, place in the tree)
