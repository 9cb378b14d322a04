"""An exam's statistics and item analysis for organizers and HR."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes import selectors_stats, statistics

from .results import UnitQuerySerializer

FLAG_MESSAGES = {
    statistics.LIKELY_WRONG_KEY_OR_TOO_HARD: _("得分率低于 0.3：答案可能有误，或题目过难。"),
    statistics.AMBIGUOUS_OR_MISKEYED: _("区分度低于 20：题目可能有歧义，或答案有误。"),
}


class ExamStatsQuerySerializer(UnitQuerySerializer):
    attempts = serializers.ChoiceField(
        choices=selectors_stats.ATTEMPT_SETS,
        default=selectors_stats.FIRST,
        help_text=_("统计哪些答卷：first 每人第一次（默认）；counted 每人计分的一次；all 全部已交答卷"),
    )


class GradeCountSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text=_("等级名称"))
    min = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("该等级的最低百分比"))
    count = serializers.IntegerField()


class RegradeLinkSerializer(serializers.Serializer[Any]):
    method = serializers.CharField()
    path = serializers.CharField(help_text=_("重新判分操作的路径（仅主办单位的组织者可调用）"))
    body = serializers.DictField(child=serializers.IntegerField(), help_text=_('{"question_id": 试题编号}'))


class ItemFlagSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=list(FLAG_MESSAGES), help_text=_("提示代码"))
    message = serializers.SerializerMethodField()
    regrade = serializers.SerializerMethodField()

    def get_message(self, flag: dict[str, Any]) -> str:
        return str(FLAG_MESSAGES[flag["code"]])

    @extend_schema_field(RegradeLinkSerializer)
    def get_regrade(self, flag: dict[str, Any]) -> dict[str, Any]:
        return {
            "method": "POST",
            "path": reverse("exam-regrade", kwargs={"exam_id": flag["exam_id"]}),
            "body": {"question_id": flag["question_id"]},
        }


class ItemStatsSerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    bank_id = serializers.IntegerField(help_text=_("试题所在的题库（在题库中改正答案后再重新判分）"))
    kind = serializers.CharField(help_text=_("single、multiple、judge"))
    stem = serializers.CharField(help_text=_("题干摘要"))
    answer = serializers.ListField(child=serializers.CharField(), help_text=_("题库中当前的答案"))
    points = serializers.DecimalField(max_digits=6, decimal_places=2, help_text=_("该题满分"))
    attempts = serializers.IntegerField(help_text=_("试卷中有此题的答卷数"))
    facility = serializers.FloatField(allow_null=True, help_text=_("得分率：平均得分 ÷ 满分（0–1）"))
    discrimination = serializers.FloatField(
        allow_null=True, help_text=_("区分度：本题得分与其余各题总分的相关系数 × 100；得分无差异时为 null")
    )
    choices = serializers.DictField(child=serializers.IntegerField(), help_text=_("各选项被选的次数"))
    skipped = serializers.IntegerField(help_text=_("未作答的次数"))
    flags = serializers.SerializerMethodField()

    @extend_schema_field(ItemFlagSerializer(many=True))
    def get_flags(self, item: selectors_stats.ItemStats) -> list[dict[str, Any]]:
        exam_id = self.context["exam_id"]
        flags = [{"code": code, "exam_id": exam_id, "question_id": item.question_id} for code in item.flags]
        return list(ItemFlagSerializer(flags, many=True).data)


class ExamStatsSerializer(serializers.Serializer[Any]):
    exam_id = serializers.SerializerMethodField()
    unit_id = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    attempts = serializers.CharField(source="attempt_set", help_text=_("first、counted 或 all"))
    attempt_count = serializers.IntegerField(help_text=_("统计的答卷数"))
    histogram = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("按百分比分 10 段的答卷数：0–10、10–20……90–100（含 100）")
    )
    grades = GradeCountSerializer(many=True)
    passed = serializers.IntegerField(help_text=_("合格的答卷数"))
    pass_rate = serializers.FloatField(allow_null=True, help_text=_("合格率（%）"))
    mean_score = serializers.FloatField(allow_null=True)
    median_score = serializers.FloatField(allow_null=True)
    stdev_score = serializers.FloatField(allow_null=True, help_text=_("样本标准差（n − 1）"))
    mean_time_used_seconds = serializers.FloatField(allow_null=True)
    items = serializers.SerializerMethodField()

    def get_exam_id(self, stats: selectors_stats.ExamStats) -> int:
        return int(self.context["exam_id"])

    @extend_schema_field(ItemStatsSerializer(many=True))
    def get_items(self, stats: selectors_stats.ExamStats) -> list[dict[str, Any]]:
        return list(ItemStatsSerializer(stats.items, many=True, context=self.context).data)
