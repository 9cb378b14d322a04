"""The shapes that every parser returns, and the limits that the preview checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ImportFileError

__all__ = ["FIELD_LABELS", "LIMITS", "ImportFileError", "Issue", "ParseResult", "ParsedQuestion", "option_column"]

# Field → the column header of the template; issues name their column with these labels.
FIELD_LABELS: dict[str, str] = {
    "kind": "题型",
    "stem": "题干",
    "options": "选项",
    "answer": "答案",
    "explanation": "解析",
    "legal_basis": "法条依据",
    "difficulty": "难度",
    "tags": "标签",
    "exclusion_group": "互斥组",
}


def option_column(letter: str) -> str:
    """The template column of one option: "A" → "选项A"."""
    return f"选项{letter}"


# Longest accepted text per field (characters); the model's max_length where it has one.
LIMITS: dict[str, int] = {
    "stem": 2000,
    "option": 500,
    "explanation": 4000,
    "legal_basis": 500,
    "tag": 50,
    "exclusion_group": 50,
}


@dataclass(frozen=True)
class Issue:
    """One error or warning of the preview. ``line`` is the row (tables) or line/paragraph (text)."""

    line: int | None
    column: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedQuestion:
    """A question as read from a file, in the stored form (see ``quizzes.models.Question``)."""

    line: int
    kind: str
    stem: str
    options: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    explanation: str = ""
    legal_basis: str = ""
    difficulty: int = 3
    tags: list[str] = field(default_factory=list)
    exclusion_group: str = ""
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stem": self.stem,
            "options": list(self.options),
            "answer": list(self.answer),
            "explanation": self.explanation,
            "legal_basis": self.legal_basis,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "exclusion_group": self.exclusion_group,
        }

    def to_item(self) -> dict[str, Any]:
        """The JSON form stored in ``ImportBatch.items`` and shown by the preview."""
        return {
            "line": self.line,
            "fields": self.fields(),
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }


@dataclass
class ParseResult:
    file_format: str
    questions: list[ParsedQuestion]
    # Problems that belong to no question: ignored text, unknown columns (warnings only).
    file_warnings: list[Issue] = field(default_factory=list)
