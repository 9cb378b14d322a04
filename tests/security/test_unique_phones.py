"""One person, one phone number (issue #10): a database constraint (blank phones repeat), the data migration
that normalises stored phones and resolves the numbers two accounts hold, and a clear error wherever a
phone is written: sign-up (also in a race the form could not see), the roster import (in the file, against
other accounts, and changed between preview and commit) and the admin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import forms as account_forms
from accounts.models import AuditEvent, User
from accounts.phones import is_phone_conflict, stored_phone
from accounts.services import user_create
from tests.conftest import People, Tree, admin_person_form, app_login
from tests.roster_files import roster_csv

pytestmark = pytest.mark.django_db
SIGNUP = "/_allauth/app/v1/auth/signup"


def test_the_database_holds_a_phone_once_and_blank_phones_many_times(tree: Tree) -> None:
    user_create(username="a1", password=None, phone="13900000001", unit=tree.town_a)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        user_create(username="a2", password=None, phone="13900000001", unit=tree.town_b)
    assert is_phone_conflict(caught.value)
    for name in ("b1", "b2", "b3"):
        user_create(username=name, password=None, phone="", unit=tree.town_a)
    assert User.objects.filter(phone="").count() >= 3
    assert stored_phone(" +86 139-0000-0001 ") == "13900000001" and stored_phone(" 0571-1234 ") == "0571-1234"


def test_a_sign_up_that_loses_the_race_for_a_phone_is_a_409_phone_taken_and_writes_nothing(
    tree: Tree, monkeypatch: Any
) -> None:
    user_create(username="first", password=None, phone="13700000001", unit=tree.town_b)
    # the form's check ran before the other sign-up committed
    monkeypatch.setattr(account_forms, "phone_taken", lambda phone: False)
    client = APIClient()
    client.raise_request_exception = False
    body = {"username": "second", "password": "Signup#2026x", "real_name": "吴六", "phone": "+86 137 0000 0001"}
    response = client.post(SIGNUP, {**body, "unit": tree.town_b.pk}, format="json")
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "phone_taken" and error["fields"]["phone"]
    assert not User.objects.filter(username="second").exists()  # no account without its phone


def roster_errors(client: APIClient, rows: list[list[str]]) -> tuple[dict[str, Any], list[tuple[int, str, str, str]]]:
    preview = client.post("/api/v1/roster-imports", {"file": _file(rows)}, format="multipart").json()
    found = [(e["line"], e["column"], e["code"], e["message"]) for i in preview["items"] for e in i["errors"]]
    return preview, found


def _file(rows: list[list[str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("名册.csv", roster_csv(rows))


def test_the_roster_refuses_a_phone_twice_in_the_file_or_held_by_another_account(tree: Tree, people: People) -> None:
    user_create(username="e5001", password=None, real_name="已有", phone="13911110001", unit=tree.town_a)
    user_create(username="e5002", password=None, real_name="外镇", phone="13911110002", unit=tree.town_b)
    user_create(username="e5003", password=None, real_name="自己", phone="13911110003", unit=tree.town_a)
    client = app_login(people.organizer_a.username)
    preview, errors = roster_errors(
        client,
        [
            ["甲", "E6001", "139 1111 0009", "南关镇", ""],
            ["乙", "E6002", "+86 13911110009", "南关镇", ""],  # the same number typed another way
            ["丙", "E6003", "13911110001", "南关镇", ""],  # held by e5001 (in town A: named)
            ["丁", "E6004", "13911110002", "南关镇", ""],  # held by someone of town B: not named
            ["自己", "E5003", "13911110003", "南关镇", ""],  # the holder's own number: fine
        ],
    )
    codes = [(line, column, code) for line, column, code, _ in errors]
    assert codes == [(3, "手机", "phone_duplicate"), (4, "手机", "phone_taken"), (5, "手机", "phone_taken")]
    messages = {line: message for line, _, _, message in errors}
    assert "第 2 行" in messages[3]
    assert "e5001" in messages[4] and "已有" in messages[4]
    assert "e5002" not in messages[5] and "外镇" not in messages[5] and "管理范围以外" in messages[5]
    refused = client.post(f"/api/v1/roster-imports/{preview['id']}/commit")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "import_has_errors"
    assert not User.objects.filter(username__in=["e6001", "e6002", "e6003", "e6004"]).exists()


def test_a_phone_taken_between_preview_and_commit_refuses_the_commit(tree: Tree, people: People) -> None:
    client = app_login(people.organizer_a.username)
    preview, errors = roster_errors(client, [["甲", "E7001", "13922220001", "南关镇", ""]])
    assert errors == []
    user_create(username="meanwhile", password=None, phone="13922220001", unit=tree.town_b)
    refused = client.post(f"/api/v1/roster-imports/{preview['id']}/commit")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "import_has_errors"
    assert "手机号已被他人使用" in refused.json()["error"]["message"]
    assert not User.objects.filter(username="e7001").exists()


def test_the_admin_stores_a_phone_normalised_and_refuses_one_held_by_another_account(
    tree: Tree, people: People
) -> None:
    user_create(username="holder", password=None, phone="13933330001", unit=tree.town_b)
    client = Client()
    client.force_login(user_create(username="root", password=None, is_superuser=True))
    alice = people.alice
    url = reverse("admin:accounts_user_change", args=[alice.pk])

    def edit(phone: str) -> Any:
        return client.post(url, admin_person_form(alice, phone=phone))

    refused = edit("+86 139-3333-0001")
    assert refused.status_code == 200  # the form again, with the error at the phone field
    assert refused.context["adminform"].form.errors["phone"] == ["该手机号已被其他账号使用。"]
    assert User.objects.get(pk=alice.pk).phone == ""
    saved = edit("+86 139-3333-0002")
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    assert User.objects.get(pk=alice.pk).phone == "13933330002"


BEFORE = [("accounts", "0004_audit_event")]
AFTER = [("accounts", "0006_user_unique_phone")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_normalises_phones_and_clears_duplicates_from_all_but_one_account(
    capsys: Any, migrate_to: Any
) -> None:
    apps = migrate_to(BEFORE)
    unit = apps.get_model("accounts", "Unit").objects.create(name="市", path="0001")
    make = apps.get_model("accounts", "User").objects.create
    old = datetime(2025, 1, 1, tzinfo=UTC)
    recent = datetime(2026, 6, 1, tzinfo=UTC)
    make(username="left", phone="13800000001", unit=unit, is_active=False, last_login=recent)
    make(username="keeps", phone="+86 138 0000 0001", unit=unit, last_login=recent)
    make(username="older", phone="138-0000-0001", unit=unit, last_login=old)
    make(username="typed", phone=" 138 0000 0002 ", unit=unit)
    make(username="landline", phone="0571-8888 1234", unit=unit)
    for name in ("blank1", "blank2"):
        make(username=name, phone="", unit=unit)

    apps = migrate_to(AFTER)
    phones = dict(apps.get_model("accounts", "User").objects.values_list("username", "phone"))
    assert phones == {
        "left": "",
        "keeps": "13800000001",  # active, then the latest login, keeps the number
        "older": "",
        "typed": "13800000002",
        "landline": "0571-8888 1234",  # not a mobile number: kept as typed
        "blank1": "",
        "blank2": "",
    }
    events = AuditEvent.objects.filter(action="user.update", address="migration").order_by("target_repr")
    assert [(e.target_repr, e.before, e.after) for e in events] == [
        ("left", {"phone": "13800000001"}, {"phone": "", "reason": "duplicate_phone", "kept_by": "keeps"}),
        ("older", {"phone": "13800000001"}, {"phone": "", "reason": "duplicate_phone", "kept_by": "keeps"}),
    ]
    assert {e.unit_path for e in events} == {"0001"}
    report = capsys.readouterr().out
    assert "kept by keeps" in report and "cleared from older" in report and "2 duplicate phone" in report
    with pytest.raises(IntegrityError):
        apps.get_model("accounts", "User").objects.create(username="again", phone="13800000002", unit_id=unit.pk)


def test_sign_up_still_refuses_a_taken_phone_with_a_field_error(tree: Tree, people: People) -> None:
    user_create(username="holder", password=None, phone="13944440001", unit=tree.town_b)
    body = {"username": "newcomer", "password": "Signup#2026x", "real_name": "新人", "phone": "139 4444 0001"}
    response = APIClient().post(SIGNUP, {**body, "unit": tree.town_b.pk}, format="json")
    assert response.status_code == 400 and "phone" in str(response.json())
    assert not User.objects.filter(username="newcomer").exists()
