"""A person's rank among an exam's counted attempts in O(log n): a Redis sorted set per exam (the *rank index*).

A submit's result and a participant's own row on the person leaderboard say "第 38 名 / 共 82 人": how many
counted attempts are better (a higher score, or the same score in less time) and how many there are. Counted in
PostgreSQL that reads every counted attempt of the exam: 0.27 ms at 3,000 and 20 ms at 100,000, on every submit
and on every participant's first look at the board after it (issue 9). Here the counted attempts are also kept
as members of a sorted set, one per person (their user id), ordered by ``sort_key`` (score, then time used), and
both numbers are one ``ZCOUNT`` and one ``ZCARD`` away, in one round trip.

Beside each index a hash (its *rows*, ``rows_key``) holds each ranked person's counted attempt as their row on the
board shows it (the attempt, score, time used and submit time): a participant's own row, which every participant
reads after their submit and which every other submit makes stale, then needs neither the database nor a second
round trip (``own``: their rank, the count and their row at once; or that they are not ranked, stored for the
board's reader in the same round trip). Whatever writes an index writes its rows in the same script or transaction.

What keeps the index true:
- **Built from the database** (``_build``) by the first reader that finds none, one builder at a time (the others
  count in the database meanwhile). It is written into a *building* key, which a submit's entry also reaches (the
  ``ADD`` script adds to both), then renamed into place: a submit committed while the builder read is in it either
  way.
- **A finalisation adds its person's counted attempt** after its commit (``keep``, scheduled by
  ``caching.attempt_finalised``), replacing their earlier entry and row, or removes them when none counts.
- **Everything else that changes counted attempts** (a regrade, the exam's counting policy, an attempt changed
  in the admin or deleted, the exam recreated) moves the exam's *rank generation* (``generation_key``, bumped by
  ``caching.exam_changed`` and by the ``Attempt`` delete signal): the index of the old generation is no longer
  read.
- **Every index lives at most ``TTL`` seconds** and is built afresh after: whatever a lost entry (a worker killed
  between a commit and its ``keep``, or Redis out of its reach for that one call) made wrong is wrong for that long
  at most: others' ranks one off, and that person's own row missing from their board (``own`` says they are not
  ranked; the staff's boards and the exports read the database). A rank generation that Redis lost
  starts again from the clock, so that no index kept under an older one is read.

Without Redis (local memory in development and tests), or while it cannot be reached, the counts come from the
database as before (``None`` from ``tally``). Like accounts/sessions.py, the scripts name keys they build from a
generation (not in ``KEYS``): fine on one Redis server or a replicated pair, not on Redis Cluster.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.db import connection

from config.cache import ResilientRedisCache, reachable_redis

from . import rawsql
from .models import Attempt

TTL = 600  # seconds an index lives at most before it is built afresh from the database
BUILD_SECONDS = 30  # how long one builder holds the right to build
CHUNK = 5000  # members per ZADD while building
SENTINEL = "-"  # a member at -inf that keeps an index (and a building one) in existence while it has no attempt
MAX_SECONDS = 10**7 - 1  # time used is clamped to this (115 days) so that it never reaches the next cent of score

# the exam's generation (started from the clock, ARGV[3], when Redis lost it) and its live index (ARGV[1] the
# prefix): a script that begins so answers only the generation when there is no index (the reader builds one)
_LIVE_INDEX = """
local gen = redis.call('GET', KEYS[1])
if not gen then
  gen = ARGV[3]
  redis.call('SET', KEYS[1], gen)
end
local live = ARGV[1] .. gen
if redis.call('EXISTS', live) == 0 then
  return {gen}
end
"""

TALLY = (
    _LIVE_INDEX
    + """
return {gen, redis.call('ZCOUNT', live, '(' .. ARGV[2], '+inf'), redis.call('ZCARD', live) - 1}
"""
)

ADD = """
if ARGV[6] then
  redis.call('SET', ARGV[6], ARGV[7], 'EX', ARGV[8])
end
local gen = redis.call('GET', KEYS[1])
if not gen then
  return 0
