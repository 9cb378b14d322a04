"""Changes of the unit tree from the console: add, rename, move, deactivate (rules in ``accounts.units``).

Each change is one transaction with its audit event. A move rewrites the materialised ``path`` and ``depth``
of the whole subtree in one UPDATE, so that subtree queries stay one ``path__startswith`` filter.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from quizzes import caching

from .. import units as rules
from ..audit import AuditContext, audit_record, changed, snapshot
from ..errors import UnitChangeRefused, UnitNameTaken
from ..models import PATH_STEP, AuditEvent, Unit, User
from . import UnitTreeFull, unit_create

AUDITED = ("name", "kind", "parent_id", "is_active")


def _check_name(*, name: str, parent: Unit | None, exclude: Unit | None = None) -> None:
    siblings = Unit.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise UnitNameTaken(fields={"name": [_("同一上级单位下已有同名单位。")]})


@transaction.atomic
def unit_add(*, parent: Unit, name: str, kind: str, audit: AuditContext | None = None) -> Unit:
    """A new unit under ``parent`` (in the acting organizer's scope: ``accounts.access``)."""
    if not parent.is_active:
        raise UnitChangeRefused(_("上级单位已停用，不能在其下新建单位。"))
    _check_name(name=name, parent=parent)
    try:
        unit = unit_create(name=name, parent=parent, kind=kind)
    except UnitTreeFull as error:
        raise UnitChangeRefused(_("该单位的下级单位已达上限。")) from error
    audit_record(
        context=audit, action=AuditEvent.Action.UNIT_CREATE, unit=unit, target=unit, after=snapshot(unit, AUDITED)
    )
    return unit


def _move(unit: Unit, parent: Unit) -> None:
    siblings = Unit.objects.select_for_update().filter(parent=parent)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = int(last[-PATH_STEP:]) + 1 if last else 1
    if number >= 10**PATH_STEP:
        raise UnitChangeRefused(_("目标单位的下级单位已达上限。"))
    old, new = unit.path, f"{parent.path}{number:0{PATH_STEP}d}"
    Unit.objects.filter(path__startswith=old).update(
        path=Concat(Value(new), Substr("path", len(old) + 1)), depth=F("depth") + (parent.depth + 1 - unit.depth)
    )
    Unit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()


@transaction.atomic
def unit_change(
    *,
    unit: Unit,
    scope: Unit | None,
    name: str | None = None,
    kind: str | None = None,
    parent: Unit | None = None,
    is_active: bool | None = None,
    audit: AuditContext | None = None,
) -> Unit:
    """Rename, re-kind, move under ``parent`` or (de)activate ``unit``, by an organizer of ``scope`` (None: the
    superuser). All or nothing, with one audit event of what changed."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    scope_path = scope.path if scope is not None else None
    rules.check_change(unit_path=unit.path, scope_path=scope_path)
    before = snapshot(unit, AUDITED)
    if parent is not None and parent.pk != unit.parent_id:
        rules.check_move(unit_path=unit.path, new_parent_path=parent.path, scope_path=scope_path)
        if not parent.is_active:
            raise UnitChangeRefused(_("目标单位已停用，不能移到其下。"))
        _check_name(name=name or unit.name, parent=parent, exclude=unit)
        _move(unit, parent)
    if name is not None and name != unit.name:
        _check_name(name=name, parent=unit.parent, exclude=unit)
        unit.name = name
    if kind is not None:
        unit.kind = kind
    if is_active is not None and is_active != unit.is_active:
        if is_active:
            rules.check_reactivate(parent_active=unit.parent is None or unit.parent.is_active)
        else:
            rules.check_deactivate(
                active_people=User.objects.filter(unit=unit, is_active=True).count(),
                active_children=Unit.objects.filter(parent=unit, is_active=True).count(),
            )
        unit.is_active = is_active
    unit.save(update_fields=["name", "kind", "is_active"])
    was, now = changed(before, snapshot(unit, AUDITED))
    if now:
        caching.people_changed()  # unit names and the tree appear in rankings and headcounts
        audit_record(context=audit, action=AuditEvent.Action.UNIT_UPDATE, unit=unit, target=unit, before=was, after=now)
    return unit
