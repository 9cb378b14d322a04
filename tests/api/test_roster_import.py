"""Roster import (名册) through the API with the real database: preview, commit, re-import, scopes,
the one-time password download and first login; and the import_roster command."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import RosterImport, User
from accounts.services import unit_create, user_create
from tests.conftest import PASSWORD, People, Tree, app_login
from tests.roster_files import roster_csv, roster_xlsx

pytestmark = pytest.mark.django_db

OFFICE = "南关镇/南关镇党政办"  # from the city organizer's unit

BAD_ROWS = [
    ["陈一", "A1001", "+86 139-0013-9000", OFFICE, ""],
    ["陈二", "A1002", "1390013", "北岭镇", ""],  # malformed phone
    ["陈三", "A1001", "", "北岭镇", ""],  # duplicate 账号 of row 2
    ["陈四", "A1004", "", "南关镇/党政", ""],  # unknown unit
]
GOOD_ROWS = [
    ["陈一", "A1001", "+86 139-0013-9000", OFFICE, ""],
    ["陈二", "A1002", "13900139002", "北岭镇", ""],
    ["陈三", "A1003", "", "北岭镇", "Chushi@2026x"],
    ["陈四", "A1004", "", "南关镇", ""],
]


def login(user: User) -> APIClient:
    return app_login(user.username)


def upload(client: APIClient, content: bytes, name: str = "名册.csv", **extra: Any) -> Any:
    return client.post(
        "/api/v1/roster-imports", {"file": SimpleUploadedFile(name, content), **extra}, format="multipart"
    )


def commit(client: APIClient, import_id: int) -> Any:
    return client.post(f"/api/v1/roster-imports/{import_id}/commit")


def errors_of(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(e["line"], e["column"], e["code"]) for item in body["items"] for e in item["errors"]]


def imported(client: APIClient, rows: list[list[str]], **extra: Any) -> dict[str, Any]:
    preview = upload(client, roster_csv(rows), **extra)
    assert preview.status_code == 201, preview.content
    done = commit(client, preview.json()["id"])
    assert done.status_code == 200, done.content
    return {"preview": preview.json(), "result": done.json()}


def test_bad_rows_are_located_and_nothing_is_written(people: People, tree: Tree) -> None:
    client = login(people.organizer)
    before = User.objects.count()
    response = upload(client, roster_csv(BAD_ROWS))
    assert response.status_code == 201, response.content
    body = response.json()
    assert errors_of(body) == [
        (3, "手机", "phone_invalid"),
        (4, "账号", "account_duplicate"),
        (5, "单位", "unit_unknown"),
    ]
    messages = [e["message"] for item in body["items"] for e in item["errors"]]
    assert "第 2 行" in messages[1]
    assert "南关镇/南关镇党政办" in messages[2]  # the nearest existing unit is suggested
    first = body["items"][0]
    assert first["errors"] == [] and first["fields"]["phone"] == "13900139000"  # +86 and dashes normalised
    assert first["fields"]["unit_id"] == tree.town_a_office.pk and first["action"] == "create"
    assert body["counts"] == {
        "rows": 4, "valid": 1, "errors": 3, "warnings": 0,
        "to_create": 4, "to_update": 0, "unchanged": 0, "to_deactivate": 0,
    }  # fmt: skip
    refused = commit(client, body["id"])
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "import_has_errors"
    assert User.objects.count() == before


def test_corrected_file_commits_then_reimport_changes_nothing(people: People, tree: Tree) -> None:
    client = login(people.organizer)
    first = imported(client, GOOD_ROWS)
    result = first["result"]
    assert {k: result[k] for k in ("created", "updated", "unchanged", "deactivated", "generated_passwords")} == {
        "created": 4, "updated": 0, "unchanged": 0, "deactivated": 0, "generated_passwords": 3,
    }  # fmt: skip
    assert sorted(p["username"] for p in result["passwords"]) == ["a1001", "a1002", "a1004"]
    person = User.objects.get(username="a1001")
    assert (person.real_name, person.phone, person.unit, person.must_change_password, person.is_on_roster) == (
        "陈一", "13900139000", tree.town_a_office, True, True,
    )  # fmt: skip
    given = next(item for item in first["preview"]["items"] if item["fields"]["username"] == "a1003")
    assert given["password"] == "given"
    assert "Chushi@2026x" not in str(RosterImport.objects.get(pk=first["preview"]["id"]).items)  # hashed only

    again = imported(client, GOOD_ROWS)
    assert again["preview"]["counts"]["to_create"] == again["preview"]["counts"]["to_update"] == 0
    assert (again["result"]["created"], again["result"]["updated"], again["result"]["unchanged"]) == (0, 0, 4)
    assert again["result"]["passwords"] == []
    assert User.objects.filter(username__startswith="a100").count() == 4

    moved = [row[:] for row in GOOD_ROWS]
    moved[1][3] = OFFICE
    moved[2][4] = "Other@2026xyz"  # an existing person's password never changes through the roster
    third = imported(client, moved)
    item = third["preview"]["items"][1]
    assert item["action"] == "update" and item["changes"] == ["unit"]
    assert [w["code"] for w in third["preview"]["items"][2]["warnings"]] == ["password_ignored"]
    assert (third["result"]["created"], third["result"]["updated"]) == (0, 1)
    assert User.objects.get(username="a1002").unit == tree.town_a_office
    app_login("a1003", "Chushi@2026x")


def test_deactivate_missing(people: People, tree: Tree) -> None:
    client = login(people.organizer)
    imported(client, GOOD_ROWS)
    public = user_create(username="13600000001", password=PASSWORD, real_name="公众", unit=tree.town_b)
    User.objects.filter(pk=public.pk).update(is_on_roster=False)
    preview = upload(client, roster_csv(GOOD_ROWS[:3]), deactivate_missing="true").json()
    expected = {"a1004", people.alice.username, people.bob.username, people.carol.username}
    assert {p["username"] for p in preview["to_deactivate"]} == expected
    assert preview["counts"]["to_deactivate"] == 4 and preview["deactivate_missing"] is True
    newcomer = user_create(username="a2001", password=PASSWORD, real_name="新人", unit=tree.town_b)  # after preview
    result = commit(client, preview["id"]).json()
    assert result["deactivated"] == 4
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == expected
    assert User.objects.get(pk=newcomer.pk).is_active  # never shown to the organizer, so never deactivated
    assert User.objects.get(pk=public.pk).is_active  # self-signed-up people are not on the roster

    back = imported(client, GOOD_ROWS)["result"]  # a deactivated person named again is reactivated
    assert (back["updated"], back["unchanged"]) == (1, 3)
    assert User.objects.get(username="a1004").is_active


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_gb18030_and_bom_csv(people: People, tree: Tree, encoding: str) -> None:
    client = login(people.organizer_a)
    rows = [["王小明", "13900139001", "", "南关镇党政办", ""], ["李小红", "B2001", "", "南关镇", ""]]
    preview = upload(client, roster_csv(rows, encoding=encoding)).json()
    assert errors_of(preview) == []
    assert [i["fields"]["unit_id"] for i in preview["items"]] == [tree.town_a_office.pk, tree.town_a.pk]
    assert preview["items"][0]["fields"]["phone"] == "13900139001"  # a phone account is also the phone
    assert commit(client, preview["id"]).json()["created"] == 2
    assert User.objects.get(username="13900139001").real_name == "王小明"


def test_xlsx_upload(people: People, tree: Tree) -> None:
    client = login(people.organizer)
    content = roster_xlsx([["赵六", 13900139005, "139 0013 9005", "北岭镇", None]])
    preview = upload(client, content, name="名册.xlsx").json()
    assert preview["file_format"] == "xlsx" and errors_of(preview) == []
    assert preview["items"][0]["fields"]["username"] == "13900139005"


def test_town_organizer_cannot_import_into_another_town_and_hr_not_at_all(people: People) -> None:
    client = login(people.organizer_a)
    rows = [
        ["甲", "C3001", "", "北岭镇", ""],
        ["乙", people.bob.username, "", "南关镇", ""],  # an account of town B
        ["丙", people.organizer_a.username, "", "南关镇", ""],  # staff are not roster people
    ]
    preview = upload(client, roster_csv(rows)).json()
    assert errors_of(preview) == [
        (2, "单位", "unit_not_allowed"),
        (3, "账号", "account_taken"),
        (4, "账号", "account_is_staff"),
    ]
    assert "北岭镇" in preview["items"][0]["errors"][0]["message"]
    assert "南关镇" in preview["items"][0]["errors"][0]["message"]

    city_import = upload(login(people.organizer), roster_csv(GOOD_ROWS)).json()
    assert client.get(f"/api/v1/roster-imports/{city_import['id']}").status_code == 404  # above the town
    assert commit(client, city_import["id"]).status_code == 404

    hr = login(people.hr_b)
    refused = upload(hr, roster_csv(GOOD_ROWS))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    assert hr.get("/api/v1/roster-imports/template.xlsx").status_code == 403
    assert login(people.alice).get(f"/api/v1/roster-imports/{city_import['id']}").status_code == 403


def test_one_time_password_download_and_first_login(people: People) -> None:
    client = login(people.organizer)
    done = imported(client, GOOD_ROWS)
    import_id = done["preview"]["id"]
    assert client.get(f"/api/v1/roster-imports/{import_id}").json()["passwords_available"] is True
    url = f"/api/v1/roster-imports/{import_id}/passwords.xlsx"
    first = client.get(url)
    assert first.status_code == 200
    sheet = load_workbook(io.BytesIO(first.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "账号", "单位", "初始密码")
    shown = {p["username"]: p["password"] for p in done["result"]["passwords"]}
    assert {row[1]: row[3] for row in rows[1:]} == shown
    second = client.get(url)
    assert second.status_code == 410 and second.json()["error"]["code"] == "passwords_gone"
    assert client.get(f"/api/v1/roster-imports/{import_id}").json()["passwords_available"] is False

    newcomer = app_login("a1001", shown["a1001"])
    blocked = newcomer.get("/api/v1/exams/")
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "password_change_required"
    assert newcomer.get("/api/v1/me").json()["must_change_password"] is True


def test_passwords_expire_and_commit_only_once(people: People) -> None:
    client = login(people.organizer)
    import_id = imported(client, GOOD_ROWS)["preview"]["id"]
    RosterImport.objects.filter(pk=import_id).update(passwords_expire_at=timezone.now())
    assert client.get(f"/api/v1/roster-imports/{import_id}").json()["passwords_available"] is False  # expired
    assert client.get(f"/api/v1/roster-imports/{import_id}/passwords.xlsx").status_code == 410
    twice = commit(client, import_id)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "import_already_committed"

    unchanged = imported(client, GOOD_ROWS)["preview"]["id"]  # nothing generated: nothing to download
    assert client.get(f"/api/v1/roster-imports/{unchanged}/passwords.xlsx").status_code == 410


def test_commit_refused_when_an_account_changed_after_preview(people: People, tree: Tree) -> None:
    client = login(people.organizer_a)
    preview = upload(client, roster_csv([["甲", "D4001", "", "南关镇", ""]])).json()
    user_create(username="d4001", password=PASSWORD, unit=tree.town_b)  # meanwhile, in town B
    refused = commit(client, preview["id"])
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "import_has_errors"


def test_self_signup_person_joins_the_roster_when_imported(people: People, tree: Tree) -> None:
    person = user_create(username="13700000009", password=PASSWORD, real_name="吴七", unit=tree.town_b)
    User.objects.filter(pk=person.pk).update(is_on_roster=False)
    done = imported(login(people.organizer), [["吴七", "13700000009", "", "北岭镇", ""]])
    assert done["preview"]["items"][0]["changes"] == ["phone", "is_on_roster"]
    assert User.objects.get(pk=person.pk).is_on_roster is True


def test_file_errors_and_template(people: People) -> None:
    client = login(people.organizer)
    template = client.get("/api/v1/roster-imports/template.xlsx")
    assert template.status_code == 200
    header = next(load_workbook(io.BytesIO(template.content)).worksheets[0].iter_rows(values_only=True))
    assert list(header) == ["姓名", "账号", "手机", "单位", "初始密码"]
    empty_template = upload(client, template.content, name="名册.xlsx")
    assert empty_template.json()["error"]["code"] == "no_rows"
    missing = upload(client, roster_csv([["甲", "A1"]], header=["姓名", "账号"]))
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "missing_columns"
    assert "单位" in missing.json()["error"]["message"]
    no_header = upload(client, "甲,乙\n".encode())
    assert no_header.json()["error"]["code"] == "missing_columns"
    docx = upload(client, b"PK" + b"\x00" * 10, name="名册.docx")
    assert docx.status_code == 400
    assert upload(client, b"").status_code == 400
    assert client.post("/api/v1/roster-imports", {}, format="multipart").json()["error"]["code"] == "invalid_input"


def test_import_roster_command(people: People, tree: Tree, tmp_path: Any, capsys: Any) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(roster_csv([["甲", "E5001", "12", "清河市/南关镇", ""]], encoding="gb18030"))
    before = User.objects.count()
    with pytest.raises(CommandError):
        call_command("import_roster", str(bad), "--commit")
    assert "phone_invalid" in capsys.readouterr().out
    assert User.objects.count() == before

    good = tmp_path / "good.csv"
    good.write_bytes(
        roster_csv([["甲", "E5001", "", "清河市/南关镇", ""], ["乙", "E5002", "", OFFICE, "Chushi@2026x"]])
    )
    call_command("import_roster", str(good))  # preview only
    assert not User.objects.filter(username="e5001").exists()
    call_command("import_roster", str(good), "--commit", "--deactivate-missing")
    out = capsys.readouterr().out
    assert "e5001" in out and "Chushi@2026x" not in out
    assert User.objects.get(username="e5002").unit == tree.town_a_office
    assert not User.objects.get(pk=people.alice.pk).is_active  # missing from the full roster

    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path / "none.csv"))
    with pytest.raises(CommandError):
        call_command("import_roster", str(good), "--unit", "999999")
    call_command("import_roster", str(good), "--unit", str(tree.city.pk))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("import_roster", str(empty))


def test_superuser_imports_from_the_only_root(people: People, tree: Tree) -> None:
    admin = user_create(username="admin", password=PASSWORD, is_superuser=True)
    client = login(admin)
    rows = [["王五改", "13800000003", "", "南关镇", ""], ["新人", "F6001", "", OFFICE, ""]]
    preview = upload(client, roster_csv(rows)).json()
    item = preview["items"][0]
    assert (item["action"], item["changes"]) == ("update", ["real_name", "phone"])  # carol, renamed
    assert commit(client, preview["id"]).json()["updated"] == 1
    assert User.objects.get(pk=people.carol.pk).real_name == "王五改"

    unit_create(name="第二个市")
    two_roots = upload(client, roster_csv(rows))
    assert two_roots.status_code == 400 and two_roots.json()["error"]["code"] == "unit_not_allowed"


def test_command_prints_warnings_and_needs_a_unit_with_two_roots(people: People, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([["甲", "G7001", "", "南关镇", "", "x"]], header=[*HEADER_WITH_NOTE]))
    call_command("import_roster", str(path))
    assert "column_ignored" in capsys.readouterr().out

    unit_create(name="第二个市")
    with pytest.raises(CommandError):
        call_command("import_roster", str(path))


HEADER_WITH_NOTE = ["姓名", "账号", "手机", "单位", "初始密码", "备注"]
