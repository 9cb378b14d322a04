"""Certificates (合格证书) follow the counting attempt: issued when it passes, revoked when a regrade makes it
fail, reinstated with the same code when a later regrade makes it pass again. Called by the two writes
that change which attempt counts or whether it passes: ``attempt_finalise`` and ``exam_regrade_question``.
"""

from __future__ import annotations

from datetime import datetime

from accounts.audit import AuditContext, audit_record
from accounts.models import AuditEvent

from .. import certificates
from ..models import Attempt, Certificate, Exam


def certificate_sync(
    *,
    exam: Exam,
    user_id: int,
    counted: Attempt | None,
    now: datetime,
    audit: AuditContext | None = None,
    first_finish: bool = False,
) -> Certificate | None:
    """Make the person's certificate agree with their counting attempt ``counted`` (None: no finished
    attempt). Idempotent. Revocations and reinstatements are audited; first issues are not (they follow
    every passing submit and are visible as the certificate itself).

    ``first_finish``: the caller is finalising the person's first attempt at the exam, so no certificate
    can exist yet (one is only ever issued to a finished attempt, and attempts are never deleted while
    their exam is kept): the read is skipped, which saves the submit of almost every taker a query.

    Precondition: inside the caller's transaction, holding the lock that serialises the person's
    attempts (the attempt row lock of a submit, the regrade's locks)."""
    passed = counted is not None and counted.passed is True
    certificate = (
        None if first_finish else Certificate.objects.select_for_update().filter(exam=exam, user_id=user_id).first()
    )
    if certificate is None:
        if not passed:
            return None
        assert counted is not None
        return _issue(exam=exam, attempt=counted, now=now)
    if passed:
        assert counted is not None
        reinstated = certificate.revoked_at is not None
        if not reinstated and certificate.attempt_id == counted.pk:
            return certificate
        certificate.attempt, certificate.revoked_at = counted, None
        certificate.save(update_fields=["attempt", "revoked_at"])
        if reinstated:
            _audit(certificate, exam, AuditEvent.Action.CERTIFICATE_REINSTATE, audit, counted)
        return certificate
    if certificate.revoked_at is None:
        certificate.revoked_at = now
        certificate.save(update_fields=["revoked_at"])
        _audit(certificate, exam, AuditEvent.Action.CERTIFICATE_REVOKE, audit, counted)
    return certificate


def _issue(*, exam: Exam, attempt: Attempt, now: datetime) -> Certificate:
    # 60 random bits: two equal codes among a million certificates have a chance of about 4 in 10 million;
    # should it happen, the unique index refuses it and the submit, which is idempotent, is tried again
    return Certificate.objects.create(
        exam=exam, user_id=attempt.user_id, attempt=attempt, code=certificates.new_code(), issued_at=now
    )


def _audit(
    certificate: Certificate, exam: Exam, action: str, audit: AuditContext | None, counted: Attempt | None
) -> None:
    audit_record(
        context=audit,
        action=action,
        unit=exam.unit,
        target=certificate,
        target_repr=f"{exam.title} · {certificate.user_id}",
        before={"valid": action == AuditEvent.Action.CERTIFICATE_REVOKE},
        after={
            "valid": action != AuditEvent.Action.CERTIFICATE_REVOKE,
            "exam_id": exam.pk,
            "user_id": certificate.user_id,
            "attempt_id": counted.pk if counted is not None else None,
            "score": str(counted.score) if counted is not None else None,
        },
    )
