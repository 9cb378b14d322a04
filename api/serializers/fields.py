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
# every field again from its arguments, which cost more than the rest of ``GET /me``'s serializer. A field
# that holds another field (a nested serializer, a list's child, a many-relation's child relation) is
# copied deeply, as DRF does: its child points back at its parent.
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
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone
