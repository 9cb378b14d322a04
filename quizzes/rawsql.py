"""Statements of the hottest requests written out, and the ORM's conversions for what they read.

On an exam's opening, building a query with the ORM costs several times the CPU of running it (issue 9's
profiles: 1.27 ms to build an autosave's read that runs in 0.20 ms). The services keep the ORM everywhere
else; the few statements an exam's start, autosave and submit run on every request are written out with
these helpers, for PostgreSQL and SQLite alike, and read back exactly as the ORM would give them.

- ``value_from_db`` / ``instance_from_row``: a column's raw value, or a model's row, converted by the
  backend's and the field's converters, as a queryset would.
- ``select_columns``: a model's concrete columns, for a written-out SELECT whose rows ``instance_from_row``
  turns into instances.
- ``packed_rows`` / ``rows_of_packed``: many rows sent as one parameter, a JSON array taken apart by the
  database (PostgreSQL's ``jsonb_array_elements``, SQLite's ``json_each``). The statement's text is the same
  whatever the number of rows, and nothing is adapted value by value: a paper's 25 rows cost a sixth of
  ``bulk_create``'s CPU.
- ``planned_each_time``: statements that PostgreSQL must plan for their own parameters, never prepared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model

type Converter = Any


@cache
def _converters(model: type[Model], name: str, vendor: str) -> tuple[Converter, ...]:
    field: Any = model._meta.get_field(name)
    column = field.get_col(model._meta.db_table)
    return tuple((c, column) for c in [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)])


@cache
def _row_converters(model: type[Model], vendor: str) -> tuple[tuple[int, tuple[Converter, ...]], ...]:
    """The converters of each of ``model``'s concrete columns that has any, by position."""
    found = ((i, _converters(model, field.name, vendor)) for i, field in enumerate(model._meta.concrete_fields))
    return tuple((i, converters) for i, converters in found if converters)


@cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _convert(value: Any, converters: tuple[Converter, ...], db: Any) -> Any:
    for converter, column in converters:
        value = converter(value, column, db)
    return value


def value_from_db(model: type[Model], name: str, value: Any) -> Any:
    """A column's raw value as the ORM would give it: the backend's converters, then the field's own."""
    db = connections[DEFAULT_DB_ALIAS]
    return _convert(value, _converters(model, name, db.vendor), db)


def rows_from_db(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows of raw values of ``model``'s fields ``names`` (in this order; a row may hold more values after them),
    converted as the ORM would give them; only the columns that have converters are touched."""
    db = connections[DEFAULT_DB_ALIAS]
    converting = [
        (i, converters) for i, name in enumerate(names) if (converters := _converters(model, name, db.vendor))
    ]
    result = []
    for row in rows:
        values = list(row)
        for i, converters in converting:
            values[i] = _convert(values[i], converters, db)
        result.append(values)
    return result


def column_of(model: type[Model], name: str) -> str:
    """The quoted column of ``model``'s field ``name``."""
    return _column(model, name, connection.vendor)


@cache
def _column(model: type[Model], name: str, vendor: str) -> str:
    field: Any = model._meta.get_field(name)
    return connection.ops.quote_name(field.column)


def select_columns(model: type[Model], alias: str) -> str:
    """``alias.column, …`` for each concrete field of ``model``, in the order ``instance_from_row`` takes."""
    return _select_columns(model, alias, connection.vendor)


@cache
def _select_columns(model: type[Model], alias: str, vendor: str) -> str:
    return ", ".join(f"{alias}.{column_of(model, field.name)}" for field in model._meta.concrete_fields)


def instance_from_row[M: Model](model: type[M], row: Sequence[Any]) -> M:
    """An instance of ``model`` from the values of ``select_columns(model, …)``, as a queryset would load it."""
    db = connections[DEFAULT_DB_ALIAS]
    values = list(row)
    if len(values) != len(model._meta.concrete_fields):
        raise ValueError(f"{model.__name__}: {len(values)} values for {len(model._meta.concrete_fields)} columns")
    for i, converters in _row_converters(model, db.vendor):
        values[i] = _convert(values[i], converters, db)
    return model.from_db(db.alias, _attnames(model), values)


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, datetime):  # as the backend stores it, in full (DjangoJSONEncoder keeps milliseconds only)
            adapted = connection.ops.adapt_datetimefield_value(o)
            return adapted.isoformat() if isinstance(adapted, datetime) else adapted
        return super().default(o)


def packed_rows(rows: Sequence[Sequence[Any]]) -> str:
    """Rows as the one parameter of ``rows_of_packed``: decimals as text, date-times as the backend stores them
    (SQLite compares its date-time text as text)."""
    return json.dumps(rows, ensure_ascii=False, cls=_Encoder)


