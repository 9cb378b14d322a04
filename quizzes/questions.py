"""The rules of a valid question — kind, stem, options, answer — as pure functions (no database).

One set of rules for the whole project: ``services.banks`` refuses an invalid question with
``InvalidQuestion``, and ``importing.build`` turns the same problems into preview errors, each with the
stable ``code`` that docs/import-formats.md lists. Messages are translated when they are produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import JUDGE_OPTIONS, OPTION_LETTERS, QuestionKind


@dataclass(frozen=True)
class QuestionProblem:
    """One broken rule: the field it concerns, a stable code, and a message for people."""

    field: str
    code: str
    message: str


def normalise_question_fields(
    *, kind: str, options: Sequence[str], answer: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Options and answer letters in the stored form; judge questions always get 正确/错误."""
    if kind == QuestionKind.JUDGE:
        options = JUDGE_OPTIONS
    clean_options = [str(o).strip() for o in options]
    letters = sorted({str(a).strip().upper() for a in answer})
    return clean_options, letters


def question_problems(*, kind: str, stem: str, options: Sequence[str], answer: Sequence[str]) -> list[QuestionProblem]:
    """Every rule the question breaks (empty when valid), for options and answer in the stored form."""
    problems: list[QuestionProblem] = []

    def add(field: str, code: str, message: str) -> None:
        problems.append(QuestionProblem(field, code, message))

    if kind not in QuestionKind.values:
        add("kind", "kind_invalid", _("题型必须是 %(kinds)s 之一。") % {"kinds": ", ".join(QuestionKind.values)})
    if not stem.strip():
        add("stem", "empty_stem", _("题干不能为空。"))
    if kind != QuestionKind.JUDGE:
        if len(options) < 2:
            add("options", "too_few_options", _("选择题至少需要两个选项。"))
        if len(options) > len(OPTION_LETTERS):
            add("options", "too_many_options", _("选项最多 %(count)d 个。") % {"count": len(OPTION_LETTERS)})
        if any(not o.strip() for o in options):
            add("options", "empty_option", _("选项内容不能为空。"))
    valid_letters = OPTION_LETTERS[: len(JUDGE_OPTIONS if kind == QuestionKind.JUDGE else options)]
    if not answer:
        add("answer", "no_answer", _("缺少答案。"))
    elif any(a not in valid_letters for a in answer):
        add(
            "answer",
            "answer_not_in_options",
            _("答案 %(answer)s 不在选项 %(letters)s 之中。") % {"answer": "".join(answer), "letters": valid_letters},
        )
    elif kind in (QuestionKind.SINGLE, QuestionKind.JUDGE) and len(answer) != 1:
        add("answer", "too_many_answers", _("单选题和判断题只能有一个答案。"))
    return problems


def question_validate(*, kind: str, stem: str, options: Sequence[str], answer: Sequence[str]) -> dict[str, list[str]]:
    """The problems as field errors, {field: [messages]} (empty when valid), the form the API returns."""
    errors: dict[str, list[str]] = {}
    for problem in question_problems(kind=kind, stem=stem, options=options, answer=answer):
        errors.setdefault(problem.field, []).append(problem.message)
    return errors
