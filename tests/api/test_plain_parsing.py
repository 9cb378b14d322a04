"""``PlainParsing`` (api/serializers/fields.py): each input serializer that checks by its plan validates exactly as
DRF's own walk over the fields does (the data kept, or the errors), whatever a client sends, and a serializer that
is not plain cannot use it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.validators import RegexValidator
from rest_framework import serializers

from api.serializers import attempts as attempt_serializers
from api.serializers.fields import FieldsBuiltOnce, PlainParsing

PLAIN = [
    cls
    for module in (attempt_serializers,)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, PlainParsing) and cls.__module__ == module.__name__
]

# what a client may send for a field of each kind: the plain forms, the forms DRF converts, and wrong ones
SENT: dict[type, list[Any]] = {
    serializers.IntegerField: [0, 1, 5, 2**31 - 1, 2**31, -1, 10**30, "7", " 7", "7.0", 7.0, 7.5, True, None, "", []],
    serializers.CharField: ["A", "B", "Z", "", " ", " A", "A ", "AB", "\x00", "\ud800", 1, 1.5, True, None, ["A"]],
    serializers.ChoiceField: ["leave", "return", "Leave", "", " leave", 1, None, ["leave"], True],
    serializers.BooleanField: [True, False, None, "true", 1, 0, "", []],
    serializers.ListField: [
        [],
        ["A"],
        ["A", "B", "C", "D"],
        ["A"] * 8,
        ["A"] * 9,
        [" A"],
        ["AB"],
        [1],
        ["A", None],
        "A",
        ("A",),
        {"A": 1},
        None,
        [["A"]],
    ],
}
SENT[serializers.ListField] += [[value] for value in SENT[serializers.CharField]]  # each text as a list's item


def _sent_for(field: Any) -> list[Any]:
    for kind, values in SENT.items():
        if isinstance(field, kind):
            return values
    raise AssertionError(f"no sample inputs for {type(field).__name__}")


def drf(cls: type[serializers.Serializer[Any]], data: Any) -> tuple[bool, Any]:
    """What DRF's own validation gives: the plan switched off for the call."""
    saved = {name: cls.__dict__.get(name) for name in ("to_internal_value", "run_validators")}
    try:
        cls.to_internal_value = serializers.Serializer.to_internal_value  # type: ignore[method-assign]
        cls.run_validators = serializers.Serializer.run_validators  # type: ignore[method-assign]
        return validated(cls, data)
    finally:
        for name, own in saved.items():
            if own is None:
                delattr(cls, name)
            else:
                setattr(cls, name, own)


def validated(cls: type[serializers.Serializer[Any]], data: Any) -> tuple[bool, Any]:
    serializer = cls(data=data)
    if serializer.is_valid():
        value = serializer.validated_data
        return True, (value, {key: type(item) for key, item in value.items()})
    return False, serializer.errors


def cases(cls: type[serializers.Serializer[Any]]) -> list[Any]:
    """Every field's sample inputs, one field at a time beside plain values of the others, every pair of the first
    few, each field missing, an unknown key, and what is not an object at all."""
    fields = {name: field for name, field in cls().fields.items() if not field.read_only}
    base = {name: _sent_for(field)[1] for name, field in fields.items()}  # a plain value of each
    out: list[Any] = [base, {**base, "unknown": 1}, [], "text", None, [base], {}]
    for name, field in fields.items():
        out += [{**base, name: value} for value in _sent_for(field)]
        out.append({key: value for key, value in base.items() if key != name})
    names = list(fields)
    for first, second in itertools.combinations(names, 2):
        for a, b in itertools.product(_sent_for(fields[first])[:6], _sent_for(fields[second])[:6]):
            out.append({**base, first: a, second: b})
    return out


def test_the_hot_input_serializers_use_the_plan() -> None:
    assert {cls.__name__ for cls in PLAIN} >= {"AnswerInputSerializer", "PageLeaveInputSerializer"}


@pytest.mark.parametrize("cls", PLAIN, ids=lambda cls: cls.__name__)
def test_what_a_client_sends_is_validated_as_drf_validates_it(cls: type[serializers.Serializer[Any]]) -> None:
    checked = cases(cls)
    assert len(checked) > 50
    for data in checked:
        assert validated(cls, data) == drf(cls, data), data


def test_a_plain_request_is_checked_by_the_plan_and_the_rest_by_drf(monkeypatch: pytest.MonkeyPatch) -> None:
    cls = attempt_serializers.AnswerInputSerializer
    walked: list[Any] = []
    own = serializers.Serializer.to_internal_value

    def walk(self: Any, data: Any) -> Any:
        walked.append(data)
        return own(self, data)

    monkeypatch.setattr(serializers.Serializer, "to_internal_value", walk)
    assert validated(cls, {"choices": ["A", "C"], "seq": 12})[0] and walked == []
    assert validated(cls, {"choices": ["A"], "seq": "12"})[0] and walked == [{"choices": ["A"], "seq": "12"}]


def _not_plain(**fields: Any) -> type[serializers.Serializer[Any]]:
    return type("NotPlain", (PlainParsing, FieldsBuiltOnce, serializers.Serializer), {**fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"at": serializers.DateTimeField()},
        {"code": serializers.CharField(validators=[RegexValidator("^[A-Z]$")])},
        {"seq": serializers.IntegerField(source="attempt.seq")},
        {"nested": serializers.ListField(child=serializers.DecimalField(max_digits=4, decimal_places=1))},
        {"seq": serializers.IntegerField(), "validate_seq": lambda self, value: value},
    ],
    ids=["date-time", "own validator", "dotted source", "list of decimals", "validate method"],
)
def test_a_serializer_that_is_not_plain_cannot_use_the_plan(fields: dict[str, Any]) -> None:
    cls = _not_plain(**fields)
    with pytest.raises(TypeError, match="plain"):
        cls(data={"x": 1}).is_valid()


class _EveryKindNullable(PlainParsing, FieldsBuiltOnce, serializers.Serializer[Any]):
    seq = serializers.IntegerField(min_value=0, max_value=9, allow_null=True)
    code = serializers.CharField(max_length=1, allow_null=True)
    kind = serializers.ChoiceField(choices=[("leave", "离开"), ("return", "返回")], allow_null=True)
    choices = serializers.ListField(child=serializers.CharField(max_length=1), max_length=8, allow_null=True)
    flag = serializers.BooleanField(allow_null=True)


def test_every_kind_of_plain_field_and_a_null_it_allows_are_validated_as_drf_validates_them() -> None:
    checked = cases(_EveryKindNullable)
    assert {"seq": None, "code": "B", "kind": "return", "choices": ["A"], "flag": False} in checked
    for data in checked:
        assert validated(_EveryKindNullable, data) == drf(_EveryKindNullable, data), data