def rows_of_packed(types: Sequence[str], names: Sequence[str] = (), alias: str = "r") -> str:
    """``<one value per type> FROM <the packed rows> AS alias``, with one ``%s`` for ``packed_rows(…)``; each
    value named as ``names`` says, when given.

    ``types`` name each element's SQL type: ``json`` (kept as JSON, for a JSONField), ``text``, or a type to
    cast to on PostgreSQL (``bigint``, ``integer``, ``numeric``, ``boolean``, ``timestamptz``). SQLite takes
    each value as JSON gives it (an array or object as its JSON text, as a JSONField stores it)."""
    if connection.vendor == "postgresql":
        values = [
            f"{alias}->{i}" if kind == "json" else f"{alias}->>{i}" if kind == "text" else f"({alias}->>{i})::{kind}"
            for i, kind in enumerate(types)
        ]
        source = f"jsonb_array_elements(%s::jsonb) AS {alias}"
    else:
        values = [f"json_extract({alias}.value, '$[{i}]')" for i in range(len(types))]
        source = f"json_each(%s) AS {alias}"
    if names:
        q = connection.ops.quote_name
        values = [f"{value} AS {q(name)}" for value, name in zip(values, names, strict=True)]
    return f"{', '.join(values)} FROM {source}"


def instances[M: Model](
    model: type[M],
    *,
    order_by: Sequence[str] = (),
    in_ids: Sequence[int] | None = None,
    **equal: Any,
) -> list[M]:
    """``model.objects.filter(**equal)`` (fields equal to values; ``in_ids``: primary keys among these) in the
    order of ``order_by``'s fields: the same instances, from a written-out SELECT of all its columns."""
    q = connection.ops.quote_name
    where = [f"t.{column_of(model, name)} = %s" for name in equal]
    params: list[Any] = list(equal.values())
    if in_ids is not None:  # PostgreSQL: an array, which its planner reads through the primary key's index
        pk = f"t.{column_of(model, 'id')}"
        if connection.vendor == "postgresql":
            where.append(f"{pk} = ANY(%s)")
            params.append([int(pk_value) for pk_value in in_ids])
        else:
            where.append(f"{pk} IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps([int(pk_value) for pk_value in in_ids]))
    sql = f"SELECT {select_columns(model, 't')} FROM {q(model._meta.db_table)} t WHERE {' AND '.join(where) or '1 = 1'}"
    if order_by:
        sql += " ORDER BY " + ", ".join(f"t.{column_of(model, name)}" for name in order_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [instance_from_row(model, row) for row in cursor.fetchall()]


def lock(model: type[Model], pk: int) -> bool:
    """Lock ``model``'s row ``pk`` until the transaction ends (``select_for_update()``; SQLite has one writer at
    a time and takes no row lock), reading nothing but its key. Whether the row exists."""
    q = connection.ops.quote_name
    sql = f"SELECT {column_of(model, 'id')} FROM {q(model._meta.db_table)} WHERE {column_of(model, 'id')} = %s"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone() is not None


def insert[M: Model](instance: M) -> M:
    """``instance.save()`` of a new row with an automatic primary key, written out: one INSERT of its concrete
    fields (each prepared as the ORM prepares it, defaults included), the new key read back. No signals are sent:
    only for models that have no receivers and no audit."""
    db = connections[DEFAULT_DB_ALIAS]
    meta = instance._meta
    q = db.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    params = [field.get_db_prep_save(field.pre_save(instance, add=True), db) for field in fields]
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(column_of(type(instance), field.name) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {column_of(type(instance), meta.pk.name)}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        (instance.pk,) = cursor.fetchone()
    instance._state.adding, instance._state.db = False, db.alias
    return instance


def update(instance: Model, fields: Sequence[str]) -> None:
    """``instance.save(update_fields=fields)``, written out: one UPDATE of those fields by primary key, each
    prepared as the ORM prepares it. No signals are sent: only for models that have no receivers and no audit."""
    db = connections[DEFAULT_DB_ALIAS]
    meta = instance._meta
    model = type(instance)
    chosen = [meta.get_field(name) for name in fields]
    params: list[Any] = [field.get_db_prep_save(getattr(instance, field.attname), db) for field in chosen]  # type: ignore[union-attr]
    assignments = ", ".join(f"{column_of(model, field.name)} = %s" for field in chosen)
    with db.cursor() as cursor:
        cursor.execute(
            f"UPDATE {db.ops.quote_name(meta.db_table)} SET {assignments} WHERE {column_of(model, meta.pk.name)} = %s",
            [*params, instance.pk],
        )


@contextmanager
def planned_each_time() -> Iterator[None]:
    """Statements run inside are planned by PostgreSQL for their own parameters every time: psycopg prepares none
    of them, whatever ``DATABASE_PREPARE_THRESHOLD`` says (the connection's setting is restored after).

    For the aggregates over a unit's subtree (``path LIKE '0001%'``). A prepared statement is planned for its
    parameters five times, then PostgreSQL may keep one generic plan for any parameters, and a generic plan cannot
    know how many units a pattern matches: it guessed one, and nested its loops over the units. The unit ranking
    of a city of 120,000 people then took 540 ms instead of 42 ms a computation, on every app worker's
    long-lived connection (issue 9, December 2026). Planning them costs PostgreSQL about half a millisecond."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    psycopg_connection: Any = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = None
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = threshold
