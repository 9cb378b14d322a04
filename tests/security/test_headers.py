"""Content-Security-Policy everywhere, the API docs working under it, and a production configuration that
passes ``manage.py check --deploy`` (issue #10)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in header.split(";")) if " " in d}


@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/units/", "/admin/login/", "/nowhere", "/api/nowhere", "/api/docs/", "/api/redoc/"]
)
def test_every_response_has_the_content_security_policy(db, path):
    found = directives(Client().get(path))
    docs = path in {"/api/docs/", "/api/redoc/"}
    for name, value in POLICY.items():
        # Swagger UI and Redoc set styles from their own scripts: inline styles (never scripts) on those pages
        expected = "'self' 'unsafe-inline'" if docs and name == "style-src" else value
        assert found.get(name) == expected, (path, name, found.get(name))


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_have_no_inline_script_and_load_nothing_from_elsewhere(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts), scripts
    assert "<style" not in html and "style=" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    for src in re.findall(r"<script[^>]*src=\"([^\"]+)\"", html):
        if src.startswith("/static/"):  # served by whitenoise after collectstatic: the file must exist
            assert finders.find(src.removeprefix("/static/")), src
        else:
            assert Client().get(src.replace("&amp;", "&")).status_code == 200, src


def test_the_swagger_ui_script_is_served_from_the_site(db):
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


PRODUCTION = {  # docs/deployment.md, "Settings"
    "DJANGO_SECRET_KEY": "k7Qe2YbN9vXo1sT4uWm6zR8pL3aC5dF0gH7jK2lM9nB4vV1xZ6",
    "DJANGO_ALLOWED_HOSTS": "xuefa.sfj.example.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://xuefa.sfj.example.gov.cn",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}


def test_the_documented_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION, DATABASE_URL="sqlite:///:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION, DATABASE_URL="sqlite:///:memory:", DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
    ], result.stderr
