"""The API's one renderer: DRF's ``JSONRenderer`` with its encoding done by orjson.

Every API answer is rendered here (``DEFAULT_RENDERER_CLASSES``), and so are the rows that leaderboards keep as
JSON (``api.serializers.exams.person_rows_json``, the unit board) and the answers joined from them
(``api.negotiation.json_with_rendered``). DRF's renderer builds a new ``json.JSONEncoder`` for each answer, parses
the ``Accept`` header for an ``indent`` and encodes a ``str`` that is then encoded again to bytes: about 25 µs of a
worker's CPU in a ``GET /api/v1/me`` of 0.52 ms, in process (issue 9). orjson writes the bytes at once.

The bytes are DRF's for everything the API's serializers produce (strings, numbers, booleans, null, lists and
objects; no spaces, non-ASCII as UTF-8, U+2028 and U+2029 escaped). What orjson would write otherwise goes through
DRF's encoder instead (``default``), so it is written as DRF writes it: date-times (``Z`` for UTC), dates, times,
decimals, lazy translations, UUIDs. Keys that are not strings are written as strings, as ``json`` does. Where the
two differ, nothing in the API reaches: orjson writes a float's exponent without ``+`` (``1e16``), refuses integers
beyond 64 bits, and writes NaN as ``null`` where DRF's strict JSON refuses it. ``indent`` in ``Accept`` is not
honoured (the API negotiates nothing: api/negotiation.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_default = JSONEncoder().default  # DRF's, for what orjson passes through or cannot write
_SEPARATORS = ("\u2028".encode(), "\u2029".encode())


def dumps(data: Any) -> bytes:
    """``data`` as JSON bytes, as the API answers it."""
    text = orjson.dumps(data, default=_default, option=_OPTIONS)
    if _SEPARATORS[0] in text or _SEPARATORS[1] in text:  # valid JSON, but not inside a JavaScript string literal
        text = text.replace(_SEPARATORS[0], b"\\u2028").replace(_SEPARATORS[1], b"\\u2029")
    return text


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        return b"" if data is None else dumps(data)
