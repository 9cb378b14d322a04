"""What an organizer may act on in accounts: each ``access_*`` helper fetches it or raises a domain error.

As in ``quizzes.access``, an import outside the requester's scope looks the same as a missing one.
"""

from __future__ import annotations

from quizzes.errors import UnitNotAllowed

from . import scopes
from .errors import NoRosterUnit, PersonNotFound, RosterImportNotFound
from .models import RosterImport, Unit, User


def access_roster_unit(user: User) -> Unit:
    """The unit whose subtree the person's roster imports cover: their own unit (the superuser without a
    unit: the root, when the tree has exactly one)."""
    unit = scopes.staff_unit(user) if not user.is_superuser else user.unit
    if unit is None and user.is_superuser:
        roots = list(Unit.objects.filter(parent__isnull=True)[:2])
        unit = roots[0] if len(roots) == 1 else None
    if unit is None:
        raise NoRosterUnit()
    return unit


def access_roster_import(user: User, import_id: int) -> RosterImport:
    """A roster import into a unit of the organizer's subtree."""
    found = scopes.scope_to_staff(RosterImport.objects.select_related("unit"), user, "unit").filter(pk=import_id)
    batch = found.first()
    if batch is None:
        raise RosterImportNotFound()
    return batch


def access_person(user: User, person_id: int) -> User:
    """A person of the organizer's subtree (e.g. to lift their login lockout)."""
    person = scopes.scope_to_staff(User.objects.all(), user, "unit").filter(pk=person_id).first()
    if person is None:
        raise PersonNotFound()
    return person


def access_managed_unit(user: User, unit_id: int) -> Unit:
    """A unit of the organizer's subtree, their own unit included (the superuser: any unit)."""
    unit = scopes.scope_to_staff(Unit.objects.all(), user, "").filter(pk=unit_id).first()
    if unit is None or not scopes.is_organizer(user):
        raise UnitNotAllowed()
    return unit
