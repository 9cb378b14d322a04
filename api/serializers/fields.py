from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_ID = 2**63 - 1  # PostgreSQL bigint and SQLite INTEGER


class IdField(serializers.IntegerField):
    """A primary key in input: a positive integer the database can hold (else a field error, not a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
