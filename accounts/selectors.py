"""Reads of accounts: the people an organizer manages (scopes come from ``accounts.scopes``), and the signed-in
person as authentication reads them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from quizzes import rawsql

from . import scopes
from .models import Unit, User


def person_with_unit(key: Any, *, by_username: bool = False) -> User | None:
    """The person whose pk is ``key`` (or whose username is exactly ``key``) with their unit, as
    ``User.objects.select_related("unit")`` loads them; None when there is none. One indexed read, written out
    (``quizzes.rawsql``): authentication runs it for every person not in the cache (``usercache``: after each login's
    short keep, then every ``TTL``, so about one request in five at an exam's steady autosaves) and at every login,
    and building it with the ORM cost 0.67 ms of CPU against 0.11 ms (in process, PostgreSQL, December 2026)."""
    if key is None:
        return None
    q = connection.ops.quote_name
    column = rawsql.column_of(User, User.USERNAME_FIELD if by_username else "id")
    sql = (
        f"SELECT {rawsql.select_columns(User, 'u')}, {rawsql.select_columns(Unit, 'n')} "
        f"FROM {q(User._meta.db_table)} u LEFT JOIN {q(Unit._meta.db_table)} n "
        f"ON n.{rawsql.column_of(Unit, 'id')} = u.{rawsql.column_of(User, 'unit')} WHERE u.{column} = %s"
    )
    with connection.cursor() as cursor:
        # the value as the ORM's lookup would prepare it (a session holds the pk as text)
        cursor.execute(sql, [str(key) if by_username else User._meta.pk.to_python(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(User._meta.concrete_fields)
    person = rawsql.instance_from_row(User, row[:split])
    # as select_related leaves it: the unit loaded, or None for a person without one (no query either way)
    person._state.fields_cache["unit"] = None if row[split] is None else rawsql.instance_from_row(Unit, row[split:])
    return person


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
