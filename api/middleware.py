"""Answers a login refused by the lockout (``accounts.lockout``) with 429 and Retry-After, whichever login
form asked: allauth headless (JSON, the API's error format) or the admin (a short HTML page)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.lockout import RATE_FLAG, REQUEST_FLAG

from .errors import error_body
from .parsers import MAX_DEPTH, text_nests_deeper_than
from .views.errors import body_limit, json_error, wants_json


class LoginLockoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        limited = getattr(request, RATE_FLAG, None)
        if limited:
            return self._refuse(request, "throttled", _("请求过于频繁，请稍后再试。"), int(limited))
        seconds = getattr(request, REQUEST_FLAG, None)
        if not seconds:
            return response
        minutes = max(1, (int(seconds) + 59) // 60)
        message = _("密码错误次数过多，登录已暂时锁定，请 %(minutes)d 分钟后再试，或请组织者解锁。") % {
            "minutes": minutes
        }
        return self._refuse(request, "login_locked", message, int(seconds))

    @staticmethod
    def _refuse(request: HttpRequest, code: str, message: str, seconds: int) -> HttpResponse:
        refused: HttpResponse
        if wants_json(request):
            refused = JsonResponse(error_body(code, message), status=429)
        else:
            refused = HttpResponse(f"<!doctype html><title>429</title><p>{escape(message)}</p>", status=429)
        refused["Retry-After"] = str(seconds)
        return refused


class JsonErrorMiddleware:
    """Under /api/ and /_allauth/: refuse an oversized body with 413 before anything reads it, and give every
    error response that is not JSON yet (405 from Django and allauth views, …) the API's error format."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not wants_json(request):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            return json_error(413)
        allauth_json = request.path.startswith("/_allauth/") and request.content_type == "application/json"
        if allauth_json and length and text_nests_deeper_than(request.body):  # allauth's json.loads would recurse
            message = _("嵌套层数超过 %(depth)d。") % {"depth": MAX_DEPTH}
            return JsonResponse(error_body("malformed_request", message), status=400)
        response = self.get_response(request)
        if response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            replacement = json_error(response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response
