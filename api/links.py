"""Absolute addresses of the app's pages, for links and QR codes that leave the browser that asked."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from rest_framework.request import Request


def participant_url(request: Request, path: str) -> str:
    """The absolute address of a page of the app: under the configured site address (XUEFA_SITE_URL, the
    address participants use, whatever host the organizer reached), else the host of this request."""
    if settings.XUEFA_SITE_URL:
        return urljoin(settings.XUEFA_SITE_URL.rstrip("/") + "/", path.lstrip("/"))
    return request.build_absolute_uri(path)
