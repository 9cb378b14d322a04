"""The API answers JSON only (``JSONRenderer``, the one renderer configured): ``JsonOnlyNegotiation`` picks it
without parsing the ``Accept`` header. DRF's default negotiation parses and ranks that header on every request,
about a twentieth of a cheap authenticated read (``GET /me``) at an exam's opening (issue 9's profile). People
read the API through the Swagger UI at /api/docs/, not DRF's browsable pages. A client that accepts only
something else still gets JSON, which HTTP allows (RFC 9110 §12.5.1: the server may disregard ``Accept``)."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JsonOnlyNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        choices = list(renderers)
        if len(choices) == 1:  # the API's JSON: nothing to choose
            return choices[0], choices[0].media_type
        return super().select_renderer(request, choices, format_suffix)  # type: ignore[no-any-return]