end
for _, key in ipairs({ARGV[1] .. gen, ARGV[1] .. gen .. ':building'}) do
  if redis.call('EXISTS', key) == 1 then
    local rows = key .. ':rows'
    local has_rows = redis.call('EXISTS', rows) == 1
    if ARGV[4] == '1' then
      redis.call('ZADD', key, ARGV[2], ARGV[3])
    else
      redis.call('ZREM', key, ARGV[3])
    end
    if has_rows and ARGV[5] ~= '' then
      redis.call('HSET', rows, ARGV[3], ARGV[5])
    elseif has_rows then
      redis.call('HDEL', rows, ARGV[3])
    end
  end
end
"""

FINISH = """
if redis.call('GET', KEYS[3]) ~= ARGV[1] or redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('RENAME', KEYS[4], KEYS[5])
  redis.call('EXPIRE', KEYS[5], ARGV[2])
else
  redis.call('DEL', KEYS[5])
end
redis.call('DEL', KEYS[3])
return 1
"""

# the place of ``member`` (a user id) in the live index ``live``: {0} not ranked, {-1} no row for them, else
# {1, better, counted, their row, their entry's sort key}
_PLACE = """
  local sort_key = redis.call('ZSCORE', live, member)
  if not sort_key then
    return {0}
  end
  local row = redis.call('HGET', live .. ':rows', member)
  if not row or row == '' then
    return {-1}
  end
  return {1, redis.call('ZCOUNT', live, '(' .. sort_key, '+inf'), redis.call('ZCARD', live) - 1, row, sort_key}
"""

OWN = (
    _LIVE_INDEX
    + """
local function place(live, member)
"""
    + _PLACE
    + """
end
local found = place(live, ARGV[2])
if found[1] == 0 and #ARGV >= 6 then
  redis.call('SET', ARGV[4], ARGV[5], 'EX', ARGV[6])
end
table.insert(found, 1, gen)
return found
"""
)

# ``PLACE_FUNCTION``, for a script that reads a person's place along with other things (accounts/sessions.py, which
# reads it with the session of a viewer of the person leaderboard): ``place_in(generation key, index prefix,
# member)`` answers their place in the exam's live index as ``OWN`` does after the generation, or {} when there is
# no live index (the caller then reads ``own``, which builds one). It writes nothing: a missing generation is left to
# ``own``.
PLACE_FUNCTION = (
    """
local function place_in(generation_key, prefix, member)
  local gen = redis.call('GET', generation_key)
  if not gen then
    return {}
  end
  local live = prefix .. gen
  if redis.call('EXISTS', live) == 0 then
    return {}
  end
"""
    + _PLACE
    + """
end
"""
)


def generation_key(exam_id: int) -> str:
    return f"exam:{exam_id}:ranks:gen"


def _index_prefix(exam_id: int) -> str:
    return f"exam:{exam_id}:ranks:"


def rows_key(index: str) -> str:
    """The key of the rows kept beside the index (or the index being built) ``index``."""
    return index + ":rows"


def sort_key(score: Decimal, time_used_seconds: int) -> int:
    """One number that orders counted attempts as the leaderboard does: a higher score first, then less time. Whole
    cents of score times 10⁷ less the seconds used: exact in a double (scores below 10,000 points)."""
    return int(score * 100) * 10**7 - min(max(time_used_seconds, 0), MAX_SECONDS)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Counted(NamedTuple):
    """A person's counted attempt as the rank index keeps it: its entry's order and its row's fields."""

    user_id: int
    attempt_id: int
    score: Decimal
    time_used_seconds: int
    submitted_at: datetime | None

    def row(self) -> str:
        """Its row in the index's rows; empty (no row: the board reads it from the database) when it has no submit
        time, which a counted attempt always has."""
        if self.submitted_at is None:
            return ""
        micros = (self.submitted_at - _EPOCH) // timedelta(microseconds=1)
        return f"{self.attempt_id}|{self.score}|{self.time_used_seconds}|{micros}"

    @classmethod
    def of_attempt(cls, attempt: Attempt) -> Counted | None:
        """A finished attempt as the index keeps it (None: not scored, so not ranked)."""
        if attempt.score is None:
            return None
        used = attempt.time_used_seconds or 0
        return cls(attempt.user_id, attempt.pk, attempt.score, used, attempt.submitted_at)

    @staticmethod
    def sort_key_of_row(row: str) -> int:
        """The index's sort key of the attempt whose row is ``row``, without taking the rest of it apart."""
        _attempt_id, score, used, _micros = row.split("|")
        return sort_key(Decimal(score), int(used))

    @classmethod
    def from_row(cls, user_id: int, row: str) -> Counted:
        """The person's counted attempt from their row (``row``'s reverse)."""
        attempt_id, score, used, micros = row.split("|")
        return cls(user_id, int(attempt_id), Decimal(score), int(used), _EPOCH + timedelta(microseconds=int(micros)))


