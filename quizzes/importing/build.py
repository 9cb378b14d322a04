"""From the raw text of one question's fields to a ``ParsedQuestion`` with its errors and warnings.

Both the table and the text parsers fill a ``RawQuestion`` and call ``build_question``; the rules of a
valid question come from ``quizzes.questions`` (one set of rules for the whole project, each problem
with its stable code), this module only reads the conventions of files: kind names, answer spellings,
difficulty.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import JUDGE_OPTIONS, OPTION_LETTERS, QuestionKind
from ..questions import normalise_question_fields, question_problems
from .types import FIELD_LABELS, LIMITS, Issue, ParsedQuestion, option_column

DEFAULT_DIFFICULTY = 3

# The words for each kind that imported files use (vocabulary: matched, never shown as messages)
_KIND_VOCABULARY = {
    QuestionKind.SINGLE: ("单选", "单选题", "单项选择", "单项选择题", "单择题", "single"),
    QuestionKind.MULTIPLE: (
        "多选",
        "多选题",
        "多项选择",
        "多项选择题",
        "不定项选择",
        "不定项选择题",
        "不定项",
        "multiple",
    ),
    QuestionKind.JUDGE: ("判断", "判断题", "是非题", "是非", "对错题", "判断正误", "判断正误题", "judge"),
}
_KIND_WORDS: dict[str, str] = {}
for _kind, _words in _KIND_VOCABULARY.items():
    for _word in _words:
        _KIND_WORDS[_word] = str(_kind)

# The kind words that the template writes (export, drop-down); data, as the files are Chinese
KIND_LABELS = {QuestionKind.SINGLE: "单选", QuestionKind.MULTIPLE: "多选", QuestionKind.JUDGE: "判断"}

_TRUE_WORDS = {"正确", "对", "√", "✓", "✔", "是", "T", "TRUE", "Y", "YES", "对的", "正确的"}
_FALSE_WORDS = {"错误", "错", "×", "✗", "✘", "X", "否", "F", "FALSE", "N", "NO", "错的", "不正确"}
_ANSWER_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
_KIND_TRIM = "【】[]()"
_ANSWER_TRIM = "。.;；,，:：()（）[]【】 \u3000"
_TAG_SEPARATORS = re.compile(r"[,，、;；|]+")
_DIFFICULTY_WORDS = {
    "容易": 1,
    "简单": 1,
    "易": 1,
    "较易": 2,
    "中等": 3,
    "中": 3,
    "一般": 3,
    "较难": 4,
    "难": 5,
    "困难": 5,
}


def kind_from_text(text: str) -> str | None:
    """单选/单选题/单项选择题/… → "single"; None when the text names no known kind."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).strip(_KIND_TRIM).lower()
    return _KIND_WORDS.get(key)


