"""Result lists and export filters for organizers and HR."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .fields import IdField


class UnitQuerySerializer(serializers.Serializer[Any]):
    unit = IdField(required=False, help_text=_("只看此单位及其下级（须在您的范围内；默认您的单位）"))


class ResultsExportQuerySerializer(UnitQuerySerializer):
    passed = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_("只要合格或不合格的"))
    submitted_from = serializers.DateField(required=False, help_text=_("交卷日期不早于（含）"))
    submitted_to = serializers.DateField(required=False, help_text=_("交卷日期不晚于（含）"))


class ResultsXlsxQuerySerializer(ResultsExportQuerySerializer):
    answers = serializers.BooleanField(required=False, default=False, help_text=_("加第三页：每人每题的作答"))


class LearningRecordsQuerySerializer(UnitQuerySerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2199, help_text=_("年度（按考试开始时间）"))


class UnitPersonSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()
    username = serializers.CharField(help_text=_("账号"))
    unit_name = serializers.CharField(source="unit__name", allow_null=True)
    status = serializers.SerializerMethodField(help_text=_("sat：已参考；absent：未参考"))
    status_label = serializers.SerializerMethodField(help_text=_("已参考 / 未参考"))
    score = serializers.DecimalField(source="counted__score", max_digits=8, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(source="counted__passed", allow_null=True)
    time_used_seconds = serializers.IntegerField(source="counted__time_used_seconds", allow_null=True)
    submitted_at = serializers.DateTimeField(source="counted__submitted_at", allow_null=True)

    def get_name(self, row: dict[str, Any]) -> str:
        return str(row["real_name"] or row["username"])

    def get_status(self, row: dict[str, Any]) -> str:
        return "absent" if row["counted__score"] is None else "sat"

    def get_status_label(self, row: dict[str, Any]) -> str:
        return str(_("未参考") if row["counted__score"] is None else _("已参考"))


class AbsenteeSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()
    username = serializers.CharField(help_text=_("账号"))
    phone = serializers.CharField()
    unit_name = serializers.CharField(source="unit__name", allow_null=True)

    def get_name(self, row: dict[str, Any]) -> str:
        return str(row["real_name"] or row["username"])


class UnitPeoplePageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = UnitPersonSerializer(many=True)


class AbsenteePageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AbsenteeSerializer(many=True)


class ResultRowSerializer(serializers.Serializer[Any]):
    """One person's counting result (``quizzes.results.ResultRow``)."""

    unit_name = serializers.CharField()
    name = serializers.CharField()
    username = serializers.CharField(help_text=_("账号"))
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    grade = serializers.CharField(help_text=_("等级（按考试的等级分段；无分段时为空）"))
    passed = serializers.BooleanField()
    time_used_seconds = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    attempt_count = serializers.IntegerField(help_text=_("已交卷次数"))
    rank = serializers.IntegerField(help_text=_("全考试排名（并列同名次）"))


class ResultPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResultRowSerializer(many=True)