class Own(NamedTuple):
    """A person's place on the board from the index (``own``): how many counted attempts are better, how many
    there are, and their own counted attempt, as its row in the index (``Counted.row``). Taken apart only when their
    row is rendered (``counted``): a board's read of a person whose row is kept rendered compares the text alone
    (``quizzes.leaderboards.own_row_made_of``)."""

    better: int
    total: int
    user_id: int
    row: str

    @property
    def counted(self) -> Counted:
        return Counted.from_row(self.user_id, self.row)


def tally(exam_id: int, score: Decimal, time_used_seconds: int) -> tuple[int, int] | None:
    """(counted attempts better than this score and time, counted attempts) of the exam from its index, built
    first if there is none; None when the database must count (no Redis, or another worker is building)."""
    backend = reachable_redis()
    if backend is None:
        return None
    reply = _read_built(backend, exam_id, TALLY, [str(sort_key(score, time_used_seconds))])
    if len(reply) < 3:
        return None
    return int(reply[1]), int(reply[2])


UNRANKED: Literal["unranked"] = "unranked"
type Place = Own | Literal["unranked"]  # a person's place on the board: theirs, or not ranked


def own(exam_id: int, user_id: int, *, when_unranked: tuple[str, Any, int] | None = None) -> Place | None:
    """The person's place on the exam's board from its index, built first if there is none, in one round trip:
    ``Own``, or ``UNRANKED`` when they have no counted attempt; None when the database must say (no Redis, another
    worker is building, or the index holds no row for them or one that is not their entry's: an index built, or an
    entry added, by an earlier release).
    ``when_unranked``: (cache key, value, timeout) that the same round trip stores, as the cache's ``set`` would,
    when they are not ranked."""
    backend = reachable_redis()
    if backend is None:
        return None
    args = [str(user_id)]
    if when_unranked is not None:
        key, value, timeout = when_unranked
        client: Any = backend._cache  # Django's RedisCacheClient: its serializer, as accounts/sessions.py reads it
        args += [backend.make_key(key), client._serializer.dumps(value), str(timeout)]
    reply = _read_built(backend, exam_id, OWN, args)
    return place_from(user_id, reply[1:])


def place_keys(backend: ResilientRedisCache, exam_id: int) -> tuple[str, str]:
    """What ``PLACE_FUNCTION``'s ``place_in`` takes of the exam: its generation's key and its indexes' prefix, as
    Redis names them."""
    return backend.make_key(generation_key(exam_id)), backend.make_key(_index_prefix(exam_id))


def place_from(user_id: int, reply: list[Any]) -> Place | None:
    """The person's place from what ``PLACE_FUNCTION`` (or ``OWN``, after the generation) answered, as ``own`` says
    it; None also when the reply is empty (no live index)."""
    if not reply or int(reply[0]) < 0:
        return None
    if int(reply[0]) == 0:
        return UNRANKED
    row = reply[3].decode()
    if Counted.sort_key_of_row(row) != int(float(reply[4])):
        return None  # a row that is not their entry's (written by an earlier release's server during an upgrade)
    return Own(int(reply[1]), int(reply[2]), user_id, row)


