from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes import leaderboards, selectors
from quizzes.models import Attempt, Exam, QuestionKind
from quizzes.ranking import UNIT_ORDER_KEYS
from quizzes.services.exams import MAX_DRAW_RULES, MAX_FIXED_QUESTIONS, MAX_PAPER_QUESTIONS

from ..links import participant_url
from ..renderers import dumps
from .fields import ExamDateTimeField, FieldsBuiltOnce, IdField


class MyAttemptSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Attempt]):
    class Meta:
        model = Attempt
        fields = [
            "id",
            "number",
            "status",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "is_counted",
            "is_makeup",
        ]


class MySittingSerializer(serializers.Serializer[Any]):
    makeup = serializers.BooleanField(help_text=_("true：这是您的补考时间"))
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    time_limit_seconds = serializers.IntegerField()
    attempts_left = serializers.IntegerField(allow_null=True)


class ExamSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Exam]):
    """An exam as anyone allowed to see it sees it: rules and window, never the paper's content."""

    unit_id = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    my_attempts = serializers.SerializerMethodField()
    attempts_left = serializers.SerializerMethodField(
        help_text=_("请求者还可开始的答卷次数；null 表示不限次数（不考虑开放时间）")
    )
    my_sitting = serializers.SerializerMethodField(
        help_text=_("请求者本人的考试时间（个人调整或补考）；null 表示按考试本身的时间、限时和次数")
    )

    class Meta:
        model = Exam
        fields = [
            "id",
            "title",
            "description",
            "unit_id",
            "unit_name",
            "is_public",
            "opens_at",
            "closes_at",
            "time_limit_seconds",
            "grace_seconds",
            "max_attempts",
            "counting_policy",
            "pass_percent",
            "grade_bands",
            "multiple_scoring",
            "score_step",
            "review_policy",
            "leaderboard_names",
            "shuffle_questions",
            "shuffle_options",
            "composition",
            "leave_limit",
            "status",
            "my_attempts",
            "attempts_left",
            "my_sitting",
        ]

    @extend_schema_field(MyAttemptSerializer(many=True))
    def get_my_attempts(self, exam: Exam) -> list[dict[str, Any]]:
        attempts = getattr(exam, "my_attempts", [])
        return MyAttemptSerializer(attempts, many=True).data  # type: ignore[return-value]

    def _my_sitting(self, exam: Exam) -> selectors.MySitting | None:
        return selectors.my_sitting(exam=exam)  # no query: from the prefetched overrides and attempts

    def get_attempts_left(self, exam: Exam) -> int | None:
        sitting = self._my_sitting(exam)
        if sitting is not None:
            return sitting.attempts_left
        return selectors.exam_attempts_left(exam=exam, attempts_taken=len(getattr(exam, "my_attempts", [])))

    @extend_schema_field(MySittingSerializer(allow_null=True))
    def get_my_sitting(self, exam: Exam) -> dict[str, Any] | None:
        sitting = self._my_sitting(exam)
        return None if sitting is None else dict(MySittingSerializer(sitting).data)


class FixedQuestionEntrySerializer(serializers.Serializer[Any]):
    question_id = serializers.IntegerField()
    position = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class DrawRuleEntrySerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    bank_id = serializers.IntegerField()
    tag = serializers.CharField(allow_null=True)
    difficulty = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class ExamManagementSerializer(serializers.Serializer[Any]):
    """What an organizer who manages the exam sees in addition: audience and paper composition."""

    audience_unit_ids = serializers.ListField(child=serializers.IntegerField())
    fixed_questions = FixedQuestionEntrySerializer(many=True)
    draw_rules = DrawRuleEntrySerializer(many=True)
    participant_link = serializers.CharField(
        help_text=_("参考人员打开本考试的地址（设置了 XUEFA_SITE_URL 时以它为准），用于复制链接和二维码")
    )


