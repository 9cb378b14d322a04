"""Cached rankings and statistics: the unit ranking and an exam's statistics, read through Django's cache
(Redis when REDIS_URL is set, so shared by every app server; locmem otherwise).

Nothing is ever deleted. Each cached value's key holds generations, counters in the cache:

- ``exam:{id}:gen``, bumped by every write that changes what an exam ranks or counts: finalising an
  attempt (submit, time-up, the periodic ``close_overdue_attempts``), a regrade, an exam edit;
- ``people:gen``, bumped by roster commits (new, moved, deactivated people: 应考 headcounts and whose
  results count) and by new units and accounts;
- ``questions:gen``, bumped by new banks and questions and by question edits (the statistics show each
  question's current stem and key; a draw rule's candidates are the bank's active questions);
- ``laws:gen``, bumped by every write to the law-text library (a text added, replaced or removed, the
  shipped texts loaded): the cited articles' words (法条原文) shown after a practice answer and in the
  wrong-answer book are cached per library and legal basis (``cited_article_texts``), since they change
  only with the library.

A write bumps its generation when it happens and again once its transaction has committed
(``transaction.on_commit``): a reader who read the database before the commit may have stored that
state under the first new generation, but never under the one after the commit, so once a write is
committed no reader is served anything older. Values also expire after ``TTL`` seconds, the safety net
for writes outside these services (the Django admin, a shell). A generation the cache lost starts again
from the clock, above any number it held before.

Every bump also bumps ``gen:any`` (``ANY_KEY``, in the same round trip), which a request reads in its session's
round trip (accounts/sessions.py): its *snapshot*. A worker keeps what it read of an exam and its boards
(``cached_exam_and``) under the snapshot it read them in, and a later request of the same snapshot takes them
from there, with no round trip: no generation has moved in between, so they are what the cache would answer. A
request that bumps a generation, or that read no snapshot (no session, no Redis), reads the cache. The copies
also expire after ``LOCAL_TTL`` seconds (the safety net for writes outside the services) and are bounded in
number (``WorkerCopies``).

The live dashboard's counts (``results.live_counts``) are cached under the same generations for
``LIVE_TTL`` seconds only: a finished attempt shows at once, a started one within a few seconds, and
however many staff keep the dashboard open, the database counts each exam and unit once per interval.

The selectors (``leaderboards``, ``selectors_stats``, ``results``, ``selectors_laws``) stay pure reads; the
views call these wrappers. One exception: the cited articles' words (``cited_article_texts``) are read through the
cache by the selectors that show them, learning's ``selectors_learning.cited_articles`` (a practice answer finds
them where loading its round put them: docs/adr/0015) and the exam review's ``selectors.attempt_review`` (every
submit with an immediate review shows them).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.core.cache import cache
from django.core.signals import request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Unit, User
from config.cache import reachable_redis

from . import leaderboards, rankindex, results, selectors_laws, selectors_stats
from .models import Attempt, DrawRule, Exam, ExamOverride, Question

TTL = 600  # seconds a cached value lives at most
LIVE_TTL = 5  # seconds the live dashboard's counts live: starting an attempt bumps no generation
PEOPLE_KEY = "people:gen"
QUESTIONS_KEY = "questions:gen"
LAWS_KEY = "laws:gen"
ARTICLES_TTL = 86_400  # the library changes rarely and every change bumps LAWS_KEY
ANY_KEY = "gen:any"  # bumped with every generation: a request's snapshot of it (see above)

BUMP = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCR', key)
  else
    redis.call('SET', key, ARGV[1])
  end
end
"""


def exam_key(exam_id: int) -> str:
    return f"exam:{exam_id}:gen"


def _bump(key: str) -> None:
    """Move the generation ``key`` and ``ANY_KEY``; one lost or never set starts from the clock, above anything it
    held. This request reads the cache from now on (no snapshot: it has changed what it would have kept)."""
    _snapshot.set(None)
    backend = reachable_redis()
    if backend is not None:
        keys = [backend.make_key(key), backend.make_key(ANY_KEY)]
        backend.guarded(lambda: backend.script(BUMP)(keys=keys, args=[time.time_ns()]), None)
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)


_snapshot: ContextVar[int | None] = ContextVar("caching_snapshot", default=None)
_wanted: ContextVar[tuple[str, ...]] = ContextVar("caching_wanted", default=())
_read_along: ContextVar[dict[str, Any] | None] = ContextVar("caching_read_along", default=None)
_place_wanted: ContextVar[int | None] = ContextVar("caching_place_wanted", default=None)
_place_along: ContextVar[tuple[int, rankindex.Place] | None] = ContextVar("caching_place_along", default=None)


def offer_snapshot(
    value: int | None, read_along: dict[str, Any] | None = None, place: rankindex.Place | None = None
) -> None:
    """This request's reading of ``ANY_KEY`` (None: none), taken in its session's round trip (accounts/sessions.py)
    before anything of the request reads the cache; ``read_along``: the keys ``want_with_session`` asked for, read in
    the same round trip, each with its entry as the cache holds it (None: missing); ``place``: the session's person's
    place in the rank index of the exam it asked for (``rankindex.place_from``: None when the index could not say)."""
    _snapshot.set(value)
    _read_along.set(read_along)
    exam_id = _place_wanted.get()
    _place_along.set((exam_id, place) if place is not None and exam_id is not None else None)


