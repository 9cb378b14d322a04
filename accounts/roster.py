"""The roster file (名册) → rows checked and resolved against the unit tree; no database, no writes.

The file is read by the question import's code (``quizzes.importing``: format detection, encodings,
xlsx and CSV rows), so both imports accept and refuse files alike. Formats and every message:
docs/import-formats.md §8. Writes are ``accounts.services.roster``'s.
"""

from __future__ import annotations

import difflib
import re
import secrets
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quizzes.i18n import join_list
from quizzes.importing.detect import decode_text, detect_format
from quizzes.importing.parse_table import cell_text, csv_rows, xlsx_rows
from quizzes.importing.types import ImportFileError, Issue

# The roster's columns (data: files must match them, whatever the reader's language): field → column header.
# Issues name their column with these headers.
ROSTER_FIELD_LABELS: dict[str, str] = {
    "real_name": "姓名",
    "username": "账号",
    "phone": "手机",
    "unit": "单位",
    "password": "初始密码",
}
NAME_COLUMN = ROSTER_FIELD_LABELS["real_name"]
ACCOUNT_COLUMN = ROSTER_FIELD_LABELS["username"]
PHONE_COLUMN = ROSTER_FIELD_LABELS["phone"]
UNIT_COLUMN = ROSTER_FIELD_LABELS["unit"]
PASSWORD_COLUMN = ROSTER_FIELD_LABELS["password"]
ROSTER_COLUMNS = list(ROSTER_FIELD_LABELS.values())
ROSTER_REQUIRED_COLUMNS = [NAME_COLUMN, ACCOUNT_COLUMN, UNIT_COLUMN]
MAX_ROWS = 50000
HEADER_SEARCH_ROWS = 20
NAME_MAX = 50
PASSWORD_MAX = 128
GENERATED_PASSWORD_LENGTH = 12
# No look-alikes (0/O, 1/l/I): generated passwords are read off a sheet and typed on a phone.
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")

# Header names of other sheets recognised as the roster's columns (data: matched in imported files)
ROSTER_ALIASES: dict[str, str] = {
    "名字": NAME_COLUMN,
    "用户名": ACCOUNT_COLUMN,
    "登录账号": ACCOUNT_COLUMN,
    "帐号": ACCOUNT_COLUMN,
    "工号": ACCOUNT_COLUMN,
    "手机号": PHONE_COLUMN,
    "手机号码": PHONE_COLUMN,
    "联系电话": PHONE_COLUMN,
    "所在单位": UNIT_COLUMN,
    "单位路径": UNIT_COLUMN,
    "密码": PASSWORD_COLUMN,
}
_PHONE_RE = re.compile(r"1[3-9]\d{9}")
# Separators written in phone numbers, full-width brackets included (data: matched in imported files)
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）.]+")
_ACCOUNT_RE = re.compile(r"[a-z0-9][a-z0-9_.@-]{2,149}")
_UNIT_SEPARATOR = re.compile(r"\s*[/\\>]\s*")


def _header_name(value: Any) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).strip("*:")
    return ROSTER_ALIASES.get(text, text)


def _is_header(row: Sequence[Any]) -> bool:
    return NAME_COLUMN in (_header_name(v) for v in row)


def normalise_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number, or None: full-width digits, +86/0086 and separators are dropped."""
    digits = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _PHONE_RE.fullmatch(digits) else None


def normalise_account(text: str) -> str | None:
    """The account name people log in with: a mobile number (normalised) or an employee number."""
    phone = normalise_phone(text)
    if phone:
        return phone
    account = unicodedata.normalize("NFKC", text).strip().lower()
    return account if _ACCOUNT_RE.fullmatch(account) else None


def unit_key(text: str) -> tuple[str, ...]:
    """A unit path as typed (沙溪镇/党政办, 沙溪镇 > 党政办, full-width ／) → its names."""
    text = unicodedata.normalize("NFKC", text).strip().strip("/\\>")
    return tuple(_name_key(part) for part in _UNIT_SEPARATOR.split(text) if part.strip())


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def generate_password() -> str:
    """A strong random initial password: letters and digits, at least one of each case and a digit."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(GENERATED_PASSWORD_LENGTH))
        if all(any(test(c) for c in password) for test in (str.islower, str.isupper, str.isdigit)):
            return password


@dataclass(frozen=True)
class UnitNode:
    id: int
    parent_id: int | None
    name: str
    is_active: bool = True


