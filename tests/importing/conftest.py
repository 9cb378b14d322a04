"""Fixtures of the import tests, on the shared unit tree and people of tests/conftest.py, and file builders."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from accounts.models import User
from quizzes.importing.template import COLUMNS
from quizzes.models import QuestionBank
from quizzes.services.banks import bank_create
from tests.conftest import People, Tree


@pytest.fixture
def town_organizer(people: People) -> User:
    """The organizer of 南关镇 (town A in the shared tree), who uploads into ``town_bank``."""
    return people.organizer_a


@pytest.fixture
def town_bank(tree: Tree, town_organizer: User) -> QuestionBank:
    """An empty bank of 南关镇 that the import tests fill (the shared ``bank`` is a full city bank)."""
    return bank_create(name="南关镇民法典题库", unit=tree.town_a, created_by=town_organizer)


def template_row(**fields: Any) -> list[Any]:
    """A row in template column order from keyword fields named like the headers (选项A → A)."""
    row: list[Any] = []
    for column in COLUMNS:
        key = column.removeprefix("选项") if column.startswith("选项") else column
        row.append(fields.get(key, ""))
    return row


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, header: Sequence[str] = COLUMNS, title: str = "试题") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(rows: Sequence[Sequence[Any]], *, header: Sequence[str] = COLUMNS) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    return xlsx_bytes