def want_with_session(*prefixes: str, place_in: int | None = None) -> None:
    """Ask, before the request's session is loaded (a view's ``initial``), for the keys ``prefix`` + the session's
    user id to be read in the session's round trip: a value of each viewer's own (their row of a leaderboard),
    which no worker can hold for a whole city, then costs no round trip of its own (``cached_exam_and``).
    ``place_in``: an exam whose rank index says the person's place in the same round trip (``placed_with_session``):
    their rank changes with every submit of others, and is read there rather than stored."""
    _wanted.set(prefixes)
    _place_wanted.set(place_in)


def wanted_with_session() -> tuple[str, ...]:
    """What ``want_with_session`` asked for in this request (the session engine reads it)."""
    return _wanted.get()


def place_wanted_with_session() -> int | None:
    """The exam whose rank index ``want_with_session`` asked to read the person's place in (the session engine)."""
    return _place_wanted.get()


def placed_with_session(exam_id: int) -> rankindex.Place | None:
    """The session's person's place in ``exam_id``'s rank index as read with their session: ``rankindex.Own``,
    ``UNRANKED``, or None when it was not read (no Redis, no live index, not asked for)."""
    along = _place_along.get()
    return along[1] if along is not None and along[0] == exam_id else None


@receiver(request_started)
def _request_started(**kwargs: Any) -> None:
    _snapshot.set(None)  # a request without a session (or before its session is read) has none
    _wanted.set(())
    _read_along.set(None)
    _place_wanted.set(None)
    _place_along.set(None)


def _bump_now_and_on_commit(key: str) -> None:
    _bump(key)
    transaction.on_commit(lambda: _bump(key), robust=True)


def exam_changed(exam_id: int) -> None:
    """What ``exam_id`` ranks or counts changes in the current transaction: its cached boards, and its rank index
    (``rankindex``: built afresh when next read)."""
    _bump_now_and_on_commit(exam_key(exam_id))
    _bump_now_and_on_commit(rankindex.generation_key(exam_id))


def attempt_finalised(exam_id: int, *, user_id: int, counted: Attempt | None, person: User | None = None) -> None:
    """A person's attempt of ``exam_id`` is finalised in the current transaction, and ``counted`` is the attempt of
    theirs that counts now (None: none). The exam's cached boards are read again; its rank index keeps its other
    entries and takes this person's once the transaction commits (``rankindex.keep``). ``person``: the person with
    their unit, when at hand (a submit's signed-in participant): with ``rendering_own_rows`` their own row of the
    board is stored in the same round trip."""
    _bump_now_and_on_commit(exam_key(exam_id))
    render = _own_row_render.get()  # named around the finalisation; the row is rendered after the commit, unlocked

    def after_commit() -> None:
        entry = None if counted is None else rankindex.Counted.of_attempt(counted)
        rankindex.keep(exam_id, user_id, entry, also=_own_row_made(exam_id, person, entry, render))

    transaction.on_commit(after_commit, robust=True)


_own_row_render: ContextVar[Callable[[list[leaderboards.PersonRow]], list[Any]] | None] = ContextVar(
    "caching_own_row_render", default=None
)


@contextmanager
def rendering_own_rows(render: Callable[[list[leaderboards.PersonRow]], list[Any]]) -> Iterator[None]:
    """Around a finalisation (the submit's view): how the API renders a person's own row of the person leaderboard
    (``cached_participant_board``'s ``render``). Once the finalisation has committed, its person's row is rendered
    and stored as the board will answer it, in the round trip that puts them in the rank index, so that their first
    look at the board (``_own_row_placed``) neither renders nor stores it."""
    token = _own_row_render.set(render)
    try:
        yield
    finally:
        _own_row_render.reset(token)


def _own_row_made(
    exam_id: int,
    person: User | None,
    entry: rankindex.Counted | None,
    render: Callable[[list[leaderboards.PersonRow]], list[Any]] | None,
) -> tuple[str, Any, int] | None:
    """(key, value, timeout) of ``person``'s own row as ``_own_row_placed`` keeps it, rendered by ``render`` at rank 1
    (the board puts the rank it reads in), for ``entry``, their counted attempt as the rank index keeps it; None when
    there is nothing to store or no renderer was named."""
    if render is None or person is None or entry is None or entry.submitted_at is None:
        return None
    rendered = render([leaderboards.counted_row(entry, 1, person)])[0]
    made_of = leaderboards.own_row_made_of(entry.row(), person)
    return own_row_made_prefix(exam_id) + str(person.pk), (made_of, rendered, 1), TTL


@receiver(post_delete, sender=Attempt)
def _attempt_deleted(sender: Any, instance: Attempt, **kwargs: Any) -> None:
    _bump_now_and_on_commit(rankindex.generation_key(instance.exam_id))


def people_changed() -> None:
    """Accounts or units change in the current transaction (roster, headcounts, the unit tree)."""
    _bump_now_and_on_commit(PEOPLE_KEY)


def questions_changed() -> None:
    """A bank question is edited in the current transaction."""
    _bump_now_and_on_commit(QUESTIONS_KEY)


def laws_changed() -> None:
    """The law-text library changes in the current transaction."""
    _bump_now_and_on_commit(LAWS_KEY)


def exam_definition_key(exam_id: int) -> str:
    return f"exam:{exam_id}:def"


