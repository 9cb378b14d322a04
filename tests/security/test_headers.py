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


# --- the site's policy built once (config/csp.py), the same header as django-csp's own -----------------------


def _through_middleware(view):
    from django.test import RequestFactory

    from config.csp import CSPMiddleware

    request = RequestFactory().get("/api/v1/me")
    return request, CSPMiddleware(view)(request)


def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(settings):
    from csp.utils import build_policy
    from django.http import HttpResponse

    _request, response = _through_middleware(lambda request: HttpResponse())
    assert response["Content-Security-Policy"] == build_policy()
    assert directives(response) == POLICY
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}  # tests and redeploys change it
    assert _through_middleware(lambda request: HttpResponse())[1]["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}  # django-csp's own path
    both = _through_middleware(lambda request: HttpResponse())[1]
    assert both["Content-Security-Policy"] == "default-src 'none'"
    assert set(both["Content-Security-Policy-Report-Only"].split("; ")) == {"default-src 'self'", "img-src 'self'"}


def test_a_view_that_asks_for_a_nonce_or_changes_the_policy_gets_its_own_header():
    from csp.decorators import csp_exempt, csp_update
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    request, response = _through_middleware(with_nonce)
    nonce = response.content.decode()
    assert f"'nonce-{nonce}'" not in POLICY["script-src"]  # the site's policy has no nonce source to fill
    assert (
        response["Content-Security-Policy"]
        == _through_middleware(lambda request: HttpResponse())[1]["Content-Security-Policy"]
    )
    updated = _through_middleware(csp_update({"img-src": ["https://tiles.example.gov.cn"]})(lambda r: HttpResponse()))
    assert directives(updated[1])["img-src"] == "'self' data: https://tiles.example.gov.cn"
    exempt = _through_middleware(csp_exempt()(lambda r: HttpResponse()))
    assert "Content-Security-Policy" not in exempt[1]
    request, _response = _through_middleware(lambda request: HttpResponse())
    with pytest.raises(CSPNonceError):  # asked for after the header was written: an error, not a gap
        str(request.csp_nonce)


def test_the_api_answers_json_whatever_the_accept_header(db, people):
    from tests.conftest import app_login

    client = app_login(people.alice.username)
    for accept in ("text/html", "application/xml", "text/html;q=0.9,*/*;q=0.8"):
        me = client.get("/api/v1/me", HTTP_ACCEPT=accept)
        assert me.status_code == 200 and me["Content-Type"] == "application/json", accept
        assert me.json()["username"] == people.alice.username
    refused = Client().get("/api/v1/me", HTTP_ACCEPT="text/html")  # no login: the API's JSON error, not a page
    assert refused.status_code in (401, 403) and refused["Content-Type"] == "application/json"
    # the schema's views keep their own renderers and negotiate as before
    assert Client().get("/api/schema/?format=json")["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert Client().get("/api/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")
