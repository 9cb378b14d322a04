"""The audit log's one writer (docs/adr/0012-audit-log.md). Services call ``audit_record`` explicitly, in the
transaction of the write they record; the acting person and the client address travel in an
``AuditContext`` that views build from the request (``AuditContext.from_request``). Commands and the demo
seed pass nothing: the event has no actor and the address ``command``."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes.reporting import neutralise_cell

from . import scopes
from .addresses import client_address
from .models import AuditEvent, Unit, User

COMMAND_ADDRESS = "command"


@dataclass(frozen=True)
class AuditContext:
    """Who acts, and from which client address (the lockout's trusted-proxy rule)."""

    actor: User | None = None
    address: str = COMMAND_ADDRESS

    @classmethod
    def from_request(cls, request: HttpRequest, *, actor: User | None = None) -> AuditContext:
        user = actor if actor is not None else getattr(request, "user", None)
        return cls(actor=user if isinstance(user, User) else None, address=client_address(request))


COMMAND = AuditContext()


def audit_record(
    *,
    context: AuditContext | None,
    action: str,
    unit: Unit | None,
    target: models.Model | None = None,
    target_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``before``/``after`` hold only what the action changed (JSON-safe values)."""
    context = context or COMMAND
    actor = context.actor
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.username if actor is not None else "",
        address=context.address[:64],
        action=action,
        unit=unit,
        unit_path=unit.path if unit is not None else "",
        target_type=target._meta.model_name or "" if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:255],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose values differ, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@receiver(password_changed)
@receiver(password_set)
def _password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's own writes (change, set): recorded from its signals, the one place that sees them."""
    if isinstance(user, User):
        context = AuditContext(actor=user, address=client_address(request))
        audit_record(context=context, action=AuditEvent.Action.PASSWORD_CHANGE, unit=user.unit, target=user)


@receiver(password_reset)
def _password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if isinstance(user, User):
        context = AuditContext(actor=None, address=client_address(request))
        audit_record(context=context, action=AuditEvent.Action.PASSWORD_RESET, unit=user.unit, target=user)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """``fields`` of ``instance`` as JSON values (dates as ISO text, decimals as text)."""
    values = {name: getattr(instance, name) for name in fields}
    result: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return result


def audit_events_for(
    user: User,
    *,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
) -> models.QuerySet[AuditEvent]:
    """The events ``user`` may read, newest first: the superuser all, an organizer those concerning their
    unit's subtree (events of no unit, such as site settings, are the superuser's), anyone else none."""
    events = AuditEvent.objects.all()
    if not user.is_superuser:
        unit = scopes.staff_unit(user) if scopes.is_organizer(user) else None
        if unit is None:
            return events.none()
        events = events.filter(unit_path__startswith=unit.path)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lt=until)
    if actor:
        events = events.filter(actor_username=actor)
    return events.order_by("-created_at", "-pk")


def audit_csv_headers() -> list[str]:
    return [_("时间"), _("操作人"), _("客户端地址"), _("操作"), _("单位"), _("对象"), _("修改前"), _("修改后")]


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as csv, line by line: UTF-8 with a BOM, CRLF, cells safe from spreadsheet formulas."""

    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(audit_csv_headers())
    labels = dict(AuditEvent.Action.choices)
    for event in events:
        cells = [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_username,
            event.address,
            str(labels.get(event.action, event.action)),
            event.unit.name if event.unit is not None else "",
            f"{event.target_type}#{event.target_id} {event.target_repr}".strip() if event.target_type else "",
            _json_cell(event.before),
            _json_cell(event.after),
        ]
        yield writer.writerow([neutralise_cell(cell) for cell in cells])


def _json_cell(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