def judge_value(text: str) -> str | None:
    """正确/对/√/是/T → "A", 错误/错/×/否/F → "B" (the letters of ``JUDGE_OPTIONS``)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).strip(_ANSWER_TRIM).upper()
    if key in _TRUE_WORDS:
        return "A"
    if key in _FALSE_WORDS:
        return "B"
    return None


def answer_letters(text: str) -> list[str] | None:
    """ "ABD", "A,B,D", "A、B、D", "A;B;D", full-width "ＡＢ" → ["A", "B", "D"]; None if not letters."""
    compact = _ANSWER_SEPARATORS.sub("", unicodedata.normalize("NFKC", text).strip(_ANSWER_TRIM)).upper()
    if compact and all("A" <= ch <= "Z" for ch in compact):
        return sorted(set(compact))
    return None


def _is_judge_pair(options: list[str]) -> bool:
    return len(options) == 2 and judge_value(options[0]) == "A" and judge_value(options[1]) == "B"


@dataclass
class RawQuestion:
    """The fields of one question as text, before interpretation. ``answer_text`` None = no answer."""

    line: int
    kind_text: str = ""
    kind_hint: str | None = None
    stem: str = ""
    options: list[str] = field(default_factory=list)
    answer_text: str | None = None
    explanation: str = ""
    legal_basis: str = ""
    difficulty_text: str = ""
    tags_text: str = ""
    exclusion_group: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


def _infer_kind(raw: RawQuestion, options: list[str]) -> str:
    answer = raw.answer_text or ""
    letters = answer_letters(answer) if answer else None
    if _is_judge_pair(options):
        return QuestionKind.JUDGE
    if any(options):
        if letters is not None and len(letters) > 1:
            return QuestionKind.MULTIPLE
        return QuestionKind.SINGLE
    if letters is not None and judge_value(answer) is None:
        return QuestionKind.SINGLE
    return QuestionKind.JUDGE


def _read_answer(raw: RawQuestion, kind: str, issue: list[Issue]) -> list[str]:
    text = (raw.answer_text or "").strip()
    if not text:
        return []
    line, column = raw.line_of("answer"), FIELD_LABELS["answer"]
    if kind == QuestionKind.JUDGE:
        value = judge_value(text)
        if value is not None:
            return [value]
        letters = answer_letters(text)
        if letters is not None and set(letters) <= {"A", "B"}:
            return letters
        issue.append(
            Issue(
                line,
                column,
                "answer_unreadable",
                _("无法识别判断题答案“%(answer)s”，应为 正确/错误（对/错、√/×、是/否、T/F）。") % {"answer": text},
            )
        )
        return []
    letters = answer_letters(text)
    if letters is None:
        issue.append(
            Issue(
                line,
                column,
                "answer_unreadable",
                _("无法识别答案“%(answer)s”，选择题答案应为选项字母，如 A 或 ABD。") % {"answer": text},
            )
        )
        return []
    return letters


def _read_difficulty(raw: RawQuestion, warnings: list[Issue]) -> int:
    text = unicodedata.normalize("NFKC", raw.difficulty_text).strip()
    if not text:
        return DEFAULT_DIFFICULTY
    value: int | None = _DIFFICULTY_WORDS.get(text)
    if value is None:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if number.is_integer() and 1 <= number <= 5:
            value = int(number)
    if value is None:
        warnings.append(
            Issue(
                raw.line_of("difficulty"),
                FIELD_LABELS["difficulty"],
                "difficulty_invalid",
                _("难度“%(text)s”无效（应为 1–5 的整数），已按 %(default)d 处理。")
                % {"text": text, "default": DEFAULT_DIFFICULTY},
            )
        )
        return DEFAULT_DIFFICULTY
    return value


def split_tags(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in _TAG_SEPARATORS.split(text):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _too_long(line: int, column: str, what: str, text: str, limit: int) -> Issue:
    message = _("%(what)s超过 %(limit)d 字（现有 %(length)d 字）。") % {
        "what": what,
        "limit": limit,
        "length": len(text),
    }
    return Issue(line, column, "too_long", message)


def build_question(raw: RawQuestion) -> ParsedQuestion:
    errors, warnings = list(raw.errors), list(raw.warnings)
    options = [o.strip() for o in raw.options]
    while options and not options[-1]:
        options.pop()

    kind: str | None = None
    if raw.kind_text.strip():
        kind = kind_from_text(raw.kind_text)
        if kind is None:
            errors.append(
                Issue(
                    raw.line_of("kind"),
                    FIELD_LABELS["kind"],
                    "kind_invalid",
                    _("无法识别题型“%(kind)s”，应为 单选、多选 或 判断。") % {"kind": raw.kind_text.strip()},
                )
            )
    if kind is None:
        kind = raw.kind_hint or _infer_kind(raw, options)

    answer_issues: list[Issue] = []
    letters = _read_answer(raw, kind, answer_issues)
    errors.extend(answer_issues)

    if kind == QuestionKind.JUDGE:
        if any(options) and not _is_judge_pair(options) and options != JUDGE_OPTIONS:
            warnings.append(
                Issue(
                    raw.line_of("options"),
                    FIELD_LABELS["options"],
                    "judge_options_ignored",
                    _("判断题的选项已忽略，固定为“正确”“错误”。"),
                )
            )
        options = []
    options, letters = normalise_question_fields(kind=kind, options=options, answer=letters)
    stem = raw.stem.strip()

    for problem in question_problems(kind=kind, stem=stem, options=options, answer=letters):
        if problem.field == "answer" and answer_issues:
            continue
        column = FIELD_LABELS.get(problem.field)
        if problem.code == "empty_option":
            column = option_column(OPTION_LETTERS[next(i for i, o in enumerate(options) if not o)])
        errors.append(Issue(raw.line_of(problem.field), column, problem.code, problem.message))

    if kind == QuestionKind.MULTIPLE and len(letters) == 1 and not answer_issues:
        warnings.append(
            Issue(
                raw.line_of("answer"),
                FIELD_LABELS["answer"],
                "multiple_one_answer",
                _("多选题只有一个答案 %(letter)s，请确认。") % {"letter": letters[0]},
            )
        )

    explanation, legal_basis = raw.explanation.strip(), raw.legal_basis.strip()
    for name, what, text, limit in (
        ("stem", _("题干"), stem, LIMITS["stem"]),
        ("explanation", _("解析"), explanation, LIMITS["explanation"]),
        ("legal_basis", _("法条依据"), legal_basis, LIMITS["legal_basis"]),
    ):
        if len(text) > limit:
            errors.append(_too_long(raw.line_of(name), FIELD_LABELS[name], what, text, limit))
    if kind != QuestionKind.JUDGE:
        for index, option in enumerate(options[: len(OPTION_LETTERS)]):
            if len(option) > LIMITS["option"]:
                letter = OPTION_LETTERS[index]
                errors.append(
                    _too_long(
                        raw.line_of("options"),
                        option_column(letter),
                        _("选项 %(letter)s ") % {"letter": letter},
                        option,
                        LIMITS["option"],
                    )
                )

    exclusion_group = " ".join(raw.exclusion_group.split())
    if len(exclusion_group) > LIMITS["exclusion_group"]:
        errors.append(
            _too_long(
                raw.line_of("exclusion_group"),
                FIELD_LABELS["exclusion_group"],
                _("互斥组"),
                exclusion_group,
                LIMITS["exclusion_group"],
            )
        )

    tags = split_tags(raw.tags_text)
    for tag in tags:
        if len(tag) > LIMITS["tag"]:
            errors.append(
                _too_long(
                    raw.line_of("tags"),
                    FIELD_LABELS["tags"],
                    _("标签“%(tag)s…”") % {"tag": tag[:10]},
                    tag,
                    LIMITS["tag"],
                )
            )

    return ParsedQuestion(
        line=raw.line,
        kind=kind,
        stem=stem,
        options=options,
        answer=letters,
        explanation=explanation,
        legal_basis=legal_basis,
        difficulty=_read_difficulty(raw, warnings),
        tags=tags,
        exclusion_group=exclusion_group,
        errors=errors,
        warnings=warnings,
    )
