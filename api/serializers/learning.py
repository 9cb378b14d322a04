from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quizzes.models import PracticeRound, PracticeSet
from quizzes.services.learning import MAX_DAILY_QUESTIONS, MAX_ROUND_QUESTIONS

from .attempts import CitedArticleSerializer, OptionSerializer
from .fields import FieldsBuiltOnce, IdField

# --- Practice sets -------------------------------------------------------------------------------------------


class PracticeSetSerializer(FieldsBuiltOnce, serializers.ModelSerializer[PracticeSet]):
    """A practice set as a participant sees it."""

    bank_id = serializers.IntegerField(read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    tags = serializers.SerializerMethodField(help_text=_("开放练习的标签（章节）；空为题库的全部试题"))

    class Meta:
        model = PracticeSet
        fields = ["id", "title", "bank_id", "bank_name", "tags", "daily_count"]

    def get_tags(self, obj: PracticeSet) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class ManagedPracticeSetSerializer(PracticeSetSerializer):
    """A practice set as the organizers who manage it see it."""

    unit_id = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    audience_unit_ids = serializers.SerializerMethodField()

    class Meta(PracticeSetSerializer.Meta):
        fields = [
            *PracticeSetSerializer.Meta.fields,
            "unit_id",
            "unit_name",
            "audience_unit_ids",
            "is_open",
            "created_at",
        ]

    def get_audience_unit_ids(self, obj: PracticeSet) -> list[int]:
        return [unit.pk for unit in obj.audience_units.all()]


class PracticeSetInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    bank_id = IdField()
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        max_length=200,
        help_text=_("只开放这些标签（章节）的试题；省略或为空则开放整个题库"),
    )
    audience_unit_ids = serializers.ListField(child=IdField(), min_length=1, max_length=500)
    daily_count = serializers.IntegerField(min_value=0, max_value=MAX_DAILY_QUESTIONS, default=5)
    unit_id = IdField(required=False, help_text=_("主办单位；默认您的单位"))


class PracticeSetUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=200)
    audience_unit_ids = serializers.ListField(child=IdField(), required=False, min_length=1, max_length=500)
    daily_count = serializers.IntegerField(min_value=0, max_value=MAX_DAILY_QUESTIONS, required=False)
    is_open = serializers.BooleanField(required=False, help_text=_("false：停止开放练习"))


class TagProgressSerializer(serializers.Serializer[Any]):
    tag = serializers.CharField()
    questions = serializers.IntegerField(help_text=_("本标签可练习的试题数"))
    seen = serializers.IntegerField(help_text=_("练过的题数"))
    correct = serializers.IntegerField(help_text=_("答对过的题数"))


# --- Rounds and answers ------------------------------------------------------------------------------------------


class RoundStartSerializer(serializers.Serializer[Any]):
    tag = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text=_("按标签（章节）练习；省略为随机")
    )
    count = serializers.IntegerField(min_value=1, max_value=MAX_ROUND_QUESTIONS, default=10)


class BookRoundStartSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(min_value=1, max_value=MAX_ROUND_QUESTIONS, default=10)


class FeedbackSerializer(serializers.Serializer[Any]):
    answer = serializers.ListField(child=serializers.CharField(), help_text=_("正确答案"))
    explanation = serializers.CharField(help_text=_("解析"))
    legal_basis = serializers.CharField(help_text=_("法条依据"))
    articles = CitedArticleSerializer(
        many=True, help_text=_("法条依据所引条文的原文（法规库中有该法规时）；法规库中没有的不列出")
    )


class RoundQuestionSerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    options = OptionSerializer(many=True)
    hidden = serializers.BooleanField(help_text=_("true：此题属于您正在开放的考试，暂不能作答，也不显示答案"))
    answered = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField(), allow_null=True)
    correct = serializers.BooleanField(allow_null=True)
    feedback = FeedbackSerializer(allow_null=True, help_text=_("作答后：答案、解析和法条依据"))


class PracticeRoundSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PracticeRound.Kind.choices)
    practice_set_id = serializers.IntegerField(allow_null=True)
    tag = serializers.CharField(allow_null=True, help_text=_("本轮所练的标签（章节）；随机练习、错题本和每日一练为空"))
    day = serializers.DateField(allow_null=True, help_text=_("每日一练的日期"))
    started_at = serializers.DateTimeField()
    questions = RoundQuestionSerializer(many=True)


class RoundSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PracticeRound.Kind.choices)
    practice_set_id = serializers.IntegerField(allow_null=True)
    practice_set_title = serializers.CharField(source="practice_set__title", allow_null=True)
    tag = serializers.CharField(source="tag__name", allow_null=True)
    day = serializers.DateField(allow_null=True)
    started_at = serializers.DateTimeField()
    question_count = serializers.IntegerField()
    answered_count = serializers.IntegerField()
    correct_count = serializers.IntegerField()


class RoundPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RoundSummarySerializer(many=True)


class PracticeAnswerInputSerializer(serializers.Serializer[Any]):
    choices = serializers.ListField(child=serializers.CharField(max_length=1), min_length=1, max_length=8)


class BookStateSerializer(serializers.Serializer[Any]):
    wrong_count = serializers.IntegerField()
    right_streak = serializers.IntegerField(help_text=_("连续答对次数；连续答对 2 次即移出错题本"))
    retired = serializers.BooleanField()


class PracticeAnswerOutputSerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.CharField())
    correct = serializers.BooleanField()
    applied = serializers.BooleanField(help_text=_("false：本轮已答过此题，以第一次作答为准"))
    feedback = FeedbackSerializer()
    book = BookStateSerializer(allow_null=True, help_text=_("此题在错题本中的状态；null 表示不在错题本中"))


# --- The book -------------------------------------------------------------------------------------------------


class BookEntrySerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    options = OptionSerializer(many=True)
    choices = serializers.ListField(child=serializers.CharField(), help_text=_("您最近一次的错误答案"))
    wrong_count = serializers.IntegerField()
    right_streak = serializers.IntegerField()
    source = serializers.ChoiceField(choices=[("practice", _("练习")), ("exam", _("考试"))])  # type: ignore[assignment]
    exam_id = serializers.IntegerField(allow_null=True)
    last_wrong_at = serializers.DateTimeField()
    retired_at = serializers.DateTimeField(allow_null=True)
    hidden = serializers.BooleanField(help_text=_("true：此题属于您正在开放的考试，暂不显示答案"))
    feedback = FeedbackSerializer(allow_null=True)


class BookPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BookEntrySerializer(many=True)


class BookQuerySerializer(serializers.Serializer[Any]):
    retired = serializers.BooleanField(required=False, default=False, help_text=_("true：已移出错题本的题"))


class BookCountSerializer(serializers.Serializer[Any]):
    open = serializers.IntegerField(help_text=_("错题本中待练的题数"))
    retired = serializers.IntegerField(help_text=_("已移出（连续答对两次）的题数"))


# --- Daily questions --------------------------------------------------------------------------------------------


class CalendarQuerySerializer(serializers.Serializer[Any]):
    month = serializers.RegexField(
        r"^(20|21)\d{2}-(0[1-9]|1[0-2])$", required=False, help_text=_("月份，如 2026-11；默认本月")
    )


class CalendarDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    done = serializers.BooleanField()


class CalendarSerializer(serializers.Serializer[Any]):
    streak = serializers.IntegerField(help_text=_("连续完成每日一练的天数"))
    today_done = serializers.BooleanField()
    month = serializers.CharField()
    days = CalendarDaySerializer(many=True)


# --- Reach ----------------------------------------------------------------------------------------------------


class ReachQuerySerializer(serializers.Serializer[Any]):
    unit = IdField(required=False, help_text=_("只看此单位及其下级（须在您的范围内；默认您的单位）"))
    date_from = serializers.DateField(required=False, help_text=_("起始日期（含）；默认 30 天前"))
    date_to = serializers.DateField(required=False, help_text=_("截止日期（含）；默认今天"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("date_from", "date_to"):
            if attrs.get(name) and not 2000 <= attrs[name].year <= 2199:
                raise serializers.ValidationError({name: [_("日期须在 2000 年至 2199 年之间。")]})
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": [_("起始日期不能晚于截止日期。")]})
        return attrs


class ReachCountsSerializer(serializers.Serializer[Any]):
    people = serializers.IntegerField(help_text=_("练习人数"))
    rounds = serializers.IntegerField(help_text=_("练习人次（有作答的练习轮数）"))
    answered = serializers.IntegerField(help_text=_("答题数"))
    correct = serializers.IntegerField()
    accuracy = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text=_("正确率（%）"))


class ReachUnitSerializer(ReachCountsSerializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()


class ReachDaySerializer(ReachCountsSerializer):
    date = serializers.DateField()


class ReachSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total = ReachCountsSerializer()
    units = ReachUnitSerializer(many=True, help_text=_("各下级单位（含其下级）"))
    days = ReachDaySerializer(many=True)
