"""Django's PostgreSQL backend (``ENGINE = "config.postgresql"``: settings choose it for a ``postgres://``
``DATABASE_URL``), with a health check that costs no round trip.

A persistent connection (``CONN_MAX_AGE``) may have died between two requests: PostgreSQL restarted, a failover,
``pg_terminate_backend``, an idle timeout in PgBouncer. ``CONN_HEALTH_CHECKS`` makes Django ask before a
request's first query, with ``SELECT 1``: on the exam's hottest request, an autosave of one statement, that was a
second round trip to the database, with its CPU on both sides (issue 9's profile: about 60 µs of the worker's and
20 µs of PostgreSQL's, 7 % of an autosave).

Here the check looks at the connection's socket instead. Between requests an idle connection has nothing to
read: PostgreSQL speaks only when asked. When it goes away it says so unasked (a FATAL message such as
"terminating connection due to administrator command", then the end of the stream), and a dead peer's socket
reads as closed. So a readable socket, or a connection that psycopg already knows is broken, is closed and
opened afresh, as Django's own check does; what it cannot tell this way (a connection inside a transaction, as
in tests, or without a socket) falls back to ``SELECT 1``. What neither check can see is a peer that vanished
without a word (a cable cut): ``SELECT 1`` would wait for TCP to give up too. The request that meets such a
connection fails as before with 503 and ``Retry-After`` (api/views/errors.py), and Django closes the connection
at that request's end.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_enabled: bool  # set by Django's base wrapper (its stubs do not say)
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or self.pool or not self.health_check_enabled or self.health_check_done:
            super().close_if_health_check_failed()
            return
        quiet = self.quiet_and_idle()
        if quiet is None:  # cannot tell from here: Django's check
            super().close_if_health_check_failed()
            return
        if not quiet:
            self.close()
        self.health_check_done = True

    def quiet_and_idle(self) -> bool | None:
        """True when the open connection is idle with nothing to read, False when it is broken or PostgreSQL has
        spoken unasked (it is going away), None when this cannot be told without a query."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status == pq.TransactionStatus.UNKNOWN:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:  # inside a transaction (tests): ask
            return None
        try:
            descriptor = pgconn.socket
        except Exception:  # psycopg.OperationalError: no socket
            return None
        poller = select.poll()
        poller.register(descriptor, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
