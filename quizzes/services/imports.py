"""Question import (upload → preview → commit) and export of a bank in the Excel template.

The preview stores what it parsed in an ``ImportBatch`` so that commit writes exactly what the
organizer saw. Formats and messages: docs/import-formats.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import AuditContext, audit_record
from accounts.models import AuditEvent, User

from .. import caching
from ..errors import ImportAlreadyCommitted, ImportHasErrors
from ..importing.dedupe import flag_duplicates
from ..importing.files import parse_file
from ..importing.template import questions_to_xlsx
from ..importing.types import FIELD_LABELS, Issue, ParsedQuestion
from ..models import ImportBatch, Question, QuestionBank
from ..quality import QualityQuestion, question_warnings
from ..questions import normalise_question_fields
from ..selectors_laws import citation_errors
from .banks import tags_get_or_create


def _bank_texts(bank: QuestionBank) -> list[tuple[int, str, str, list[str]]]:
    return list(Question.objects.filter(bank=bank).values_list("pk", "kind", "stem", "options"))


def _flag_quality(questions: Sequence[ParsedQuestion]) -> None:
    """The quality report's per-question checks (``quality.question_warnings``) as preview warnings."""
    for question in questions:
        for warning in question_warnings(QualityQuestion.from_fields(question.line, question.fields())):
            question.warnings.append(Issue(question.line, FIELD_LABELS[warning.field], warning.code, warning.message))


def _flag_citations(bank: QuestionBank, questions: Sequence[ParsedQuestion]) -> None:
    """A cited article that the library's current edition of its law lacks is an error of the 法条依据
    column (docs/import-formats.md §10); laws not in the library are not checked. Two queries."""
    found = citation_errors(unit_id=bank.unit_id, legal_bases=[q.legal_basis for q in questions])
    for question, messages in zip(questions, found, strict=True):
        for message in messages:
            question.errors.append(Issue(question.line, FIELD_LABELS["legal_basis"], "citation_not_found", message))


def import_preview(*, bank: QuestionBank, uploaded_by: User | None, filename: str, content: bytes) -> ImportBatch:
    """Parse an uploaded file and keep the result for review.

    Raises ``ImportFileError`` (nothing stored) when the file as a whole cannot be used: empty, corrupt,
    encrypted, of the wrong type, or without the template's header.
    """
    result = parse_file(filename=filename, content=content)
    flag_duplicates(result.questions, _bank_texts(bank))
    _flag_quality(result.questions)
    _flag_citations(bank, result.questions)
    items = [q.to_item() for q in result.questions]
    return ImportBatch.objects.create(
        bank=bank,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        file_format=result.file_format,
        items=items,
        file_warnings=[i.to_dict() for i in result.file_warnings],
        error_count=sum(len(q.errors) for q in result.questions),
        warning_count=sum(len(q.warnings) for q in result.questions) + len(result.file_warnings),
    )


def questions_bulk_create(*, bank: QuestionBank, items: Sequence[dict[str, Any]]) -> int:
    """Create questions from preview fields, with their tags, in a constant number of queries.

    Precondition: the items have been validated by the preview (no errors). Caller holds a transaction.
    """
    questions = []
    for fields in items:
        options, answer = normalise_question_fields(
            kind=fields["kind"], options=fields["options"], answer=fields["answer"]
        )
        questions.append(
            Question(
                bank=bank,
                kind=fields["kind"],
                stem=fields["stem"],
                options=options,
                answer=answer,
                explanation=fields.get("explanation", ""),
                legal_basis=fields.get("legal_basis", ""),
                difficulty=fields.get("difficulty", 3),
                exclusion_group=fields.get("exclusion_group", ""),
            )
        )
    created = Question.objects.bulk_create(questions, batch_size=2000)
    caching.questions_changed()  # new candidates for the draw rules
    tags = {t.name: t for t in tags_get_or_create(name for f in items for name in f.get("tags", []))}
    through = Question.tags.through
    links = [
        through(question_id=question.pk, tag_id=tags[name].pk)
        for question, fields in zip(created, items, strict=True)
        for name in dict.fromkeys(n.strip() for n in fields.get("tags", []) if n.strip())
    ]
    through.objects.bulk_create(links, batch_size=5000)
    return len(created)


@transaction.atomic
def import_commit(*, batch: ImportBatch, audit: AuditContext | None = None) -> int:
    """Write the previewed questions to the bank, all or none. Returns how many were created.

    Refused (``ImportHasErrors``) while the preview has errors — warnings such as duplicates are
    allowed — and (``ImportAlreadyCommitted``) the second time.
    """
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("bank").get(pk=batch.pk)
    if batch.status == ImportBatch.Status.COMMITTED:
        raise ImportAlreadyCommitted()
    if batch.error_count:
        raise ImportHasErrors(_("文件中还有 %(count)d 处错误，请修改后重新上传。") % {"count": batch.error_count})
    created = questions_bulk_create(bank=batch.bank, items=[item["fields"] for item in batch.items])
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.committed_count = created
    batch.save(update_fields=["status", "committed_at", "committed_count"])
    audit_record(
        context=audit,
        action=AuditEvent.Action.QUESTION_IMPORT,
        unit=batch.bank.unit,
        target=batch,
        target_repr=f"{batch.bank.name}: {batch.filename}",
        after={"bank_id": batch.bank_id, "filename": batch.filename, "created": created},
    )
    return created


def _export_rows(bank: QuestionBank) -> Iterable[dict[str, Any]]:
    tags: dict[int, list[str]] = {}
    through = Question.tags.through
    for question_id, name in (
        through.objects.filter(question__bank=bank).order_by("tag__name").values_list("question_id", "tag__name")
    ):
        tags.setdefault(question_id, []).append(name)
    fields = ("pk", "kind", "stem", "options", "answer", "explanation", "legal_basis", "difficulty", "exclusion_group")
    for row in Question.objects.filter(bank=bank).order_by("pk").values(*fields).iterator(chunk_size=2000):
        row["tags"] = tags.get(row["pk"], [])
        yield row


def bank_export_xlsx(*, bank: QuestionBank) -> bytes:
    """The bank in the import template (two queries); importing the file gives the same questions."""
    return questions_to_xlsx(_export_rows(bank))
