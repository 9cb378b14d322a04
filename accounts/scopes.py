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


def roster_person_q(prefix: str = "") -> Q:
    """Active participant accounts on the roster (名册上的在职参考人员); ``prefix`` reaches the user from
    the queried model (``"user__"``)."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}role": User.Role.PARTICIPANT, f"{prefix}is_on_roster": True})


def staff_unit(user: User | AnonymousUser) -> Unit | None:
    """The unit whose subtree a staff member (organizer or HR, not superuser) reaches; None for everyone else.

    The one place that decides "staff with a unit": superusers reach everything and are handled by the
    callers; participants, staff without a unit and anonymous users reach nothing.
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    if user.role in {User.Role.ORGANIZER, User.Role.HR}:
        return user.unit
    return None


def staff_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Units whose data an organizer or HR person may read: their own unit's subtree."""
    return scope_to_staff(Unit.objects.all(), user, "")


def scope_to_staff[M: Model](queryset: QuerySet[M], user: User | AnonymousUser, unit_field: str) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``unit_field`` (empty: the row itself is a unit) lies in the staff
    member's subtree; the superuser reads everything, everyone else nothing."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    unit = staff_unit(user)
    if unit is None:
        return queryset.none()
    return queryset.filter(subtree_q(unit, unit_field))


def can_manage_site(user: User | AnonymousUser) -> bool:
    """Site-wide switches belong to the superuser and organizers of a root unit."""
    if user.is_authenticated and user.is_superuser:
        return True
    unit = staff_unit(user)
    return bool(is_organizer(user) and unit is not None and unit.parent_id is None)
