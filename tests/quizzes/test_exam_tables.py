"""How the exam's tables are laid out for its storms. A paper's rows reference their attempt without a database
constraint (docs/adr/0016): Django's cascade is what keeps them from outliving it, so every way an attempt goes
must take its paper with it. Answers leave room on their pages for updates in place (migration 0013)."""

from __future__ import annotations

import pytest
from django.db import connection

from quizzes.models import Answer, Attempt, AttemptQuestion
from quizzes.services.attempts import answer_save, attempt_start

pytestmark = pytest.mark.django_db


def _started(exam, user) -> Attempt:
    attempt, _ = attempt_start(exam=exam, user=user)
    question = attempt.paper.earliest("position")
    answer_save(attempt_id=attempt.pk, user=user, question_id=question.question_id, choices=["A"], seq=1)
    return attempt


def test_deleting_an_attempt_deletes_its_paper_and_answers(exam, people):
    mine, theirs = _started(exam, people.alice), _started(exam, people.bob)
    assert AttemptQuestion.objects.filter(attempt=mine).count() == 7  # the exam fixture: 7 questions

    Attempt.objects.filter(pk=mine.pk).delete()  # as the admin's delete does

    assert not AttemptQuestion.objects.filter(attempt_id=mine.pk).exists()
    assert not Answer.objects.filter(attempt_id=mine.pk).exists()
    assert AttemptQuestion.objects.filter(attempt=theirs).count() == 7  # nobody else's


def test_deleting_a_person_deletes_their_papers(exam, people):
    attempt = _started(exam, people.alice)
    people.alice.delete()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not AttemptQuestion.objects.filter(attempt_id=attempt.pk).exists()


def test_the_database_has_no_constraint_from_paper_to_attempt_but_keeps_the_one_to_questions():
    table = AttemptQuestion._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    targets = {tuple(c["foreign_key"]) for c in constraints.values() if c["foreign_key"]}
    assert (Attempt._meta.db_table, "id") not in targets
    assert ("quizzes_question", "id") in targets
    # still indexed: the paper's unique (attempt, position) leads with it (tests/test_schema_indexes.py)
    assert any((c["index"] or c["unique"]) and c["columns"][:1] == ["attempt_id"] for c in constraints.values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage parameter")
def test_answers_leave_room_on_their_pages_for_updates_in_place():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Answer._meta.db_table])
        assert "fillfactor=70" in (cursor.fetchone()[0] or [])
