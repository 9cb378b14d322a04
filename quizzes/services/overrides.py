"""Exam-day operations: per-person overrides (extra time, extra attempts, a window of their own) and make-ups
(补考), each with a required reason and one audit event per action.

The terms become deadlines through the one rule in ``quizzes.timing``: a new attempt takes them at start,
and a grant or withdrawal recomputes the deadline of the affected people's attempts still in progress, so
that an extension reaches someone already sitting (to the second) and no one else's deadline moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditContext, audit_record, snapshot
from accounts.models import AuditEvent, User

from .. import caching, timing
from ..errors import InvalidOverride
from ..models import Attempt, Exam, ExamOverride
from ..selectors import person_sittings

OVERRIDE_FIELDS = ("opens_at", "closes_at", "extra_seconds", "extra_attempts", "reason")
MAX_EXTRA_SECONDS = 24 * 3600
MAX_PEOPLE = 20000


def _check(
    *,
    exam: Exam,
    kind: str,
    reason: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    extra_seconds: int,
    extra_attempts: int,
    people: int,
) -> None:
    problems: dict[str, list[Any]] = {}
    if not reason.strip():
        problems["reason"] = [_("请填写原因。")]
    if people == 0:
        problems["user_ids"] = [_("没有符合条件的人员。")]
    if kind == ExamOverride.Kind.MAKEUP:
        if exam.status == Exam.Status.DRAFT:
            problems["exam"] = [_("草稿考试不能安排补考。")]
        if opens_at is None or closes_at is None:
            problems["closes_at"] = [_("补考须指定开始时间和结束时间。")]
    elif not (opens_at or closes_at or extra_seconds or extra_attempts):
        problems["extra_seconds"] = [_("请至少调整一项：个人时间、延长时间或增加次数。")]
    if (opens_at or exam.opens_at) >= (closes_at or exam.closes_at):
        problems.setdefault("closes_at", []).append(_("结束时间必须晚于开始时间。"))
    if problems:
        raise InvalidOverride(next(iter(problems.values()))[0], fields=problems)


def _recompute_deadlines(*, exam: Exam, user_ids: Sequence[int]) -> int:
    """Set the deadline of the given people's attempts in progress from their overrides as they are now.
    Attempts are locked in id order (no deadlock with a concurrent grant); returns how many changed."""
    overrides: dict[int, list[ExamOverride]] = {}
    for override in ExamOverride.objects.filter(exam=exam, user_id__in=user_ids):
        overrides.setdefault(override.user_id, []).append(override)
    changed = []
    for attempt in (
        Attempt.objects.select_for_update()
        .filter(exam=exam, user_id__in=user_ids, status=Attempt.Status.IN_PROGRESS)
        .order_by("pk")
    ):
        sittings = person_sittings(exam=exam, overrides=overrides.get(attempt.user_id, []))
        deadline = timing.attempt_deadline(timing.sitting_of(sittings, makeup=attempt.is_makeup), attempt.started_at)
        if deadline != attempt.deadline:
            attempt.deadline = deadline
            changed.append(attempt)
    Attempt.objects.bulk_update(changed, ["deadline"], batch_size=1000)
    return len(changed)


@transaction.atomic
def overrides_grant(
    *,
    exam: Exam,
    user_ids: Sequence[int],
    kind: str = ExamOverride.Kind.OVERRIDE,
    reason: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    extra_seconds: int = 0,
    extra_attempts: int = 0,
    by: User | None = None,
    audit: AuditContext | None = None,
) -> list[ExamOverride]:
    """Give each of ``user_ids`` (already checked by ``access.access_people_of_exam``) these terms of
    ``kind``, replacing the terms of that kind they had. A make-up has a window of its own and at least one
    make-up attempt. One audit event names everyone and the reason."""
    user_ids = sorted(set(user_ids))
    if kind == ExamOverride.Kind.MAKEUP:
        extra_attempts = max(1, extra_attempts)
    _check(
        exam=exam,
        kind=kind,
        reason=reason,
        opens_at=opens_at,
        closes_at=closes_at,
        extra_seconds=extra_seconds,
        extra_attempts=extra_attempts,
        people=len(user_ids),
    )
    values = {
        "opens_at": opens_at,
        "closes_at": closes_at,
        "extra_seconds": extra_seconds,
        "extra_attempts": extra_attempts,
        "reason": reason.strip(),
        "created_by": by,
    }
    existing = {
        o.user_id: o
        for o in ExamOverride.objects.select_for_update().filter(exam=exam, kind=kind, user_id__in=user_ids)
    }
    replaced = {str(user_id): snapshot(o, OVERRIDE_FIELDS) for user_id, o in existing.items()}
    for override in existing.values():
        for name, value in values.items():
            setattr(override, name, value)
        override.save()
    ExamOverride.objects.bulk_create(
        [
            ExamOverride(exam=exam, user_id=user_id, kind=kind, **values)
            for user_id in user_ids
            if user_id not in existing
        ],
        batch_size=1000,
    )
    caching.overrides_changed(exam.pk)  # who holds an override: the cached exam's ``override_user_ids``
    moved = _recompute_deadlines(exam=exam, user_ids=user_ids)
    after = snapshot(ExamOverride(**values), OVERRIDE_FIELDS) | {
        "kind": kind,
        "user_ids": user_ids,
        "deadlines_changed": moved,
    }
    audit_record(
        context=audit,
        action=AuditEvent.Action.EXAM_MAKEUP if kind == ExamOverride.Kind.MAKEUP else AuditEvent.Action.EXAM_OVERRIDE,
        unit=exam.unit,
        target=exam,
        before={"replaced": replaced} if replaced else None,
        after=after,
    )
    return list(ExamOverride.objects.filter(exam=exam, kind=kind, user_id__in=user_ids).select_related("user"))


@transaction.atomic
def override_delete(*, override: ExamOverride, reason: str, audit: AuditContext | None = None) -> None:
    """Withdraw an override or make-up; the person's attempt in progress gets back the deadline their
    remaining terms give (already past: the next write or the timer finalises it, stamped then)."""
    if not reason.strip():
        raise InvalidOverride(_("请填写原因。"), fields={"reason": [_("请填写原因。")]})
    exam = override.exam
    before = snapshot(override, OVERRIDE_FIELDS) | {"kind": override.kind, "user_id": override.user_id}
    override.delete()
    caching.overrides_changed(exam.pk)  # a start of theirs need not read their overrides again
    moved = _recompute_deadlines(exam=exam, user_ids=[override.user_id])
    audit_record(
        context=audit,
        action=AuditEvent.Action.EXAM_OVERRIDE_DELETE,
        unit=exam.unit,
        target=exam,
        before=before,
        after={"reason": reason.strip(), "deadlines_changed": moved},
    )
