"""allauth's app-client token authentication that says how to authenticate, so that DRF answers a missing or
invalid login with 401 and ``WWW-Authenticate`` instead of 403 (DRF asks the first authentication class)."""

from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.http import HttpRequest


class SessionTokenAuthentication(XSessionTokenAuthentication):  # type: ignore[misc]  # allauth has no type hints
    def authenticate_header(self, request: HttpRequest) -> str:
        return "X-Session-Token"
