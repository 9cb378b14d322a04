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
    is_makeup = serializers.BooleanField(
        source="counted__is_makeup", allow_null=True, help_text=_("计入成绩的是补考答卷；未参考为 null")
    )
    leave_count = serializers.IntegerField(
        source="counted__leave_count", allow_null=True, help_text=_("计入成绩的答卷离开页面（切屏）的次数")
    )

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


class LiveCountsSerializer(serializers.Serializer[Any]):
    exam_id = serializers.SerializerMethodField()
    unit_id = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    kind = serializers.ChoiceField(choices=["roster", "open"], help_text=_("roster：名册考试；open：开放竞赛"))
    headcount = serializers.IntegerField(help_text=_("应考：本单位及下级名册上的人数（与未参考名单同口径）"))
    started = serializers.IntegerField(help_text=_("已开始作答的人数（含已交卷）"))
    in_progress = serializers.IntegerField(help_text=_("正在作答的人数：有未交的答卷且未过截止时间和宽限"))
    submitted = serializers.IntegerField(help_text=_("已交卷的人数（参考）"))
    attempts = serializers.IntegerField(help_text=_("已交答卷数（人次）"))
    absent = serializers.IntegerField(help_text=_("未参考的名册人数：未参考名单的人数"))
    participation_rate = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=_("参考率（%）：名册上已交卷的人数 ÷ 应考")
    )
    server_now = serializers.DateTimeField(source="now", help_text=_("统计的时刻（最多缓存几秒）"))

    def get_exam_id(self, counts: Any) -> int:
        return int(self.context["exam_id"])


class PageLeaveRowSerializer(serializers.Serializer[Any]):
    attempt_id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField(help_text=_("第几次作答"))
    status = serializers.CharField(help_text=_("in_progress、submitted、timed_out 或 left_page（切屏超限自动交卷）"))
    leave_count = serializers.IntegerField(help_text=_("离开答题页面的次数"))
    is_makeup = serializers.BooleanField()
    last_left_at = serializers.DateTimeField(allow_null=True, help_text=_("最近一次离开的时间（服务器时间）"))
    user_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    username = serializers.CharField(source="user__username")
    unit_name = serializers.CharField(source="user__unit__name", allow_null=True)

    def get_name(self, row: dict[str, Any]) -> str:
        return str(row["user__real_name"] or row["user__username"])


class PageLeavePageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PageLeaveRowSerializer(many=True)


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
