"""Retention: what the platform stops keeping once it has served its purpose.

- Import batches (questions and rosters), committed or abandoned at preview: they hold whole uploaded files
  (a roster's names, phones and hashed initial passwords) that nobody needs after the import.
- Expired login sessions.
- The answers (choices per question) of attempts in exams closed long ago. Scores, pass, time used and ranks
  stay on the attempts, so results, rankings and 学法档案 are unchanged; a review of such an attempt no longer
  shows what the person chose, and item statistics of the exam can no longer be computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import RosterImport

from ..models import Answer, Attempt, Exam, ImportBatch


@dataclass(frozen=True)
class PurgeCounts:
    question_import_batches: int
    roster_import_batches: int
    expired_sessions: int
    answers: int


def _old_batches[M: (ImportBatch, RosterImport)](queryset: QuerySet[M], before: datetime) -> QuerySet[M]:
    return queryset.filter(Q(committed_at__lt=before) | Q(committed_at__isnull=True, created_at__lt=before))


def retention_purge(
    *, batch_days: int, answer_days: int | None, dry_run: bool = False, now: datetime | None = None
) -> PurgeCounts:
    """Delete (or, with ``dry_run``, only count) what is older than the given ages.

    ``batch_days``: import batches committed, or left at preview, that many days ago. ``answer_days``: answers
    of attempts in exams that closed that many days ago; None keeps every answer.
    """
    now = now or timezone.now()
    batches_before = now - timedelta(days=batch_days)
    question_batches = _old_batches(ImportBatch.objects.all(), batches_before)
    roster_batches = _old_batches(RosterImport.objects.all(), batches_before)
    sessions = Session.objects.filter(expire_date__lt=now)
    answers = (
        Answer.objects.filter(attempt__exam__closes_at__lt=now - timedelta(days=answer_days))
        .exclude(attempt__exam__status=Exam.Status.DRAFT)
        .exclude(attempt__status=Attempt.Status.IN_PROGRESS)
        if answer_days is not None
        else Answer.objects.none()
    )
    counts = PurgeCounts(
        question_import_batches=question_batches.count(),
        roster_import_batches=roster_batches.count(),
        expired_sessions=sessions.count(),
        answers=answers.count(),
    )
    if dry_run:
        return counts
    with transaction.atomic():
        question_batches.delete()
        roster_batches.delete()
        answers.delete()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return counts
