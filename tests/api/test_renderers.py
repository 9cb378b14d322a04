"""The API's renderer and parser (api/renderers.py, api/parsers.py): orjson's speed, DRF's bytes and errors."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy, override
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import renderers as drf_renderers
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from api.renderers import JSONRenderer
from tests.conftest import app_login

BEIJING = timezone(timedelta(hours=8))


def drf(data):
    return drf_renderers.JSONRenderer().render(data)


def test_what_the_api_renders_is_drfs_bytes():
    data = ReturnDict(
        {
            "id": 12_345_678_901,
            "name": "张三\u2028李四\u2029",  # line and paragraph separators: escaped, as DRF does
            "quote": 'a "b" \\ c\n\t\x01',
            "score": "98.50",
            "ratio": 0.1,
            "negative": -3,
            "passed": True,
            "note": None,
            "submitted_at": datetime(2026, 5, 20, 9, 30, 5, 123456, tzinfo=BEIJING),
            "opens_at": datetime(2026, 5, 1, 0, 0, tzinfo=UTC),  # Z, as DRF writes UTC
            "naive": datetime(2026, 5, 1, 8, 0),
            "day": date(2026, 5, 1),
            "at": time(8, 30),
            "duration": timedelta(minutes=45),
            "decimal": Decimal("12.50"),
            "lazy": gettext_lazy("考试"),
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "by_unit": {3: "镇", 4: "街道"},  # keys that are not strings: written as strings
            "rows": ReturnList([{"rank": 1, "units": []}, {}], serializer=serializers.Serializer()),
            "tuple": (1, "两"),
        },
        serializer=serializers.Serializer(),
    )
    with override("zh-hans"):
        assert JSONRenderer().render(data) == drf(data)
    assert b"\\u2028" in JSONRenderer().render(data)


def test_nothing_is_an_empty_body():
    assert JSONRenderer().render(None) == b"" == drf(None)


scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@given(documents)
def test_any_document_of_the_apis_kinds_renders_as_drf_does(data):
    assert JSONRenderer().render(data) == drf(data)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_as_the_same_number(number):
    # the bytes may differ in an exponent's form (orjson: 1e16, json: 1e+16); the number does not
    assert json.loads(JSONRenderer().render({"x": number})) == json.loads(drf({"x": number}))


@pytest.mark.django_db
def test_api_answers_are_rendered_by_it(people):
    client = app_login(people.alice.username)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert type(response.accepted_renderer) is JSONRenderer
    assert response.content == drf(response.data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b'{"title": ', "JSON parse error"),
        (b'{"title": NaN}', "JSON parse error"),
        (b'{"title": 1e999}', "JSON parse error"),
        ('{"title": "考试"}'.encode("gbk"), "JSON parse error"),  # not UTF-8
        (b'{"title": ' + b"[" * 2000 + b"]" * 2000 + b"}", "JSON parse error"),  # orjson's own limit
        (b'{"title": ' + b"[" * 40 + b"]" * 40 + b"}", "32"),  # the API's
    ],
)
def test_a_body_that_is_not_json_is_a_400_saying_what(people, body, found):
    client = app_login(people.organizer.username)
    response = client.generic("POST", "/api/v1/exams/", body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_request" and found in error["message"]


@pytest.mark.django_db
def test_a_body_in_utf8_is_read(people):
    client = app_login(people.organizer.username)
    response = client.generic("POST", "/api/v1/exams/", '{"title": "民法典"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"  # parsed, then validated