class ExamDetailSerializer(ExamSerializer):
    """An exam's page: the exam, the size of one paper and, for its managers only, the composition.

    Pass the ``selectors.ExamDetail`` of the exam as ``context["detail"]``."""

    question_count = serializers.SerializerMethodField()
    max_score = serializers.SerializerMethodField()
    management = serializers.SerializerMethodField(help_text=_("仅对管理本考试的组织者提供，其他人为 null"))

    class Meta(ExamSerializer.Meta):
        fields = [*ExamSerializer.Meta.fields, "question_count", "max_score", "management"]

    def _detail(self) -> selectors.ExamDetail:
        detail: selectors.ExamDetail = self.context["detail"]
        return detail

    def get_question_count(self, exam: Exam) -> int:
        return self._detail().question_count

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2))
    def get_max_score(self, exam: Exam) -> str:
        return str(self._detail().max_score)

    @extend_schema_field(ExamManagementSerializer(allow_null=True))
    def get_management(self, exam: Exam) -> dict[str, Any] | None:
        management = self._detail().management
        if management is None:
            return None
        link = participant_url(self.context["request"], f"/exams/{exam.pk}")
        return dict(ExamManagementSerializer({**vars(management), "participant_link": link}).data)


class FixedQuestionInput(serializers.Serializer[Any]):
    question_id = IdField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))


class DrawRuleInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    bank_id = IdField()
    tag = serializers.CharField(max_length=50, required=False, allow_null=True, default=None)
    difficulty = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
    count = serializers.IntegerField(min_value=1, max_value=MAX_PAPER_QUESTIONS)
    points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))


class GradeBandInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=20)
    min = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100))


class ExamInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    unit_id = IdField(required=False, help_text=_("主办单位，默认为当前用户所在单位"))
    is_public = serializers.BooleanField(required=False)
    audience_unit_ids = serializers.ListField(child=IdField(), required=False, max_length=1000)
    opens_at = ExamDateTimeField()
    closes_at = ExamDateTimeField()
    time_limit_seconds = serializers.IntegerField(min_value=60, max_value=24 * 3600, required=False)
    grace_seconds = serializers.IntegerField(min_value=0, max_value=600, required=False)
    max_attempts = serializers.IntegerField(min_value=0, max_value=100, required=False)
    counting_policy = serializers.ChoiceField(choices=Exam.CountingPolicy.choices, required=False)
    pass_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    grade_bands = GradeBandInput(many=True, required=False)
    multiple_scoring = serializers.ChoiceField(choices=Exam.MultipleScoring.choices, required=False)
    score_step = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(10), required=False
    )
    shuffle_questions = serializers.BooleanField(required=False)
    shuffle_options = serializers.BooleanField(required=False)
    review_policy = serializers.ChoiceField(choices=Exam.ReviewPolicy.choices, required=False)
    leave_limit = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=_("切屏次数上限：离开答题页面超过此次数即自动交卷；null（默认）为只记录"),
    )
    leaderboard_names = serializers.ChoiceField(
        choices=Exam.LeaderboardNames.choices,
        required=False,
        help_text=_("参考人员在排行榜上看到的他人姓名；默认名册考试打码，公开竞赛显示全名"),
    )
    composition = serializers.ChoiceField(choices=Exam.Composition.choices, required=False)
    fixed_questions: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=FixedQuestionInput(),
        required=False,
        max_length=MAX_FIXED_QUESTIONS,
        error_messages={"max_length": _("固定试卷最多 {max_length} 道题。")},
    )
    draw_rules: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=DrawRuleInput(),
        required=False,
        max_length=MAX_DRAW_RULES,
        error_messages={"max_length": _("最多 {max_length} 条抽题规则。")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        opens, closes = attrs.get("opens_at"), attrs.get("closes_at")
        if opens and closes and closes <= opens:
            raise serializers.ValidationError({"closes_at": [_("结束时间必须晚于开始时间。")]})
        if "grade_bands" in attrs:
            attrs["grade_bands"] = [{"name": b["name"], "min": float(b["min"])} for b in attrs["grade_bands"]]
        return attrs


class ExamUpdateInputSerializer(ExamInputSerializer):
    """The fields of an exam that may change (all optional); the owning unit never changes."""

    unit_id = None  # type: ignore[assignment]


class RegradeInputSerializer(serializers.Serializer[Any]):
    question_id = IdField()
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=500, help_text=_("重新判分的原因（记入审计日志）")
    )


