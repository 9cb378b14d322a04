"""Practice-set writes through the API are in the audit log (docs/adr/0012), as exam writes are: who, from
where, in which unit, and what changed; another subtree's organizer changes nothing and leaves no event."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from tests.api.test_practice import chapter_bank, open_practice
from tests.conftest import app_login

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_creating_changing_closing_and_reopening_a_practice_set_are_audited(tree, people):
    bank = chapter_bank(tree.city)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.town_a], tags=["总纲"], daily_count=3)
    url = f"/api/v1/practice-sets/managed/{practice['id']}"

    (created,) = events(AuditEvent.Action.PRACTICE_SET_CREATE)
    assert created.actor == people.organizer and created.address != "command"
    assert created.unit == tree.city and created.target_type == "practiceset"
    assert created.target_id == str(practice["id"]) and created.target_repr == "宪法学习"
    assert created.after == {
        "title": "宪法学习",
        "bank_id": bank.pk,
        "unit_id": tree.city.pk,
        "daily_count": 3,
        "is_open": True,
        "audience_unit_ids": [tree.town_a.pk],
        "tags": ["总纲"],
    }

    body = {"daily_count": 5, "audience_unit_ids": [tree.town_a.pk, tree.town_b.pk], "tags": ["总纲"]}
    assert organizer.patch(url, body, format="json").status_code == 200
    (updated,) = events(AuditEvent.Action.PRACTICE_SET_UPDATE)
    # only what changed: the tags were sent unchanged
    assert updated.before == {"daily_count": 3, "audience_unit_ids": [tree.town_a.pk]}
    assert updated.after == {"daily_count": 5, "audience_unit_ids": sorted([tree.town_a.pk, tree.town_b.pk])}

    assert organizer.patch(url, {"is_open": False}, format="json").status_code == 200
    (closed,) = events(AuditEvent.Action.PRACTICE_SET_CLOSE)
    assert closed.before == {"is_open": True} and closed.after == {"is_open": False}
    assert organizer.patch(url, {"is_open": True}, format="json").json()["is_open"] is True
    (reopened,) = events(AuditEvent.Action.PRACTICE_SET_REOPEN)
    assert reopened.after == {"is_open": True}

    # nothing changed, nothing recorded
    assert organizer.patch(url, {"daily_count": 5}, format="json").status_code == 200
    assert len(events(AuditEvent.Action.PRACTICE_SET_UPDATE)) == 1


def test_another_towns_organizer_cannot_change_the_set_and_leaves_no_event(tree, people):
    practice = open_practice(app_login(people.organizer.username), chapter_bank(tree.city), [tree.city])
    url = f"/api/v1/practice-sets/managed/{practice['id']}"
    other = app_login(people.organizer_a.username)
    assert other.patch(url, {"is_open": False}, format="json").status_code == 404
    assert other.patch(url, {"title": "改"}, format="json").status_code == 404
    assert (
        not AuditEvent.objects.filter(action__startswith="practice_set.")
        .exclude(action=AuditEvent.Action.PRACTICE_SET_CREATE)
        .exists()
    )


def test_a_refused_practice_set_leaves_no_event(tree, people):
    organizer = app_login(people.organizer.username)
    bank = chapter_bank(tree.city)
    response = organizer.post(
        "/api/v1/practice-sets/managed",
        {"title": "练习", "bank_id": bank.pk, "audience_unit_ids": [tree.city.pk], "tags": ["不存在"]},
        format="json",
    )
    assert response.status_code == 400 and "tags" in response.json()["error"]["fields"]
    assert not AuditEvent.objects.filter(action__startswith="practice_set.").exists()
