"""Settings fail closed: production without a secret key refuses to start (issue #10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(show: str = "settings.SECRET_KEY[:8]", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({show})"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start() -> None:
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_with_a_secret_key_starts() -> None:
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "x" * 8


def test_development_runs_with_the_development_key() -> None:
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "insecure"


POSTGRES_OPTIONS = (
    "{k: settings.DATABASES['default']['OPTIONS'][k] for k in ('server_side_binding', 'prepare_threshold')}"
)


def test_postgresql_statements_are_bound_on_the_server_and_prepared_after_five_runs() -> None:
    postgres = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://xuefa@db:5432/xuefa"}
    default = load_settings(POSTGRES_OPTIONS, **postgres)
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 5}"
    # behind a PgBouncer older than 1.21 in transaction mode (docs/deployment.md): parameters bound, nothing prepared
    off = load_settings(POSTGRES_OPTIONS, DATABASE_PREPARE_THRESHOLD="off", **postgres)
    assert off.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': None}"
    first = load_settings(POSTGRES_OPTIONS, DATABASE_PREPARE_THRESHOLD="0", **postgres)
    assert first.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 0}"
    wrong = load_settings(POSTGRES_OPTIONS, DATABASE_PREPARE_THRESHOLD="five", **postgres)
    assert wrong.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be a whole number or 'off', not 'five'" in wrong.stderr


def test_sqlite_has_no_postgresql_options() -> None:
    sqlite = load_settings("settings.DATABASES['default']['OPTIONS']", DJANGO_DEBUG="1", DATABASE_PREPARE_THRESHOLD="3")
    assert sqlite.returncode == 0, sqlite.stderr
    assert "prepare_threshold" not in sqlite.stdout and "server_side_binding" not in sqlite.stdout
