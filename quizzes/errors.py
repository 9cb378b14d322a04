"""Domain errors of quizzes. Each has a stable ``code``; ``api.errors`` maps them to HTTP once."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class QuizError(Exception):
    code = "quiz_error"
    default_message = _("操作无法完成。")

    def __init__(self, message: str | Promise | None = None, *, fields: dict[str, list[Any]] | None = None) -> None:
        """``message`` and the ``fields`` messages may be lazy translations: they are rendered in the
        language of the request that sees them."""
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class ExamOutsideWindow(QuizError):
    code = "exam_outside_window"
    default_message = _("考试不在开放时间内。")


class NotInAudience(QuizError):
    code = "not_in_audience"
    default_message = _("您不在本次考试的参考范围内。")


class NoAttemptsLeft(QuizError):
    code = "no_attempts_left"
    default_message = _("您的考试次数已用完。")


class AttemptExpired(QuizError):
    code = "attempt_expired"
    default_message = _("考试时间已到，答案不再保存。")


class AttemptFinalised(QuizError):
    code = "attempt_finalised"
    default_message = _("本次答卷已交卷，不能再修改答案。")


class QuestionNotOnPaper(QuizError):
    code = "question_not_on_paper"
    default_message = _("该题不在本次试卷中。")


class InvalidChoices(QuizError):
    code = "invalid_choices"
    default_message = _("所选答案无效。")


class InsufficientQuestions(QuizError):
    code = "insufficient_questions"
    default_message = _("题库中符合抽题规则的试题不足。")


class InvalidComposition(QuizError):
    code = "invalid_composition"
    default_message = _("试卷组成无效。")


class ExamNotEditable(QuizError):
    code = "exam_not_editable"
    default_message = _("已发布的考试不能修改试卷组成。")


class InvalidStatusChange(QuizError):
    code = "invalid_status_change"
    default_message = _("考试状态不允许此操作。")


class ReviewNotAvailable(QuizError):
    code = "review_not_available"
    default_message = _("本次考试的答案与解析暂不公布。")


class ImportFileError(QuizError):
    """A whole uploaded file cannot be read (empty, corrupt, encrypted, wrong type, missing columns).

    ``code`` is set per instance (``file_corrupt``, ``file_encrypted``, …; see docs/import-formats.md).
    """

    code = "import_file_error"
    default_message = _("文件无法读取。")

    def __init__(self, message: str | Promise | None = None, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class ImportHasErrors(QuizError):
    code = "import_has_errors"
    default_message = _("导入文件中还有错误，请修改后重新上传。")


class ImportAlreadyCommitted(QuizError):
    code = "import_already_committed"
    default_message = _("这批试题已经导入，不能重复导入。")


class LawTextInvalid(QuizError):
    """A law text that cannot be added to the library as given (no articles, a number twice, no name or
    edition, an edition already there); ``fields`` names them by input field (name, edition, text)."""

    code = "law_text_invalid"
    default_message = _("法规文本有误。")


class LawTextReadOnly(QuizError):
    """A shipped text, or one of a higher unit: readable in the organizer's library, not theirs to remove."""

    code = "law_text_read_only"
    default_message = _("这一法规文本随系统提供或属于上级单位，不能删除。")


class BankNameTaken(QuizError):
    code = "bank_name_taken"
    default_message = _("本单位已有同名题库。")


class InvalidQuestion(QuizError):
    code = "invalid_question"
    default_message = _("试题内容有误。")


class InvalidOverride(QuizError):
    """A per-person override or make-up that cannot be granted as asked (no reason, no change, bad window,
    people outside the exam or the organizer's scope)."""

    code = "invalid_override"
    default_message = _("个人考试调整无效。")


class NotFound(QuizError):
    """What was asked for does not exist, or lies outside the requester's scope (the two look the same)."""

    code = "not_found"
    default_message = _("未找到。")


class ExamNotFound(NotFound):
    default_message = _("考试不存在或您无权访问。")


class AttemptNotFound(NotFound):
    default_message = _("答卷不存在或不属于您。")


class OverrideNotFound(NotFound):
    default_message = _("个人考试调整不存在或您无权访问。")


class BankNotFound(NotFound):
    default_message = _("题库不存在或您无权访问。")


class QuestionNotFound(NotFound):
    default_message = _("试题不存在或您无权访问。")


class UnitNotFound(NotFound):
    default_message = _("单位不存在或不在本次考试的范围内。")


class LawTextNotFound(NotFound):
    default_message = _("法规文本不存在或您无权访问。")


class CertificateNotFound(NotFound):
    """No valid certificate: the person has not passed (or a regrade made them fail), or it is not theirs
    to read, or (public verification) no certificate has that code."""

    code = "certificate_not_found"
    default_message = _("没有找到合格证书：未通过考试，或证书不存在。")


class CertificateFontMissing(QuizError):
    """The server has no font that can write Chinese into a PDF (docs/deployment.md, 证书字体)."""

    code = "certificate_font_missing"
    default_message = _("服务器未安装证书所需的中文字体，暂时无法生成证书，请联系管理员。")


class UnitNotAllowed(QuizError):
    """A unit given for new content (a bank, an exam) that the acting person does not manage."""

    code = "unit_not_allowed"
    default_message = _("单位不存在或不在您管理的范围内。")


# --- Learning (practice, the wrong-answer book, daily questions) ----------------------------------------------


class QuestionInOpenExam(QuizError):
    """The question is in an exam open to the person now: practice neither offers it nor shows its key."""

    code = "question_in_open_exam"
    default_message = _("该题属于您正在开放的考试，考试期间不能练习，也不显示答案。")


class NoPracticeQuestions(QuizError):
    code = "no_practice_questions"
    default_message = _("没有可练习的试题。")


class InvalidPracticeSet(QuizError):
    code = "invalid_practice_set"
    default_message = _("练习设置无效。")


class PracticeSetNotFound(NotFound):
    default_message = _("练习不存在或未向您开放。")


class PracticeRoundNotFound(NotFound):
    default_message = _("练习不存在、不属于您，或该题不在本轮练习中。")
