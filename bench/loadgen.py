"""A small asyncio HTTP/1.1 client for bench/load_bench.py: keep-alive connections in a pool, reconnect
when the server closes one (gunicorn's sync workers close after every response), retry a request whose
connection broke (every request the harness sends is idempotent: login, start/resume, autosave with seq,
submit), latency kept per step. No dependency beyond the standard library."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


class ServerClosed(Exception):
    pass


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            await self.close()
            raise ServerClosed() from error
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", 0))
        close = headers.get("connection", "").lower() == "close"
        try:
            payload = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            await self.close()
            raise ServerClosed() from error
        if close:
            await self.close()
        return Reply(status, payload, headers)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    retries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # each retry: (step, when its first try was sent, why: the status or the connection's error)
    retried: list[tuple[str, float, str]] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def summary(self, step: str) -> dict[str, Any]:
        values = sorted(self.latencies[step])
        if not values:
            return {"count": 0}

        def pct(p: float) -> float:
            return values[min(len(values) - 1, int(p * len(values)))] * 1000

        return {
            "count": len(values),
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": values[-1] * 1000,
            "statuses": dict(self.statuses[step]),
            "retries": self.retries[step],
            "failures": self.failures[step],
        }


class Client:
    """A pool of ``size`` keep-alive connections to one or more servers (round robin per request)."""

    def __init__(self, servers: list[tuple[str, int]], size: int, stats: Stats, attempts: int = 5) -> None:
        self.pool: asyncio.Queue[Connection] = asyncio.Queue()
        for i in range(size):
            self.pool.put_nowait(Connection(*servers[i % len(servers)]))
        self.stats = stats
        self.attempts = attempts

    async def call(
        self, step: str, method: str, path: str, *, token: str | None = None, payload: Any = None
    ) -> Reply | None:
        """One request, retried on a broken connection or a 502/503 from a proxy; None when it never
        got an answer. Latency counts from the first try to the answer, retries included."""
        headers = {"Accept": "application/json"}
        if token:
            headers["X-Session-Token"] = token
        body = b""
        if payload is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(payload).encode()
        started = time.perf_counter()
        for attempt in range(self.attempts):
            why = ""
            connection = await self.pool.get()
            try:
                reply = await connection.request(method, path, headers, body)
            except (ServerClosed, ConnectionError, OSError) as error:
                await connection.close()
                reply, why = None, repr(error.__cause__ or error)
            finally:
                self.pool.put_nowait(connection)
            if reply is not None and reply.status not in (502, 503, 504):
                self.stats.latencies[step].append(time.perf_counter() - started)
                self.stats.statuses[step][reply.status] += 1
                return reply
            self.stats.retries[step] += 1
            self.stats.retried.append((step, started, why if reply is None else str(reply.status)))
            await asyncio.sleep(0.05 * (attempt + 1))
        self.stats.failures[step] += 1
        return None

    async def close(self) -> None:
        while not self.pool.empty():
            await self.pool.get_nowait().close()