def exam_overrides_key(exam_id: int) -> str:
    return f"exam:{exam_id}:overrides"


def overrides_changed(exam_id: int) -> None:
    """Who holds an override or make-up of the exam changes in the current transaction (``services.overrides``, once
    for a grant to many people): the cached exam's ``override_user_ids``, and nothing else cached under the exam."""
    _bump_now_and_on_commit(exam_overrides_key(exam_id))


type Current = tuple[tuple[int, ...], dict[str, Any]]
"""What ``read_current`` returns: the generations now, and the values stored under exactly them."""


OVERRIDERS_KEPT = 1000  # an exam with more people holding overrides carries none: a start reads the person's


def cached_exam(exam_id: int) -> Exam | None:
    """The exam with its unit, its audience's paths (``Exam.audience_paths``) and who holds an override or make-up
    of it (``Exam.override_user_ids``), as the access checks of the hot reads and the start need them
    (``access.access_exam_results``, ``access.access_exam_to_sit``, ``selectors.personal_terms``): one cache round
    trip instead of three queries on every leaderboard read and start of an exam's opening.

    Kept while the exam's definition generation (bumped when the exam or its audience is saved: the signal receivers
    below, so the admin's edits count too), the people generation (units renamed or moved) and the exam's overrides
    generation (``overrides_changed``) are the ones it was stored under; a submit does not touch them. None: no such
    exam (not cached)."""
    return cached_exam_and(exam_id, (), ())[0]


def model_copy[M: models.Model](instance: M) -> M:
    """A copy of a model instance as ``copy.copy`` makes it (Django's ``__getstate__``: its own state and related
    objects cache), without the detour through pickling's reconstruction that ``copy.copy`` takes for a model
    (``model_unpickle`` looking the class up by name, the version check of ``__setstate__``). For the instances a
    worker keeps and hands each request a copy of: the exams here, the people in ``accounts.usercache``."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__getstate__())
    return clone


def cached_exam_and(exam_id: int, keys: Sequence[str], generation_keys: Sequence[str]) -> tuple[Exam | None, Current]:
    """``cached_exam(exam_id)`` and ``read_current(keys, generation_keys)`` in one round trip: a leaderboard read
    needs the exam for its access check and then the board, which the same request reads from the cache."""
    entry_key = f"exam:{exam_id}:entry"
    generations_name = ("generations", *generation_keys)
    read_along = _read_along.get() or {}
    along = {key: read_along[key] for key in keys if key in read_along}  # read with the session: never again
    to_read = [key for key in keys if key not in along]
    kept = _kept([entry_key, generations_name, *to_read])
    if kept is not None:  # the rest read in an earlier request of the same snapshot
        generations = kept[generations_name]
        values = {key: kept[key] for key in to_read} | _current_in(along, list(along), generations)
        return model_copy(kept[entry_key]), (generations, values)
    exam_generation_keys = (exam_definition_key(exam_id), PEOPLE_KEY, exam_overrides_key(exam_id))
    found: dict[str, Any] = cache.get_many(
        [entry_key, *to_read, *dict.fromkeys([*exam_generation_keys, *generation_keys])]
    )
    found.update(along)  # judged against the generations just read, as if read with them (a miss when they moved)
    exam_generations = tuple(_generations_in(found, exam_generation_keys))
    generations = tuple(_generations_in(found, generation_keys))
    current = (generations, _current_in(found, keys, generations))
    exam: Exam | None = _current_in(found, [entry_key], exam_generations).get(entry_key)
    if exam is None:
        exam = Exam.objects.select_related("unit").filter(pk=exam_id).first()
        if exam is None:
            return None, current
        exam.audience_paths = tuple(exam.audience_units.values_list("path", flat=True))
        overriders = list(
            ExamOverride.objects.filter(exam=exam).values_list("user_id", flat=True)[: OVERRIDERS_KEPT + 1]
        )
        exam.override_user_ids = frozenset(overriders) if len(overriders) <= OVERRIDERS_KEPT else None
        store_current({entry_key: exam}, exam_generations)
    if _snapshot.get() is not None:  # for the next requests of this snapshot: what is current (no miss), a copy
        _keep({entry_key: model_copy(exam), generations_name: generations, **current[1]})
    return exam, current


def _kept(names: Sequence[Any]) -> dict[Any, Any] | None:
    """All of ``names`` as this worker read them in a request of this request's snapshot; None when one is not."""
    snapshot = _snapshot.get()
    if snapshot is None:
        return None
    kept = _local_current.get_many(names)
    if len(kept) < len(names) or any(tag != snapshot for tag, _value in kept.values()):
        return None
    return {name: value for name, (_tag, value) in kept.items()}


def current_generations(*keys: str) -> tuple[int, ...]:
    """The generations ``keys`` now: as this worker read them in an earlier request of this request's snapshot (no
    generation has moved since, or ``gen:any`` would have), else in one round trip, then kept for the snapshot."""
    name = ("generations", *keys)
    kept = _kept([name])
    if kept is not None:
        return kept[name]  # type: ignore[no-any-return]
    generations = tuple(_generations(*keys))
    _keep({name: generations})
    return generations


def _keep(values: dict[Any, Any]) -> None:
    snapshot = _snapshot.get()
    if snapshot is not None:
        _local_current.keep({name: (snapshot, value) for name, value in values.items()})


