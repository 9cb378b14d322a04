from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quizzes.models import OPTION_LETTERS, Question, QuestionBank, QuestionKind

from .fields import FieldsBuiltOnce, IdField


class QuestionBankSerializer(FieldsBuiltOnce, serializers.ModelSerializer[QuestionBank]):
    unit_id = serializers.IntegerField(read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionBank
        fields = ["id", "name", "description", "unit_id", "question_count", "created_at"]


class QuestionBankInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    unit_id = IdField(required=False, help_text=_("默认为当前用户所在单位"))


class QuestionBankUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class BankTagSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    question_count = serializers.IntegerField(help_text=_("本题库中带此标签的试题数"))


class QuestionSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Question]):
    """A bank question as organizers see it, key included (never used for participants)."""

    tags: serializers.RelatedField[Any, Any, Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "kind",
            "stem",
            "options",
            "answer",
            "explanation",
            "legal_basis",
            "difficulty",
            "tags",
            "exclusion_group",
            "is_active",
            "updated_at",
        ]


class QuestionInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    stem = serializers.CharField(max_length=2000)
    options = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=len(OPTION_LETTERS), required=False, default=list
    )
    answer = serializers.ListField(child=serializers.CharField(max_length=1), max_length=len(OPTION_LETTERS))
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    difficulty = serializers.IntegerField(min_value=1, max_value=5, required=False, default=3)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    exclusion_group = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("同一题库中互斥组相同的试题不会出现在同一份试卷中"),
    )
    is_active = serializers.BooleanField(required=False, default=True)
