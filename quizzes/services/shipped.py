"""Loading the question banks shipped with Xuefa (read by ``quizzes.importing.shipped``) into a unit."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from accounts.models import Unit

from ..importing.dedupe import question_text
from ..importing.shipped import ShippedBank, read_shipped_banks
from ..importing.types import ParsedQuestion
from ..models import Question, QuestionBank
from .banks import bank_create
from .imports import questions_bulk_create


@transaction.atomic
def banks_load_shipped(*, unit: Unit, skip_missing: bool = False) -> dict[str, int]:
    """Load every shipped bank into ``unit``; returns {bank name: questions added now}.

    All files are read and checked before anything is written, and the load is atomic: a missing file
    (``ImportFileError``, unless ``skip_missing``, then that bank is left out of the result) or a file
    with errors (``ImportHasErrors``) loads nothing. Idempotent: a bank of the same name in ``unit`` is
    reused, and a question it already holds (same normalised stem and options, see
    ``dedupe.question_text``) is skipped, so a second run adds nothing.
    """
    return {
        shipped.name: _bank_load_shipped(shipped=shipped, questions=questions, unit=unit)
        for shipped, questions in read_shipped_banks(skip_missing=skip_missing)
    }


def _bank_load_shipped(*, shipped: ShippedBank, questions: Sequence[ParsedQuestion], unit: Unit) -> int:
    bank = QuestionBank.objects.select_for_update().filter(unit=unit, name=shipped.name).first()
    if bank is None:
        bank = bank_create(name=shipped.name, unit=unit, description=shipped.description)
    seen = {
        question_text(kind=kind, stem=stem, options=options)
        for kind, stem, options in Question.objects.filter(bank=bank).values_list("kind", "stem", "options")
    }
    new = []
    for question in questions:
        text = question_text(kind=question.kind, stem=question.stem, options=question.options)
        if text not in seen:
            seen.add(text)
            new.append(question.fields())
    return questions_bulk_create(bank=bank, items=new)
