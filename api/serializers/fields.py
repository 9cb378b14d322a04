from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

MAX_ID = 2**63 - 1  # PostgreSQL bigint and SQLite INTEGER


class IdField(serializers.IntegerField):
    """A primary key in input: a positive integer the database can hold (else a field error, not a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class ExamDateTimeField(serializers.DateTimeField):
    """A moment of an exam's window: a date-time within years 2000–2199.

    Earlier dates are no exam's, and before 1901 Asia/Shanghai has a local-mean-time offset (+08:05:43)
    that no RFC 3339 client can read back."""

    FIRST_YEAR, LAST_YEAR = 2000, 2199

    def to_internal_value(self, value: Any) -> Any:
        moment = super().to_internal_value(value)
        if not self.FIRST_YEAR <= moment.year <= self.LAST_YEAR:
            raise serializers.ValidationError(
                _("日期须在 %(first)s 年至 %(last)s 年之间。") % {"first": self.FIRST_YEAR, "last": self.LAST_YEAR}
            )
        return moment


# For a serializer: build its fields once per class, then hand each instance a copy.
#
# DRF rebuilds a ModelSerializer's fields from the model's metadata for every instance (field mapping, labels,
# unique validators); on ``GET /me`` that was a third of the request's CPU. A plain serializer deep-copies its
# declared fields for every instance: for the rows of a paper or a leaderboard, once per response, and for an
# autosave's input and output, on the hottest request of an exam. Each instance gets copies of the
# fields built once. A plain field is copied shallowly: binding it to its serializer only assigns attributes
# (name, parent, source), so the copy shares nothing that a request changes. DRF's own deep copy constructs
# every field again from its arguments, which cost more than the rest of ``GET /me``'s serializer. A list of
# plain values is copied with a copy of its child bound to it (an autosave's ``choices``: a tenth of the request
# when deep-copied). Another field that holds a field (a nested serializer, a list of serializers, a
# many-relation's child relation) is copied deeply, as DRF does: its child points back at its parent.
# Only for serializers whose fields depend on nothing but their class (no ``get_fields`` that reads the
# request or the instance).
# (A comment, not a docstring: drf-spectacular would take a mixin's docstring as the description of every
# serializer without one of its own, in the API schema.)
class FieldsBuiltOnce:
    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built: dict[str, Any] | None = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built_once = built  # type: ignore[attr-defined]  # a race only builds them twice
        return {name: _copy_field(field) for name, field in built.items()}


def _copy_field(field: serializers.Field[Any, Any, Any, Any]) -> serializers.Field[Any, Any, Any, Any]:
    if isinstance(field, serializers.ListField) and _is_plain(field.child):  # a list of plain values: both copied
        clone, child = _shallow(field), _shallow(field.child)
        # bound as ListField binds it (name "", source ""): only its parent is new
        child.parent = clone  # type: ignore[assignment]
        clone.child = child
        return clone
    if not _is_plain(field):
        return copy.deepcopy(field)
    return _shallow(field)


def _is_plain(field: Any) -> bool:
    """A field that holds no other field."""
    return not (
        isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation")
    )


def _shallow[F](field: F) -> F:
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


# For a serializer that renders plain data (dicts, or objects with plain attributes) through plain fields: its
# output built by a plan made once per class, instead of DRF's walk over the fields per instance.
#
# DRF's ``Serializer.to_representation`` asks every field, for every row, for its attribute (with the lookups
# and fallbacks that serve model instances and dotted sources) and then for its representation; on a start's
# paper or a submit's review of 25 questions that was a sixth of the request's CPU (issue 9's profile). The plan
# holds, per field, its key, what DRF does when the key is missing (the field's default, None if it allows
# null, left out if it is not required) and a converter: ``int`` and ``str`` for integer and text fields, the
# plan of a nested serializer (one, or a list), the field's own ``to_representation`` for the other plain fields
# (decimal, date-time, boolean, choice), and the serializer's own method for a method field of the serializer
# rendered, as DRF calls it. A field of another kind (a method field of a nested serializer, a relation, a dotted
# or ``*`` source) makes the first rendering fail loudly: such a serializer is not plain and must not use this.
# The output equals DRF's, which the tests check for each serializer that uses this (tests/api/test_plain_rendering.py).
class PlainRendering:
    def to_representation(self, instance: Any) -> dict[str, Any]:
        cls = type(self)
        plan: list[_Step] | None = cls.__dict__.get("_plain_plan")
        if plan is None:
            plan = _plan_of(cls, top=True)
            cls._plain_plan = plan  # type: ignore[attr-defined]  # a race only builds it twice
        return _render(plan, instance, self)


_Step = tuple[str, str, Any, Any]  # field name, key in the instance, what a missing key gives, converter
_SKIP = object()  # a missing key leaves the field out (not required, no default, no null)
_METHOD: Any = object()  # a method field of the serializer rendered (not of a nested one: it has no context of its own)
_PLAIN_OWN = (
    serializers.BigIntegerField,
    serializers.BooleanField,
    serializers.DecimalField,
    serializers.DateTimeField,
    serializers.FloatField,
    serializers.ChoiceField,
)


def _plan_of(cls: type, *, top: bool = False) -> list[_Step]:
    plan: list[_Step] = []
    for name, field in cls().fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.SerializerMethodField) and top:
            plan.append((name, _METHOD, None, field.method_name))  # called on the serializer rendered, as DRF does
            continue
        if len(field.source_attrs) != 1:
            raise TypeError(f"{cls.__name__}.{name}: a dotted or '*' source is not plain rendering")
        if field.default is not serializers.empty:
            missing: Any = ("default", field)
        elif field.allow_null:
            missing = None
        elif not field.required:
            missing = _SKIP
        else:
            missing = ("required", name)
        plan.append((name, field.source_attrs[0], missing, _converter(cls, name, field)))
    return plan


def _converter(cls: type, name: str, field: Any) -> Any:
    kind = type(field)
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.CharField:
        return str
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, PlainRendering):
        child_plan = _plan_of(type(field.child))
        return lambda rows: [_render(child_plan, row) for row in rows]
    if isinstance(field, PlainRendering):
        nested = _plan_of(kind)
        return lambda row: _render(nested, row)
    if kind is serializers.ListField:
        item = _converter(cls, f"{name}[]", field.child)
        return lambda values: [None if value is None else item(value) for value in values]
    if isinstance(field, _PLAIN_OWN) and not isinstance(field, serializers.BaseSerializer):
        return field.to_representation
    raise TypeError(f"{cls.__name__}.{name}: {kind.__name__} is not a plain field")


def _render(plan: list[_Step], instance: Any, serializer: Any = None) -> dict[str, Any]:
    mapping = isinstance(instance, dict)
    out: dict[str, Any] = {}
    for name, key, missing, convert in plan:
        if key is _METHOD:
            out[name] = getattr(serializer, convert)(instance)
            continue
        try:
            value = instance[key] if mapping else getattr(instance, key)
        except (KeyError, AttributeError):
            if missing is _SKIP:
                continue
            if isinstance(missing, tuple):
                reason, what = missing
                if reason == "required":
                    raise
                value = what.get_default()
            else:
                value = missing
        out[name] = None if value is None else convert(value)
    return out
