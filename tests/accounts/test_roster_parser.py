"""The pure roster rules (accounts/roster.py): normalising, unit paths, checks and plans, file reading."""

from __future__ import annotations

import io
import zipfile

import pytest

from accounts.roster import (
    ExistingPerson,
    UnitIndex,
    UnitNode,
    check_rows,
    generate_password,
    normalise_account,
    normalise_phone,
    password_problems,
    plan_rows,
    read_roster,
    unit_key,
)
from quizzes.importing.types import ImportFileError
from tests.roster_files import roster_csv, roster_xlsx

# 1 清河市 ─ 2 沙溪镇 ─ 3 党政办
#         └ 4 北岭镇 ─ 5 党政办
UNITS = [
    UnitNode(1, None, "清河市"),
    UnitNode(2, 1, "沙溪镇"),
    UnitNode(3, 2, "党政办"),
    UnitNode(4, 1, "北岭镇"),
    UnitNode(5, 4, "党政办"),
]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+86 139-0013-9000", "13900139000"),
        ("0086 13900139000", "13900139000"),
        ("8613900139000", "13900139000"),
        ("(139) 0013.9000", "13900139000"),
        ("１３９００１３９０００", "13900139000"),
        ("1390013", None),
        ("23900139000", None),
        ("139001390001", None),
    ],
)
def test_normalise_phone(text: str, phone: str | None) -> None:
    assert normalise_phone(text) == phone


def test_normalise_account() -> None:
    assert normalise_account("+86 139 0013 9000") == "13900139000"
    assert normalise_account(" A1024 ") == "a1024"
    assert normalise_account("张三") is None
    assert normalise_account("ab") is None


def test_unit_key_and_index() -> None:
    assert unit_key(" 沙溪镇 ／ 党政办 ") == ("沙溪镇", "党政办")
    assert unit_key("沙溪镇 > 党政办") == ("沙溪镇", "党政办")
    town = UnitIndex(UNITS, base_id=2)
    assert town.resolve("党政办") == (3, None)
    assert town.resolve("沙溪镇/党政办") == (3, None)
    assert town.resolve("清河市/沙溪镇/党政办") == (3, None)
    assert town.resolve("沙溪镇") == (2, None)
    assert town.resolve("北岭镇/党政办") == (None, "unit_not_allowed")
    assert town.resolve("清河市") == (None, "unit_not_allowed")
    assert town.resolve("南关镇") == (None, "unit_unknown")
    assert town.suggestions("党政") == ["党政办"]
    city = UnitIndex(UNITS, base_id=1)
    assert city.resolve("北岭镇/党政办") == (5, None)
    assert city.suggestions("沙溪/党政办")[:2] == ["北岭镇/党政办", "沙溪镇/党政办"]  # same last name first
    assert city.suggestions("完全无关的名字") == []


def test_a_deactivated_unit_takes_nobody_in() -> None:
    units = [*UNITS, UnitNode(6, 2, "综治办", is_active=False)]
    town = UnitIndex(units, base_id=2)
    assert town.resolve("综治办") == (None, "unit_inactive")
    assert town.resolve("党政办") == (3, None)
    assert "综治办" not in town.suggestions("综治办")
    rows = check_rows(rows_of({"姓名": "甲", "账号": "a10", "单位": "综治办"}), units=town)
    assert [(i.line, i.column, i.code) for i in rows[0].errors] == [(2, "单位", "unit_inactive")]
    assert rows[0].errors[0].message.startswith("单位“综治办”已停用")