class UnitIndex:
    """Unit paths of the whole tree, as typed in a roster, relative to the importer's unit (``base_id``).

    Inside the base's subtree a unit is named by its path below the base (党政办 for the base's child),
    optionally starting with the base's own name (沙溪镇/党政办), or from the root. Elsewhere it is named
    from the root (with or without the root's name when there is one root): such a unit is known but not
    allowed, so that the error can say so.
    """

    def __init__(self, units: Iterable[UnitNode], *, base_id: int) -> None:
        nodes = list(units)
        by_id = {u.id: u for u in nodes}
        full: dict[int, tuple[str, ...]] = {}

        def names(unit_id: int) -> tuple[str, ...]:
            if unit_id not in full:
                node = by_id[unit_id]
                parent = names(node.parent_id) if node.parent_id in by_id and node.parent_id is not None else ()
                full[unit_id] = (*parent, _name_key(node.name))
            return full[unit_id]

        for node in nodes:
            names(node.id)
        self.base_id = base_id
        base = full[base_id]
        self.base_name = "/".join(base)
        single_root = sum(1 for u in nodes if u.parent_id is None) == 1
        self.inside: dict[tuple[str, ...], int] = {}
        self.outside: dict[tuple[str, ...], int] = {}
        self.display: dict[int, str] = {}  # the active units of the base's subtree, for suggestions
        self.inactive = {u.id for u in nodes if not u.is_active}
        for unit_id, path in full.items():
            if path[: len(base)] == base:
                relative = path[len(base) :]
                if unit_id not in self.inactive:
                    self.display[unit_id] = "/".join(relative) or base[-1]
                for key in (relative, path[len(base) - 1 :], path, path[1:] if single_root else ()):
                    if key:
                        self.inside.setdefault(key, unit_id)
            else:
                for key in (path, path[1:] if single_root else ()):
                    if key:
                        self.outside.setdefault(key, unit_id)

    def resolve(self, text: str) -> tuple[int | None, str | None]:
        """(unit id, None), or (None, the error code: ``unit_unknown``, ``unit_not_allowed`` or
        ``unit_inactive``: deactivated units take nobody in)."""
        key = unit_key(text)
        if key in self.inside:
            if self.inside[key] in self.inactive:
                return None, "unit_inactive"
            return self.inside[key], None
        if key in self.outside:
            return None, "unit_not_allowed"
        return None, "unit_unknown"

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """The nearest unit paths in the base's subtree: same last name first, then by similarity."""
        key = unit_key(text)
        wanted = "/".join(key)
        choices = sorted(set(self.display.values()))
        same_name = [c for c in choices if key and c.rsplit("/", 1)[-1] == key[-1]]
        close = difflib.get_close_matches(wanted, choices, n=limit, cutoff=0.4)
        return list(dict.fromkeys([*same_name, *close]))[:limit]


@dataclass(frozen=True)
class ExistingPerson:
    """An account that already has the row's 账号, as the service found it."""

    id: int
    real_name: str
    phone: str
    unit_id: int | None
    is_active: bool
    is_on_roster: bool
    in_scope: bool  # their unit lies in the importer's subtree
    is_staff_role: bool  # organizer or HR: not managed through the roster


@dataclass
class RosterRow:
    line: int
    real_name: str
    username: str
    phone: str
    unit_text: str
    unit_id: int | None = None
    password: str = ""  # given in the file (plain; the service hashes it before storing anything)
    action: str = "create"  # create, update, unchanged
    user_id: int | None = None
    changes: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def password_source(self) -> str:
        """given (from the file), generated (at commit) or kept (an existing person's own)."""
        if self.action != "create":
            return "kept"
        return "given" if self.password else "generated"

    def to_item(self) -> dict[str, Any]:
        """The JSON form stored in ``RosterImport.items`` and shown by the preview (no password)."""
        return {
            "line": self.line,
            "fields": {
                "real_name": self.real_name,
                "username": self.username,
                "phone": self.phone,
                "unit": self.unit_text,
                "unit_id": self.unit_id,
            },
            "action": self.action,
            "user_id": self.user_id,
            "changes": list(self.changes),
            "password": self.password_source,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }


@dataclass
class RosterFile:
    file_format: str
    records: list[tuple[int, dict[str, str]]]
    file_warnings: list[Issue] = field(default_factory=list)


def _wrong_type(filename: str) -> ImportFileError:
    return ImportFileError(
        _("文件类型不符：“%(filename)s”不是名册文件。请上传 .xlsx 或 .csv 文件。") % {"filename": filename},
        code="file_wrong_type",
    )


