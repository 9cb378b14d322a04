"""The application's URLs plus the ceiling and its floors, served by the same server and workers, against which
bench/load_bench.py states every figure.

- The ceiling: a trivial JSON view through the same middleware.
- Its floors: the ceiling plus the round trips to the stores that a request cannot do without, and nothing else.
  ``GET /me`` makes one to Redis (the session, with the person in it); an autosave makes that one and one
  autocommitted upsert in PostgreSQL, which waits for its durable commit. On a small machine each round trip
  costs the worker and the kernel far more than its few instructions (two context switches, caches refilled), so
  a floor says how near the ceiling a request with those round trips could come if its own code cost nothing.
"""

import random

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["FLOOR_TABLE", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]

FLOOR_TABLE = "bench_floor"  # created by bench/load_bench.py in its database
FLOOR_ROWS = 10_000  # the upserts spread over this many rows, as the autosaves over a city's answers


def ceiling(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def floor_read(request: HttpRequest) -> JsonResponse:
    """The ceiling plus one Redis round trip (a cache read, through the cache's client)."""
    cache.get("bench:floor")
    return JsonResponse({"ok": True})


def floor_write(request: HttpRequest) -> JsonResponse:
    """One upsert of one row in PostgreSQL, autocommitted (its commit is durable), then ``floor_read``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (id, n) VALUES (%s, 1) ON CONFLICT (id) DO UPDATE SET n = {FLOOR_TABLE}.n + 1",
            [random.randrange(FLOOR_ROWS)],
        )
    return floor_read(request)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/ceiling", ceiling),
    path("bench/floor/read", floor_read),
    path("bench/floor/write", floor_write),
    *app_urlpatterns,
]
