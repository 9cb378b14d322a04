"""The client's address, one rule for the lockout and the audit log (docs/security.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's last X-Forwarded-For entry only behind the trusted reverse proxy
    (DJANGO_BEHIND_TLS_PROXY=1, nginx appends the address it saw), REMOTE_ADDR otherwise."""
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = str(forwarded).split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))
