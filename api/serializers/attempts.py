from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quizzes.models import PageLeave

from .fields import FieldsBuiltOnce, PlainParsing, PlainRendering


class OptionSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    letter = serializers.CharField(help_text=_("原始选项字母；作答时提交此值（显示时按顺序重新标注 A、B、C…）"))
    text = serializers.CharField()


class SavedAnswerSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    choices = serializers.ListField(child=serializers.CharField())
    seq = serializers.IntegerField()
    saved_at = serializers.DateTimeField()


class FrozenQuestionSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    """A question as frozen into an attempt's paper, without its key."""

    question_id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    options = OptionSerializer(many=True)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class PaperQuestionSerializer(FrozenQuestionSerializer):
    saved = SavedAnswerSerializer(allow_null=True)


class CitedArticleSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    """One article that the question's legal basis cites, as the law-text library holds it."""

    law = serializers.CharField(help_text=_("法规名称，如《中华人民共和国民法典》"))
    edition = serializers.CharField(help_text=_("版本"))
    heading = serializers.CharField(help_text=_("条标，如第十七条"))
    chapter = serializers.CharField(help_text=_("所在编、章、节"))
    text = serializers.CharField(help_text=_("条文；各款以换行分隔"))


class ReviewQuestionSerializer(FrozenQuestionSerializer):
    answer = serializers.ListField(child=serializers.CharField(), help_text=_("正确答案"))
    explanation = serializers.CharField()
    legal_basis = serializers.CharField()
    articles = CitedArticleSerializer(
        many=True, help_text=_("法条依据所引条文的原文（法规库中有该法规时）；法规库中没有的不列出")
    )
    choices = serializers.ListField(child=serializers.CharField())
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    correct = serializers.BooleanField()


class ResultSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    grade = serializers.CharField()
    passed = serializers.BooleanField()
    time_used_seconds = serializers.IntegerField()
    is_counted = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    ranked_count = serializers.IntegerField()
    review_available = serializers.BooleanField()


class AttemptSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    """One attempt. While in progress: the paper without keys. Once finalised: result, rank and, as the
    exam's review policy allows, the review."""

    id = serializers.IntegerField()
    exam_id = serializers.IntegerField()
    exam_title = serializers.CharField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    grace_seconds = serializers.IntegerField()
    server_now = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    is_makeup = serializers.BooleanField(help_text=_("补考"))
    leave_count = serializers.IntegerField(help_text=_("已记录的离开答题页面次数"))
    leave_seq = serializers.IntegerField(help_text=_("已记录的最大切屏报告序号；新报告的序号须大于它"))
    leave_limit = serializers.IntegerField(allow_null=True, help_text=_("切屏次数上限，超过即自动交卷；null 为只记录"))
    questions = PaperQuestionSerializer(many=True, required=False)
    result = ResultSerializer(required=False, allow_null=True)
    review = ReviewQuestionSerializer(many=True, required=False, allow_null=True)


class AnswerInputSerializer(PlainParsing, FieldsBuiltOnce, serializers.Serializer[Any]):
    choices = serializers.ListField(child=serializers.CharField(max_length=1), max_length=8, allow_empty=True)
    seq = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class AnswerOutputSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.CharField())
    seq = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    applied = serializers.BooleanField(help_text=_("false: 序号不大于已保存的序号，本次保存被忽略"))


class PageLeaveInputSerializer(PlainParsing, FieldsBuiltOnce, serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=PageLeave.Kind.choices, help_text=_("leave：页面被隐藏；return：页面恢复显示")
    )
    seq = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("本次答卷内递增的序号；不大于已记录序号的报告被忽略（重试安全）")
    )


class PageLeaveOutputSerializer(PlainRendering, FieldsBuiltOnce, serializers.Serializer[Any]):
    applied = serializers.BooleanField(help_text=_("false：序号不大于已记录的序号，本次报告被忽略"))
    leave_count = serializers.IntegerField()
    leave_limit = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text=_("答卷状态；left_page 表示切屏超限已自动交卷"))
