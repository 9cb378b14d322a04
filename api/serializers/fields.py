from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

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
        built = _once_per_class(type(self), "_fields_built_once", super().get_fields)  # type: ignore[misc]
        return {name: _copy_field(field) for name, field in built.items()}


def _once_per_class[T](cls: type, name: str, build: Callable[[], T]) -> T:
    """What ``build`` makes for ``cls`` itself (a subclass makes its own), kept on the class as ``name``: fields,
    plans. A race only builds it twice."""
    made: T | None = cls.__dict__.get(name)
    if made is None:
        made = build()
        setattr(cls, name, made)
    return made


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
        return _render(_once_per_class(cls, "_plain_plan", lambda: _plan_of(cls, top=True)), instance, self)


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


# For an input serializer of plain fields (whole numbers, texts, choices, booleans, lists of them): a request that
# sends every field in the form DRF would keep as it is (a whole number within the bounds, a text without
# surrounding blanks within its lengths, a known choice, a list of such) is checked by a plan made once per class,
# instead of DRF's walk over the fields (each bound anew, run through its validators one call at a time); anything
# else (a field missing, a number sent as text, a blank to trim, an error) goes through DRF's own walk, which
# then decides and words the errors.
#
# An autosave's input (``choices``, ``seq``) cost 450,000 of its 3.15 million instructions through DRF's walk
# (issue 9, callgrind). A field of another kind or with a validator of its own, a ``validate_<field>`` method or
# a dotted source makes the first validation fail loudly: such a serializer is not plain and must not use this.
# The result equals DRF's, which the tests check for each serializer that uses this
# (tests/api/test_plain_parsing.py). Serializer-wide validators and ``validate`` run as before.
class PlainParsing:
    def to_internal_value(self, data: Any) -> Any:
        cls = type(self)
        plan = _once_per_class(cls, "_parse_plan", lambda: _checks_of(cls))
        if type(data) is dict:
            out: dict[str, Any] = {}
            for name, key, check in plan:
                value = data.get(name, _ABSENT)
                kept = check(value)
                if kept is _ABSENT:
                    break
                out[key] = kept
            else:
                return out
        return super().to_internal_value(data)  # type: ignore[misc]

    def run_validators(self, value: Any) -> None:
        if self.validators:  # type: ignore[attr-defined]  # DRF's (the serializer's Meta.validators): as before
            super().run_validators(value)  # type: ignore[misc]
        # none: DRF's would only have built the fields to add read-only defaults for them


_Check = tuple[str, str, Any]  # field name, key in the validated data, check (the value kept, or _ABSENT)
_ABSENT: Any = object()
_SURROGATE = re.compile("[\ud800-\udfff]")
_LARGEST_PLAIN_INT = 10**18  # beyond, without a bound of the field's own: DRF decides (it turns the number to text)
_OWN_VALIDATORS: dict[type[serializers.Field[Any, Any, Any, Any]], tuple[type, ...]] = {
    serializers.IntegerField: (MinValueValidator, MaxValueValidator),
    serializers.CharField: (
        MaxLengthValidator,
        MinLengthValidator,
        ProhibitNullCharactersValidator,
        ProhibitSurrogateCharactersValidator,
    ),
    serializers.ListField: (MaxLengthValidator, MinLengthValidator),
    serializers.ChoiceField: (),
    serializers.BooleanField: (),
}


def _checks_of(cls: type) -> list[_Check]:
    checks: list[_Check] = []
    serializer = cls()
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if getattr(serializer, f"validate_{name}", None) is not None:
            raise TypeError(f"{cls.__name__}.{name}: a validate_{name} method is not plain parsing")
        if len(field.source_attrs) != 1:
            raise TypeError(f"{cls.__name__}.{name}: a dotted or '*' source is not plain parsing")
        checks.append((name, field.source_attrs[0], _check_of(f"{cls.__name__}.{name}", field)))
    return checks


def _drf_kind(field: Any) -> type[serializers.Field[Any, Any, Any, Any]]:
    """The DRF field class whose validation ``field`` runs unchanged (a subclass that only sets arguments, such
    as ``IdField``), or a TypeError."""
    for kind in _OWN_VALIDATORS:
        if isinstance(field, kind):
            for method in ("run_validation", "to_internal_value", "validate_empty_values", "get_value"):
                if getattr(type(field), method) is not getattr(kind, method):
                    break
            else:
                if all(isinstance(v, _OWN_VALIDATORS[kind]) for v in field.validators):
                    return kind
    raise TypeError(f"{type(field).__name__} is not a plain field")


def _check_of(where: str, field: Any) -> Any:
    """The check of one field: the value it keeps, or _ABSENT when DRF must decide. None, where the field allows it,
    is kept as DRF keeps it."""
    try:
        kind = _drf_kind(field)
    except TypeError as error:
        raise TypeError(f"{where}: {error}") from None
    check = _kind_check(where, kind, field)
    if not field.allow_null:
        return check
    return lambda value: None if value is None else check(value)


def _kind_check(where: str, kind: type, field: Any) -> Any:
    if kind is serializers.IntegerField:
        low = -_LARGEST_PLAIN_INT if field.min_value is None else field.min_value
        high = _LARGEST_PLAIN_INT if field.max_value is None else field.max_value
        return lambda value: value if type(value) is int and low <= value <= high else _ABSENT
    if kind is serializers.CharField:
        shortest = max(field.min_length or 0, 0 if field.allow_blank else 1)
        longest = field.max_length
        trim = field.trim_whitespace

        def text(value: Any) -> Any:
            if (
                type(value) is str
                and shortest <= len(value)
                and (longest is None or len(value) <= longest)
                and (not trim or value == value.strip())
                and "\x00" not in value
                and _SURROGATE.search(value) is None
            ):
                return value
            return _ABSENT

        return text
    if kind is serializers.ChoiceField:
        known = {key: value for key, value in field.choice_strings_to_values.items() if key != ""}
        return lambda value: known[value] if type(value) is str and value in known else _ABSENT
    if kind is serializers.BooleanField:
        return lambda value: value if type(value) is bool else _ABSENT
    item = _check_of(f"{where}[]", field.child)
    shortest = max(field.min_length or 0, 0 if field.allow_empty else 1)
    longest = field.max_length

    def items(value: Any) -> Any:
        if type(value) is list and shortest <= len(value) and (longest is None or len(value) <= longest):
            kept = [item(one) for one in value]
            return _ABSENT if any(one is _ABSENT for one in kept) else kept
        return _ABSENT

    return items