def exam_definition_changed(exam_id: int) -> None:
    """The exam's definition changes in the current transaction: its cached exam, and what is cached under it (the
    unit ranking's headcounts). The receivers below call it for the exam and its audience."""
    _bump_now_and_on_commit(exam_definition_key(exam_id))


@receiver(post_save, sender=Exam)
@receiver(post_delete, sender=Exam)
def _exam_saved(sender: Any, instance: Exam, **kwargs: Any) -> None:
    exam_definition_changed(instance.pk)


@receiver(m2m_changed, sender=Exam.audience_units.through)
def _audience_changed(sender: Any, instance: Any, reverse: bool, pk_set: set[int] | None, **kwargs: Any) -> None:
    if kwargs["action"].startswith("post_"):
        exam_ids = (pk_set or set()) if reverse else {instance.pk}  # reverse: a unit's exams changed
        for exam_id in exam_ids:
            exam_definition_changed(exam_id)


def read_current(keys: Sequence[str], generation_keys: Sequence[str]) -> Current:
    """One round trip for values stored with ``store_current`` and the generations they must carry: the generations now,
    and those of ``keys`` stored under exactly them (others are missing: stale or never stored).

    The generations go in the value, not in the key, so that a reader needs not read them first. A reader that
    read the database before a write's bump stores its value under the generations it saw, which the next
    reader finds stale: it recomputes, as with generations in the key."""
    found: dict[str, Any] = cache.get_many([*keys, *generation_keys])
    generations = tuple(_generations_in(found, generation_keys))
    return generations, _current_in(found, keys, generations)


def _current_in(found: dict[str, Any], keys: Sequence[str], generations: tuple[int, ...]) -> dict[str, Any]:
    """Those of ``keys`` in ``found`` (what one ``get_many`` returned) stored under exactly ``generations``."""
    current = {}
    for key in keys:
        entry = found.get(key)
        if entry is not None and entry[0] == generations:
            current[key] = entry[1]
    return current


def store_current(values: dict[str, Any], generations: tuple[int, ...], timeout: int = TTL) -> None:
    cache.set_many({key: (generations, value) for key, value in values.items()}, timeout=timeout)