def _read_built(backend: ResilientRedisCache, exam_id: int, script: str, args: list[Any]) -> list[Any]:
    """The reply of ``script`` (``TALLY``, ``OWN``) on the exam's live index, built first when the reply is only
    the generation (there is none); only the generation when it is still not there, [] when Redis failed."""
    prefix = backend.make_key(_index_prefix(exam_id))
    # a generation lost (evicted) starts from the clock, above any it held: no index kept under an old one is read
    keys = [backend.make_key(generation_key(exam_id))]
    args = [prefix, args[0], str(time.time_ns()), *args[1:]]

    def read() -> list[Any]:
        reply = backend.script(script)(keys=keys, args=args)
        if len(reply) == 1 and _build(exam_id, backend, prefix + reply[0].decode()):
            reply = backend.script(script)(keys=keys, args=args)
        return list(reply)

    return backend.guarded(read, [])


def _build(exam_id: int, backend: ResilientRedisCache, live: str) -> bool:
    """Write the index ``live`` and its rows from the exam's counted attempts. False when another worker holds the
    right to build it, or the generation moved while building (the index built is then never read)."""
    building, builder = live + ":building", live + ":builder"
    client = backend.client()
    token = f"{id(client)}:{exam_id}:{live}"
    if not client.set(builder, token, nx=True, ex=BUILD_SECONDS):
        return False
    pipe = client.pipeline(transaction=True)  # a submit's entry reaches the index only with its rows there
    pipe.delete(building, rows_key(building))
    pipe.hset(rows_key(building), SENTINEL, "")
    pipe.zadd(building, {SENTINEL: float("-inf")})  # exists from now on: a submit's entry reaches it
    pipe.expire(rows_key(building), TTL)
    pipe.expire(building, TTL)
    pipe.execute()
    for chunk in itertools.batched(_counted_attempts(exam_id), CHUNK):
        pipe = client.pipeline(transaction=True)
        pipe.zadd(building, {str(c.user_id): sort_key(c.score, c.time_used_seconds) for c in chunk})
        pipe.hset(rows_key(building), mapping={str(c.user_id): c.row() for c in chunk})
        pipe.execute()
    keys = [building, live, builder, rows_key(building), rows_key(live)]
    return bool(backend.script(FINISH)(keys=keys, args=[token, TTL]))


def _counted_attempts(exam_id: int) -> list[Counted]:
    """Every counted attempt of the exam: one read, written out (``rawsql``)."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    fields = ("user", "id", "score", "time_used_seconds", "submitted_at")
    columns = ", ".join(rawsql.column_of(Attempt, name) for name in fields)
    sql = (
        f"SELECT {columns} FROM {table} "
        f"WHERE {rawsql.column_of(Attempt, 'exam')} = %s AND {rawsql.column_of(Attempt, 'is_counted')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [exam_id, True])
        rows = cursor.fetchall()
    return [
        Counted(user_id, pk, score, used or 0, submitted)
        for user_id, pk, score, used, submitted in rawsql.rows_from_db(Attempt, fields, rows)
    ]


def keep(exam_id: int, user_id: int, entry: Counted | None, *, also: tuple[str, Any, int] | None = None) -> None:
    """After a finalisation has committed: the person's entry and row in the exam's index (and in one being built)
    are now their counted attempt's (``entry``: ``Counted.of_attempt``), or gone when none counts. Nothing when
    there is no index: the next reader builds one. ``also``: (cache key, value, timeout) stored in the same round
    trip, as the cache's ``set`` would, index or not (the person's own row of the board:
    ``caching.attempt_finalised``)."""
    backend = reachable_redis()
    if backend is None:
        return
    value, row = None, ""
    if entry is not None:
        value, row = sort_key(entry.score, entry.time_used_seconds), entry.row()
    keys = [backend.make_key(generation_key(exam_id))]
    args = [backend.make_key(_index_prefix(exam_id)), str(value or 0), str(user_id), "0" if value is None else "1", row]
    if also is not None:
        key, kept, timeout = also
        client: Any = backend._cache  # Django's RedisCacheClient: its serializer, as ``own`` uses it
        args += [backend.make_key(key), client._serializer.dumps(kept), str(timeout)]
    backend.guarded(lambda: backend.script(ADD)(keys=keys, args=args), None)
