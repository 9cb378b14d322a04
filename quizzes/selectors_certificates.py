"""Reads of certificates (合格证书): by code for the public verification, one person's, a unit subtree's for
the zip, and the facts a certificate shows. Every function reads a bounded number of queries at any size."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User

from . import certificates, scoring
from .certificate_pdf import CertificateFacts
from .models import Certificate, Exam

CHUNK = 500
_RELATED = ("exam", "exam__unit", "user", "user__unit", "attempt")


@dataclass(frozen=True)
class Verification:
    """What the public verification of a code shows: no account, phone, unit or score."""

    code: str
    valid: bool
    name: str | None
    exam_title: str
    grade: str
    exam_date: date
    issued_on: date
    revoked_on: date | None


def certificate_by_code(text: str) -> Certificate | None:
    """The certificate of a verification code as typed or scanned (``certificates.normalise_code``)."""
    code = certificates.normalise_code(text)
    if code is None:
        return None
    return Certificate.objects.select_related(*_RELATED).filter(code=code).first()


def verification(certificate: Certificate) -> Verification:
    exam, attempt = certificate.exam, certificate.attempt
    return Verification(
        code=certificates.format_code(certificate.code),
        valid=certificate.is_valid,
        name=certificates.verified_name(exam.leaderboard_names, certificate.user.real_name),
        exam_title=exam.title,
        grade=_grade(exam, attempt.score, attempt.max_score),
        exam_date=timezone.localdate(attempt.submitted_at or certificate.issued_at),
        issued_on=timezone.localdate(certificate.issued_at),
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
    )


def valid_certificates(*, exam: Exam) -> QuerySet[Certificate]:
    return Certificate.objects.filter(exam=exam, revoked_at=None).select_related(*_RELATED)


def certificate_of(*, exam: Exam, user_id: int, within: Unit | None = None) -> Certificate | None:
    """The valid certificate of a person for ``exam``; with ``within``, only if the person's unit lies in
    that unit's subtree."""
    rows = valid_certificates(exam=exam).filter(user_id=user_id)
    if within is not None:
        rows = rows.filter(scopes.subtree_q(within, "user__unit"))
    return rows.first()


def unit_names(root: Unit) -> dict[str, str]:
    """Names of the units of ``root``'s subtree and of its ancestors, by path: one query, for labels."""
    ancestors = scopes.ancestor_paths(root)
    rows = Unit.objects.filter(scopes.subtree_q(root) | Q(path__in=ancestors))
    return dict(rows.values_list("path", "name"))


def unit_label(unit: Unit | None, names: Mapping[str, str]) -> str:
    """A person's unit as printed: its ancestors' names below the city, then its own (沙溪镇 + 党政办 →
    沙溪镇党政办), a name that already starts with its parent's not repeating it."""
    if unit is None:
        return ""
    paths = scopes.ancestor_paths(unit)
    label = ""
    for path in paths[1:] or paths:
        name = names.get(path, "")
        label = name if name.startswith(label) else label + name  # 南关镇 + 南关镇党政办: once
    return label


def certificate_facts(
    certificate: Certificate, *, names: Mapping[str, str], verify_url: Callable[[str], str]
) -> CertificateFacts:
    exam, attempt, user = certificate.exam, certificate.attempt, certificate.user
    return CertificateFacts(
        code=certificate.code,
        name=user.real_name or user.username,
        unit=unit_label(user.unit, names),
        exam_title=exam.title,
        score=_number(attempt.score),
        grade=_grade(exam, attempt.score, attempt.max_score),
        exam_date=timezone.localdate(attempt.submitted_at or certificate.issued_at),
        issued_on=timezone.localdate(certificate.issued_at),
        issuer=exam.unit.name,
        verify_url=verify_url(certificate.code),
    )


def person_certificate_facts(certificate: Certificate, *, verify_url: Callable[[str], str]) -> CertificateFacts:
    """The facts of one certificate: two queries (the certificate was read with its relations)."""
    user: User = certificate.user
    root = user.unit or certificate.exam.unit
    names = dict(Unit.objects.filter(path__in=scopes.ancestor_paths(root)).values_list("path", "name"))
    return certificate_facts(certificate, names=names, verify_url=verify_url)


def subtree_certificates(
    *, exam: Exam, unit: Unit, verify_url: Callable[[str], str]
) -> Iterator[tuple[str, CertificateFacts]]:
    """``(file name, facts)`` of every valid certificate of ``unit``'s subtree, by unit and name, read in
    chunks: two queries per ``CHUNK`` certificates, and one for the unit names."""
    names = unit_names(unit)
    rows = (
        valid_certificates(exam=exam)
        .filter(scopes.subtree_q(unit, "user__unit"))
        .order_by("user__unit__path", "user__real_name", "user_id")
    )
    for certificate in rows.iterator(chunk_size=CHUNK):
        facts = certificate_facts(certificate, names=names, verify_url=verify_url)
        yield _filename(facts), facts


def _filename(facts: CertificateFacts) -> str:
    """单位-姓名-编号.pdf, without the characters that file systems refuse."""
    stem = "-".join(part for part in (facts.unit, facts.name, certificates.format_code(facts.code)) if part)
    return "".join("_" if char in '\\/:*?"<>|' or ord(char) < 32 else char for char in stem) + ".pdf"


def _grade(exam: Exam, score: Decimal | None, max_score: Decimal) -> str:
    return scoring.grade_band(scoring.percent_of(score or Decimal(0), max_score), exam.grade_bands)


def _number(value: Decimal | None) -> str:
    """A score without trailing zeros: 92.50 → 92.5, 100.00 → 100."""
    text = f"{value or Decimal(0):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
