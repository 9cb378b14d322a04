"""Answers a login refused by the lockout (``accounts.lockout``) with 429 and Retry-After, whichever login
form asked: allauth headless (JSON, the API's error format) or the admin (a short HTML page)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.lockout import REQUEST_FLAG

from .errors import error_body


class LoginLockoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        seconds = getattr(request, REQUEST_FLAG, None)
        if not seconds:
            return response
        minutes = max(1, (int(seconds) + 59) // 60)
        message = _("密码错误次数过多，登录已暂时锁定，请 %(minutes)d 分钟后再试，或请组织者解锁。") % {
            "minutes": minutes
        }
        locked: HttpResponse
        if request.path.startswith(("/_allauth/", "/api/")):
            locked = JsonResponse(error_body("login_locked", message), status=429)
        else:
            locked = HttpResponse(f"<!doctype html><title>429</title><p>{escape(message)}</p>", status=429)
        locked["Retry-After"] = str(int(seconds))
        return locked
