"""Two app servers behind one nginx, one killed mid-run: nothing that another app server needs is held in a
process's memory (issue 9, "More than one machine").

    python bench/two_servers.py [--participants 40] [--autosaves 12]

Needs PostgreSQL and Redis, as bench/load_bench.py (XUEFA_BENCH_DATABASE_URL: this run uses `<its name>_two`,
dropped and recreated, dropped at the end; XUEFA_BENCH_REDIS_URL: keys under a prefix of this run only, removed
at the end) and nginx (Debian's package, installed with apt-get when missing and the script runs as root).
Ports: XUEFA_BENCH_PORT + 10 (nginx), + 11 and + 12 (the two app servers); default 8050-8052.

What it does:
1. Prepares an exam and its participants through the services (load_bench.prepare).
2. Starts two gunicorn app servers (production settings, DJANGO_DEBUG=0, the same PostgreSQL and Redis) and
   one nginx in front of them, with a temporary configuration (printed) under a directory of its own in /tmp:
   an upstream of the two, each request to either at random (`random`: with round robin, once the servers were
   fast enough to answer each participant's login, start and 12 saves before the next login, every login went
   to the same server in step, and no session begun on the killed one could be shown going on), and
   `proxy_next_upstream error timeout http_502 http_503
   non_idempotent` (every exam write is idempotent: autosave carries a seq, start and submit return the first
   result), as docs/deployment.md configures it. nginx names the server that answered each request in a
   response header (`X-Upstream: $upstream_addr`, this configuration only).
3. Drives the exam day of load_bench.exam_day through nginx: each participant logs in, starts, autosaves and
   submits, then reads the leaderboard four times a second apart (the results page), a request retried by the
   client when its connection breaks or nginx answers 502/503/504 (at most
   5 tries each, loadgen.Client). Once half of the autosaves are acknowledged (`--kill-during submit`: a
   quarter of the submits, which come bunched after every answer), the first server is killed: SIGKILL to its
   whole process group (the gunicorn master and its workers).
4. Checks, and exits 1 when one fails:
   - before the kill both servers answered, each at least a quarter of the requests, and participants'
     consecutive requests switched servers (how many participants were served by both is printed); after
     the kill only the survivor answered;
   - participants who had logged in on the killed server went on with that session on the survivor;
   - no request failed: a client retry only for a request sent before the kill (in flight on the killed
     server), and every retry completed (no request without an answer, no 4xx or 5xx at the end);
   - every acknowledged answer and submit is in the database (rows counted against what the client had
     acknowledged), and every attempt is scored.

Every loop is bounded in requests and time; the servers and nginx are stopped and the temporary files removed
even on failure. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from load_bench import (
    Server,
    Sizes,
    analyze,
    answers_ceiling,
    cleanup_redis,
    django_setup,
    ensure_tool,
    exam_day,
    prepare,
    recreate_database,
    server_env,
    stop_group,
    verify_day,
)
from loadgen import Reply, Stats

NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

    upstream xuefa {{
        random;
        server 127.0.0.1:{first} max_fails=2 fail_timeout=5s;
        server 127.0.0.1:{second} max_fails=2 fail_timeout=5s;
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://xuefa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
            add_header X-Upstream $upstream_addr always;  # this bench only: which server answered
        }}
    }}
}}
"""


READS_AFTER_SUBMIT = 4  # leaderboard reads of each participant after the submit, a second apart


@dataclass
class Seen:
    """Every answer the client had, by participant: (when, step, status, the servers nginx tried)."""

    replies: dict[str, list[tuple[float, str, int, list[str]]]] = field(default_factory=lambda: defaultdict(list))
    no_answer: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, name: str, step: str, reply: Reply | None) -> None:
        if reply is None:
            self.no_answer.append((name, step))
            return
        tried = [part.strip() for part in reply.headers.get("x-upstream", "").split(",") if part.strip()]
        self.replies[name].append((time.perf_counter(), step, reply.status, tried))


class Nginx:
    """nginx in the foreground with a configuration of its own under ``prefix``."""

    def __init__(self, binary: str, prefix: Path, port: int, first: int, second: int) -> None:
        self.binary, self.prefix, self.port = binary, prefix, port
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, first=first, second=second))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.prefix / "error.log")]
        subprocess.run([*cmd, "-t", "-q"], check=True)
        self.process = subprocess.Popen([*cmd, "-g", "daemon off;"], start_new_session=True)
        if not answers_ceiling(self.process, self.port, seconds=30):  # ready: it answers from a server
            raise RuntimeError(f"nginx did not start; see {self.prefix / 'error.log'}")

    def stop(self) -> None:
        stop_group(self.process, signal.SIGQUIT, timeout=10)  # graceful: the master and its worker
        self.process = None

    def errors(self) -> Counter[str]:
        """What nginx logged about the upstreams: each line is a try it sent again to the other server (or
        a server it took out)."""
        counts: Counter[str] = Counter()
        log = self.prefix / "error.log"
        for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
            if "upstream prematurely closed" in line or "reset by peer" in line:
                counts["in flight on the killed server, sent to the other"] += 1
            elif "connect() failed" in line:
                counts["connection refused, sent to the other"] += 1
            elif "no live upstreams" in line:
                counts["no live upstreams"] += 1
            elif "upstream server temporarily disabled" in line:
                counts["server taken out (max_fails)"] += 1
            elif "[error]" in line or "[crit]" in line or "[alert]" in line or "[emerg]" in line:
                counts[f"other: {line.split(']', 1)[-1][:160]}"] += 1
        return counts


