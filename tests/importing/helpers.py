from __future__ import annotations

from typing import Any

from quizzes.models import Question, QuestionBank


def bank_snapshot(bank: QuestionBank) -> list[tuple[Any, ...]]:
    """Everything an import should give back, question by question, in bank order."""
    return [
        (
            q.kind,
            q.stem,
            q.options,
            q.answer,
            q.explanation,
            q.legal_basis,
            q.difficulty,
            sorted(t.name for t in q.tags.all()),
        )
        for q in Question.objects.filter(bank=bank).order_by("pk").prefetch_related("tags")
    ]
