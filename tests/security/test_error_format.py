"""One JSON error format for every error under /api/ and /_allauth/ (issue #10): deep or large bodies, unknown
URLs, over-long ids, server errors, wrong methods; 401 with WWW-Authenticate without a login."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import app_login

MB = 1024 * 1024


def error_code(response) -> str:
    assert response["Content-Type"].startswith("application/json"), (response.status_code, response["Content-Type"])
    return response.json()["error"]["code"]


def nested(depth: int) -> str:
    return '{"title": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_a_400_malformed_request(people, depth):
    client = app_login(people.organizer.username)
    response = client.generic("POST", "/api/v1/exams/", nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert error_code(response) == "malformed_request"


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_to_allauth_is_a_400_too(db, depth):
    body = '{"username": "a", "password": "b", "x": ' + "[" * depth + "]" * depth + "}"
    client = APIClient()
    client.raise_request_exception = False
    response = client.generic("POST", "/_allauth/app/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400 and error_code(response) == "malformed_request"
    escaped = '{"username": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"", "password": "b"}'
    response = client.generic("POST", "/_allauth/app/v1/auth/login", escaped, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]  # allauth's own answer: wrong password


def test_moderately_nested_json_is_an_ordinary_field_error(people):
    client = app_login(people.organizer.username)
    response = client.generic("POST", "/api/v1/exams/", nested(10), content_type="application/json")
    assert response.status_code == 400 and error_code(response) == "invalid_input"


def test_a_json_body_over_1_mb_is_a_413(people):
    client = app_login(people.organizer.username)
    body = json.dumps({"title": "x", "description": "x" * (3 * MB)})
    response = client.generic("POST", "/api/v1/exams/", body, content_type="application/json")
    assert response.status_code == 413 and error_code(response) == "request_too_large"
    login = APIClient().generic(
        "POST", "/_allauth/app/v1/auth/login", json.dumps({"username": "x" * (2 * MB)}), content_type="application/json"
    )
    assert login.status_code == 413 and error_code(login) == "request_too_large"


def test_an_upload_over_the_file_limit_is_a_413(people, tree):
    from quizzes.services.banks import bank_create

    bank = bank_create(name="大文件", unit=tree.town_a)
    client = Client()
    client.force_login(people.organizer_a)
    response = client.post(f"/api/v1/banks/{bank.pk}/imports", {"file": SimpleUploadedFile("a.txt", b"x" * (25 * MB))})
    assert response.status_code == 413 and error_code(response) == "request_too_large"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/exams/12345678901234567890123/", "/api/v1/nowhere", "/api/nowhere", "/_allauth/nowhere"],
)
def test_unknown_urls_under_the_api_are_json_404s(people, path):
    response = app_login(people.alice.username).get(path)
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_unknown_urls_elsewhere_stay_html(db):
    # any other path that is not the server's own is a route of the web app (tests/test_frontend_serving.py)
    response = Client().get("/accounts/nowhere")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(people, monkeypatch):
    from api.views import accounts

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts, "MeSerializer", boom)
    client = app_login(people.alice.username)
    client.raise_request_exception = False
    response = client.get("/api/v1/me")
    assert response.status_code == 500 and error_code(response) == "server_error"


def test_wrong_methods_are_json_405s(people):
    assert error_code(app_login(people.alice.username).delete("/api/v1/me")) == "method_not_allowed"
    response = APIClient().put("/_allauth/app/v1/config", {}, format="json")
    assert response.status_code == 405 and error_code(response) == "method_not_allowed"
    assert response["Allow"]


def test_no_or_a_bad_login_is_a_401_with_www_authenticate(db):
    anonymous = APIClient().get("/api/v1/exams/")
    assert anonymous.status_code == 401 and error_code(anonymous) == "not_authenticated"
    assert anonymous["WWW-Authenticate"]
    bad = APIClient().get("/api/v1/exams/", HTTP_X_SESSION_TOKEN="not-a-token")
    assert bad.status_code == 401 and bad["WWW-Authenticate"]


def test_a_csrf_failure_of_the_browser_client_stays_a_403(people):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people.organizer)
    response = client.patch("/api/v1/site-settings", {"self_signup_enabled": False}, format="json")
    assert response.status_code == 403 and error_code(response) == "permission_denied"


def test_the_error_handlers_answer_json_under_the_api_and_html_elsewhere():
    from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
    from django.test import RequestFactory

    from api.views import errors

    api, page = RequestFactory().get("/api/v1/me"), RequestFactory().get("/accounts/x")
    assert errors.bad_request(api, RequestDataTooBig()).status_code == 413
    assert json.loads(errors.bad_request(api, SuspiciousOperation()).content)["error"]["code"] == "bad_request"
    assert json.loads(errors.permission_denied(api, PermissionDenied()).content)["error"]["code"] == "permission_denied"
    assert errors.permission_denied(page, PermissionDenied())["Content-Type"].startswith("text/html")
    assert errors.bad_request(page, SuspiciousOperation())["Content-Type"].startswith("text/html")
    assert errors.server_error(page)["Content-Type"].startswith("text/html")
    assert json.loads(errors.json_error(418).content)["error"]["code"] == "error"
