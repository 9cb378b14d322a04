"""manage.py purge: old import batches, expired sessions and the answers of long-closed exams go; scores stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.models import RosterImport
from quizzes.models import Answer, Attempt, Exam, ImportBatch
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.retention import retention_purge
from tests.conftest import People, Tree

pytestmark = pytest.mark.django_db


def _finished_attempt(exam: Exam, people: People) -> Attempt:
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    first = attempt.paper.order_by("position").first()
    assert first is not None
    answer_save(attempt_id=attempt.pk, user=people.alice, question_id=first.question_id, choices=["A"], seq=1)
    return attempt_submit(attempt_id=attempt.pk, user=people.alice)


@pytest.fixture
def old_things(tree: Tree, people: People, exam: Exam, bank) -> dict[str, object]:
    now = timezone.now()
    long_ago = now - timedelta(days=400)
    attempt = _finished_attempt(exam, people)
    Exam.objects.filter(pk=exam.pk).update(opens_at=long_ago - timedelta(days=1), closes_at=long_ago)
    batches = {
        "committed_old": ImportBatch.objects.create(bank=bank, filename="a.csv", file_format="csv", status="committed"),
        "previewed_old": ImportBatch.objects.create(bank=bank, filename="b.csv", file_format="csv"),
        "previewed_new": ImportBatch.objects.create(bank=bank, filename="c.csv", file_format="csv"),
    }
    ImportBatch.objects.filter(pk=batches["committed_old"].pk).update(
        created_at=long_ago, committed_at=now - timedelta(days=31)
    )
    ImportBatch.objects.filter(pk=batches["previewed_old"].pk).update(created_at=now - timedelta(days=31))
    roster = RosterImport.objects.create(unit=tree.town_a, filename="r.csv", file_format="csv")
    RosterImport.objects.filter(pk=roster.pk).update(created_at=now - timedelta(days=31))
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=now - timedelta(minutes=1))
    Session.objects.create(session_key="y" * 32, session_data="", expire_date=now + timedelta(hours=1))
    return {"attempt": attempt, "batches": batches}


def test_dry_run_counts_and_deletes_nothing(old_things: dict[str, object]) -> None:
    counts = retention_purge(batch_days=30, answer_days=365, dry_run=True)
    assert (counts.question_import_batches, counts.roster_import_batches) == (2, 1)
    assert (counts.expired_sessions, counts.answers) == (1, 1)
    assert ImportBatch.objects.count() == 3 and RosterImport.objects.count() == 1
    assert Session.objects.count() == 2 and Answer.objects.count() == 1


def test_purge_keeps_scores_and_what_is_recent(old_things: dict[str, object]) -> None:
    attempt = old_things["attempt"]
    assert isinstance(attempt, Attempt)
    retention_purge(batch_days=30, answer_days=365)
    assert list(ImportBatch.objects.values_list("filename", flat=True)) == ["c.csv"]
    assert not RosterImport.objects.exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
    assert not Answer.objects.exists()
    kept = Attempt.objects.get(pk=attempt.pk)
    assert (kept.score, kept.passed, kept.is_counted) == (attempt.score, attempt.passed, True)


def test_answers_of_recent_exams_and_a_zero_setting_are_kept(old_things: dict[str, object]) -> None:
    assert retention_purge(batch_days=30, answer_days=500).answers == 0  # closed 400 days ago
    out = StringIO()
    call_command("purge", "--answer-days", "0", stdout=out)
    assert "answers are kept" in out.getvalue() and Answer.objects.count() == 1
    out = StringIO()
    call_command("purge", "--dry-run", "--answer-days", "365", stdout=out)
    assert out.getvalue().startswith("would delete: 0 question import batches") and Answer.objects.count() == 1
