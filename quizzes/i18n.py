"""Locale-dependent glue of messages: how a list inside a message is joined."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable[object]) -> str:
    """Items named in a message: "3、5、8" in Chinese, "3, 5, 8" in English."""
    return pgettext("list separator", "、").join(map(str, items))


def join_clauses(items: Iterable[object]) -> str:
    """Whole messages run together: "…；…" in Chinese, "…; …" in English."""
    return pgettext("clause separator", "；").join(map(str, items))
