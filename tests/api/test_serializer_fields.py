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
