"""Who may see what: the one place where unit scopes are decided.

Every queryset an API view returns goes through one of these functions, so that an organizer or HR
person of one town never reads another town's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet

from .models import PATH_STEP, Unit, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def is_organizer(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == User.Role.ORGANIZER))


def is_results_reader(user: User | AnonymousUser) -> bool:
    """Organizers and HR read results, statistics and exports of their subtree."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in {User.Role.ORGANIZER, User.Role.HR}))


def ancestor_paths(unit: Unit) -> list[str]:
    """Paths of ``unit`` and all of its ancestors, root first."""
    return [unit.path[:end] for end in range(PATH_STEP, len(unit.path) + 1, PATH_STEP)]


def subtree_q(unit: Unit, field: str = "") -> Q:
    """A filter for rows whose unit (reached through ``field``) lies in ``unit``'s subtree."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: unit.path})


def staff_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Units whose data an organizer or HR person may read: their own unit's subtree."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    if user.role in {User.Role.ORGANIZER, User.Role.HR} and user.unit is not None:
        return Unit.objects.filter(subtree_q(user.unit))
    return Unit.objects.none()


def scope_to_staff[M: Model](queryset: QuerySet[M], user: User | AnonymousUser, unit_field: str) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``unit_field`` lies in the staff member's subtree."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role in {User.Role.ORGANIZER, User.Role.HR} and user.unit is not None:
        return queryset.filter(subtree_q(user.unit, unit_field))
    return queryset.none()


def staff_can_reach_unit(user: User | AnonymousUser, unit: Unit | None) -> bool:
    if not user.is_authenticated or unit is None:
        return bool(user.is_authenticated and user.is_superuser)
    if user.is_superuser:
        return True
    if user.role in {User.Role.ORGANIZER, User.Role.HR} and user.unit is not None:
        return unit.is_within(user.unit)
    return False


def can_manage_site(user: User | AnonymousUser) -> bool:
    """Site-wide switches belong to the superuser and organizers of a root unit."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or (is_organizer(user) and user.unit is not None and user.unit.parent_id is None))
    )
