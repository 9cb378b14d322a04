"""The learning endpoints' exact statuses by role (docs/adr/0015), beside their rows in the whole API's matrix
(tests/security/test_permission_matrix.py), including another town's organizer.

Participants practise what is open to their unit; organizers manage practice sets of their subtree; organizers
and HR read the learning reach of their subtree (the scopes of results); a round is its owner's alone (someone
else's is not found, so ids cannot be probed); nobody signed out reaches anything.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.test_practice import chapter_bank, open_practice, start
from tests.conftest import app_login

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "organizer", "organizer_other_town", "hr")

# (method, path template, body, {role: status}); {set}: a practice set of the city's bank open to the whole
# city; {round}/{question}: the participant's round and one of its questions
MATRIX: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    ("get", "/api/v1/practice-sets/", None, dict(participant=200, organizer=200, organizer_other_town=200, hr=200)),
    (
        "get",
        "/api/v1/practice-sets/managed",
        None,
        dict(participant=403, organizer=200, organizer_other_town=200, hr=403),
    ),
    (
        "post",
        "/api/v1/practice-sets/managed",
        {"title": "新练习", "bank_id": "{bank}", "audience_unit_ids": ["{city}"]},
        dict(participant=403, organizer=201, organizer_other_town=400, hr=403),
    ),
    (
        "get",
        "/api/v1/practice-sets/managed/{set}",
        None,
        dict(participant=403, organizer=200, organizer_other_town=404, hr=403),
    ),
    (
        "patch",
        "/api/v1/practice-sets/managed/{set}",
        {"daily_count": 3},
        dict(participant=403, organizer=200, organizer_other_town=404, hr=403),
    ),
    (
        "get",
        "/api/v1/practice-sets/{set}/progress",
        None,
        dict(participant=200, organizer=200, organizer_other_town=200, hr=200),
    ),
    (
        "post",
        "/api/v1/practice-sets/{set}/rounds",
        {"count": 2},
        dict(participant=201, organizer=201, organizer_other_town=201, hr=201),
    ),
    (
        "post",
        "/api/v1/practice-sets/{set}/daily",
        None,
        dict(participant=200, organizer=200, organizer_other_town=200, hr=200),
    ),
    ("get", "/api/v1/practice-rounds/", None, dict(participant=200, organizer=200, organizer_other_town=200, hr=200)),
    (
        "get",
        "/api/v1/practice-rounds/{round}",
        None,
        dict(participant=200, organizer=404, organizer_other_town=404, hr=404),
    ),
    (
        "put",
        "/api/v1/practice-rounds/{round}/answers/{question}",
        {"choices": ["A"]},
        dict(participant=200, organizer=404, organizer_other_town=404, hr=404),
    ),
    ("get", "/api/v1/wrong-answers/", None, dict(participant=200, organizer=200, organizer_other_town=200, hr=200)),
    (
        "get",
        "/api/v1/wrong-answers/count",
        None,
        dict(participant=200, organizer=200, organizer_other_town=200, hr=200),
    ),
    # empty books: nothing to practise, for everyone signed in
    (
        "post",
        "/api/v1/wrong-answers/rounds",
        {},
        dict(participant=409, organizer=409, organizer_other_town=409, hr=409),
    ),
    ("get", "/api/v1/daily/calendar", None, dict(participant=200, organizer=200, organizer_other_town=200, hr=200)),
    ("get", "/api/v1/learning/reach", None, dict(participant=403, organizer=200, organizer_other_town=200, hr=200)),
    (
        "get",
        "/api/v1/learning/reach?unit={town_a}",
        None,
        dict(participant=403, organizer=200, organizer_other_town=200, hr=404),
    ),
]


def _routes(patterns):
    """Every URL pattern under ``patterns``, those of included groups too (api/urls.py groups them by prefix)."""
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns)
        else:
            yield pattern


def test_every_learning_endpoint_is_in_the_matrix():
    from django.urls import get_resolver, resolve

    from api.views import learning

    ids = dict(set=1, round=1, question=1, bank=1, city=1, town_a=1)
    patterns = _routes(get_resolver("api.urls").url_patterns)
    routed = {getattr(pattern.callback, "view_class", None) for pattern in patterns}
    covered = {
        getattr(resolve(path.split("?")[0].format(**ids)).func, "view_class", None) for _m, path, _b, _e in MATRIX
    }
    assert {view for view in routed if view is not None and view.__module__ == learning.__name__} == covered


@pytest.mark.parametrize(("method", "path", "body", "expect"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_learning_permission_matrix(tree, people, method, path, body, expect):
    bank = chapter_bank(tree.city)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.city])
    participant = app_login(people.alice.username)
    round_ = start(participant, practice["id"], count=2)
    values = {
        "set": practice["id"],
        "round": round_["id"],
        "question": round_["questions"][0]["question_id"],
        "bank": bank.pk,
        "city": tree.city.pk,
        "town_a": tree.town_a.pk,
    }
    url = path.format(**values)
    data = {k: (v.format(**values) if isinstance(v, str) and v.startswith("{") else v) for k, v in (body or {}).items()}
    if "audience_unit_ids" in data:
        data["audience_unit_ids"] = [int(str(u).format(**values)) for u in data["audience_unit_ids"]]
        data["bank_id"] = int(data["bank_id"])
    clients = {
        "anonymous": APIClient(),
        "participant": participant,
        "organizer": organizer,
        "organizer_other_town": app_login(people.organizer_a.username),
        "hr": app_login(people.hr_b.username),
    }
    for role in ROLES:
        response = getattr(clients[role], method)(url, data if body is not None else None, format="json")
        wanted = 401 if role == "anonymous" else expect[role]
        assert response.status_code == wanted, (role, response.content)
        assert "error" in response.json() if wanted >= 400 else True