def test_generate_password_is_strong_and_random() -> None:
    passwords = {generate_password() for _i in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 12
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and not set(password) & set("0O1lI")


def rows_of(*records: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    return [(line, record) for line, record in enumerate(records, start=2)]


def test_check_rows_errors_name_row_and_column() -> None:
    index = UnitIndex(UNITS, base_id=1)
    rows = check_rows(
        rows_of(
            {"姓名": "", "账号": "", "单位": ""},
            {"姓名": "甲" * 51, "账号": "张三", "单位": "沙溪镇", "初始密码": "short"},
            {"姓名": "乙", "账号": "A1", "单位": "南关镇"},
        ),
        units=index,
    )
    assert [(i.line, i.column, i.code) for r in rows for i in r.errors] == [
        (2, "姓名", "name_missing"),
        (2, "账号", "account_missing"),
        (2, "单位", "unit_missing"),
        (3, "姓名", "name_too_long"),
        (3, "账号", "account_invalid"),
        (3, "初始密码", "password_invalid"),
        (4, "账号", "account_invalid"),
        (4, "单位", "unit_unknown"),
    ]
    assert rows[2].errors[-1].message == "单位“南关镇”不存在。"


def test_plan_rows() -> None:
    index = UnitIndex(UNITS, base_id=2)
    rows = check_rows(
        rows_of(
            {"姓名": "甲", "账号": "a10", "单位": "党政办"},
            {"姓名": "乙", "账号": "a20", "单位": "党政办", "手机": "13900139000"},
            {"姓名": "丙", "账号": "a30", "单位": "沙溪镇", "初始密码": "Secret#2026"},
        ),
        units=index,
    )
    existing = {
        "a10": ExistingPerson(7, "甲", "", 3, True, True, in_scope=True, is_staff_role=False),
        "a20": ExistingPerson(8, "乙", "", 2, False, True, in_scope=True, is_staff_role=False),
    }
    plan_rows(rows, existing=existing)
    assert [(r.action, r.changes, r.password_source) for r in rows] == [
        ("unchanged", [], "kept"),
        ("update", ["phone", "unit", "is_active"], "kept"),
        ("create", [], "given"),
    ]


def test_read_roster_xlsx_with_aliases_and_unknown_columns() -> None:
    content = roster_xlsx(
        [["张三", "A1", "", "沙溪镇", "", "备注"]], header=["名字", "工号", "手机号码", "所在单位", "密码", "备注"]
    )
    roster = read_roster(filename="名册.xlsx", content=content)
    assert roster.file_format == "xlsx"
    assert roster.records == [(2, {"姓名": "张三", "账号": "A1", "手机": "", "单位": "沙溪镇", "初始密码": ""})]
    assert [(w.column, w.code) for w in roster.file_warnings] == [("备注", "column_ignored")]


def test_read_roster_file_errors() -> None:
    with pytest.raises(ImportFileError) as docx:
        read_roster(filename="a.docx", content=_docx())
    assert docx.value.code == "file_wrong_type"
    with pytest.raises(ImportFileError) as missing:
        read_roster(filename="a.csv", content=roster_csv([["甲", "A1"]], header=["姓名", "账号"]))
    assert missing.value.code == "missing_columns" and "单位" in missing.value.message
    late_header = ("\n" * 25 + "姓名,账号,单位\n甲,A1,沙溪镇\n").encode()
    with pytest.raises(ImportFileError) as no_header:
        read_roster(filename="a.csv", content=late_header)
    assert no_header.value.code == "missing_columns"
    blank_rows = roster_csv([["", "", "", "", ""]])
    with pytest.raises(ImportFileError) as empty:
        read_roster(filename="a.csv", content=blank_rows)
    assert empty.value.code == "no_rows"


def test_read_roster_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("accounts.roster.MAX_ROWS", 2)
    with pytest.raises(ImportFileError) as too_many:
        read_roster(filename="a.csv", content=roster_csv([["甲", f"A{i}", "", "x", ""] for i in range(3)]))
    assert too_many.value.code == "too_many_rows"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_given_initial_password_meets_the_sites_password_policy(settings) -> None:
    """Not a rule of its own: a password in the file is held to AUTH_PASSWORD_VALIDATORS, as at sign-up."""
    assert password_problems("Chushi@2026") == []
    weak = password_problems("xuefa20261")  # 10 characters, but only letters and digits
    assert len(weak) == 1 and "3 类" in weak[0]
    assert password_problems("12345678901234")  # all digits, however long
    assert password_problems("A" * 129) == ["初始密码最多 128 位。"]
