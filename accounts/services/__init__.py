"""Writes to accounts: the unit tree, users and site settings; the roster import is in ``.roster``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from quizzes import caching

from ..audit import AuditContext, audit_record
from ..lockout import lockout_reset
from ..models import PATH_STEP, AuditEvent, SiteSettings, Unit, User


class UnitTreeFull(Exception):
    pass


@transaction.atomic
def unit_create(*, name: str, parent: Unit | None = None, kind: str = Unit.Kind.OTHER, sort_order: int = 0) -> Unit:
    """Create a unit under ``parent`` (a root when None), allocating its materialised path."""
    siblings = Unit.objects.select_for_update().filter(parent=parent)
    if parent is None:
        siblings = Unit.objects.select_for_update().filter(parent__isnull=True)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = int(last[-PATH_STEP:]) + 1 if last else 1
    if number >= 10**PATH_STEP:
        raise UnitTreeFull(name)
    prefix = parent.path if parent else ""
    caching.people_changed()  # a new child unit joins the unit rankings
    return Unit.objects.create(
        name=name,
        kind=kind,
        parent=parent,
        path=f"{prefix}{number:0{PATH_STEP}d}",
        depth=parent.depth + 1 if parent else 0,
        sort_order=sort_order,
    )


def unit_get_or_create(*, name: str, parent: Unit | None = None, kind: str = Unit.Kind.OTHER) -> Unit:
    existing = Unit.objects.filter(name=name, parent=parent).first()
    return existing or unit_create(name=name, parent=parent, kind=kind)


def user_create(
    *,
    username: str,
    password: str | None,
    real_name: str = "",
    phone: str = "",
    unit: Unit | None = None,
    role: str = User.Role.PARTICIPANT,
    must_change_password: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create an account. Accounts handed out with an initial password must change it at first login."""
    user = User(
        username=username,
        real_name=real_name,
        phone=phone,
        unit=unit,
        role=role,
        must_change_password=must_change_password,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    caching.people_changed()
    return user


@transaction.atomic
def site_settings_update(*, self_signup_enabled: bool, audit: AuditContext | None = None) -> SiteSettings:
    settings_row = SiteSettings.load()
    before = {"self_signup_enabled": settings_row.self_signup_enabled}
    settings_row.self_signup_enabled = self_signup_enabled
    settings_row.save(update_fields=["self_signup_enabled"])
    audit_record(
        context=audit,
        action=AuditEvent.Action.SITE_SETTINGS_UPDATE,
        unit=None,
        target=settings_row,
        before=before,
        after={"self_signup_enabled": self_signup_enabled},
    )
    return settings_row


@transaction.atomic
def user_unlock(*, user: User, audit: AuditContext | None = None) -> None:
    """Lift ``user``'s login lockout from every address (``lockout.lockout_reset``), and record who did."""
    lockout_reset(user=user)
    audit_record(context=audit, action=AuditEvent.Action.USER_UNLOCK, unit=user.unit, target=user)
