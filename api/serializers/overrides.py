"""Exam-day operations: per-person overrides and make-ups (补考)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quizzes.models import ExamOverride
from quizzes.services.overrides import MAX_EXTRA_SECONDS, MAX_PEOPLE

from .fields import ExamDateTimeField, IdField


class ExamOverrideSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    username = serializers.CharField(source="user.username")
    unit_name = serializers.CharField(source="user.unit.name", allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=ExamOverride.Kind.choices, help_text=_("override：个人调整；makeup：补考"))
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    extra_seconds = serializers.IntegerField()
    extra_attempts = serializers.IntegerField(help_text=_("个人调整：增加的次数；补考：补考次数"))
    reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_name(self, override: ExamOverride) -> str:
        return override.user.real_name or override.user.username


class ExamOverridePageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ExamOverrideSerializer(many=True)


class _PeopleInput(serializers.Serializer[Any]):
    user_ids = serializers.ListField(
        child=IdField(), required=False, allow_empty=False, max_length=MAX_PEOPLE, help_text=_("指定人员")
    )
    unit_id = IdField(required=False, help_text=_("此单位及其下级的参考人员（须在您的范围内）"))
    reason = serializers.CharField(max_length=200, help_text=_("原因（必填，记入审计日志）"))
    extra_seconds = serializers.IntegerField(min_value=0, max_value=MAX_EXTRA_SECONDS, default=0)


class ExamOverrideInputSerializer(_PeopleInput):
    """One person or a group (a list of people, or a unit's subtree, or both: the people of the list in it)."""

    opens_at = ExamDateTimeField(required=False, allow_null=True, default=None, help_text=_("个人开始时间"))
    closes_at = ExamDateTimeField(required=False, allow_null=True, default=None, help_text=_("个人结束时间"))
    extra_attempts = serializers.IntegerField(min_value=0, max_value=100, default=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "user_ids" not in attrs and "unit_id" not in attrs:
            raise serializers.ValidationError({"user_ids": [_("请指定人员或单位。")]})
        return attrs


class MakeupInputSerializer(_PeopleInput):
    """Who: the absentees and/or those who failed (of ``unit_id``'s subtree, of ``user_ids``), or exactly
    ``user_ids`` when neither filter is set."""

    absent = serializers.BooleanField(default=False, help_text=_("未参考的人员"))
    failed = serializers.BooleanField(default=False, help_text=_("计入成绩不合格的人员"))
    opens_at = ExamDateTimeField(help_text=_("补考开始时间"))
    closes_at = ExamDateTimeField(help_text=_("补考结束时间"))
    extra_attempts = serializers.IntegerField(min_value=1, max_value=10, default=1, help_text=_("补考次数"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs["absent"] or attrs["failed"] or "user_ids" in attrs):
            raise serializers.ValidationError({"absent": [_("请选择未参考、不合格，或指定人员。")]})
        return attrs


class OverrideDeleteQuerySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200, help_text=_("撤销原因（必填，记入审计日志）"))


class OverrideGrantResultSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ExamOverride.Kind.choices)
    count = serializers.IntegerField(help_text=_("获得调整或补考的人数"))
    user_ids = serializers.ListField(child=serializers.IntegerField())
