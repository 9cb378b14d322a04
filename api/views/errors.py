"""Error pages: the API's JSON error format under /api/ and /_allauth/, Django's HTML pages elsewhere.

``handler400/403/404/500`` in config/urls.py; ``JsonErrorMiddleware`` turns the error responses that come from
no handler (405 from a Django or allauth view, 413 for an oversized body) into the same format.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from accounts.phones import PHONE_TAKEN_MESSAGE, is_phone_conflict

from ..errors import StrOrPromise, error_body

JSON_PREFIXES = ("/api/", "/_allauth/")

STATUS_ERRORS: dict[int, tuple[str, StrOrPromise]] = {
    400: ("bad_request", _("请求有误。")),
    403: ("permission_denied", _("您没有执行此操作的权限。")),
    404: ("not_found", _("未找到。")),
    405: ("method_not_allowed", _("不支持该请求方法。")),
    413: ("request_too_large", _("请求内容过大。")),
    500: ("server_error", _("服务器内部错误，请稍后再试。")),
    503: ("service_unavailable", _("服务暂时不可用，请稍后重试。")),
}
# A database connection lost or refused mid-request (a restart, a failover, a reset connection, a lock or
# statement timeout): nothing was committed that the client was told about, and the same request sent
# again is safe (autosave and submit are idempotent), so the answer is "retry", not "failed".
RETRYABLE_DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 2


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def json_error(status: int) -> JsonResponse:
    code, message = STATUS_ERRORS.get(status, ("error", _("请求失败。")))
    return JsonResponse(error_body(code, message), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig) and wants_json(request):
        return json_error(413)
    return json_error(400) if wants_json(request) else defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return json_error(403) if wants_json(request) else defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return json_error(404) if wants_json(request) else defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Every uncaught exception, whichever layer raised it (view, middleware, session save). A lost database
    connection is a 503 with Retry-After; Django closes the broken connection when the request ends, so the
    retry gets a new one. A phone number taken by a concurrent write is a 409 ``phone_taken``."""
    exc = sys.exc_info()[1]
    if exc is not None and is_phone_conflict(exc) and wants_json(request):
        # a race the checks before the write could not see (two sign-ups or imports with one number at once)
        message = str(PHONE_TAKEN_MESSAGE)
        return JsonResponse(error_body("phone_taken", message, {"phone": [message]}), status=409)
    if isinstance(exc, RETRYABLE_DATABASE_ERRORS):
        response: HttpResponse
        if wants_json(request):
            response = json_error(503)
        else:
            response = HttpResponse(f"<!doctype html><title>503</title><p>{STATUS_ERRORS[503][1]}</p>", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return json_error(500) if wants_json(request) else defaults.server_error(request)


def body_limit(request: HttpRequest) -> int:
    """Bytes a request body may have: uploads (multipart) up to the question-file limit, the rest
    (JSON) up to DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.content_type == "multipart/form-data":
        return int(settings.XUEFA_UPLOAD_MAX_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
