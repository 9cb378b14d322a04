"""Roster import (名册): upload → preview → commit, and the one-time download of generated passwords.

Parsing and checking are pure (``accounts.roster``); this module reads what they need (the unit tree,
the accounts the file names) and writes. Passwords given in the file are hashed at preview, so no plain
password is stored. Generated passwords are made at commit, returned once in the commit's answer, and
kept for one download in the cache (Redis in production) for ``PASSWORDS_TTL`` at most: never in the
database. Formats and messages: docs/import-formats.md §8.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import caching
from quizzes.errors import ImportAlreadyCommitted, ImportHasErrors

from ..audit import AuditContext, audit_record
from ..errors import PasswordsGone
from ..models import AuditEvent, RosterImport, Unit, User
from ..phones import phone_holders
from ..roster import (
    ExistingPerson,
    PhoneHolder,
    RosterRow,
    UnitIndex,
    UnitNode,
    check_rows,
    generate_password,
    plan_rows,
)
from ..roster import read_roster as read_roster_file
from ..roster_xlsx import passwords_xlsx
from ..scopes import roster_person_q, subtree_q

PASSWORDS_TTL = timedelta(hours=1)
_CHUNK = 2000


def _passwords_key(batch: RosterImport) -> str:
    return f"roster-import-passwords:{batch.pk}"


def _unit_index(unit: Unit) -> UnitIndex:
    nodes = (UnitNode(*row) for row in Unit.objects.values_list("pk", "parent", "name", "is_active"))
    return UnitIndex(nodes, base_id=unit.pk)


def _existing(usernames: Sequence[str], unit: Unit, *, lock: bool = False) -> dict[str, ExistingPerson]:
    found: dict[str, ExistingPerson] = {}
    staff = {User.Role.ORGANIZER, User.Role.HR}
    for start in range(0, len(usernames), _CHUNK):
        people = User.objects.filter(username__in=usernames[start : start + _CHUNK])
        if lock:
            people = people.select_for_update(of=("self",))  # not the unit (an outer join)
        for row in people.values(
            "pk",
            "username",
            "real_name",
            "phone",
            "unit",
            "unit__path",
            "is_active",
            "is_on_roster",
            "role",
            "is_superuser",
        ):
            found[row["username"]] = ExistingPerson(
                id=row["pk"],
                real_name=row["real_name"],
                phone=row["phone"],
                unit_id=row["unit"],
                is_active=row["is_active"],
                is_on_roster=row["is_on_roster"],
                in_scope=bool(row["unit__path"] and row["unit__path"].startswith(unit.path)),
                is_staff_role=row["role"] in staff or row["is_superuser"],
            )
    return found


def _phone_holders(rows: Sequence[RosterRow], unit: Unit) -> dict[str, PhoneHolder]:
    """Who already holds the phones the rows give (one person, one phone)."""
    return {
        phone: PhoneHolder(
            username=user.username,
            real_name=user.real_name,
            in_scope=bool(user.unit is not None and user.unit.is_within(unit)),
        )
        for phone, user in phone_holders(r.phone for r in rows).items()
    }


def _missing_participants(unit: Unit, usernames: Iterable[str]) -> list[dict[str, Any]]:
    """Active roster participants of the subtree whom the file does not name."""
    named = set(usernames)
    people = User.objects.filter(subtree_q(unit, "unit"), roster_person_q()).order_by("pk")
    return [
        {"user_id": pk, "username": username, "real_name": real_name}
        for pk, username, real_name in people.values_list("pk", "username", "real_name").iterator(chunk_size=_CHUNK)
        if username not in named
    ]


def roster_preview(
    *, unit: Unit, uploaded_by: User | None, filename: str, content: bytes, deactivate_missing: bool = False
) -> RosterImport:
    """Read and check a roster file against ``unit``'s subtree and keep the result for review.

    Raises ``ImportFileError`` (nothing stored) when the file as a whole cannot be used.
    """
    roster_file = read_roster_file(filename=filename, content=content)
    rows = check_rows(roster_file.records, units=_unit_index(unit))
    usernames = [r.username for r in rows if r.username]
    plan_rows(rows, existing=_existing(usernames, unit), phone_holders=_phone_holders(rows, unit))
    items = []
    for row in rows:
        item = row.to_item()
        if row.password and row.action == "create" and not row.errors:
            item["password_hash"] = make_password(row.password)
        items.append(item)
    return RosterImport.objects.create(
        unit=unit,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        file_format=roster_file.file_format,
        deactivate_missing=deactivate_missing,
        items=items,
        file_warnings=[i.to_dict() for i in roster_file.file_warnings],
        to_deactivate=_missing_participants(unit, usernames) if deactivate_missing else [],
        error_count=sum(len(r.errors) for r in rows),
        warning_count=sum(len(r.warnings) for r in rows) + len(roster_file.file_warnings),
    )


@dataclass
class RosterCommitResult:
    batch: RosterImport
    created: int
    updated: int
    unchanged: int
    deactivated: int
    # (姓名, 账号, 单位, password) of the people whose initial password was generated: shown once
    passwords: list[tuple[str, str, str, str]]


@transaction.atomic
def roster_commit(*, batch: RosterImport, audit: AuditContext | None = None) -> RosterCommitResult:
    """Apply a previewed roster, all or nothing: create new people, update changed ones by 账号,
    and with ``deactivate_missing`` deactivate the subtree's roster participants the file leaves out.

    Refused while the preview has errors (``ImportHasErrors``), a second time (``ImportAlreadyCommitted``),
    and when an account the file names has since left the importer's scope or become staff.
    """
    batch = RosterImport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=batch.pk)
    if batch.status == RosterImport.Status.COMMITTED:
        raise ImportAlreadyCommitted(_("这份名册已经导入，不能重复导入。"))
    if batch.error_count:
        raise ImportHasErrors(_("文件中还有 %(count)d 处错误，请修改后重新上传。") % {"count": batch.error_count})
    unit = batch.unit
    usernames = [item["fields"]["username"] for item in batch.items]
    existing = _existing(usernames, unit, lock=True)
    rows = [
        RosterRow(
            line=item["line"],
            real_name=item["fields"]["real_name"],
            username=item["fields"]["username"],
            phone=item["fields"]["phone"],
            unit_text=item["fields"]["unit"],
            unit_id=item["fields"]["unit_id"],
        )
        for item in batch.items
    ]
    # again: the accounts and phones may have changed since the preview
    plan_rows(rows, existing=existing, phone_holders=_phone_holders(rows, unit))
    problems = sum(len(r.errors) for r in rows)
    if problems:
        raise ImportHasErrors(
            _("预览之后有 %(count)d 行已变动（账号不在您的范围内或成为工作人员，或手机号已被他人使用），请重新上传。")
            % {"count": problems}
        )

    to_create: list[User] = []
    passwords: list[tuple[str, str, str, str]] = []
    updates: list[User] = []
    for row, item in zip(rows, batch.items, strict=True):
        if row.action == "create":
            password_hash = item.get("password_hash")
            if not password_hash:
                password = generate_password()
                passwords.append((row.real_name, row.username, row.unit_text, password))
                password_hash = make_password(password)
            to_create.append(
                User(
                    username=row.username,
                    real_name=row.real_name,
                    phone=row.phone,
                    unit_id=row.unit_id,
                    role=User.Role.PARTICIPANT,
                    password=password_hash,
                    must_change_password=True,
                    is_on_roster=True,
                )
            )
        elif row.action == "update":
            person = User(
                pk=row.user_id,
                real_name=row.real_name,
                phone=row.phone or existing[row.username].phone,
                unit_id=row.unit_id,
                is_active=True,
                is_on_roster=True,
            )
            updates.append(person)
    caching.people_changed()  # 应考 headcounts, people's units and whose results count
    User.objects.bulk_create(to_create, batch_size=_CHUNK)
    User.objects.bulk_update(updates, ["real_name", "phone", "unit", "is_active", "is_on_roster"], batch_size=_CHUNK)
    deactivated = 0
    if batch.deactivate_missing:
        # only people the organizer was shown at preview, and still missing: someone added to the roster
        # since then was never on that list and is not deactivated behind the organizer's back
        shown = {p["user_id"] for p in batch.to_deactivate}
        missing = [p["user_id"] for p in _missing_participants(unit, usernames) if p["user_id"] in shown]
        for start in range(0, len(missing), _CHUNK):
            deactivated += User.objects.filter(pk__in=missing[start : start + _CHUNK]).update(is_active=False)

    now = timezone.now()
    result = RosterCommitResult(
        batch=batch,
        created=len(to_create),
        updated=len(updates),
        unchanged=sum(1 for r in rows if r.action == "unchanged"),
        deactivated=deactivated,
        passwords=passwords,
    )
    batch.status = RosterImport.Status.COMMITTED
    batch.committed_at = now
    batch.result = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "deactivated": result.deactivated,
        "generated_passwords": len(passwords),
    }
    if passwords:
        batch.passwords_expire_at = now + PASSWORDS_TTL
        # last, after every write: a rollback leaves at most an unreachable cache entry that expires
        cache.set(_passwords_key(batch), passwords, timeout=int(PASSWORDS_TTL.total_seconds()))
    batch.save(update_fields=["status", "committed_at", "result", "passwords_expire_at"])
    audit_record(
        context=audit,
        action=AuditEvent.Action.ROSTER_IMPORT,
        unit=batch.unit,
        target=batch,
        after={"filename": batch.filename, **batch.result},
    )
    return result


@transaction.atomic
def roster_passwords_download(*, batch: RosterImport) -> bytes:
    """The generated initial passwords as a workbook, once: afterwards (or after ``PASSWORDS_TTL``, or if
    the cache lost them) ``PasswordsGone``."""
    batch = RosterImport.objects.select_for_update().get(pk=batch.pk)
    passwords = cache.get(_passwords_key(batch)) if batch.passwords_available(timezone.now()) else None
    if passwords is None:
        raise PasswordsGone()
    batch.passwords_downloaded_at = timezone.now()
    batch.save(update_fields=["passwords_downloaded_at"])
    cache.delete(_passwords_key(batch))
    return passwords_xlsx(passwords)