class RegradeResultSerializer(serializers.Serializer[Any]):
    regraded_attempts = serializers.IntegerField()


class _UnitLeaderboardQueryFields(serializers.Serializer[Any]):
    order = serializers.ChoiceField(
        choices=list(UNIT_ORDER_KEYS), default="participation_rate", help_text=_("首要排序指标，其余指标依次排后")
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "parent" cannot be a class attribute: it would shadow Field.parent
        fields["parent"] = IdField(required=False, help_text=_("在此单位的下级单位之间排名（默认为主办单位）"))
        return fields


class UnitLeaderboardQuerySerializer(FieldsBuiltOnce, _UnitLeaderboardQueryFields):
    """The unit board's query; its fields, ``parent`` too, built once (``FieldsBuiltOnce`` comes first)."""


class PersonRowSerializer(FieldsBuiltOnce, serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.CharField(
        allow_null=True,
        help_text=_(
            "组织者、人事看到全名；参考人员看到的他人姓名按考试的 leaderboard_names 设置（全名、打码，"
            "或 null：只显示单位），本人一行总是全名"
        ),
    )
    unit_name = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    time_used_seconds = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


def person_rows_json(rows: list[leaderboards.PersonRow]) -> list[bytes]:
    """Each row as the JSON the API answers for it (``PersonRowSerializer``, the API's one renderer): what the
    person leaderboard keeps of its rows (``quizzes.caching.cached_participant_board``)."""
    return [dumps(row) for row in PersonRowSerializer(rows, many=True).data]


_RANK_FIRST = b'{"rank":'  # how ``person_rows_json`` begins a row: ``PersonRowSerializer``'s first field


def person_row_json_at(row: bytes, rank: int) -> bytes:
    """A row of ``person_rows_json`` at another rank, as rendering it at that rank would give it."""
    assert row.startswith(_RANK_FIRST), row
    return b"%s%d%s" % (_RANK_FIRST, rank, row[row.index(b",") :])


class UnitRowSerializer(FieldsBuiltOnce, serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    headcount = serializers.IntegerField(
        allow_null=True, help_text=_("应考人数：子树中在名册上的在用参考人员（按当前名册）；公开竞赛为 null")
    )
    participants = serializers.IntegerField(help_text=_("参考人数：有计入成绩的已交答卷的人数"))
    attempts = serializers.IntegerField(help_text=_("参考人次：这些人已交的答卷数"))
    participation_rate = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=_("参考率（%）；公开竞赛或应考为 0 时为 null")
    )
    mean_score = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text=_("平均分；无人参考时为 null")
    )
    pass_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text=_("合格率（%）"))
    excellent_rate = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=_("优秀率（%）：达到最高等级的参考人员比例")
    )
    highest_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    lowest_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


class PersonLeaderboardSerializer(FieldsBuiltOnce, serializers.Serializer[Any]):
    """One page of the person leaderboard, and the requester's own row wherever it stands."""

    count = serializers.IntegerField(
        help_text=_("可翻阅的行数：参考人员为排名前列的行数，管理人员为其所辖范围内的行数")
    )
    ranked_count = serializers.IntegerField(help_text=_("本次考试参与排名的总人数，即名次的分母"))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PersonRowSerializer(many=True)
    me = PersonRowSerializer(allow_null=True, help_text=_("请求者本人的排名行；尚无计入成绩的答卷时为 null"))


