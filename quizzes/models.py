"""A foreign key with ``db_index=False`` leads a unique constraint or an index of its model, which serves its lookups
(tests/test_schema_indexes.py): an index of its own would cost every write and serve nothing more."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit

from .lawtexts import law_key

OPTION_LETTERS = "ABCDEFGH"
JUDGE_OPTIONS = ["正确", "错误"]  # stored as the options of every judge question: data


def default_grade_bands() -> list[dict[str, object]]:
    """Grade bands as percentages of the paper's full marks, highest first.

    The names are data: stored in each new exam, where its organizer may rename them.
    """
    return [
        {"name": "优秀", "min": 90},
        {"name": "良好", "min": 80},
        {"name": "合格", "min": 60},
        {"name": "不合格", "min": 0},
    ]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    JUDGE = "judge", _("判断题")


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QuestionBank(models.Model):
    name = models.CharField(_("题库名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="banks", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("题库")
        verbose_name_plural = _("题库")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="bank_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question of a bank.

    ``options`` holds the option texts in order; option *i* is labelled ``OPTION_LETTERS[i]``.
    A judge question has the options ["正确", "错误"]. ``answer`` holds the correct letters, sorted.
    """

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions", db_index=False)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    stem = models.TextField(_("题干"), max_length=2000)
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("答案"), default=list)
    explanation = models.TextField(_("解析"), blank=True, max_length=4000)
    legal_basis = models.CharField(_("法条依据"), max_length=500, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("难度"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    exclusion_group = models.CharField(
        _("互斥组"),
        max_length=50,
        blank=True,
        help_text=_("同一题库中同组的试题（如同一知识点的单选题和判断题）不会出现在同一份试卷中"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["bank", "kind", "difficulty"]),
            models.Index(fields=["bank", "exclusion_group"], name="question_bank_group"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1) & Q(difficulty__lte=5), name="question_difficulty_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.stem[:40]


class Exam(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")

    class CountingPolicy(models.TextChoices):
        HIGHEST = "highest", _("取最高分")
        LATEST = "latest", _("取最后一次")
        FIRST = "first", _("取第一次")

    class MultipleScoring(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("全对得分")
        PARTIAL = "partial", _("按选对比例得分，错选不得分")
        HALF = "half", _("少选得一半分，错选不得分")

    class ReviewPolicy(models.TextChoices):
        IMMEDIATELY = "immediately", _("交卷后立即")
        AFTER_CLOSE = "after_close", _("考试结束后")
        NEVER = "never", _("不公布")

    class Composition(models.TextChoices):
        FIXED = "fixed", _("固定试卷")
        RANDOM = "random", _("随机抽题")

    class LeaderboardNames(models.TextChoices):
        FULL = "full", _("显示全名")
        MASKED = "masked", _("姓名打码（如 张*明）")
        UNIT_ONLY = "unit_only", _("只显示单位")

    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="exams")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_public = models.BooleanField(_("公开竞赛（主办单位范围内任何登录用户可参加）"), default=False)
    audience_units = models.ManyToManyField(
        Unit, verbose_name=_("参考单位（含下级）"), blank=True, related_name="audience_exams"
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    time_limit_seconds = models.PositiveIntegerField(_("限时（秒）"), default=30 * 60)
    grace_seconds = models.PositiveIntegerField(_("交卷宽限（秒）"), default=60)
    max_attempts = models.PositiveSmallIntegerField(_("可考次数（0 为不限）"), default=1)
    counting_policy = models.CharField(
        _("计分方式"), max_length=10, choices=CountingPolicy.choices, default=CountingPolicy.HIGHEST
    )
    pass_percent = models.DecimalField(_("及格线（百分比）"), max_digits=5, decimal_places=2, default=Decimal(60))
    grade_bands = models.JSONField(_("等级"), default=default_grade_bands)
    multiple_scoring = models.CharField(
        _("多选题计分"), max_length=20, choices=MultipleScoring.choices, default=MultipleScoring.ALL_OR_NOTHING
    )
    score_step = models.DecimalField(_("分值步长"), max_digits=4, decimal_places=2, default=Decimal("0.5"))
    shuffle_questions = models.BooleanField(_("题目乱序"), default=False)
    shuffle_options = models.BooleanField(_("选项乱序"), default=False)
    review_policy = models.CharField(
        _("答案解析公布"), max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.IMMEDIATELY
    )
    composition = models.CharField(_("组卷方式"), max_length=10, choices=Composition.choices, default=Composition.FIXED)
    leaderboard_names = models.CharField(
        _("排行榜中参考人员看到的他人姓名"),
        max_length=10,
        choices=LeaderboardNames.choices,
        default=LeaderboardNames.MASKED,
        help_text=_("新建时默认：名册考试打码，公开竞赛显示全名"),
    )
    leave_limit = models.PositiveSmallIntegerField(
        _("切屏次数上限"),
        null=True,
        blank=True,
        help_text=_("离开答题页面超过此次数即自动交卷；留空为只记录不处理（来电、通知也会离开页面）"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="exam_window_order"),
        ]

    # Set by ``caching.cached_exam`` on the exam it hands out: the paths of its audience units, so that
    # ``selectors.user_in_audience`` needs no query. None on an exam loaded from the database.
    audience_paths: tuple[str, ...] | None = None
    # Set likewise: the people with an override or make-up of this exam (``ExamOverride``), so that a start of
    # anyone else reads none (``selectors.personal_terms``). None: not known (loaded from the database, or too many
    # to carry: ``caching.OVERRIDERS_KEPT``).
    override_user_ids: frozenset[int] | None = None

    def __str__(self) -> str:
        return self.title


class ExamQuestion(models.Model):
    """A question of a fixed paper, in order, with its points."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="fixed_questions", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["exam_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "question"], name="examquestion_unique_question"),
            models.CheckConstraint(condition=Q(points__gt=0), name="examquestion_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}#{self.position}"


class DrawRule(models.Model):
    """Random composition: draw ``count`` questions of ``kind`` from ``bank`` (optionally tag/difficulty)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="draw_rules")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    difficulty = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    count = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["exam_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="drawrule_points_positive"),
            models.CheckConstraint(condition=Q(count__gt=0), name="drawrule_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exam_id} rule {self.position}: {self.count} × {self.kind}"


class Attempt(models.Model):
    """One sitting of an exam by one person, with its frozen paper."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("作答中")
        SUBMITTED = "submitted", _("已交卷")
        TIMED_OUT = "timed_out", _("超时自动交卷")
        LEFT_PAGE = "left_page", _("切屏超限自动交卷")

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)
    passed = models.BooleanField(null=True)
    time_used_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_counted = models.BooleanField(
        default=False, help_text="The attempt that counts for this person under the exam's counting policy."
    )
    is_makeup = models.BooleanField(default=False, help_text="Started in the person's make-up window.")
    leave_count = models.PositiveIntegerField(default=0, help_text="Times the participant left the exam page.")
    leave_seq = models.PositiveIntegerField(
        default=0, help_text="The highest page-leave report sequence number recorded (older ones are ignored)."
    )

    class Meta:
        ordering = ["exam_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "number"], name="attempt_unique_number"),
            models.UniqueConstraint(
                fields=["exam", "user"], condition=Q(status="in_progress"), name="attempt_one_open_per_person"
            ),
            models.UniqueConstraint(
                fields=["exam", "user"], condition=Q(is_counted=True), name="attempt_one_counted_per_person"
            ),
        ]
        indexes = [
            # the leaderboard's order, so that one page is an index range scan, not a sort of everyone
            models.Index(
                fields=["exam", "is_counted", "-score", "time_used_seconds", "submitted_at", "id"],
                name="attempt_leaderboard_order",
            ),
            models.Index(fields=["status", "deadline"]),
        ]

    # Set by ``attempt_start`` on an attempt it has just created: the paper it wrote, so that the start's answer
    # (``selectors.attempt_paper``) reads nothing back: its rows, keyed by ``services.attempts.PAPER_COLUMNS``.
    # Never set on an attempt loaded from the database.
    fresh_paper: list[dict[str, Any]] | None = None
    # Set by ``attempt_finalise`` on the attempt it has just marked: the paper with key and explanation, in order,
    # and the marked answers by question (``selectors.REVIEW_PAPER_FIELDS``; choices and score), so that the
    # submit's answer (``selectors.attempt_review``) reads neither again.
    fresh_review: tuple[list[dict[str, Any]], dict[int, dict[str, Any]]] | None = None

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.user_id}#{self.number}"

    @property
    def is_finalised(self) -> bool:
        return self.status != self.Status.IN_PROGRESS


class ExamOverride(models.Model):
    """A person's own terms for one exam (Moodle's user override), or their make-up (补考) sitting.

    ``kind=override``: a window of their own (replacing the exam's), extra time added to the time limit and
    extra attempts added to the attempt limit. ``kind=makeup``: a second window after the exam's, in which
    ``extra_attempts`` make-up attempts may be started; the better of the regular and the make-up result
    counts (``ranking.counted_attempt``). At most one of each kind per person and exam. The rule that turns
    these into a deadline is ``quizzes.timing``.
    """

    class Kind(models.TextChoices):
        OVERRIDE = "override", _("个人调整")
        MAKEUP = "makeup", _("补考")

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="overrides", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_overrides")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.OVERRIDE)
    opens_at = models.DateTimeField(_("个人开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("个人结束时间"), null=True, blank=True)
    extra_seconds = models.PositiveIntegerField(_("延长时间（秒）"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("增加次数"), default=0)
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("个人考试调整")
        verbose_name_plural = _("个人考试调整")
        ordering = ["exam_id", "user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "kind"], name="examoverride_one_per_kind"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="examoverride_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.user_id} {self.kind}"


class PageLeave(models.Model):
    """The participant's exam page was hidden (``leave``) or shown again (``return``), as the app reported it;
    ``at`` is the server's time of the report."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("离开页面")
        RETURN = "return", _("返回页面")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="page_leaves", db_index=False)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["attempt_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["attempt", "seq"], name="pageleave_unique_seq")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.seq} {self.kind}"


class AttemptQuestion(models.Model):
    """A question as frozen into one attempt's paper: text, option order, key and points at start time.

    ``options`` is the list shown to the participant, each ``{"letter": original letter, "text": …}``;
    choices are always expressed in the original letters, so shuffling never changes what is stored.
    """

    # No database constraint to the attempt (docs/adr/0016): the start writes the paper in the transaction that
    # inserted its attempt, and PostgreSQL's check of 25 rows against that new, uncommitted row cost half of the
    # database's work per start in a storm. Deleting goes through Django, which cascades (on_delete) itself.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="paper", db_constraint=False, db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    stem = models.TextField()
    options = models.JSONField()
    answer = models.JSONField()
    explanation = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=500, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="attemptquestion_unique_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptquestion_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class Answer(models.Model):
    """The participant's latest saved choices for one paper question (autosave upserts this row)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choices = models.JSONField(default=list)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField()
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class ImportBatch(models.Model):
    """An uploaded question file between preview and commit.

    ``items`` holds the parsed questions with their errors and warnings as shown in the preview, so
    that commit writes exactly what the organizer saw, without re-uploading.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        COMMITTED = "committed", _("已导入")

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="import_batches")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    items = models.JSONField(default=list)
    file_warnings = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.bank_id}"


class Certificate(models.Model):
    """The 合格证书 of one person for one exam: issued when their counting attempt passes, revoked when a
    regrade makes it fail, reinstated (same code) if a later regrade makes it pass again. ``code`` is the
    public verification code printed on the certificate and in its QR code (``/verify/<code>``).

    The PDF is drawn on request from the current facts (name, unit, the counting attempt's score), so a
    corrected name or a regraded score shows on the next download; the code never changes.
    """

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="certificates", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("证书编号"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("发证时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合格证书")
        verbose_name_plural = _("合格证书")
        ordering = ["exam_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="certificate_one_per_person")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


# --- The law-text library (法条原文): statutes and regulations split into articles --------------------


class LawText(models.Model):
    """One edition of a law or regulation, split into articles (``LawArticle``).

    ``unit`` is empty for the texts shipped with Xuefa (quizzes/data/laws/, everyone's library); a text an
    organizer adds belongs to their unit and serves the banks of that unit's subtree. ``key`` is the name
    citations find it by (``lawtexts.law_key``: 《中华人民共和国民法典》 → 民法典). Of the editions of one
    law in one library exactly one is current: citations are checked against it and the review shows it.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="law_texts"
    )
    name = models.CharField(_("法规名称"), max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)
    edition = models.CharField(_("版本"), max_length=200)
    source = models.TextField(_("来源"), blank=True)
    is_current = models.BooleanField(_("现行版本"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法规文本")
        verbose_name_plural = _("法规文本")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(Coalesce("unit", models.Value(0)), "key", "edition", name="lawtext_unique_edition"),
            models.UniqueConstraint(
                Coalesce("unit", models.Value(0)),
                "key",
                condition=Q(is_current=True),
                name="lawtext_one_current_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = law_key(self.name)  # always the name's: citations find the law by it
        super().save(*args, **kwargs)


class LawArticle(models.Model):
    """One article of a law text: 第十七条 is ``number`` 17; 第一百三十三条之一 is 133 with ``sub`` 1."""

    law = models.ForeignKey(LawText, on_delete=models.CASCADE, related_name="articles", db_index=False)
    number = models.PositiveIntegerField(_("条号"))
    sub = models.PositiveSmallIntegerField(_("之几"), default=0)
    heading = models.CharField(_("条标"), max_length=30)
    text = models.TextField(_("条文"))
    chapter = models.CharField(_("所在章节"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["law_id", "number", "sub"]
        constraints = [models.UniqueConstraint(fields=["law", "number", "sub"], name="lawarticle_unique_number")]

    def __str__(self) -> str:
        return f"{self.law.name}{self.heading}"


# --- Learning between exams: practice, the wrong-answer book, daily questions (issue 13, docs/adr/0015) -------
# Separate from attempts and answers: nothing here is scored, ranked or counted as an exam.


class PracticeSet(models.Model):
    """A bank (or some of its tags) opened for practice to an audience of units (each with its subtree), with
    ``daily_count`` daily questions (每日一练) a day (0: none)."""

    title = models.CharField(_("标题"), max_length=200)
    bank = models.ForeignKey(QuestionBank, verbose_name=_("题库"), on_delete=models.PROTECT, related_name="+")
    tags = models.ManyToManyField(Tag, verbose_name=_("标签（空为全部）"), blank=True, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    audience_units = models.ManyToManyField(Unit, verbose_name=_("练习单位（含下级）"), related_name="+")
    daily_count = models.PositiveSmallIntegerField(_("每日一练题数"), default=5)
    is_open = models.BooleanField(_("开放练习"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("练习")
        verbose_name_plural = _("练习")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class DailySet(models.Model):
    """One unit's daily questions of a practice set on one day, drawn once (seeded by set, unit and day,
    ``quizzes.learning.daily_draw``) and kept, so that everyone of the unit answers the same questions."""

    practice_set = models.ForeignKey(PracticeSet, on_delete=models.CASCADE, related_name="daily_sets", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    question_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["practice_set_id", "unit_id", "day"]
        constraints = [models.UniqueConstraint(fields=["practice_set", "unit", "day"], name="dailyset_one_per_day")]

    def __str__(self) -> str:
        return f"{self.practice_set_id}/{self.unit_id} {self.day}"


class PracticeRound(models.Model):
    """N questions a person practises at one go: of a practice set (by tag or at random), from their book,
    or their unit's daily questions of one day. Untimed."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("练习")
        BOOK = "book", _("错题重练")
        DAILY = "daily", _("每日一练")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_rounds", db_index=False
    )
    practice_set = models.ForeignKey(
        PracticeSet, null=True, blank=True, on_delete=models.CASCADE, related_name="rounds"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField(null=True, blank=True, help_text="Daily rounds: the day.")
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["user_id", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice_set", "day"], condition=Q(kind="daily"), name="practiceround_one_daily"
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "day"], name="practiceround_user_kind_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.pk}"


class PracticeItem(models.Model):
    """A question of a practice round and, once answered (once), the choices and whether they were right."""

    round = models.ForeignKey(PracticeRound, on_delete=models.CASCADE, related_name="items", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    choices = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round_id", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "question"], name="practiceitem_unique_question")]
        indexes = [models.Index(fields=["answered_at"], name="practiceitem_answered_at")]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.position}"


class WrongAnswer(models.Model):
    """A question in a person's wrong-answer book (错题本), with their last wrong choices.

    Entered by a wrong practice answer (``from_practice``) or, at an exam's finalisation, by a wrong exam
    answer (``attempt``); an exam's entry shows only once the exam's review policy shows its key
    (``selectors_learning.book_visible_q``). Retired after ``learning.RETIRE_AFTER`` right answers in a row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrong_answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.JSONField(default=list)
    wrong_count = models.PositiveIntegerField(default=1)
    right_streak = models.PositiveSmallIntegerField(default=0)
    from_practice = models.BooleanField(default=False)
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_wrong_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_id", "-last_wrong_at"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="wronganswer_one_per_question")]
        indexes = [models.Index(fields=["user", "retired_at"], name="wronganswer_user_retired")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.question_id}"
