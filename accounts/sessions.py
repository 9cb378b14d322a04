"""The session engine (``SESSION_ENGINE`` when Redis is the cache): Django's ``cached_db`` sessions, whose load
also brings the session's person from the user cache (accounts/usercache.py) in the same Redis round trip.

An authenticated request used to make two round trips before its view ran: the session, then the person
(``usercache.cached_user``, which needs the user id inside the session). Here a small key beside each signed-in
session, ``session-user:{session key}``, holds its user id, written whenever the session is saved with a person
and deleted with the session. A Lua script reads the session, that id, the person's cache entry and the people
generation at once (``LOAD``), and the request's snapshot of every generation (``quizzes.caching.ANY_KEY``, offered
to ``quizzes.caching``: what the worker read of exams and boards in an earlier request of the same snapshot is still
what the cache holds), and the keys of that person's own that the view asked for before authentication
(``caching.want_with_session``: the person leaderboard's own row) and the person's place in an exam's rank index
(``quizzes.rankindex.PLACE_FUNCTION``: their rank on that board), offered with the snapshot when the hint is the
session's person. When the entry is current (stored under today's people generation, as
``usercache.cached_user`` requires) it is offered to ``cached_user`` for this request (``usercache.offer``), which
authentication calls next; when it is not, the generation is (``usercache.offer_absent``), so that ``cached_user``
reads the person from the database and keeps them without a round trip to learn that again.

The id beside the session is only a hint: authentication still takes the user id from the session itself, and
an offer for another id is not taken. A session without the hint (saved before this engine, or after Redis lost
it) loads as before and writes the hint once. Without Redis (local memory in development and tests) this is
``cached_db`` unchanged.

The script names keys that are not in its ``KEYS`` (the person's, found by the id): fine on one Redis server or a
replicated pair, the deployment docs/deployment.md describes, not on Redis Cluster.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string

from config.cache import ResilientRedisCache
from quizzes import caching, rankindex
from quizzes.caching import ANY_KEY, PEOPLE_KEY

from . import usercache

HINT_PREFIX = "session-user:"

# KEYS: the session, its hint; ARGV: the people's entries' prefix, the people generation, the snapshot, the rank
# index (``rankindex.place_keys``: its generation's key and its prefix, or two empty strings), then the prefixes of
# the keys read along
LOAD = (
    rankindex.PLACE_FUNCTION
    + """
local found = {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), false, false, redis.call('GET', ARGV[3]), false}
local id = found[2]
if id then
  found[3] = redis.call('GET', ARGV[1] .. id)
  found[4] = redis.call('GET', ARGV[2])
  if ARGV[4] ~= '' then
    found[6] = place_in(ARGV[4], ARGV[5], id)
  end
end
for i = 6, #ARGV do
  found[i + 1] = id and redis.call('GET', ARGV[i] .. id)
