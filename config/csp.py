"""django-csp's middleware with the site's own policy built once.

django-csp builds the Content-Security-Policy header from the settings on every response, twice (the policy
and the report-only one): about a twentieth of a cheap authenticated read (``GET /me``) at an exam's opening
(issue 9's profile). Most responses carry the site's policy unchanged, so ``CSPMiddleware`` keeps that header
string, built by django-csp itself, until the settings change (``setting_changed``: tests override them). A
response that changes its policy (``csp.decorators``: the API docs allow inline styles), exempts itself, asks
for a nonce, or a site with a report-only policy, URL prefixes left out or DEBUG's bare error pages, goes
through django-csp's own ``process_response`` unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# what a response or a request carries when a view changes the policy or asks for a nonce
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@cache
def site_policy() -> str | None:
    """The site's header, or None when the settings need django-csp's own path on every response."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    if (
        settings.DEBUG
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or policy.get("EXCLUDE_URL_PREFIXES")
    ):
        return None
    return build_policy()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        site_policy.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy = site_policy()
        if (
            policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if policy and HEADER not in response:
            response[HEADER] = policy
        # as django-csp does: a nonce asked for after the header is written is an error, not a silent gap
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
