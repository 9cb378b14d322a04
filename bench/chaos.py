"""Fault test: kill -9 app-server workers, and cut their database connections, while clients autosave; then
check that every answer the server acknowledged is in the database.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/chaos.py [--clients 24] [--faults 9]

What runs is production: gunicorn (sync workers) with DJANGO_DEBUG=0, PostgreSQL and Redis (cache and
sessions), on a throwaway database (`<name>_chaos`, dropped at the end) and a free port on 127.0.0.1.
Each client logs in through allauth's app client, then, like the exam page's save queue, sends one answer
at a time with a rising `seq` and sends the same request again until it is acknowledged (HTTP 200 echoing
its seq and choices): after a dropped connection (its worker was killed), a 503 (Retry-After: its database
connection was cut) or a 429. Meanwhile, after every 20 acknowledged saves (so that each fault meets a
server at work, however loaded the machine), the script SIGKILLs a random worker (gunicorn starts another)
twice, then terminates every server connection to the database (pg_terminate_backend), and so on; the run
ends once 20 more saves are acknowledged after the last fault.

It fails (exit 1) when an acknowledged answer is missing or older in the database, the server answered
anything but 200, 503 or 429, or it did not recover (no saves acknowledged after the last fault). Every
loop is bounded in time and count, and only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Chaos#Test2026"
# what the app's save queue sends again (the same seq and choices), by status (0: dropped, -1: no answer in time)
RETRIED = {0: "dropped connection, sent again", -1: "no answer in 15 s, sent again", 503: "503, sent again",
           429: "429, sent again"}  # fmt: skip


@dataclass
class Sitter:
    username: str
    attempt_id: int
    questions: list[tuple[int, list[str], bool]]  # (question id, option letters, multiple choice)
    token: str = ""
    acked: dict[int, tuple[int, list[str]]] = field(default_factory=dict)  # question id → (seq, choices)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)

    def count(self, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.statuses[outcome] += 1
            if detail and len(self.unexpected) < 20:
                self.unexpected.append(detail)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request(base: str, method: str, path: str, body: Any, token: str = "") -> tuple[int, dict[str, Any], float]:
    """(status, JSON body, Retry-After seconds); status 0 when the connection failed or was dropped, -1 when
    no answer came within 10 s."""
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["X-Session-Token"] = token
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=15) as response:  # the app gives a save 15 s
            return response.status, json.loads(response.read() or b"{}"), 0.0
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            parsed = json.loads(payload or b"{}")
        except ValueError:
            parsed = {"raw": payload[:200].decode(errors="replace")}
        return error.code, parsed, float(error.headers.get("Retry-After") or 0)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        # dropped (its worker was killed mid-request: reset, refused, incomplete) or no answer in time
        timed_out = isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
        return (-1 if timed_out else 0), {}, 0.0


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's children (its workers), read from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry))
    return pids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--faults", type=int, default=9, help="faults in all: 2 worker kills, then a reset, …")
    parser.add_argument("--acks-between", type=int, default=20, help="acknowledged saves before each fault")
    parser.add_argument("--max-seconds", type=float, default=240.0, help="the whole run's bound")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        print("chaos: needs DATABASE_URL=postgres://… and REDIS_URL=redis://… (production's stores)")
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from accounts.models import Unit
    from accounts.services import unit_create, user_create
    from quizzes.models import Answer
    from quizzes.services.attempts import attempt_start
    from quizzes.services.banks import bank_create, question_create
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_chaos"
    old_config = setup_databases(verbosity=0, interactive=False)
    chaos_db = connection.settings_dict["NAME"]
    server: subprocess.Popen[bytes] | None = None
    log = Path(tempfile.mkdtemp(prefix="xuefa-chaos-", dir="/tmp")) / "gunicorn.log"
    try:
        city = unit_create(name="演练市", kind=Unit.Kind.CITY)
        town = unit_create(name="演练镇", parent=city, kind=Unit.Kind.TOWN)
        bank = bank_create(name="演练题库", unit=city)
        questions = [
            question_create(
                bank=bank,
                kind="multiple" if i % 3 == 0 else "single",
                stem=f"演练第{i}题",
                options=["甲", "乙", "丙", "丁"],
                answer=["A", "B"] if i % 3 == 0 else ["A"],
            )
            for i in range(20)
        ]
        now = timezone.now()
        exam = exam_publish(
            exam=exam_create(
                unit=city,
                created_by=None,
                audience_units=[city],
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(hours=2),
                time_limit_seconds=3600,
                fixed=[PaperItem(q, Decimal(5)) for q in questions],
                title="断电演练",
            )
        )
        sitters = []
        for i in range(args.clients):
            user = user_create(username=f"chaos{i:03d}", password=PASSWORD, real_name=f"演练{i}", unit=town)
            attempt, _ = attempt_start(exam=exam, user=user)
            paper = [
                (row.question_id, [o["letter"] for o in row.options], row.kind == "multiple")
                for row in attempt.paper.order_by("position")
            ]
            sitters.append(Sitter(user.username, attempt.pk, paper))

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        parts = urlsplit(database_url)
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": urlunsplit(parts._replace(path=f"/{chaos_db}")),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "CACHE_KEY_PREFIX": f"xuefa-chaos-{os.getpid()}",
            # clients here save as fast as the server answers, faster than people tap: not a throttle test
            "API_USER_RATE": "100000/min",
        }
        with log.open("wb") as out:
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                 "--timeout", "30", "--graceful-timeout", "5", "--control-socket", str(log.parent / "gunicorn.ctl")],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        for _ in range(100):
            if request(base, "GET", "/api/v1/", None)[0] in (200, 401, 405):
                break
            time.sleep(0.2)
        else:
            print(f"chaos: the server did not start; see {log}")
            return 1

        tally = Tally()
        for sitter in sitters:  # before any fault: a login is not what this tests
            status, body, _ = request(
                base, "POST", "/_allauth/app/v1/auth/login", {"username": sitter.username, "password": PASSWORD}
            )
            if status != 200:
                print(f"chaos: login of {sitter.username} failed with {status}: {body}")
                return 1
            sitter.token = body["meta"]["session_token"]

        stop = threading.Event()
        hard_stop_at = time.monotonic() + args.max_seconds

        def autosave(sitter: Sitter, rng: random.Random) -> None:
            seq = 0
            while not stop.is_set() and time.monotonic() < hard_stop_at and seq < 100_000:
                question_id, letters, multiple = rng.choice(sitter.questions)
                choices = sorted(rng.sample(letters, rng.choice([1, 2, 3]) if multiple else 1))
                seq += 1
                path = f"/api/v1/attempts/{sitter.attempt_id}/answers/{question_id}"
                for attempt_number in range(200):  # the same request until it is acknowledged
                    if time.monotonic() > hard_stop_at:
                        return
                    status, body, retry_after = request(
                        base, "PUT", path, {"choices": choices, "seq": seq}, sitter.token
                    )
                    if status == 200:
                        if (body.get("seq"), body.get("choices")) == (seq, choices):
                            sitter.acked[question_id] = (seq, choices)
                            tally.count("200")
                        else:
                            tally.count("200 not echoing the save", f"{path} seq {seq} {choices}: {body}")
                        break
                    if status in RETRIED:
                        tally.count(RETRIED[status])
                        time.sleep(min(retry_after or 0.05 * (attempt_number + 1), 1.0))
                        continue
                    tally.count(f"{status}", f"{path} seq {seq}: {status} {body}")
                    break

        faults: Counter[str] = Counter()

        def progress(more: int) -> bool:
            """Wait until clients have had ``more`` further saves acknowledged (False: out of time)."""
            target = tally.statuses["200"] + more
            while tally.statuses["200"] < target:
                if time.monotonic() > hard_stop_at:
                    return False
                time.sleep(0.05)
            return True

        def inject() -> None:
            # a fault after every `--acks-between` acknowledged saves, so that each one meets a server at work
            # however slow this machine is, and the run ends with saves acknowledged after the last fault
            rng = random.Random(7)
            try:
                for turn in range(1, args.faults + 1):
                    if not progress(args.acks_between):
                        return
                    fault(turn, rng)
                faults["acknowledged after the last fault"] += int(progress(args.acks_between))
            finally:
                stop.set()

        def fault(turn: int, rng: random.Random) -> None:
            assert server is not None
            if turn % 3 == 0:
                with connection.cursor() as cursor:  # cut every server connection to the chaos database
                    cursor.execute(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        [chaos_db],
                    )
                    faults["database connections terminated"] += cursor.fetchone()[0]
                faults["database resets"] += 1
            else:
                workers = worker_pids(server.pid)
                if workers:
                    os.kill(rng.choice(workers), signal.SIGKILL)  # a worker this script's server started
                    faults["workers killed (SIGKILL)"] += 1

        threads = [
            threading.Thread(target=autosave, args=(s, random.Random(i)), daemon=True) for i, s in enumerate(sitters)
        ]
        fault_thread = threading.Thread(target=inject, daemon=True)
        connection.close()  # this thread's connection would be cut too; it reconnects to check afterwards
        started = time.monotonic()
        for thread in [*threads, fault_thread]:
            thread.start()
        for thread in [*threads, fault_thread]:
            thread.join(timeout=args.max_seconds + 30)
        elapsed = time.monotonic() - started

        stored = {
            (attempt_id, question_id): (seq, choices)
            for attempt_id, question_id, seq, choices in Answer.objects.filter(
                attempt_id__in=[s.attempt_id for s in sitters]
            ).values_list("attempt_id", "question_id", "seq", "choices")
        }
        acknowledged = lost = 0
        problems = []
        for sitter in sitters:
            for question_id, (seq, choices) in sitter.acked.items():
                acknowledged += 1
                found = stored.get((sitter.attempt_id, question_id))
                if found is None or found[0] < seq or (found[0] == seq and found[1] != choices):
                    lost += 1
                    problems.append(
                        f"attempt {sitter.attempt_id} question {question_id}: acked {seq} {choices}, db {found}"
                    )
        unexpected = sum(n for k, n in tally.statuses.items() if k not in {"200", *RETRIED.values()})

        print(
            f"chaos: {args.clients} clients autosaving for {elapsed:.1f} s against gunicorn "
            f"({args.workers} sync workers, DJANGO_DEBUG=0, PostgreSQL + Redis)"
        )
        print("| what | count |")
        print("|---|---|")
        for name, number in sorted(faults.items()):
            print(f"| fault: {name} | {number} |")
        for name, number in sorted(tally.statuses.items()):
            print(f"| responses: {name} | {number} |")
        print(f"| acknowledged answers (last per question) | {acknowledged} |")
        print(f"| acknowledged answers missing or older in the database | {lost} |")
        print(f"| unexpected responses | {unexpected} |")
        for line in [*problems[:20], *tally.unexpected]:
            print(f"  {line}")
        ok = (
            lost == 0
            and unexpected == 0
            and faults["workers killed (SIGKILL)"] + faults["database resets"] == args.faults
            and faults["acknowledged after the last fault"] == 1
        )
        print("chaos: PASS" if ok else f"chaos: FAIL (server log: {log})")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()  # the master this script started; it stops its workers
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        connection.close()
        with connection.cursor() as cursor:  # workers may still hold connections: the drop would wait
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [chaos_db],
            )
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
