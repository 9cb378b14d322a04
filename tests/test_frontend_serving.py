"""The web app at the front door: index.html for / and for client routes, never for the server's own paths."""

from pathlib import Path

import pytest
from django.test import override_settings

INDEX = '<!doctype html><html><head><script type="module" src="/static/app/assets/index-abc.js"></script></head></html>'


@pytest.fixture
def built_app(tmp_path: Path):
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    with override_settings(FRONTEND_DIST=tmp_path, STATIC_ROOT=tmp_path / "no-static"):
        yield tmp_path


@pytest.mark.parametrize("path", ["/", "/login", "/exams/12", "/exams/12/take", "/attempts/3/result", "/me"])
def test_app_routes_answer_index_html(client, built_app, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == INDEX
    assert response["Cache-Control"] == "no-cache"


def test_index_carries_a_strict_content_security_policy(client, built_app):
    csp = client.get("/exams/12")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "font-src 'self'" in csp


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/nothing", "/_allauth/nothing", "/static/app/missing.js", "/admin/nothing/"]
)
def test_server_paths_are_not_swallowed_by_the_app(client, built_app, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    assert b"index-abc.js" not in response.content


def test_api_keeps_its_json_errors(client, built_app):
    response = client.get("/api/v1/exams/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_only_safe_methods(client, built_app):
    assert client.post("/exams/12").status_code == 405


def test_unbuilt_app_says_how_to_build_it(client, tmp_path):
    with override_settings(FRONTEND_DIST=tmp_path / "missing", STATIC_ROOT=tmp_path / "missing-too"):
        response = client.get("/")
    assert response.status_code == 503
    assert b"make frontend" in response.content


def test_collected_index_is_used_when_the_build_folder_is_gone(client, tmp_path):
    (tmp_path / "static" / "app").mkdir(parents=True)
    (tmp_path / "static" / "app" / "index.html").write_text(INDEX, encoding="utf-8")
    with override_settings(FRONTEND_DIST=tmp_path / "missing", STATIC_ROOT=tmp_path / "static"):
        assert client.get("/exams/5").status_code == 200


def test_hashed_assets_are_cached_forever():
    from django.conf import settings

    assert settings.WHITENOISE_IMMUTABLE_FILE_TEST("", "/static/app/assets/index-abc.js")
    assert not settings.WHITENOISE_IMMUTABLE_FILE_TEST("", "/static/app/index.html")
