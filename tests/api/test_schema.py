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