class UnitLeaderboardSerializer(FieldsBuiltOnce, serializers.Serializer[Any]):
    parent_id = serializers.IntegerField(help_text=_("在其下级单位之间排名的单位"))
    parent_name = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["roster", "open"],
        help_text=_("roster：名册考试，按应考名册计算参考率；open：公开竞赛，统计参考人数和人次，无参考率"),
    )
    order = serializers.ChoiceField(
        choices=list(UNIT_ORDER_KEYS), help_text=_("公开竞赛按 participation_rate 排序时按参考人数排")
    )
    excellent_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("优秀线：最高等级的最低百分比")
    )
    results = UnitRowSerializer(many=True)


class DrawAvailabilityInputSerializer(serializers.Serializer[Any]):
    draw_rules: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=DrawRuleInput(),
        max_length=MAX_DRAW_RULES,
        error_messages={"max_length": _("最多 {max_length} 条抽题规则。")},
    )


class RuleAvailabilitySerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(help_text=_("规则序号，从 1 开始"))
    count = serializers.IntegerField(help_text=_("规则要抽的题数"))
    matching = serializers.IntegerField(help_text=_("符合规则条件的启用试题数"))
    drawable = serializers.IntegerField(
        help_text=_("最坏情况下可抽出的题数：同一互斥组只抽一道，并扣除前面规则可能抽走的同一批题")
    )
    problem = serializers.SerializerMethodField(help_text=_("发布检查对本规则给出的原因；可抽足时为 null"))

    def get_problem(self, availability: Any) -> str | None:
        return None if availability.problem is None else availability.problem.message


class DrawAvailabilitySerializer(serializers.Serializer[Any]):
    rules = RuleAvailabilitySerializer(many=True)
    question_count = serializers.IntegerField(help_text=_("一份试卷的题数（各规则题数之和）"))
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, help_text=_("一份试卷的满分"))


class SamplePaperQuestionSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    question_id = serializers.IntegerField(source="question.pk")
    bank_id = serializers.IntegerField(source="question.bank_id")
    kind = serializers.ChoiceField(choices=QuestionKind.choices, source="question.kind")
    stem = serializers.CharField(source="question.stem")
    options = serializers.ListField(child=serializers.CharField(), source="question.options")
    answer = serializers.ListField(child=serializers.CharField(), source="question.answer")
    difficulty = serializers.IntegerField(source="question.difficulty")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class SamplePaperSerializer(serializers.Serializer[Any]):
    """One paper drawn as a participant's would be (fixed order or random rules, question shuffling), with
    the key: for the organizers who manage the exam. Nothing is stored."""

    question_count = serializers.IntegerField()
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    questions = SamplePaperQuestionSerializer(many=True)


class ConsoleExamQuerySerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=list(selectors.EXAM_STATES),
        required=False,
        help_text=_("draft 草稿；published 已发布未开始；running 进行中；closed 已结束（已关闭或已过结束时间）"),
    )
    search = serializers.CharField(required=False, max_length=100, help_text=_("标题包含的文字"))


class AudienceUnitSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ConsoleExamSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Exam]):
    """An exam in the organizer's console list: state, window, audience and how many people have sat it."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state = serializers.SerializerMethodField(help_text=_("draft、published（未开始）、running、closed"))
    audience = AudienceUnitSerializer(source="audience_units", many=True, read_only=True)
    people_started = serializers.SerializerMethodField(help_text=_("已开始作答的人数"))
    people_submitted = serializers.SerializerMethodField(help_text=_("已交卷（含超时交卷）的人数"))

    class Meta:
        model = Exam
        fields = [
            "id",
            "title",
            "unit_id",
            "unit_name",
            "status",
            "state",
            "is_public",
            "composition",
            "opens_at",
            "closes_at",
            "audience",
            "people_started",
            "people_submitted",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=list(selectors.EXAM_STATES)))
    def get_state(self, exam: Exam) -> str:
        return selectors.exam_state(exam, self.context["now"])

    def get_people_started(self, exam: Exam) -> int:
        return getattr(exam, "people_started", None) or 0

    def get_people_submitted(self, exam: Exam) -> int:
        return getattr(exam, "people_submitted", None) or 0
