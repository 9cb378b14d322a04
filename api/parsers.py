"""The API's JSON parser: orjson's (the body's bytes parsed at once, where DRF's reads them through a text decoder into
``json``), refusing absurd nesting with 400 ``malformed_request`` instead of a RecursionError (500).

A body is UTF-8 JSON (RFC 8259); anything else (another charset, NaN or Infinity, an integer beyond 64 bits, a
lone surrogate) is a 400 ``malformed_request`` that says what orjson found and where."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import orjson
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(value: Any) -> int:
    """How deep lists and objects nest in ``value`` (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            data = orjson.loads(stream.read())
        except orjson.JSONDecodeError as error:  # orjson stops at 1,024 levels, without recursing in Python
            raise ParseError(f"JSON parse error - {error}") from error
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(_("嵌套层数超过 %(depth)d。") % {"depth": MAX_DEPTH})
        return data


def text_nests_deeper_than(text: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON ``text`` opens more than ``limit`` lists/objects at once (brackets inside strings ignored),
    for bodies that other code parses (allauth's ``/_allauth/`` views), before its ``json.loads`` recurses."""
    depth, in_string, escaped = 0, False, False
    for byte in text:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # "
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False