def read_roster(*, filename: str, content: bytes) -> RosterFile:
    """The rows under the header (a row naming 姓名), by column name. ``ImportFileError`` for file problems."""
    file_format = detect_format(filename=filename, content=content)
    if file_format == "docx":
        raise _wrong_type(filename)
    if file_format == "xlsx":
        rows = xlsx_rows(content, is_header=_is_header)
    else:
        file_format = "csv"
        rows = csv_rows(decode_text(content))
    columns: dict[str, int] | None = None
    warnings: list[Issue] = []
    records: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        if columns is None:
            if line > HEADER_SEARCH_ROWS:
                break
            if _is_header(row):
                columns = _read_header(line, row, warnings)
            continue
        values = {name: cell_text(row[i]) if i < len(row) else "" for name, i in columns.items()}
        if not any(values.values()):
            continue
        records.append((line, values))
        if len(records) > MAX_ROWS:
            raise ImportFileError(
                _("一次最多导入 %(count)d 人，请拆分文件后上传。") % {"count": MAX_ROWS}, code="too_many_rows"
            )
    if columns is None:
        raise ImportFileError(
            _("没有找到表头（含“姓名”“账号”“单位”的一行）。表头应为：%(columns)s。")
            % {"columns": join_list(ROSTER_COLUMNS)},
            code="missing_columns",
        )
    if not records:
        raise ImportFileError(_("文件中没有找到人员（表头下面没有内容）。"), code="no_rows")
    return RosterFile(file_format=file_format, records=records, file_warnings=warnings)