end
return found
"""
)


class SessionStore(cached_db.SessionStore):
    _cache: Any  # set by cached_db (its stubs do not say)
    _session: dict[str, Any]
    _insert_on_save = False  # a key taken by ``cycle_key`` for a session not yet in the database

    def _hint_key(self, session_key: str) -> str:
        return HINT_PREFIX + session_key

    def load(self) -> dict[str, Any]:
        usercache.offer(None)
        caching.offer_snapshot(None)
        found = self._load_with_person()
        if found is None:
            data: dict[str, Any] = super().load()
            self._write_hint(data)
            return data
        cached, hint = found
        if cached is None:  # not in the cache: from the database, as cached_db does
            data = super().load()
            hint = None
        else:
            data = cached
        if hint is None or str(data.get(SESSION_KEY)) != hint:
            self._write_hint(data)
        return data

    def _get_new_session_key(self) -> str:
        """A new random key, without asking the cache and the database whether it is taken (Django's default: a
        Redis round trip and a query at every login): 32 characters of 36 are about 165 bits, and ``create`` saves
        with ``must_create``, whose INSERT refuses a taken key (``CreateError``: a new key is drawn)."""
        return get_random_string(32, VALID_KEY_CHARS)

    def _load_with_person(self) -> tuple[dict[str, Any] | None, str | None] | None:
        """(the session's data or None when not cached, the hint) in one round trip, offering the person when their
        cache entry is current; None when the cache is not Redis or cannot be reached."""
        backend = self._cache
        if not isinstance(backend, ResilientRedisCache) or not self.session_key:
            return None
        wanted = caching.wanted_with_session()  # the view's: keys of the person's own, read along
        place_exam = caching.place_wanted_with_session()  # and the exam whose rank index says their place
        keys = [backend.make_key(self.cache_key), backend.make_key(self._hint_key(self.session_key))]
        args = [backend.make_key(usercache.user_key("")), backend.make_key(PEOPLE_KEY), backend.make_key(ANY_KEY)]
        args += rankindex.place_keys(backend, place_exam) if place_exam is not None else ("", "")
        args += [backend.make_key(prefix) for prefix in wanted]
        reply = backend.guarded(lambda: backend.script(LOAD, write=False)(keys=keys, args=args), None)
        if reply is None:
            return None
        session, hint, entry, people, snapshot, place, *along = reply
        client: Any = backend._cache  # Django's RedisCacheClient: its serializer
        data = None if session is None else client._serializer.loads(session)
        hint_text = None if hint is None else hint.decode()
        theirs = data is not None and hint_text == str(data.get(SESSION_KEY))  # the hint is the session's person
        read_along, placed = None, None
        if wanted and theirs:
            along += [None] * (len(wanted) - len(along))  # Redis ends a Lua array at its first nil
            read_along = {
                f"{prefix}{hint_text}": None if value is None else client._serializer.loads(value)
                for prefix, value in zip(wanted, along, strict=True)
            }
        if place and theirs:  # an empty reply (no live index) says nothing
            placed = rankindex.place_from(int(hint), place)
        caching.offer_snapshot(None if snapshot is None else int(snapshot), read_along, placed)
        if people is not None and theirs:
            current = (int(people),)
            generations, user = ((), None) if entry is None else usercache.entry_from(entry, client._serializer.loads)
            if user is not None and generations == current and str(user.pk) == hint_text:
                usercache.offer(user)
            else:  # not cached under today's generation: cached_user reads the row, and needs not ask for it
                usercache.offer_absent(hint_text, current)
        return data, hint_text

    def _write_hint(self, data: dict[str, Any]) -> None:
        user_id = data.get(SESSION_KEY)
        if user_id is None or not self.session_key:
            return
        try:
            # an int: Django's Redis serializer stores it as plain digits, which the script puts into a key
            age = self.get_expiry_age(expiry=data.get("_session_expiry"))  # not from self: load() is still running
            self._cache.set(self._hint_key(self.session_key), int(user_id), age)
        except Exception:  # as cached_db's own writes: a cache failure is no reason to fail the request
            cached_db.logger.exception("Error saving to cache (%s)", self._cache)

    def cycle_key(self) -> None:
        """As Django's, but a session never saved is not written twice. A login cycles its session's key, and an
        app login's session is a new one (allauth's headless app client): Django's ``cycle_key`` then ``create``s
        it, an INSERT (in a transaction of its own) that only reserves the key, and the login saves it again at the
        end of the request with the person in it, an UPDATE (another transaction, and the session and its hint
        written to Redis twice). Here it takes a new key, and that save INSERTs it: one statement for the
        session, and one commit fewer, for every login of an exam's opening.

        The INSERT is ``save(must_create=True)``, whose primary key refuses a key already taken (``CreateError``,
        the login fails and the person tries again): with 32 random characters of 36 (``_get_new_session_key``),
        a chance of 2⁻¹⁶⁵ for each session stored. A session saved before keeps Django's cycle (its row moved to a
        new key)."""
        if self.session_key is not None:
            super().cycle_key()
            return
        self._session  # noqa: B018  # its data kept (a session without a key loads nothing) before the key is set
        self._session_key = self._get_new_session_key()
        self.modified = True
        self._insert_on_save = True

    def save(self, must_create: bool = False) -> None:
        if self._insert_on_save:
            self._insert_on_save = False
            must_create = True
        super().save(must_create)
        self._write_hint(self._session)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        super().delete(session_key)
        if key:
            try:
                self._cache.delete(self._hint_key(key))
            except Exception:
                cached_db.logger.exception("Error deleting from cache (%s)", self._cache)
