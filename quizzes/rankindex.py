"""A person's rank among an exam's counted attempts in O(log n): a Redis sorted set per exam (the *rank index*).

A submit's result and a participant's own row on the person leaderboard say "第 38 名 / 共 82 人": how many
counted attempts are better (a higher score, or the same score in less time) and how many there are. Counted in
PostgreSQL that reads every counted attempt of the exam: 0.27 ms at 3,000 and 20 ms at 100,000, on every submit
and on every participant's first look at the board after it (issue 9). Here the counted attempts are also kept
as members of a sorted set, one per person (their user id), ordered by ``sort_key`` (score, then time used), and
both numbers are one ``ZCOUNT`` and one ``ZCARD`` away, in one round trip.

What keeps the index true:
- **Built from the database** (``_build``) by the first reader that finds none, one builder at a time (the others
  count in the database meanwhile). It is written into a *building* key, which a submit's entry also reaches (the
  ``ADD`` script adds to both), then renamed into place: a submit committed while the builder read is in it either
  way.
- **A finalisation adds its person's counted attempt** after its commit (``keep``, scheduled by
  ``caching.attempt_finalised``), replacing their earlier entry, or removes them when none counts.
- **Everything else that changes counted attempts** (a regrade, the exam's counting policy, an attempt changed
  in the admin or deleted, the exam recreated) moves the exam's *rank generation* (``generation_key``, bumped by
  ``caching.exam_changed`` and by the ``Attempt`` delete signal): the index of the old generation is no longer
  read.
- **Every index lives at most ``TTL`` seconds** and is built afresh after: whatever a lost entry (a worker killed
  between a commit and its ``keep``) made wrong is wrong for that long at most. A rank generation that Redis lost
  starts again from the clock, so that no index kept under an older one is read.

Without Redis (local memory in development and tests), or while it cannot be reached, the counts come from the
database as before (``None`` from ``tally``). Like accounts/sessions.py, the scripts name keys they build from a
generation (not in ``KEYS``): fine on one Redis server or a replicated pair, not on Redis Cluster.
"""

from __future__ import annotations

import itertools
import time
from decimal import Decimal
from typing import Any

from django.db import connection

from config.cache import ResilientRedisCache, reachable_redis

from . import rawsql
from .models import Attempt

TTL = 600  # seconds an index lives at most before it is built afresh from the database
BUILD_SECONDS = 30  # how long one builder holds the right to build
CHUNK = 5000  # members per ZADD while building
SENTINEL = "-"  # a member at -inf that keeps an index (and a building one) in existence while it has no attempt
MAX_SECONDS = 10**7 - 1  # time used is clamped to this (115 days) so that it never reaches the next cent of score

TALLY = """
local gen = redis.call('GET', KEYS[1])
if not gen then
  gen = ARGV[3]
  redis.call('SET', KEYS[1], gen)
end
local live = ARGV[1] .. gen
if redis.call('EXISTS', live) == 1 then
  return {gen, redis.call('ZCOUNT', live, '(' .. ARGV[2], '+inf'), redis.call('ZCARD', live) - 1}
end
return {gen}
"""

ADD = """
local gen = redis.call('GET', KEYS[1])
if not gen then
  return 0
end
for _, key in ipairs({ARGV[1] .. gen, ARGV[1] .. gen .. ':building'}) do
  if redis.call('EXISTS', key) == 1 then
    if ARGV[4] == '1' then
      redis.call('ZADD', key, ARGV[2], ARGV[3])
    else
      redis.call('ZREM', key, ARGV[3])
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
redis.call('DEL', KEYS[3])
return 1
"""


def generation_key(exam_id: int) -> str:
    return f"exam:{exam_id}:ranks:gen"


def _index_prefix(exam_id: int) -> str:
    return f"exam:{exam_id}:ranks:"


def sort_key(score: Decimal, time_used_seconds: int) -> int:
    """One number that orders counted attempts as the leaderboard does: a higher score first, then less time. Whole
    cents of score times 10⁷ less the seconds used: exact in a double (scores below 10,000 points)."""
    return int(score * 100) * 10**7 - min(max(time_used_seconds, 0), MAX_SECONDS)


def tally(exam_id: int, score: Decimal, time_used_seconds: int) -> tuple[int, int] | None:
    """(counted attempts better than this score and time, counted attempts) of the exam from its index, built
    first if there is none; None when the database must count (no Redis, or another worker is building)."""
    backend = reachable_redis()
    if backend is None:
        return None
    prefix = backend.make_key(_index_prefix(exam_id))
    # a generation lost (evicted) starts from the clock, above any it held: no index kept under an old one is read
    keys = [backend.make_key(generation_key(exam_id))]
    args = [prefix, str(sort_key(score, time_used_seconds)), str(time.time_ns())]

    def read() -> list[Any]:
        reply = backend.script(TALLY)(keys=keys, args=args)
        if len(reply) == 1 and _build(exam_id, backend, prefix + reply[0].decode()):
            reply = backend.script(TALLY)(keys=keys, args=args)
        return list(reply)

    reply: list[Any] = backend.guarded(read, [])
    if len(reply) < 3:
        return None
    return int(reply[1]), int(reply[2])


def _build(exam_id: int, backend: ResilientRedisCache, live: str) -> bool:
    """Write the index ``live`` from the exam's counted attempts. False when another worker holds the right to
    build it, or the generation moved while building (the index built is then never read)."""
    building, builder = live + ":building", live + ":builder"
    client = backend.client()
    token = f"{id(client)}:{exam_id}:{live}"
    if not client.set(builder, token, nx=True, ex=BUILD_SECONDS):
        return False
    pipe = client.pipeline(transaction=False)
    pipe.delete(building)
    pipe.zadd(building, {SENTINEL: float("-inf")})  # exists from now on: a submit's entry reaches it
    pipe.expire(building, TTL)
    pipe.execute()
    members = ((str(user_id), sort_key(score, used)) for user_id, score, used in _counted_attempts(exam_id))
    for chunk in itertools.batched(members, CHUNK):
        client.zadd(building, dict(chunk))
    return bool(backend.script(FINISH)(keys=[building, live, builder], args=[token, TTL]))


def _counted_attempts(exam_id: int) -> list[tuple[int, Decimal, int]]:
    """(user id, score, time used) of every counted attempt of the exam: one read, written out (``rawsql``)."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    columns = ", ".join(rawsql.column_of(Attempt, name) for name in ("user", "score", "time_used_seconds"))
    sql = (
        f"SELECT {columns} FROM {table} "
        f"WHERE {rawsql.column_of(Attempt, 'exam')} = %s AND {rawsql.column_of(Attempt, 'is_counted')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [exam_id, True])
        rows = cursor.fetchall()
    score = Attempt._meta.get_field("score")
    return [(user_id, score.to_python(value), used or 0) for user_id, value, used in rows]


def keep(exam_id: int, user_id: int, counted: Attempt | None) -> None:
    """After a finalisation has committed: the person's entry in the exam's index (and in one being built) is now
    their counted attempt's, or gone when none counts. Nothing when there is no index: the next reader builds one."""
    backend = reachable_redis()
    if backend is None:
        return
    value = None
    if counted is not None and counted.score is not None:
        value = sort_key(counted.score, counted.time_used_seconds or 0)
    keys = [backend.make_key(generation_key(exam_id))]
    args = [backend.make_key(_index_prefix(exam_id)), str(value or 0), str(user_id), "0" if value is None else "1"]
    backend.guarded(lambda: backend.script(ADD)(keys=keys, args=args), None)
