"""One error format for the whole API, with stable codes and Chinese messages:

    {"error": {"code": "exam_outside_window", "message": "考试不在开放时间内。", "fields": {"choices": ["…"]}}}

Domain errors (``quizzes.errors.QuizError``) are mapped to HTTP statuses here, and only here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts import errors as account_errors
from quizzes import errors as quiz_errors

from .permissions import PasswordChangeRequired

StrOrPromise = str | Promise

DOMAIN_STATUS: dict[type[quiz_errors.QuizError], int] = {  # the first class the error is an instance of
    quiz_errors.NotFound: status.HTTP_404_NOT_FOUND,
    quiz_errors.CertificateFontMissing: status.HTTP_503_SERVICE_UNAVAILABLE,
    quiz_errors.UnitNotAllowed: status.HTTP_400_BAD_REQUEST,
    quiz_errors.ExamOutsideWindow: status.HTTP_409_CONFLICT,
    quiz_errors.NotInAudience: status.HTTP_403_FORBIDDEN,
    quiz_errors.NoAttemptsLeft: status.HTTP_409_CONFLICT,
    quiz_errors.AttemptExpired: status.HTTP_409_CONFLICT,
    quiz_errors.AttemptFinalised: status.HTTP_409_CONFLICT,
    quiz_errors.QuestionNotOnPaper: status.HTTP_400_BAD_REQUEST,
    quiz_errors.InvalidChoices: status.HTTP_400_BAD_REQUEST,
    quiz_errors.InsufficientQuestions: status.HTTP_400_BAD_REQUEST,
    quiz_errors.InvalidComposition: status.HTTP_400_BAD_REQUEST,
    quiz_errors.InvalidOverride: status.HTTP_400_BAD_REQUEST,
    quiz_errors.ExamNotEditable: status.HTTP_409_CONFLICT,
    quiz_errors.InvalidStatusChange: status.HTTP_409_CONFLICT,
    quiz_errors.ReviewNotAvailable: status.HTTP_403_FORBIDDEN,
    quiz_errors.BankNameTaken: status.HTTP_400_BAD_REQUEST,
    quiz_errors.InvalidQuestion: status.HTTP_400_BAD_REQUEST,
    quiz_errors.ImportFileError: status.HTTP_400_BAD_REQUEST,
    quiz_errors.ImportHasErrors: status.HTTP_400_BAD_REQUEST,
    quiz_errors.ImportAlreadyCommitted: status.HTTP_409_CONFLICT,
    quiz_errors.LawTextInvalid: status.HTTP_400_BAD_REQUEST,
    quiz_errors.LawTextReadOnly: status.HTTP_403_FORBIDDEN,
    quiz_errors.QuestionInOpenExam: status.HTTP_409_CONFLICT,
    quiz_errors.NoPracticeQuestions: status.HTTP_409_CONFLICT,
    quiz_errors.InvalidPracticeSet: status.HTTP_400_BAD_REQUEST,
    account_errors.PasswordsGone: status.HTTP_410_GONE,
    account_errors.UnitNameTaken: status.HTTP_400_BAD_REQUEST,
    account_errors.UnitChangeRefused: status.HTTP_409_CONFLICT,
    account_errors.PasswordResetRefused: status.HTTP_409_CONFLICT,
}

DRF_CODES: dict[type[exceptions.APIException], tuple[str, StrOrPromise]] = {
    exceptions.ParseError: ("malformed_request", _("请求内容无法解析（JSON 格式错误）。")),
    exceptions.NotAuthenticated: ("not_authenticated", _("请先登录。")),
    exceptions.AuthenticationFailed: ("authentication_failed", _("登录信息无效或已过期，请重新登录。")),
    exceptions.PermissionDenied: ("permission_denied", _("您没有执行此操作的权限。")),
    exceptions.NotFound: ("not_found", _("未找到。")),
    exceptions.MethodNotAllowed: ("method_not_allowed", _("不支持该请求方法。")),
    exceptions.NotAcceptable: ("not_acceptable", _("无法提供所请求的格式。")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", _("不支持的请求内容类型。")),
    exceptions.Throttled: ("throttled", _("请求过于频繁，请稍后再试。")),
    exceptions.ValidationError: ("invalid_input", _("提交的数据有误。")),
}


def error_body(code: str, message: Any, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, quiz_errors.QuizError):
        http_status = next((s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls)), status.HTTP_400_BAD_REQUEST)
        return Response(error_body(exc.code, exc.message, _flatten(exc.fields) if exc.fields else None), http_status)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    message: StrOrPromise
    if isinstance(exc, PasswordChangeRequired):
        code, message = "password_change_required", str(exc.detail)
    else:
        code, message = next(
            ((c, m) for cls, (c, m) in DRF_CODES.items() if isinstance(exc, cls)), ("error", str(exc.detail))
        )
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail})
    elif isinstance(exc, exceptions.ParseError):
        message = f"{message} {exc.detail}"
    response.data = error_body(code, message, fields)
    return response
