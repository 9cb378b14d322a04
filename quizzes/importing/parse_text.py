"""Plain text (and Word, through ``parse_docx``) → parsed questions.

The conventions of Chinese exam platforms, line by line:

* section headings ("一、单项选择题", "二、多选题（每题 2 分）", "判断题") set the kind of what follows;
* a question starts with "1." "1、" "1．" "1)" "（1）" "第1题", or — in files without numbers — after a blank
  line; "【单选题】"/"(多选题)" before the stem sets its kind;
* options "A." "A、" "A．" "A:" "(A)" "A)" with full-width forms, each on its own line or several on a line
  (also after the stem on the stem's line);
* "答案：" "【答案】" "正确答案：" "参考答案：", "解析：" "【解析】", "【法条】" "依据：" "法条依据：",
  "难度：", "标签：" "知识点：", "题型：", "互斥组：" "【互斥组】", at the start of a line or after
  the previous field on the same line.

Line numbers count the lines of the text (for Word: the paragraphs, see ``parse_docx``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..i18n import join_list
from ..models import OPTION_LETTERS
from .build import RawQuestion, build_question, kind_from_text
from .parse_table import MAX_QUESTIONS
from .types import ImportFileError, Issue, ParsedQuestion, ParseResult, option_column

# The conventions of Chinese exam files: vocabulary and patterns, matched in files, never shown
_STRIP = " \t\r\n\u3000\xa0\ufeff"
_KINDS = r"单项选择题|单选题|多项选择题|多选题|不定项选择题|判断题|是非题|判断正误题|选择题"
_HEADING = re.compile(
    rf"^(?:第?[一二三四五六七八九十]+(?:部分|大题)?\s*[、.．:：]?\s*)?(?P<kind>{_KINDS})\s*(?:[（(:：].*)?$"
)
_NUMBERED = re.compile(
    r"^(?:第\s*(?P<n1>\d+)\s*题\s*[.．、:：]?|(?P<n2>\d+)\s*(?:[.．、]|[)）])(?!\d)|[（(]\s*(?P<n3>\d+)\s*[）)])"
    r"\s*(?P<rest>.*)$",
    re.S,
)
_KIND_PREFIX = re.compile(
    r"^[【\[(（]\s*(?P<kind>单选题?|多选题?|判断题?|单项选择题|多项选择题|不定项选择题)\s*[】\])）]\s*"
)
_OPTION = re.compile(r"[（(]\s*(?P<a>[A-HＡ-Ｈ])\s*[）)]|(?<![A-Za-zＡ-Ｚａ-ｚ])(?P<b>[A-HＡ-Ｈ])\s*[.．、:：)）]")
_FIELD = re.compile(
    r"(?P<answer>【(?:正确|参考|标准)?答案】|(?:正确|参考|标准)?答案\s*[:：])"
    r"|(?P<explanation>【(?:答案|试题)?解析】|(?:答案|试题)?解析\s*[:：])"
    r"|(?P<legal_basis>【(?:法条|法条依据|法律依据|依据)】|(?:法条依据|法律依据|法条|依据)\s*[:：])"
    r"|(?P<difficulty>【难度】|难度\s*[:：])"
    r"|(?P<tags>【(?:标签|知识点)】|(?:标签|知识点)\s*[:：])"
    r"|(?P<kind>【题型】|题型\s*[:：])"
    r"|(?P<exclusion_group>【互斥组】|互斥组\s*[:：])"
)
_BEFORE_INLINE_OPTIONS = set(" \t\u3000)）_?？:：。")
_AFTER_ANSWER = ("answer", "difficulty", "tags", "kind", "exclusion_group")
_MULTILINE = ("explanation", "legal_basis")
_FULLWIDTH_A = "Ａ"
_FIELD_BRACKET = "【"
_OPEN_PARENS = "（("


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _letter(match: re.Match[str]) -> str:
    letter = match.group("a") or match.group("b")
    return chr(ord(letter) - 0xFEE0) if letter >= _FULLWIDTH_A else letter


def _chain(text: str, start: int) -> list[tuple[int, int, str]]:
    """Option markers with consecutive letters, the first at ``start``: [(start, end, letter), …]."""
    chain: list[tuple[int, int, str]] = []
    for match in _OPTION.finditer(text, start):
        letter = _letter(match)
        if not chain:
            if match.start() != start:
                return []
            chain.append((match.start(), match.end(), letter))
        elif ord(letter) == ord(chain[-1][2]) + 1:
            chain.append((match.start(), match.end(), letter))
    return chain


def _option_texts(text: str, chain: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    ends = [c[0] for c in chain[1:]] + [len(text)]
    return [(letter, text[end:stop].strip(_STRIP)) for (_s, end, letter), stop in zip(chain, ends, strict=True)]


def option_line(text: str) -> list[tuple[str, str]]:
    """ "A.甲 B.乙" → [("A", "甲"), ("B", "乙")]; [] when the line does not start with an option."""
    chain = _chain(text, 0)
    return _option_texts(text, chain) if chain else []


def split_inline_options(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A stem followed by options on the same line: "下列…（　）A.甲 B.乙" → ("下列…（　）", [...])."""
    for match in _OPTION.finditer(text):
        if _letter(match) != "A" or match.start() == 0 or text[match.start() - 1] not in _BEFORE_INLINE_OPTIONS:
            continue
        chain = _chain(text, match.start())
        if len(chain) >= 2:
            return text[: match.start()].strip(_STRIP), _option_texts(text, chain)
    return text, []


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """ "B 解析：…" style lines: the text before the first field marker, then (field, value) pairs."""
    markers = [
        m
        for m in _FIELD.finditer(text)
        if m.group(0).startswith(_FIELD_BRACKET) or m.start() == 0 or not _is_cjk(text[m.start() - 1])
    ]
    if not markers:
        return text, []
    body = text[: markers[0].start()].strip(_STRIP).rstrip(_OPEN_PARENS).strip(_STRIP)
    fields = []
    for match, following in zip(markers, [*markers[1:], None], strict=True):
        name = match.lastgroup or ""
        value = text[match.end() : following.start() if following else len(text)].strip(_STRIP)
        if following is not None:
            value = value.rstrip(_OPEN_PARENS).strip(_STRIP)
        fields.append((name, value))
    return body, fields


