"""``quizzes.rawsql``: written-out reads give the instances and values the ORM gives, and rows packed into one
JSON parameter arrive as they were sent, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model

from accounts.models import User
from quizzes import leaderboards, rawsql
from quizzes.models import Attempt, DrawRule, Exam, ExamOverride, Question, WrongAnswer
from quizzes.services.attempts import attempt_start
from quizzes.services.exams import RuleSpec, exam_create, exam_publish
from tests.conftest import People, Tree

pytestmark = pytest.mark.django_db


def fields_of(instance: Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_instances_equal_what_the_orm_loads(tree: Tree, bank: Any, people: People) -> None:
    now = datetime.now(UTC)
    exam = exam_publish(
        exam=exam_create(
            unit=tree.city,
            created_by=people.organizer,
            audience_units=[tree.city],
            rules=[
                RuleSpec(kind="single", bank_id=bank.pk, count=2, points=Decimal("12.5")),
                RuleSpec(kind="judge", bank_id=bank.pk, count=1, points=Decimal(5)),
            ],
            title="写出的读取",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            time_limit_seconds=600,
            composition=Exam.Composition.RANDOM,
        )
    )
    ExamOverride.objects.create(
        exam=exam, user=people.alice, kind="override", extra_seconds=90, reason="视力障碍", created_by=people.organizer
    )
    attempt_start(exam=exam, user=people.alice)
    ids = list(Question.objects.filter(bank=bank).values_list("pk", flat=True))
    cases: list[tuple[list[Any], list[Any]]] = [
        (rawsql.instances(Exam, id=exam.pk), list(Exam.objects.filter(pk=exam.pk))),
        (rawsql.instances(Attempt, exam=exam.pk, user=people.alice.pk), list(Attempt.objects.filter(exam=exam))),
        (rawsql.instances(ExamOverride, exam=exam.pk, user=people.alice.pk), list(ExamOverride.objects.all())),
        (
            rawsql.instances(DrawRule, exam=exam.pk, order_by=("position", "id")),
            list(DrawRule.objects.filter(exam=exam).order_by("position", "id")),
        ),
        (rawsql.instances(Question, in_ids=ids[1:]), list(Question.objects.filter(pk__in=ids[1:]))),
        (rawsql.instances(User, id=people.alice.pk), [User.objects.get(pk=people.alice.pk)]),
        (rawsql.instances(User, id=-1), []),
    ]
    for ours, orms in cases:
        assert sorted((fields_of(i) for i in ours), key=str) == sorted((fields_of(i) for i in orms), key=str)
        assert all(not i._state.adding and i._state.db == connection.alias for i in ours)  # loaded, as from the ORM
    assert len(cases[3][0]) == 2 and len(cases[4][0]) == len(ids) - 1
    assert isinstance(cases[1][0][0].deadline, datetime) and cases[1][0][0].deadline.tzinfo is not None


def test_packed_rows_keep_microseconds_decimals_json_and_text(people: People, bank: Any) -> None:
    """The wrong-answer book's upsert sends its rows packed: what is read back is what was sent."""
    at = datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=UTC)
    question = Question.objects.filter(bank=bank).first()
    assert question is not None
    columns = ("user_id", "question_id", "choices", "wrong_count", "right_streak", "from_practice", "last_wrong_at")
    types = ("bigint", "bigint", "json", "integer", "integer", "boolean", "timestamptz")
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(WrongAnswer._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
            f"SELECT {rawsql.rows_of_packed(types)}",
            [rawsql.packed_rows([[people.alice.pk, question.pk, ["A", "C"], 2, 0, True, at]])],
        )
    row = WrongAnswer.objects.get(user=people.alice, question=question)
    assert (row.choices, row.wrong_count, row.from_practice, row.last_wrong_at) == (["A", "C"], 2, True, at)
    assert WrongAnswer.objects.filter(last_wrong_at=at).count() == 1  # stored as the ORM stores it: it finds it


def test_insert_stores_what_save_would_and_sets_the_key(tree: Tree, bank: Any, people: People) -> None:
    from tests.conftest import make_exam

    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    at = datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=UTC)

    def new(user: User) -> Attempt:
        return Attempt(
            exam=exam,
            user=user,
            number=1,
            started_at=at,
            deadline=at + timedelta(minutes=30),
            max_score=Decimal("12.5"),
        )

    ours, theirs = rawsql.insert(new(people.alice)), new(people.bob)
    theirs.save()
    assert ours.pk is not None and not ours._state.adding
    stored, saved = Attempt.objects.get(pk=ours.pk), Attempt.objects.get(pk=theirs.pk)
    assert fields_of(stored) == fields_of(ours) | {"user_id": people.alice.pk}
    assert {k: v for k, v in fields_of(stored).items() if k not in ("id", "user_id")} == {
        k: v for k, v in fields_of(saved).items() if k not in ("id", "user_id")
    }


def test_update_stores_the_named_fields_as_save_would(tree: Tree, bank: Any, people: People) -> None:
    from tests.conftest import make_exam

    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    attempt.status, attempt.score, attempt.passed = Attempt.Status.SUBMITTED, Decimal("66.5"), True
    attempt.submitted_at = attempt.started_at + timedelta(seconds=61, microseconds=7)
    attempt.leave_count = 3  # not named: not written
    rawsql.update(attempt, ["status", "score", "passed", "submitted_at"])
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.status, stored.score, stored.passed, stored.submitted_at, stored.leave_count) == (
        Attempt.Status.SUBMITTED,
        Decimal("66.5"),
        True,
        attempt.submitted_at,
        0,
    )


def test_the_models_written_out_have_no_receivers_that_the_writes_would_skip() -> None:
    """``rawsql.insert`` and ``rawsql.update`` send no signals: they are used for attempts only while nothing
    listens to an attempt's saves (the audit log is written by the services themselves, accounts/audit.py). A
    receiver added later fails here, and must then be called by the service itself (or the write go back to
    ``save()``)."""
    from django.db.models.signals import post_save, pre_save

    assert not pre_save.has_listeners(Attempt) and not post_save.has_listeners(Attempt)


def test_lock_takes_the_row_and_says_whether_it_exists(people: People) -> None:
    with transaction.atomic():
        assert rawsql.lock(User, people.alice.pk) is True
        assert rawsql.lock(User, -1) is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_unit_rankings_aggregates_are_planned_for_their_subtree_every_time(tree: Tree, exam: Exam) -> None:
    """A statement run five times on a connection is prepared there (``prepare_threshold``), and PostgreSQL may then
    plan it once for any parameters: for an aggregate over a subtree (``path LIKE %s``) that plan guessed one unit
    and ran 5–13 times slower at a city's size. The unit ranking's aggregates are planned for their own parameters
    each time (``rawsql.planned_each_time``), while the statements around them are prepared as before."""

    def prepared(fragment: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
            return [row[0] for row in cursor.fetchall()]

    threshold = connection.connection.prepare_threshold
    if threshold is None:
        pytest.skip("DATABASE_PREPARE_THRESHOLD=off: nothing is prepared")
    for _ in range(threshold + 3):
        leaderboards.leaderboard_units(exam=exam)
    assert prepared('AS "unit__path", COUNT("accounts_user"."id") AS "n"') == []  # the headcounts
    assert prepared('AS "extra"') == []  # the attempts' figures
    assert prepared('FROM "accounts_unit" WHERE "accounts_unit"."parent_id"')  # the child units: prepared
    with rawsql.planned_each_time():
        assert connection.connection.prepare_threshold is None
    assert connection.connection.prepare_threshold == threshold
