"""The API answers JSON only (``api.renderers.JSONRenderer``, the one renderer configured): ``JsonOnlyNegotiation``
picks it without parsing the ``Accept`` header. DRF's default negotiation parses and ranks that header on every request,
about a twentieth of a cheap authenticated read (``GET /me``) at an exam's opening (issue 9's profile). People
read the API through the Swagger UI at /api/docs/, not DRF's browsable pages. A client that accepts only
something else still gets JSON, which HTTP allows (RFC 9110 §12.5.1: the server may disregard ``Accept``).

``json_with_rendered`` joins JSON that this renderer rendered earlier and a cache kept into an answer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from .renderers import dumps


class JsonOnlyNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        choices = list(renderers)
        if len(choices) == 1:  # the API's JSON: nothing to choose
            return choices[0], choices[0].media_type
        return super().select_renderer(request, choices, format_suffix)  # type: ignore[no-any-return]


def json_with_rendered(data: dict[str, Any], rendered: dict[str, bytes | list[bytes] | None]) -> bytes:
    """``data`` as the API renders it (``JSONRenderer``), with the members of ``rendered`` added as JSON rendered
    before and kept (a cached leaderboard's rows): bytes as the value, a list of bytes as an array, None as null.
    A cached read then joins bytes instead of unpickling and encoding its rows again."""
    members = [dumps(data)[1:-1]]  # data's members, without the braces
    for name, value in rendered.items():
        if isinstance(value, list):
            value = b"[" + b",".join(value) + b"]"
        members.append(dumps(name) + b":" + (b"null" if value is None else value))
    return b"{" + b",".join(member for member in members if member) + b"}"