@dataclass
class _Draft:
    raw: RawQuestion
    number: int | None

    def stem_only(self) -> bool:
        raw = self.raw
        return not raw.options and raw.answer_text is None and not raw.explanation and not raw.legal_basis


class TextParser:
    def __init__(self) -> None:
        self.questions: list[ParsedQuestion] = []
        self.file_warnings: list[Issue] = []
        self.section_kind: str | None = None
        self.cur: _Draft | None = None
        self.state = ""
        self.numbered_doc = False
        self.blank = False

    # --- lines ---------------------------------------------------------------------------------
    def feed(self, line_no: int, text: str) -> None:
        line = text.strip(_STRIP)
        if not line:
            self.blank = True
            return
        heading = _HEADING.match(line)
        if heading:
            self.finish()
            self.section_kind = kind_from_text(heading.group("kind"))
            self.blank = False
            return
        body, fields = split_fields(line)
        if body:
            self._body(line_no, body)
        for name, value in fields:
            self._field(line_no, name, value)
        self.blank = False

    def _body(self, line_no: int, body: str) -> None:
        numbered = _NUMBERED.match(body)
        if numbered:
            number = int(numbered.group("n1") or numbered.group("n2") or numbered.group("n3"))
            if self._starts_new(number):
                self.finish()
                self.numbered_doc = True
                self._new(line_no, number, numbered.group("rest"))
                return
        cur = self.cur
        options = option_line(body)
        if options and not (cur is not None and self.state in _MULTILINE):
            if cur is None or (self.state in _AFTER_ANSWER and cur.number is None):
                self.finish()
                cur = self._new(line_no, None, "")
            self._add_options(line_no, options)
            return
        if cur is None:
            self._new(line_no, None, body)
            return
        unnumbered_break = self.blank and cur.number is None
        if self.state == "stem":
            if unnumbered_break and cur.stem_only():
                self.finish()
                self._new(line_no, None, body)
            else:
                cur.raw.stem = f"{cur.raw.stem}\n{body}" if cur.raw.stem else body
        elif self.state == "options":
            if unnumbered_break:
                self.finish()
                self._new(line_no, None, body)
            else:
                cur.raw.options[-1] = f"{cur.raw.options[-1]}\n{body}"
        elif self.state in _MULTILINE:
            if unnumbered_break:
                self.finish()
                self._new(line_no, None, body)
            else:
                self._append(self.state, body)
        elif cur.number is None and not self.numbered_doc:
            self.finish()
            self._new(line_no, None, body)
        else:
            self._ignored(line_no, body)

    def _field(self, line_no: int, name: str, value: str) -> None:
        if self.cur is None:
            self._ignored(line_no, value or name)
            return
        raw = self.cur.raw
        raw.field_lines[name] = line_no
        if name == "answer":
            raw.answer_text = value
        elif name == "kind":
            raw.kind_text = value
        elif name == "difficulty":
            raw.difficulty_text = value
        elif name == "tags":
            raw.tags_text = value
        elif name == "exclusion_group":
            raw.exclusion_group = value
        else:
            setattr(raw, name, "")
            self._append(name, value)
        self.state = name

    # --- drafts --------------------------------------------------------------------------------
    def _starts_new(self, number: int) -> bool:
        cur = self.cur
        if cur is None or cur.number is None or number == cur.number + 1:
            return True
        return self.state not in ("stem", *_MULTILINE)

    def _new(self, line_no: int, number: int | None, text: str) -> _Draft:
        kind_hint = self.section_kind
        prefix = _KIND_PREFIX.match(text)
        if prefix:
            kind_hint = kind_from_text(prefix.group("kind")) or kind_hint
            text = text[prefix.end() :]
        stem, options = split_inline_options(text)
        draft = _Draft(RawQuestion(line=line_no, stem=stem, kind_hint=kind_hint), number)
        self.cur = draft
        self.state = "stem"
        if options:
            self._add_options(line_no, options)
        return draft

    def _add_options(self, line_no: int, options: list[tuple[str, str]]) -> None:
        assert self.cur is not None
        raw = self.cur.raw
        raw.field_lines.setdefault("options", line_no)
        for letter, text in options:
            expected = OPTION_LETTERS[len(raw.options)] if len(raw.options) < len(OPTION_LETTERS) else None
            if letter != expected:
                if letter in OPTION_LETTERS[: len(raw.options)]:
                    raw.errors.append(
                        Issue(
                            line_no,
                            option_column(letter),
                            "option_duplicate",
                            _("选项 %(letter)s 重复出现。") % {"letter": letter},
                        )
                    )
                    continue
                missing = OPTION_LETTERS[len(raw.options) : OPTION_LETTERS.index(letter)]
                raw.errors.append(
                    Issue(
                        line_no,
                        option_column(letter),
                        "option_missing",
                        _("选项字母不连续：缺少选项 %(letters)s。") % {"letters": join_list(missing)},
                    )
                )
            raw.options.append(text)
        self.state = "options"

    def _append(self, name: str, text: str) -> None:
        assert self.cur is not None
        old = getattr(self.cur.raw, name)
        setattr(self.cur.raw, name, f"{old}\n{text}" if old and text else old or text)

    def _ignored(self, line_no: int, text: str) -> None:
        shown = text if len(text) <= 30 else f"{text[:30]}…"
        message = _("无法识别为试题的内容，已忽略：“%(text)s”。") % {"text": shown}
        self.file_warnings.append(Issue(line_no, None, "line_ignored", message))

    def finish(self) -> None:
        draft, self.cur, self.state = self.cur, None, ""
        if draft is None:
            return
        if draft.stem_only() and draft.number is None and (self.numbered_doc or not self.questions):
            self._ignored(draft.raw.line, draft.raw.stem.replace("\n", " "))
            return
        self.questions.append(build_question(draft.raw))
        if len(self.questions) > MAX_QUESTIONS:
            raise ImportFileError(
                _("一次最多导入 %(count)d 题，请拆分文件后上传。") % {"count": MAX_QUESTIONS}, code="too_many_questions"
            )


def parse_lines(lines: Iterable[tuple[int, str]], *, file_format: str = "text") -> ParseResult:
    """Numbered lines → questions. Raises ``ImportFileError`` when no question is found."""
    parser = TextParser()
    for line_no, text in lines:
        parser.feed(line_no, text)
    parser.finish()
    if not parser.questions:
        raise ImportFileError(
            _("文件中没有找到试题。请参照导入格式说明（题号、选项 A. B.、答案：）。"), code="no_questions"
        )
    return ParseResult(file_format=file_format, questions=parser.questions, file_warnings=parser.file_warnings)


def parse_text(text: str) -> ParseResult:
    return parse_lines(enumerate(text.splitlines(), start=1))
