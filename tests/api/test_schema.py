"""The OpenAPI schema and its viewers are served locally: nothing from a CDN (intranet deployments)."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/attempts/{attempt_id}/answers/{question_id}" in text


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_outside(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)\s*=\s*["\'](https?://[^"\']+)', html)
    assert external == []
    assert "drf_spectacular_sidecar" in html


def test_schema_is_public_json(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Xuefa 学法 API"


def test_swagger_offers_both_specifications_served_here(client):
    html = client.get("/api/docs/?script=").content.decode()  # the start-up script, a file of its own (CSP)
    assert '"url": "/api/schema/"' in html and '"url": "/_allauth/openapi.json"' in html
    assert '"validatorUrl": null' in html  # the default validator badge would load from swagger.io
    assert "StandaloneLayout" in html  # the layout that shows the picker
    for url in ("/api/schema/", "/_allauth/openapi.json"):
        response = client.get(url, HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200 and "json" in response["Content-Type"]
        spec = response.json()
        assert spec["openapi"].startswith("3.")
        assert all(not server["url"].startswith("http") for server in spec.get("servers", []))
    login = client.get("/_allauth/openapi.json").json()
    assert "/_allauth/{client}/v1/auth/login" in login["paths"]
    assert login["components"]["securitySchemes"]["SessionToken"]["name"] == "X-Session-Token"
    assert client.get("/_allauth/openapi.html").status_code == 404  # allauth's page loads Redoc from a CDN


def test_api_root_is_a_json_index(client):
    index = client.get("/api/v1/")
    assert index.status_code == 200
    body = index.json()
    assert body["schema"] == "/api/schema/" and body["docs"] == "/api/docs/"
    assert body["login_schema"] == "/_allauth/openapi.json"
    assert body["collections"]["exams"] == "/api/v1/exams/"