STORE_UNLESS = """
-- KEYS[1]: the value's key; KEYS[2]: the key whose presence refuses the store; ARGV[1]: the entry, ARGV[2]: its expiry
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""


def store_current_unless(
    key: str, value: Any, generations: tuple[int, ...], *, unless: str, timeout: int = TTL
) -> None:
    """``store_current`` of one value, unless the cache holds ``unless`` (a mark its writers leave before they delete
    ``key``: accounts/usercache.py). One script on Redis, so that a mark left after the check finds the value stored
    and deletes it after. Another cache (local memory: development, tests) stores and then deletes the value if the
    mark is there, which has the same outcome for a writer that marks before it deletes."""
    backend = reachable_redis()
    if backend is None:
        store_current({key: value}, generations, timeout)
        if cache.get(unless) is not None:
            cache.delete(key)
        return
    client: Any = backend._cache  # Django's RedisCacheClient: the serializer that ``store_current``'s SET uses
    entry = client._serializer.dumps((generations, value))
    keys = [backend.make_key(key), backend.make_key(unless)]
    backend.guarded(lambda: backend.script(STORE_UNLESS)(keys=keys, args=[entry, timeout]), None)


def _generations(*keys: str) -> list[int]:
    return _generations_in(cache.get_many(keys), keys)


def _generations_in(found: dict[str, Any], keys: Sequence[str]) -> list[int]:
    """The generations ``keys`` from ``found`` (what one ``get_many`` returned, with other keys perhaps), those
    missing started anew."""
    for key in keys:
        if key not in found:
            start = time.time_ns()
            cache.add(key, start, timeout=None)
            # the cache may have lost it again, or be unreachable (config.cache): a generation of its own
            # then, which no stored value carries
            found[key] = cache.get(key, start)
    return [int(found[key]) for key in keys]


def cited_article_texts(*, unit_id: int, legal_bases: Sequence[str]) -> list[list[dict[str, Any]]]:
    """``selectors_laws.cited_article_texts``, cached per library (``unit_id``) and legal basis: one cache round
    trip when every basis is cached, else one query for those that are not."""
    keys = [f"laws:{unit_id}:{hashlib.sha1(basis.encode()).hexdigest()}" for basis in legal_bases]
    generations, found = read_current(sorted(set(keys)), (LAWS_KEY,))
    missing = sorted({key: index for index, key in enumerate(keys) if key not in found}.values())
    if missing:
        texts = selectors_laws.cited_article_texts(unit_id=unit_id, legal_bases=[legal_bases[i] for i in missing])
        fresh = {keys[i]: found_here for i, found_here in zip(missing, texts, strict=True)}
        store_current(fresh, generations, timeout=ARTICLES_TTL)
        found.update(fresh)
    return [found[key] for key in keys]


def board_generations(exam_id: int) -> tuple[str, str]:
    """The generations under which what an exam ranks is cached: its results and the people (headcounts, names,
    units)."""
    return (exam_key(exam_id), PEOPLE_KEY)


COMPUTE_LOCK_TTL = 60  # seconds a reader's claim to compute a value lives at most (a crashed reader's expires)
COMPUTE_WAIT = 10.0  # seconds other readers wait for that value before they compute it themselves
COMPUTE_POLL = 0.01  # seconds between their looks
LAG_SPACING = 1  # seconds between two computations of a value that may lag, while the submits move it on


def computed_once[T](
    key: str,
    generations: tuple[int, ...],
    compute: Callable[[], T],
    *,
    timeout: int = TTL,
    may_lag: bool = False,
    generation_keys: Sequence[str] = (),
) -> T:
    """``compute()`` stored under ``key`` with ``generations``, by one reader at a time across every app server:
    the first reader to miss claims the computation (``cache.add`` of a claim), and the others who miss wait
    for its value instead of each computing it too (every submit of an exam's close bumps its generation, and
    every reader in flight then computed the same ranking at once). A waiter computes after all when the claim
    goes without a value (the computing reader failed) or after ``COMPUTE_WAIT``; with the cache unreachable
    nobody can claim, and each reader computes.

    By default the claim names the generations and a waiter takes only a value of exactly them, which holds
    while the generations stand still; during the submits each reader sees a generation nobody has claimed yet.
    ``may_lag``, for a value that may lag the submits by one computation (the unit ranking, which holds nobody's
    own row): the claim is the key's whatever the generations, so at most one reader computes it at a time, and
    the others answer the last value stored, perhaps of older generations, at once; they wait only while there
    is none. The next reader after the computation finds it stale and claims the next one; a reader alone
    computes at once, so a submit shows on the next read. A computing reader killed outright leaves its claim for
    ``COMPUTE_LOCK_TTL`` seconds, and the value that long behind.

    While the submits go on, a value that may lag would be computed again and again, each reader after a computation
    finding it stale: 328 times in the 20 s of a 2,000-taker exam day's submits (``make bench-load``). So when
    ``generation_keys`` moved on during a computation, its reader leaves the claim standing for ``LAG_SPACING``
    seconds: until then the others answer that value, and the value lags the submits by at most a computation and
    that second. When nothing moved (a reader alone, a quiet exam) the claim goes at once, as above."""
    claim = f"{key}:computing" if may_lag else f"{key}:computing:{'.'.join(map(str, generations))}"
    if not cache.add(claim, 1, timeout=COMPUTE_LOCK_TTL):
        deadline = time.monotonic() + COMPUTE_WAIT
        while True:  # one round trip a look: the value, and whether the claim still stands
            found = cache.get_many([key, claim])
            entry = found.get(key)
            if entry is not None and (may_lag or entry[0] == generations):
                return entry[1]  # type: ignore[no-any-return]
            if claim not in found or time.monotonic() >= deadline:
                break
            time.sleep(COMPUTE_POLL)
    spaced = False
    try:
        value = compute()
        store_current({key: value}, generations, timeout=timeout)
        spaced = may_lag and bool(generation_keys) and tuple(_generations(*generation_keys)) != generations
    finally:
        if spaced:  # the submits go on: the others answer this value for a while (see above)
            cache.set(claim, 1, timeout=LAG_SPACING)
        else:
            cache.delete(claim)
    return value


def cached[T](
    key: str,
    generation_keys: Sequence[str],
    compute: Callable[[], T],
    *,
    timeout: int = TTL,
    read: Current | None = None,
    may_lag: bool = False,
) -> T:
    """``compute()``, cached under ``key`` while ``generation_keys`` hold the generations it was stored under: one
    round trip when cached, none when the caller has read it already (``read``: ``read_current`` or
    ``cached_exam_and`` of ``[key]`` and ``generation_keys``). For a caller that keeps its own rendering of a
    cached read (the API's leaderboards keep what they answer, so that a cached read serializes nothing).
    A missing value is computed once (``computed_once``, which says what ``may_lag`` allows)."""
    generations, found = read if read is not None else read_current([key], generation_keys)
    if key in found:
        return found[key]  # type: ignore[no-any-return]
    return computed_once(key, generations, compute, timeout=timeout, may_lag=may_lag, generation_keys=generation_keys)


def unit_board_key(*, exam_id: int, parent_id: int | None, primary: str) -> str:
    """The unit ranking's key: under the exam's own unit when ``parent_id`` is None (known before the exam is
    read, so that the API reads the exam and the board in one round trip)."""
    return f"exam:{exam_id}:units:{parent_id if parent_id is not None else 'top'}:{primary}"


def cached_unit_headcounts(*, exam: Exam, parent: Unit) -> dict[str, int]:
    """``leaderboards.unit_headcounts``: 应考 by unit, kept under the exam's definition generation (its audience) and
    the people generation (the roster), which a submit does not move. So recomputing a unit ranking after a submit
    reads the exam's attempts, not the city's people: with 120,000 people of whom 10,300 had finished, PostgreSQL
    took 42 ms for it instead of 71 ms for people and attempts together (December 2026). One round trip when
    cached."""
    key = f"exam:{exam.pk}:headcounts:{parent.pk}"
    return cached(
        key,
        (exam_definition_key(exam.pk), PEOPLE_KEY),
        lambda: leaderboards.unit_headcounts(exam=exam, parent=parent),
    )


def leaderboard_units(*, exam: Exam, parent: Unit | None, primary: str) -> leaderboards.UnitBoard:
    """``leaderboards.leaderboard_units`` computed afresh, with the headcounts from the cache
    (``cached_unit_headcounts``): what a cached unit ranking (``cached_leaderboard_units``, the API's) computes."""
    parent = parent or exam.unit
    headcounts = cached_unit_headcounts(exam=exam, parent=parent)
    return leaderboards.leaderboard_units(exam=exam, parent=parent, primary=primary, headcounts=headcounts)


def cached_leaderboard_units(
    *, exam: Exam, parent: Unit | None = None, primary: str = "participation_rate"
) -> leaderboards.UnitBoard:
    """``leaderboards.leaderboard_units``, cached per exam, parent unit and order: one round trip when cached; it may
    lag the submits by one computation while one is in progress (``computed_once``'s ``may_lag``)."""
    key = unit_board_key(exam_id=exam.pk, parent_id=parent.pk if parent is not None else None, primary=primary)
    return cached(
        key,
        board_generations(exam.pk),
        lambda: leaderboard_units(exam=exam, parent=parent, primary=primary),
        may_lag=True,
    )


_NOBODY = "-"  # cached "this person has no counting attempt"


def participant_board_keys(exam_id: int, viewer_id: int) -> list[str]:
    """The keys ``cached_participant_board`` reads (under ``board_generations``). They name the shape of what they
    hold (``_TopRows``, and rows as the API renders them: JSON since v3), so that a server of a newer release never
    reads an older one's."""
    return [f"exam:{exam_id}:people-top:v3", f"{participant_row_prefix(exam_id)}{viewer_id}"]


def participant_row_prefix(exam_id: int) -> str:
    """The key of a viewer's own row of the exam's person leaderboard, but their user id: what the API reads along
    with the viewer's session (``want_with_session``). The top rows and the exam are the same for every viewer, and
    a worker keeps them under the snapshot; each of a city's viewers' own row it mostly has not read before."""
    return f"exam:{exam_id}:person:v3:"


def own_row_made_prefix(exam_id: int) -> str:
    """The key of a viewer's own row as last rendered from their place in the exam's rank index, but their user id
    (``cached_participant_board``): read along with their session, as their place is."""
    return f"exam:{exam_id}:person-made:v1:"


class ParticipantBoard[T](NamedTuple):
    """What a participant reads of the person leaderboard (``cached_participant_board``)."""

    rows: list[T]  # the top rows as this viewer sees them
    me: T | None  # the viewer's own row wherever it stands, or None when they have no counting attempt
    ranked_count: int  # how many people are ranked: the denominator of every rank


class _TopRows[T](NamedTuple):
    user_ids: list[int]
    as_others: list[T]  # each row as others see it
    whole: list[T]  # each row as its own person sees it
    ranked_count: int


def cached_participant_board[T](
    *,
    exam: Exam,
    viewer: User,
    render: Callable[[list[leaderboards.PersonRow]], list[T]],
    read: Current | None = None,
    rerank: Callable[[T, int], T] | None = None,
) -> ParticipantBoard[T]:
    """What a participant reads of the person leaderboard, rendered by ``render`` (the API's serializer) and
    cached per exam, so that a cached read renders nothing: its top ``PARTICIPANT_TOP`` rows as this viewer sees
    them (others' names as the exam's ``leaderboard_names`` says, their own row whole:
    ``leaderboards.leaderboard_rows_for_participant``), the viewer's own row wherever it stands, and how many
    people are ranked. One cache round trip when both are cached.

    The top is kept rendered twice, as others see each row and as its own person does, and each viewer's
    list is put together from the two. The viewer's own row, when not cached, comes from the exam's rank index
    with their rank (``leaderboards.own_row``: no query), their name and unit as ``viewer`` (the signed-in person)
    holds them. ``read``: the caller's read of ``participant_board_keys`` (no round trip here then).

    With Redis the viewer's place in the rank index comes with their session (``placed_with_session``), and their
    row is what was rendered from the same attempt and names before, at its rank then (``own_row_made_prefix``, read
    with the session too): ``rerank`` (a rendered row and a rank: the row at that rank) puts today's rank in, so
    that the submits of others, which move every rank, cost a viewer neither a round trip nor a rendering. Without
    ``rerank`` a row whose rank moved is rendered again."""
    viewer_id = viewer.pk
    top_key, me_key = participant_board_keys(exam.pk, viewer_id)
    generations, found = read if read is not None else read_current([top_key, me_key], board_generations(exam.pk))
    top: _TopRows[T] | None = found.get(top_key)
    if top is None:

        def compute_top() -> _TopRows[T]:
            rows = list(leaderboards.leaderboard_people_rows(exam=exam)[: leaderboards.PARTICIPANT_TOP])
            ranked = leaderboards.leaderboard_rank_rows(exam=exam, rows=rows, offset=0)
            as_others = leaderboards.leaderboard_rows_for_participant(exam=exam, rows=ranked, viewer_id=None)
            cut = len(rows) == leaderboards.PARTICIPANT_TOP  # else the top is everyone ranked
            everyone = leaderboards.ranked_count(exam_id=exam.pk) if cut else len(rows)
            return _TopRows([row.user_id for row in ranked], render(as_others), render(ranked), everyone)

        top = computed_once(top_key, generations, compute_top)
    shown = [top.whole[i] if user_id == viewer_id else top.as_others[i] for i, user_id in enumerate(top.user_ids)]
    if viewer_id in top.user_ids:
        return ParticipantBoard(shown, top.whole[top.user_ids.index(viewer_id)], top.ranked_count)
    placed = placed_with_session(exam.pk)
    if placed == rankindex.UNRANKED:
        return ParticipantBoard(shown, None, top.ranked_count)
    if isinstance(placed, rankindex.Own):
        return ParticipantBoard(shown, _own_row_placed(exam, viewer, placed, render, rerank), top.ranked_count)
    stored: Any = found.get(me_key)
    if stored is None:
        own = leaderboards.own_row(exam=exam, person=viewer, when_unranked=(me_key, (generations, _NOBODY), TTL))
        stored = _NOBODY if own.row is None else render([own.row])[0]
        if not own.stored:
            store_current({me_key: stored}, generations)
    me: T | None = None if stored == _NOBODY else stored
    return ParticipantBoard(shown, me, top.ranked_count)


def _own_row_placed[T](
    exam: Exam,
    viewer: User,
    placed: rankindex.Own,
    render: Callable[[list[leaderboards.PersonRow]], list[T]],
    rerank: Callable[[T, int], T] | None,
) -> T:
    """The viewer's own row at their place ``placed``: the row rendered before from the same attempt and names
    (read with their session), at today's rank; else rendered now and stored for their next reads (one round trip,
    after their own submit or an edit of their names)."""
    key = own_row_made_prefix(exam.pk) + str(viewer.pk)
    made_of = leaderboards.own_row_made_of(placed.row, viewer)
    rank = placed.better + 1
    kept = (_read_along.get() or {}).get(key)  # (what it was made of, the row rendered, its rank then)
    if kept is not None and kept[0] == made_of:
        if kept[2] == rank:
            return kept[1]  # type: ignore[no-any-return]
        if rerank is not None:
            return rerank(kept[1], rank)
    rendered = render([leaderboards.placed_row(placed, viewer)])[0]
    if kept is None or kept[0] != made_of:
        cache.set(key, (made_of, rendered, rank), TTL)
    return rendered


LOCAL_TTL = 60  # seconds a worker keeps its own copy of a draw's rules, candidates and questions


class WorkerCopies[K, V]:
    """What a worker keeps itself, in its own memory: only what any app server reads again from the database and
    what cannot be stale under its key (docs/architecture.md, "Caching"). Each value for ``seconds`` (None: until
    it is dropped), at most ``most`` of them: then all are dropped, and kept afresh as they are read again (old
    generations and exams go with them)."""

    def __init__(self, *, seconds: float | None, most: int) -> None:
        self.seconds, self.most = seconds, most
        self._kept: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """Those of ``keys`` kept and not expired."""
        now = time.monotonic()
        found = {}
        for key in keys:
            kept = self._kept.get(key)
            if kept is not None and kept[0] > now:
                found[key] = kept[1]
        return found

    def keep(self, values: dict[K, V]) -> None:
        if len(self._kept) + len(values) > self.most:
            self._kept.clear()
        until = float("inf") if self.seconds is None else time.monotonic() + self.seconds
        self._kept.update((key, (until, value)) for key, value in values.items())

    def clear(self) -> None:
        self._kept.clear()


_local_rules: WorkerCopies[tuple[int, Any], list[DrawRule]] = WorkerCopies(seconds=LOCAL_TTL, most=256)
_local_candidates: WorkerCopies[str, Any] = WorkerCopies(seconds=LOCAL_TTL, most=256)
_local_questions: WorkerCopies[tuple[int, int], Question] = WorkerCopies(seconds=LOCAL_TTL, most=10_000)
# a city's takers all on one server, about 2 KB each; a paper never changes once drawn: kept until dropped
_local_papers: WorkerCopies[int, PaperShape] = WorkerCopies(seconds=None, most=20_000)
# what this worker read of exams and boards (a city's viewers' own rows too), each under the snapshot it was read
# in (``_kept``, ``_keep``)
_local_current: WorkerCopies[Any, tuple[int, Any]] = WorkerCopies(seconds=LOCAL_TTL, most=20_000)


def cached_draw_rules(exam: Exam, load: Callable[[Exam], list[DrawRule]]) -> list[DrawRule]:
    """A published exam's draw rules as ``load`` reads them, kept by this worker for ``LOCAL_TTL``
    seconds: every start of its random papers reads them, and once it is published they cannot change
    (``services.exams.exam_update`` refuses). Kept under the exam and its publication time, which no other exam
    shares; a draft's are read each time."""
    if exam.status == Exam.Status.DRAFT or exam.published_at is None:
        return load(exam)
    key = (exam.pk, exam.published_at)
    rules = _local_rules.get(key)
    if rules is None:
        rules = load(exam)
        _local_rules.keep({key: rules})
    return rules


class RuleCandidates[T](NamedTuple):
    generation: int  # the questions generation they were read under (``cached_questions`` takes it)
    candidates: list[T]  # each rule's, in the rules' order


def cached_rule_candidates[T](rules: Sequence[DrawRule], compute: Callable[[DrawRule], T]) -> RuleCandidates[T]:
    """Each draw rule's candidates (``services.exams._rule_candidates``), cached per bank, kind, tag and difficulty
    under the questions generation: every start of a random paper draws from them, and reading a 5,000-question
    bank each time costs more than the rest of the start.

    The generation is read in one round trip, or taken from what this worker read under the request's snapshot
    (``current_generations``: no round trip at an exam's opening, where no generation moves). Each worker also
    keeps the candidates it read for ``LOCAL_TTL`` seconds, under the same key, so that a start of an exam's
    opening neither fetches nor unpickles thousands of candidates: a question change bumps the generation, and
    with it the key, at once on every server. Those not kept are read in one more round trip, and computed when
    the cache lacks them."""
    [questions_gen] = current_generations(QUESTIONS_KEY)
    keys = [
        f"draw:{rule.bank_id}:{rule.kind}:{rule.tag_id or 0}:{rule.difficulty or 0}:q{questions_gen}" for rule in rules
    ]
    found: dict[str, Any] = _local_candidates.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(cache.get_many(missing))
        computed = {}
        for key, rule in zip(keys, rules, strict=True):
            if key not in found:
                found[key] = computed[key] = compute(rule)
        if computed:
            cache.set_many(computed, timeout=TTL)
        _local_candidates.keep({key: found[key] for key in missing})
    return RuleCandidates(questions_gen, [found[key] for key in keys])


def cached_questions(
    ids: Sequence[int], generation: int, load: Callable[[list[int]], Iterable[Question]]
) -> dict[int, Question]:
    """The questions ``ids`` by id, as ``load`` reads them from the database, each kept by this worker for
    ``LOCAL_TTL`` seconds under the questions generation ``generation`` (``cached_rule_candidates``'
    read): the starts of an exam's opening draw their papers from the same few thousand questions, and reading and
    building a paper's 25 instances cost a sixth of a start. An edit bumps the generation, so the next paper
    drawn on any server has it; an edit outside the services (the admin) shows within the seconds kept.

    The instances are shared by the requests this worker serves: read them, never change them."""
    kept = _local_questions.get_many((question_id, generation) for question_id in ids)
    found = {question_id: question for (question_id, _generation), question in kept.items()}
    missing = [question_id for question_id in ids if question_id not in found]
    if missing:
        loaded = {question.pk: question for question in load(missing)}
        _local_questions.keep({(question_id, generation): question for question_id, question in loaded.items()})
        found.update(loaded)
    return found


_shapes: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}  # one copy of each (kind, letters)


class PaperShape(NamedTuple):
    """What an autosave checks an answer against: the attempt's owner, and each paper question's kind and option
    letters (``services.attempts.validate_choices``)."""

    user_id: int
    questions: dict[int, tuple[str, tuple[str, ...]]]  # question id -> (kind, option letters)


def paper_shape(user_id: int, questions: Iterable[tuple[int, str, Sequence[str]]]) -> PaperShape:
    """A ``PaperShape`` from ``(question id, kind, option letters)``; the few distinct (kind, letters) pairs are
    shared, so that a worker keeping a city's papers holds them once."""
    shaped = {}
    for question_id, kind, letters in questions:
        pair = (kind, tuple(letters))
        shaped[question_id] = _shapes.setdefault(pair, pair)
    return PaperShape(user_id, shaped)


def cached_paper_shape(attempt_id: int, load: Callable[[int], PaperShape | None]) -> PaperShape | None:
    """The attempt's ``PaperShape``, as ``load`` reads it, kept by this worker: a paper never changes once drawn
    (its questions' kinds and options are frozen copies), so an autosave reads no row for it after the first on
    a server. None (not kept): no such attempt. The start puts the paper it wrote here (``keep_paper_shape``)."""
    shape = _local_papers.get(attempt_id)
    if shape is None:
        shape = load(attempt_id)
        if shape is not None:
            keep_paper_shape(attempt_id, shape)
    return shape


def keep_paper_shape(attempt_id: int, shape: PaperShape) -> None:
    _local_papers.keep({attempt_id: shape})


def forget_local() -> None:
    """Drop what this worker keeps itself (draw rules, candidates, questions, paper shapes, exams and boards): for
    tests, whose rolled-back rows share ids with the next test's."""
    for copies in (_local_rules, _local_candidates, _local_questions, _local_papers, _local_current):
        copies.clear()


def cached_exam_stats(*, exam: Exam, unit: Unit, attempt_set: str = selectors_stats.FIRST) -> selectors_stats.ExamStats:
    """``selectors_stats.exam_stats``, cached per exam, unit and attempt set."""
    exam_gen, people_gen, questions_gen = _generations(exam_key(exam.pk), PEOPLE_KEY, QUESTIONS_KEY)
    key = f"exam:{exam.pk}:stats:{unit.pk}:{attempt_set}:g{exam_gen}:p{people_gen}:q{questions_gen}"
    stats: selectors_stats.ExamStats | None = cache.get(key)
    if stats is None:
        stats = selectors_stats.exam_stats(exam=exam, unit=unit, attempt_set=attempt_set)
        cache.set(key, stats, timeout=TTL)
    return stats


def cached_live_counts(*, exam: Exam, unit: Unit) -> results.LiveCounts:
    """``results.live_counts``, cached per exam and unit for ``LIVE_TTL`` seconds."""
    exam_gen, people_gen = _generations(exam_key(exam.pk), PEOPLE_KEY)
    key = f"exam:{exam.pk}:live:{unit.pk}:g{exam_gen}:p{people_gen}"
    counts: results.LiveCounts | None = cache.get(key)
    if counts is None:
        counts = results.live_counts(exam=exam, unit=unit)
        cache.set(key, counts, timeout=LIVE_TTL)
    return counts