def _read_header(line: int, row: Sequence[Any], warnings: list[Issue]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(row):
        name = _header_name(value)
        if name in ROSTER_COLUMNS and name not in columns:
            columns[name] = index
        elif name:
            column = cell_text(value)
            warnings.append(
                Issue(line, column, "column_ignored", _("未知的列“%(column)s”，已忽略。") % {"column": column})
            )
    missing = [c for c in ROSTER_REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            _("第 %(line)d 行表头缺少必需的列：%(missing)s。表头应为：%(columns)s。")
            % {"line": line, "missing": join_list(missing), "columns": join_list(ROSTER_COLUMNS)},
            code="missing_columns",
        )
    return columns


def check_rows(records: Sequence[tuple[int, Mapping[str, str]]], *, units: UnitIndex) -> list[RosterRow]:
    """Each record checked on its own and against the earlier ones (duplicate 账号), units resolved."""
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    first_phone_line: dict[str, int] = {}
    for line, values in records:
        row = RosterRow(
            line=line,
            real_name=values.get(NAME_COLUMN, "").strip(),
            username="",
            phone="",
            unit_text=values.get(UNIT_COLUMN, "").strip(),
            password=values.get(PASSWORD_COLUMN, ""),
        )
        rows.append(row)

        def error(column: str, code: str, message: str, row: RosterRow = row) -> None:
            row.errors.append(Issue(row.line, column, code, message))

        if not row.real_name:
            error(NAME_COLUMN, "name_missing", _("姓名不能为空。"))
        elif len(row.real_name) > NAME_MAX:
            error(NAME_COLUMN, "name_too_long", _("姓名超过 %(max)d 字。") % {"max": NAME_MAX})

        account_text = values.get(ACCOUNT_COLUMN, "").strip()
        account = normalise_account(account_text)
        if not account_text:
            error(ACCOUNT_COLUMN, "account_missing", _("账号不能为空。"))
        elif account is None:
            error(
                ACCOUNT_COLUMN,
                "account_invalid",
                _("账号“%(account)s”无效：应为工号（字母、数字，至少 3 位）或 11 位手机号码。")
                % {"account": account_text},
            )
        else:
            row.username = account
            if account in first_line:
                error(
                    ACCOUNT_COLUMN,
                    "account_duplicate",
                    _("账号 %(account)s 与第 %(line)d 行重复。") % {"account": account, "line": first_line[account]},
                )
            else:
                first_line[account] = line

        phone_text = values.get(PHONE_COLUMN, "").strip()
        if phone_text:
            phone = normalise_phone(phone_text)
            if phone is None:
                error(
                    PHONE_COLUMN,
                    "phone_invalid",
                    _("手机号“%(phone)s”无效，应为 11 位手机号码（可带 +86、空格或横线）。") % {"phone": phone_text},
                )
            else:
                row.phone = phone
        elif account and normalise_phone(account):
            row.phone = account
        if row.phone:
            if row.phone in first_phone_line:
                error(
                    PHONE_COLUMN,
                    "phone_duplicate",
                    _("手机号 %(phone)s 与第 %(line)d 行重复：一个手机号只能属于一个人。")
                    % {"phone": row.phone, "line": first_phone_line[row.phone]},
                )
            else:
                first_phone_line[row.phone] = line

        if not row.unit_text:
            error(UNIT_COLUMN, "unit_missing", _("单位不能为空。"))
        else:
            row.unit_id, problem = units.resolve(row.unit_text)
            if problem == "unit_not_allowed":
                error(
                    UNIT_COLUMN,
                    problem,
                    _("单位“%(unit)s”不在您管理的范围（%(scope)s）内。")
                    % {"unit": row.unit_text, "scope": units.base_name},
                )
            elif problem == "unit_inactive":
                nearest = units.suggestions(row.unit_text)
                error(
                    UNIT_COLUMN,
                    problem,
                    _("单位“%(unit)s”已停用，不能再把人员放入。可用的单位：%(nearest)s。")
                    % {"unit": row.unit_text, "nearest": join_list(nearest) or units.base_name},
                )
            elif problem:
                nearest = units.suggestions(row.unit_text)
                if nearest:
                    message = _("单位“%(unit)s”不存在。最接近的单位：%(nearest)s。") % {
                        "unit": row.unit_text,
                        "nearest": join_list(nearest),
                    }
                else:
                    message = _("单位“%(unit)s”不存在。") % {"unit": row.unit_text}
                error(UNIT_COLUMN, problem, message)

        problems = password_problems(row.password) if row.password else []
        if problems:
            error(
                PASSWORD_COLUMN,
                "password_invalid",
                _("初始密码不符合密码要求：%(problems)s") % {"problems": " ".join(problems)},
            )
    return rows


def password_problems(password: str) -> list[str]:
    """Why a password given in a roster file may not be used: the site's password policy
    (``AUTH_PASSWORD_VALIDATORS``, the same as at sign-up and change), and a sane upper length."""
    if len(password) > PASSWORD_MAX:
        return [_("初始密码最多 %(max)d 位。") % {"max": PASSWORD_MAX}]
    try:
        validate_password(password)
    except ValidationError as exc:
        return [str(message) for message in exc.messages]
    return []


@dataclass(frozen=True)
class PhoneHolder:
    """The account that already holds a row's phone number, as the service found it."""

    username: str
    real_name: str
    in_scope: bool  # their unit lies in the importer's subtree: they may be named in the error


def check_phones(rows: Sequence[RosterRow], *, holders: Mapping[str, PhoneHolder]) -> None:
    """One person, one phone (accounts/phones.py): a row's phone must not belong to another account. Who holds
    it is named only when that person is in the importer's scope."""
    for row in rows:
        holder = holders.get(row.phone) if row.phone else None
        if holder is None or holder.username == row.username:
            continue
        if holder.in_scope:
            message = _("手机号 %(phone)s 已是账号 %(account)s（%(name)s）的手机号：一个手机号只能属于一个人。") % {
                "phone": row.phone,
                "account": holder.username,
                "name": holder.real_name or holder.username,
            }
        else:
            message = _("手机号 %(phone)s 已被您管理范围以外的账号使用。") % {"phone": row.phone}
        row.errors.append(Issue(row.line, PHONE_COLUMN, "phone_taken", message))


def plan_rows(
    rows: Sequence[RosterRow],
    *,
    existing: Mapping[str, ExistingPerson],
    phone_holders: Mapping[str, PhoneHolder] | None = None,
) -> None:
    """Decide per row: create a person, update one (and what changes), or leave one unchanged; a row whose
    phone another account holds (``phone_holders``) is an error."""
    check_phones(rows, holders=phone_holders or {})
    for row in rows:
        person = existing.get(row.username)
        if person is None:
            row.action = "create"
            continue
        row.user_id = person.id
        if not person.in_scope:
            row.errors.append(
                Issue(
                    row.line,
                    ACCOUNT_COLUMN,
                    "account_taken",
                    _("账号 %(account)s 已被您管理范围以外的人员使用。") % {"account": row.username},
                )
            )
            continue
        if person.is_staff_role:
            row.errors.append(
                Issue(
                    row.line,
                    ACCOUNT_COLUMN,
                    "account_is_staff",
                    _("账号 %(account)s 是组织者或人事人员，不能通过名册修改。") % {"account": row.username},
                )
            )
            continue
        changes = []
        if row.real_name != person.real_name:
            changes.append("real_name")
        if row.phone and row.phone != person.phone:
            changes.append("phone")
        if row.unit_id is not None and row.unit_id != person.unit_id:
            changes.append("unit")
        if not person.is_active:
            changes.append("is_active")
        if not person.is_on_roster:
            changes.append("is_on_roster")
        row.changes = changes
        row.action = "update" if changes else "unchanged"
        if row.password:
            row.warnings.append(
                Issue(
                    row.line,
                    PASSWORD_COLUMN,
                    "password_ignored",
                    _("账号 %(account)s 已存在，其密码不变（初始密码只用于新建的人员）。") % {"account": row.username},
                )
            )
