"""ModelSerializers build their fields from the model once per class (api.serializers.fields.FieldsBuiltOnce)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from api.serializers.accounts import MeSerializer, UnitSerializer
from api.serializers.exams import ExamSerializer
from api.serializers.fields import FieldsBuiltOnce

pytestmark = pytest.mark.django_db


def _model_serializers(root: type) -> list[type]:
    found = []
    for sub in root.__subclasses__():
        found += [sub, *_model_serializers(sub)]
    return found


def test_every_model_serializer_of_the_api_builds_its_fields_once():
    ours = [cls for cls in _model_serializers(serializers.ModelSerializer) if cls.__module__.startswith("api.")]
    assert ours and all(issubclass(cls, FieldsBuiltOnce) for cls in ours), [
        cls.__name__ for cls in ours if not issubclass(cls, FieldsBuiltOnce)
    ]


def test_each_instance_gets_its_own_copy_of_the_same_fields(people):
    first, second = MeSerializer(people.alice), MeSerializer(people.bob)
    assert list(first.fields) == list(second.fields)
    assert all(first.fields[name] is not second.fields[name] for name in list(first.fields.keys()))
    assert first.fields["unit"].parent is first and second.fields["unit"].parent is second
    assert first.data["username"] == people.alice.username and second.data["username"] == people.bob.username
    # the same fields as DRF builds them for every instance itself
    for cls in (MeSerializer, UnitSerializer, ExamSerializer):
        built, drf = cls().get_fields(), serializers.ModelSerializer.get_fields(cls())  # type: ignore[misc]
        assert {n: repr(f) for n, f in built.items()} == {n: repr(f) for n, f in drf.items()}


def test_binding_a_copy_leaves_the_built_fields_and_the_other_copies_alone(people):
    first, second = MeSerializer(people.alice), MeSerializer(people.bob)
    assert first.fields["username"].parent is first and second.fields["username"].parent is second
    built = MeSerializer.__dict__["_fields_built_once"]
    assert all(getattr(field, "parent", None) is None for field in built.values())  # never bound
    assert all(field.field_name is None for field in built.values())


def test_a_field_holding_another_is_copied_deeply_so_its_child_points_at_the_copy():
    from api.serializers.banks import QuestionSerializer

    first, second = QuestionSerializer(), QuestionSerializer()
    tags_first: Any = first.fields["tags"]
    tags_second: Any = second.fields["tags"]
    assert tags_first is not tags_second and tags_first.child_relation is not tags_second.child_relation
    assert tags_first.child_relation.parent is tags_first and tags_first.root is first


def test_a_list_of_plain_values_is_copied_with_its_own_child_and_validates_as_drf_builds_it():
    from rest_framework.exceptions import ValidationError

    from api.serializers.attempts import AnswerInputSerializer

    first, second = AnswerInputSerializer(), AnswerInputSerializer()
    choices_first: Any = first.fields["choices"]
    choices_second: Any = second.fields["choices"]
    assert choices_first is not choices_second and choices_first.child is not choices_second.child
    assert choices_first.child.parent is choices_first and choices_first.parent is first
    built = AnswerInputSerializer.__dict__["_fields_built_once"]["choices"]
    assert built.child.parent is built  # the built field's child is left bound to it
    for data, valid in [({"choices": ["A", "C"], "seq": 3}, True), ({"choices": ["AB"], "seq": 3}, False)]:
        ours = AnswerInputSerializer(data=data)
        assert ours.is_valid() is valid
        drf = serializers.Serializer.get_fields(AnswerInputSerializer())
        try:
            drf["choices"].run_validation(data["choices"])
            assert valid
        except ValidationError as error:
            assert not valid and ours.errors["choices"] == error.detail
