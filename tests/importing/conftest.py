from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from accounts.models import Unit, User
from accounts.services import unit_create, user_create
from quizzes.importing.template import COLUMNS
from quizzes.models import QuestionBank
from quizzes.services.banks import bank_create

PASSWORD = "Xuefa-test-2024!"


@pytest.fixture
def city(db: None) -> Unit:
    return unit_create(name="全市", kind=Unit.Kind.CITY)


@pytest.fixture
def town(city: Unit) -> Unit:
    return unit_create(name="东城镇", parent=city, kind=Unit.Kind.TOWN)


@pytest.fixture
def other_town(city: Unit) -> Unit:
    return unit_create(name="西城街道", parent=city, kind=Unit.Kind.STREET)


@pytest.fixture
def organizer(town: Unit) -> User:
    return user_create(username="org-east", password=PASSWORD, unit=town, role=User.Role.ORGANIZER)


@pytest.fixture
def other_organizer(other_town: Unit) -> User:
    return user_create(username="org-west", password=PASSWORD, unit=other_town, role=User.Role.ORGANIZER)


@pytest.fixture
def participant(town: Unit) -> User:
    return user_create(username="13800000000", password=PASSWORD, unit=town)


@pytest.fixture
def bank(town: Unit, organizer: User) -> QuestionBank:
    return bank_create(name="东城镇民法典题库", unit=town, created_by=organizer)


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
