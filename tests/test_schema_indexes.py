"""No index that another index of the same table makes redundant (PostgreSQL's catalog).

Every index costs each INSERT into its table, and each UPDATE that PostgreSQL cannot make in place (a HOT update).
Django gives every foreign key an index of its own. On the tables that an exam day writes, that index was often
the leading column of a unique constraint of the same table, which serves every lookup the single-column index
could:
- a start's 25 paper rows (``AttemptQuestion``: attempt, position);
- each answer's first autosave (``Answer``: attempt, question);
- a submit's attempt and its rows in the wrong-answer book (``Attempt``: exam, person, number;
  ``WrongAnswer``: person, question).
Those single-column indexes are dropped (``db_index=False`` on the key), here and wherever the rule finds one.
The many-to-many tables Django creates are left as Django makes them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalog"),
]

OWN_APPS = ("accounts", "quizzes")

# each index: its table, name, columns (0 for an expression), operator classes, unique, partial
INDEXES = """
SELECT t.relname, i.relname, x.indkey::int2[], x.indclass::oid[], x.indisunique, x.indpred IS NOT NULL
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = ANY(%s)
"""


def redundant_indexes() -> list[str]:
    """Indexes, neither unique nor partial, whose columns (and operator classes) lead another index of the same
    table that is not partial: that index serves every lookup they could."""
    tables = [
        model._meta.db_table
        for label in OWN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=False)
    ]
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [tables])
        rows = cursor.fetchall()
    found = []
    for table, name, columns, classes, unique, partial in rows:
        if unique or partial or 0 in columns:
            continue
        width = len(columns)
        for other_table, other, other_columns, other_classes, _unique, other_partial in rows:
            if (
                other_table == table
                and other != name
                and not other_partial
                and len(other_columns) > width
                and list(other_columns[:width]) == list(columns)
                and list(other_classes[:width]) == list(classes)
            ):
                found.append(f"{table}.{name} (led by {other})")
                break
    return sorted(found)


def test_no_index_is_the_leading_part_of_another() -> None:
    assert redundant_indexes() == []


def test_the_rule_finds_an_index_that_another_leads() -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX "answer_attempt_again" ON "quizzes_answer" ("attempt_id")')
    assert redundant_indexes() == ["quizzes_answer.answer_attempt_again (led by answer_unique_question)"]
