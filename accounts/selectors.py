"""Reads of accounts for the console: the people an organizer manages. Scopes come from ``accounts.scopes``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from . import scopes
from .models import Unit, User


def people_for(user: User | AnonymousUser, *, search: str = "", unit: Unit | None = None) -> QuerySet[User]:
    """The accounts of an organizer's subtree (the superuser: everyone), optionally of ``unit``'s subtree and
    matching ``search`` in 姓名, 账号 or 手机号; in tree order, then by name. One query (with the unit)."""
    if not scopes.is_organizer(user):
        return User.objects.none()
    people = scopes.scope_to_staff(User.objects.select_related("unit"), user, "unit")
    if unit is not None:
        people = people.filter(scopes.subtree_q(unit, "unit"))
    search = search.strip()
    if search:
        people = people.filter(
            Q(real_name__icontains=search) | Q(username__icontains=search) | Q(phone__icontains=search)
        )
    return people.order_by("unit__path", "real_name", "username", "pk")
