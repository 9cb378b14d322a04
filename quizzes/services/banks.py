from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import AuditContext, audit_record, changed, snapshot
from accounts.models import AuditEvent, Unit, User

from .. import caching
from ..errors import BankNameTaken, InvalidQuestion
from ..models import Question, QuestionBank, Tag
from ..questions import normalise_question_fields, question_validate
from ..selectors_laws import citation_errors


def bank_create(*, name: str, unit: Unit, description: str = "", created_by: User | None = None) -> QuestionBank:
    if QuestionBank.objects.filter(unit=unit, name=name).exists():
        raise BankNameTaken(fields={"name": [_("本单位已有名为“%(name)s”的题库。") % {"name": name}]})
    bank = QuestionBank.objects.create(name=name, unit=unit, description=description, created_by=created_by)
    caching.questions_changed()  # a recreated database reuses bank ids: never draw from a bank cached for another
    return bank


@transaction.atomic
def bank_update(*, bank: QuestionBank, name: str | None = None, description: str | None = None) -> QuestionBank:
    """Rename a bank or change its description; the name stays unique within its unit."""
    if name is not None and name != bank.name:
        if QuestionBank.objects.filter(unit_id=bank.unit_id, name=name).exclude(pk=bank.pk).exists():
            raise BankNameTaken(fields={"name": [_("本单位已有名为“%(name)s”的题库。") % {"name": name}]})
        bank.name = name
    if description is not None:
        bank.description = description
    bank.save(update_fields=["name", "description"])
    return bank


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    wanted = sorted({n.strip() for n in names if n and n.strip()})
    if not wanted:
        return []
    existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    missing = [Tag(name=n) for n in wanted if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    return [existing[n] for n in wanted]


def _clean_question(
    *, bank: QuestionBank, kind: str, stem: str, options: Sequence[str], answer: Sequence[str], legal_basis: str
) -> tuple[list[str], list[str]]:
    """Options and answer in stored form, or ``InvalidQuestion`` naming every wrong field (a legal basis
    citing an article that the library's current edition of its law does not have among them)."""
    clean_options, letters = normalise_question_fields(kind=kind, options=options, answer=answer)
    errors = question_validate(kind=kind, stem=stem, options=clean_options, answer=letters)
    citations = citation_errors(unit_id=bank.unit_id, legal_bases=[legal_basis])[0] if legal_basis else []
    if citations:
        errors = {**errors, "legal_basis": citations}
    if errors:
        raise InvalidQuestion(fields=errors)
    return clean_options, letters


QUESTION_AUDITED = (
    "kind",
    "stem",
    "options",
    "answer",
    "explanation",
    "legal_basis",
    "difficulty",
    "exclusion_group",
    "is_active",
)


@transaction.atomic
def question_create(
    *, bank: QuestionBank, tags: Iterable[str] = (), audit: AuditContext | None = None, **fields: Any
) -> Question:
    options, answer = _clean_question(
        bank=bank,
        kind=fields["kind"],
        stem=fields["stem"],
        options=fields.get("options", []),
        answer=fields.get("answer", []),
        legal_basis=fields.get("legal_basis", ""),
    )
    fields.update(options=options, answer=answer)
    question = Question.objects.create(bank=bank, **fields)
    caching.questions_changed()  # a new candidate for the draw rules
    tag_objs = tags_get_or_create(tags)
    if tag_objs:
        question.tags.set(tag_objs)
    after = snapshot(question, QUESTION_AUDITED)
    audit_record(context=audit, action=AuditEvent.Action.QUESTION_CREATE, unit=bank.unit, target=question, after=after)
    return question


@transaction.atomic
def question_update(
    *, question: Question, tags: Iterable[str] | None = None, audit: AuditContext | None = None, **fields: Any
) -> Question:
    """Edit a bank question. Attempts already started keep their frozen copy (see ``exam_regrade_question``)."""
    options, answer = _clean_question(
        bank=question.bank,
        legal_basis=fields.get("legal_basis", question.legal_basis),
        kind=fields.get("kind", question.kind),
        stem=fields.get("stem", question.stem),
        options=fields.get("options", question.options),
        answer=fields.get("answer", question.answer),
    )
    fields.update(options=options, answer=answer)
    old = snapshot(question, QUESTION_AUDITED)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    caching.questions_changed()
    if tags is not None:
        question.tags.set(tags_get_or_create(tags))
    before, after = changed(old, snapshot(question, QUESTION_AUDITED))
    audit_record(
        context=audit,
        action=AuditEvent.Action.QUESTION_UPDATE,
        unit=question.bank.unit,
        target=question,
        before=before,
        after=after,
    )
    return question