async def drive(
    nginx_port: int,
    names: list[str],
    exam_id: int,
    victim: Server,
    *,
    autosaves: int,
    kill_during: str,
    stats: Stats,
    seen: Seen,
    max_seconds: float,
) -> tuple[dict[str, object], tuple[float, float] | None]:
    """The exam day through nginx; the victim is killed (SIGKILL, master and workers) once half of the
    autosaves (or a quarter of the submits) are acknowledged. Returns what was acknowledged, and when the kill
    was sent and when the victim was gone (perf_counter)."""
    killed: tuple[float, float] | None = None

    async def killer() -> None:
        nonlocal killed
        target = len(names) * autosaves // 2 if kill_during == "autosave" else len(names) // 4
        deadline = time.monotonic() + max_seconds
        while stats.statuses[kill_during].get(200, 0) < target and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if time.monotonic() < deadline:
            sent = time.perf_counter()
            victim.stop(signal.SIGKILL)  # kill -9 of the process group: the master and its workers at once
            killed = (sent, time.perf_counter())

    kill_task = asyncio.create_task(killer())
    acked = await asyncio.wait_for(
        exam_day(
            [("127.0.0.1", nginx_port)],
            names,
            exam_id,
            autosaves=autosaves,
            login_seconds=len(names) * 0.15,
            connections=16,
            stats=stats,
            on_reply=seen,
            # after submitting, each participant stays on the results page for a few seconds: without it a fast
            # server finishes the bunched submits before the survivor's first second after the kill, and the
            # run could not show anyone going on there with the session begun on the killed server
            leaderboard_reads=READS_AFTER_SUBMIT,
            read_pause=1.0,
        ),
        timeout=max_seconds,
    )
    kill_task.cancel()
    return acked, killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--autosaves", type=int, default=12, help="answers each participant saves")
    parser.add_argument("--workers", type=int, default=2, help="sync workers per app server")
    parser.add_argument("--kill-during", choices=["autosave", "submit"], default="autosave")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the exam day's bound")
    args = parser.parse_args()

    nginx_binary = ensure_tool("nginx", "nginx")
    base_url = os.environ.get("XUEFA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xuefa_bench_load")
    head, _, name = base_url.rpartition("/")
    db_url = f"{head}/{name.split('?')[0]}_two"
    redis_url = os.environ.get("XUEFA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    port = int(os.environ.get("XUEFA_BENCH_PORT", "8040")) + 10
    prefix = f"xuefa-two-{os.getpid()}-{int(time.time())}"
    folder = Path(tempfile.mkdtemp(prefix="xuefa-two-servers-"))
    folder.chmod(0o755)  # nginx's worker runs as another user and writes its temporary files here
    servers: list[Server] = []
    nginx: Nginx | None = None
    started_at = time.monotonic()
    print(f"two servers: {args.participants} participants × {args.autosaves} autosaves", flush=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    try:
        recreate_database(db_url)
        django_setup(db_url, redis_url, prefix)
        ids = prepare(Sizes(storm=0, bank=200, board_small=0, board_large=0, takers=args.participants,
                            autosaves=args.autosaves, seconds=0))  # fmt: skip
        analyze()
        env = server_env(db_url, redis_url, prefix)
        servers = [Server(env, port + 1, "sync", args.workers), Server(env, port + 2, "sync", args.workers)]
        for server in servers:
            server.start()
        nginx = Nginx(nginx_binary, folder, port, servers[0].port, servers[1].port)
        nginx.start()
        print(f"prepared and started in {time.monotonic() - started_at:.0f} s; nginx on {port}:", flush=True)
        print(nginx.conf.read_text(), flush=True)

        names = [f"p{i:06d}" for i in range(args.participants)]
        stats, seen = Stats(), Seen()
        t0 = time.perf_counter()
        acked, killed = asyncio.run(
            drive(port, names, ids["day"], servers[0], autosaves=args.autosaves, kill_during=args.kill_during,
                  stats=stats, seen=seen, max_seconds=args.max_seconds)
        )  # fmt: skip
        seconds = time.perf_counter() - t0
        nginx_errors = nginx.errors()
        check = verify_day(ids["day"], acked)
        return report(args, servers, stats, seen, acked, check, nginx_errors, killed, t0, seconds)
    finally:
        for server in servers:
            server.stop()
        if nginx is not None:
            nginx.stop()
        shutil.rmtree(folder, ignore_errors=True)
        cleanup_redis(redis_url, prefix)
        try:
            from django.db import connections

            connections.close_all()
        except ImportError:
            pass
        import psycopg

        with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)')


def report(
    args: argparse.Namespace,
    servers: list[Server],
    stats: Stats,
    seen: Seen,
    acked: dict[str, object],
    check: dict[str, int],
    nginx_errors: Counter[str],
    killed: tuple[float, float] | None,
    t0: float,
    seconds: float,
) -> int:
    victim, survivor = (f"127.0.0.1:{s.port}" for s in servers)
    problems: list[str] = []
    if killed is None:
        problems.append(f"the first server was never killed (too few {args.kill_during}s acknowledged in time)")
    # before the kill: answered before it was sent; after: answered once the victim was gone plus a second for
    # its last answers, complete before it died, to reach the client through nginx
    kill, gone = killed if killed is not None else (float("inf"), float("inf"))

    # alternation before the kill, and the survivor alone after it
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    both = several = switches = crossed = 0
    strays: list[str] = []
    for name, replies in seen.replies.items():
        served = [tried[-1] for when, _, _, tried in replies if when < kill and tried]
        before.update(served)
        several += len(served) >= 2
        both += len(set(served)) == 2
        switches += sum(1 for a, b in itertools.pairwise(served) if a != b)
        for when, step, _, tried in replies:
            if when >= gone + 1.0 and tried:
                after[tried[-1]] += 1
                if tried[-1] != survivor:
                    strays.append(f"{name} {step} answered by {tried[-1]} after the kill")
        login = next((tried[-1] for _, step, _, tried in replies if step == "login" and tried), None)
        crossed += login == victim and any(when >= gone + 1.0 for when, *_ in replies)
    if len(seen.replies) < args.participants:
        problems.append(f"only {len(seen.replies)} of {args.participants} participants had an answer")
    if switches == 0:
        problems.append("no participant's consecutive requests went to different servers before the kill")
    if min(before[victim], before[survivor]) < sum(before.values()) / 4:
        problems.append(f"one server served less than a quarter of the requests before the kill: {dict(before)}")
    problems += strays[:10]
    if killed is not None and crossed == 0:
        problems.append("no participant who had logged in on the killed server went on on the survivor")

    # failures: a retry only for a request sent before the kill, every request answered, no error at the end
    late_retries = [(step, round(when - t0, 2), why) for step, when, why in stats.retried if when >= kill]
    if late_retries:
        problems.append(f"{len(late_retries)} requests sent after the kill needed a retry: {late_retries[:5]}")
    failed = sum(stats.failures.values())
    if failed or seen.no_answer:
        problems.append(f"{failed} requests had no answer after their retries: {seen.no_answer[:5]}")
    bad = {
        f"{step} {status}": n
        for step, by_status in stats.statuses.items()
        for status, n in by_status.items()
        if status >= 400
    }
    if bad:
        problems.append(f"error answers: {bad}")

    # the database against what the client had acknowledged
    if check["acknowledged answers missing or older in the database"]:
        problems.append("acknowledged answers are missing or older in the database")
    if check["acknowledged submits not submitted in the database"] or check["attempts not scored"]:
        problems.append("acknowledged submits are not submitted, or attempts not scored, in the database")
    if check["acknowledged submits"] != args.participants:
        problems.append(f"{check['acknowledged submits']} of {args.participants} submits acknowledged")

    print(
        f"\ntwo servers behind nginx: {args.participants} participants, {args.autosaves} autosaves each, "
        f"{seconds:.0f} s; gunicorn sync × {args.workers} on {victim} (killed) and {survivor}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if killed is not None:
        print(
            f"killed {victim} (SIGKILL to the master and its workers) during the {args.kill_during}s at "
            f"{kill - t0:.1f} s, gone at {gone - t0:.1f} s"
        )
    print("| what | count |")
    print("|---|---|")
    rows: list[tuple[str, object]] = [
        (f"requests answered by {victim} before the kill", before[victim]),
        (f"requests answered by {survivor} before the kill", before[survivor]),
        (
            "participants served by both servers before the kill (of those with 2 or more requests)",
            f"{both} of {several}",
        ),
        ("server switches between a participant's consecutive requests", switches),
        ("requests answered after the kill, by server", dict(after)),
        ("participants logged in on the killed server who went on on the survivor", crossed),
    ]
    rows += [(f"nginx: {what}", n) for what, n in sorted(nginx_errors.items())]
    for step in ("login", "start", "autosave", "submit", "leaderboard", "unit board"):
        s = stats.summary(step)
        rows.append((f"{step}: answers {s.get('statuses', {})}, client retries / without answer",
                     f"{s.get('retries', 0)} / {s.get('failures', 0)}"))  # fmt: skip
    rows.append(("client retries (step, first try sent at s, why)",
                 [(step, round(when - t0, 2), why) for step, when, why in stats.retried]))  # fmt: skip
    rows.append(("client retries of requests sent after the kill", len(late_retries)))
    rows += list(check.items())
    for what, value in rows:
        print(f"| {what} | {value} |")
    for line in problems:
        print(f"  {line}")
    print("two servers: PASS" if not problems else "two servers: FAIL")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
