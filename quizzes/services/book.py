"""The exam side of the wrong-answer book (错题本): mistakes enter it when an attempt is finalised
(``attempt_finalise``). Its own module so that the attempt services need nothing else of learning."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from .. import rawsql
from ..models import Attempt, Exam, WrongAnswer


def book_collect_exam_mistakes(*, attempt: Attempt, exam: Exam, wrong: Sequence[tuple[int, list[str]]]) -> None:
    """Put the questions answered wrong in a finalised attempt into its owner's book, at finalisation.

    Collected at submit rather than when the review becomes visible, because that moment is a point in time
    (an exam closing), not a write anyone makes, and GETs never write (docs/adr/0009): the entry is kept with
    its ``attempt`` and shown only while the exam's review policy shows the key (``book_visible_q``, the query
    form of ``review_is_available``). One statement, its rows packed into one parameter (``rawsql``), and none
    when nothing was wrong or the review is never shown. The caller (``attempt_finalise``) already holds the
    marked answers: nothing is read.
    """
    if not wrong or exam.review_policy == Exam.ReviewPolicy.NEVER:
        return
    q = connection.ops.quote_name
    table = q(WrongAnswer._meta.db_table)
    columns = ["user_id", "question_id", "choices", "wrong_count", "right_streak", "from_practice"]
    columns += ["attempt_id", "last_wrong_at"]
    types = ("bigint", "bigint", "json", "integer", "integer", "boolean", "bigint", "timestamptz")
    rows = [
        [attempt.user_id, question_id, choices, 1, 0, False, attempt.pk, attempt.submitted_at]
        for question_id, choices in wrong
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) SELECT {rawsql.rows_of_packed(types)} WHERE true "
        f"ON CONFLICT ({q('user_id')}, {q('question_id')}) DO UPDATE SET "
        f"{q('choices')} = EXCLUDED.{q('choices')}, {q('wrong_count')} = {table}.{q('wrong_count')} + 1, "
        f"{q('right_streak')} = 0, {q('attempt_id')} = EXCLUDED.{q('attempt_id')}, "
        f"{q('last_wrong_at')} = EXCLUDED.{q('last_wrong_at')}, {q('retired_at')} = NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [rawsql.packed_rows(rows)])
