"""Law texts as pure functions (no database): Chinese numerals, splitting a statute's text into articles,
and reading the citations of a question's legal basis.

A text is split line by line. A line that begins with an article heading (第X条, 第X条之一, numerals in
Chinese up to 第一千二百六十条 or in digits) followed by a space (half- or full-width) or the end of the line
opens an article; the following lines, up to the next heading, are its paragraphs. Lines that are a
heading of a book, part, chapter or section (第X编, 第X分编, 第X章, 第X节, with their title; Markdown's
leading ``#`` are ignored) set the article's chapter path. Anything before the first article (title,
dates, preamble) is not an article.

A legal basis such as ``《中华人民共和国民法典》第十七条、第十八条第二款`` cites (民法典, 17) and
(民法典, 18); ``第一百四十四条至第一百四十六条`` cites the three articles; an article without a law before
it belongs to the last law named; ``民法典第十七条`` (no title marks) is read too. Paragraphs (款) and items
(项) are not resolved: the article is what the library holds. ``quizzes.quality`` reads citations with
these functions too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_VARIANTS = str.maketrans({"〇": "零", "○": "零", "两": "二"})
NUMERAL = r"[零〇○一二三四五六七八九十百千两\d]+"

# A country prefix that citations often leave out: 《中华人民共和国民法典》 and 民法典 name one law.
_COUNTRY = "中华人民共和国"
_SPACES = r"\s"  # any Unicode space: half-width, full-width (U+3000), en space (U+2002)…


def chinese_number(text: str) -> int:
    """一 → 1, 十七 → 17, 一百零五 → 105, 一千二百六十 → 1260, "133" → 133; ``ValueError`` if not a number
    as statutes write them."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        raise ValueError(text)
    total = 0
    digit: int | None = None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
    total += digit or 0
    # only the way numbers are written (十七, 一百零五; 一十七 and 两百 too): 十百条 or 一〇五 is no number
    written = text.translate(_VARIANTS)
    canonical = chinese_numeral(total) if 0 < total < 10000 else ""
    if written not in (canonical, "一" + canonical if canonical.startswith("十") else canonical):
        raise ValueError(text)
    return total


def chinese_numeral(number: int) -> str:
    """17 → 十七, 105 → 一百零五, 1260 → 一千二百六十 (the way statutes write their article numbers)."""
    if number <= 0 or number >= 10000:
        raise ValueError(number)
    names = "零一二三四五六七八九"
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("" if unit == "十" and not parts and digit == 1 else names[digit]) + unit)
            zero = False
        else:
            zero = True
    return "".join(parts)


def article_heading(number: int, sub: int = 0) -> str:
    """(17, 0) → 第十七条; (133, 1) → 第一百三十三条之一."""
    return f"第{chinese_numeral(number)}条" + (f"之{chinese_numeral(sub)}" if sub else "")


def law_key(name: str) -> str:
    """The name under which citations find a law: title marks, spaces, an edition in brackets after the
    title and the country prefix removed. 《中华人民共和国民法典》 → 民法典."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[\s《》〈〉<>]", "", text)
    text = re.sub(r"[（(][^）)]*[）)]$", "", text)
    return text.removeprefix(_COUNTRY) or text


# --- splitting a text into articles ---------------------------------------------------------------

_HEADING = re.compile(rf"^第({NUMERAL})条(?:之({NUMERAL}))?(?:{_SPACES}+(.*))?$")
_DIVISION = re.compile(rf"^第{NUMERAL}(编|分编|章|节)(?:{_SPACES}*(.*))?$")
_BARE_DIVISION = re.compile(rf"^[总分附]{_SPACES}*则$")  # 附则 without a number: a part of its own
_ANNEX = re.compile(rf"^附件{_SPACES}*[{NUMERAL[1:-2]}]*$")  # 附件一: what follows belongs to no article
_LEVELS = {"编": 0, "分编": 1, "章": 2, "节": 3}
_COMMENT = re.compile(r"<!--.*?-->")


@dataclass
class ParsedArticle:
    number: int
    sub: int
    heading: str
    chapter: str
    line: int
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class SplitProblem:
    """A problem of a split text: ``line`` is where it stands (1-based), ``code`` is stable."""

    line: int | None
    code: str
    number: int | None = None
    sub: int = 0
    previous: int | None = None


def _clean(line: str) -> str:
    return _COMMENT.sub("", line).replace("\ufeff", "").strip().lstrip("#").strip()


def split_articles(lines: Iterable[str]) -> list[ParsedArticle]:
    """The articles of a law text, in order, each with its paragraphs and chapter path."""
    articles: list[ParsedArticle] = []
    divisions: list[str] = ["", "", "", ""]
    annex = False
    for number, raw in enumerate(lines, start=1):
        line = _clean(raw)
        if not line:
            continue
        if _ANNEX.match(line):
            annex = True
            continue
        heading = _HEADING.match(line)
        if heading:
            try:
                article = chinese_number(heading.group(1))
                sub = chinese_number(heading.group(2)) if heading.group(2) else 0
            except ValueError:  # a malformed numeral (e.g. 第十百条) is text, not a heading
                heading = None
            else:
                chapter = " / ".join(d for d in divisions if d)
                articles.append(ParsedArticle(article, sub, article_heading(article, sub), chapter, number))
                annex = False
                rest = (heading.group(3) or "").strip()
                if rest:
                    articles[-1].paragraphs.append(rest)
                continue
        division = _DIVISION.match(line)
        if division or _BARE_DIVISION.match(line):
            level = _LEVELS[division.group(1)] if division else 0
            title = re.sub(f"{_SPACES}+", " ", line)
            divisions[level:] = [title] + [""] * (3 - level)
            annex = False
            continue
        if articles and not annex:
            articles[-1].paragraphs.append(line)
    return articles


def split_problems(articles: Sequence[ParsedArticle]) -> list[SplitProblem]:
    """Numbering problems: ``duplicate`` (an article number seen before: an error, the library keeps one
    text per article), ``gap`` (numbers skipped) and ``order`` (a number lower than the one before), both
    warnings; ``empty`` for an article without text; ``none`` when no article was found."""
    if not articles:
        return [SplitProblem(None, "none")]
    problems: list[SplitProblem] = []
    seen: set[tuple[int, int]] = set()
    previous: ParsedArticle | None = None
    for article in articles:
        key = (article.number, article.sub)
        if key in seen:
            problems.append(SplitProblem(article.line, "duplicate", article.number, article.sub))
        elif previous is not None and key < (previous.number, previous.sub):
            problems.append(SplitProblem(article.line, "order", article.number, article.sub, previous.number))
        elif (previous is None and article.number > 1 and not article.sub) or (
            previous is not None and not article.sub and article.number > previous.number + 1
        ):
            problems.append(SplitProblem(article.line, "gap", article.number, 0, previous.number if previous else None))
        if not article.paragraphs:
            problems.append(SplitProblem(article.line, "empty", article.number, article.sub))
        seen.add(key)
        previous = article
    return problems


# --- citations ----------------------------------------------------------------------------------

_LAW = r"《[^》]+》(?:[（(][^）)]{1,30}[）)])?"
_BARE_LAW = r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,20}?(?:法典|法|条例|准则|规定|办法|章程|规则)(?=第)"
_ARTICLE = rf"第({NUMERAL})条(?:之({NUMERAL}))?"
_RANGE = rf"{_ARTICLE}{_SPACES}*[至到~～—－-]{_SPACES}*第?({NUMERAL})条(?:之({NUMERAL}))?"
_CITATION = re.compile(rf"(?P<law>{_LAW})|(?P<range>{_RANGE})|(?P<article>{_ARTICLE})|(?P<bare>{_BARE_LAW})")
_BARE_PREFIX = re.compile(r"^(?:根据|依据|依照|按照|参照|参见|见|和|及|与|或)+")
MAX_RANGE = 50  # a wider "range" is a typo, not a citation of fifty articles


@dataclass(frozen=True)
class CitedArticle:
    """One article that a legal basis cites: the law's name as written (``law``, e.g. 《中华人民共和国民法典》;
    empty when no law is named before it), its key (``law_key``), number and 之X suffix."""

    law: str
    number: int
    sub: int = 0

    @property
    def key(self) -> str:
        return law_key(self.law) if self.law else ""

    @property
    def heading(self) -> str:
        return article_heading(self.number, self.sub)


def _number(text: str | None) -> int:
    return chinese_number(text) if text else 0


def citations(legal_basis: str) -> list[CitedArticle]:
    """The articles a legal basis cites, in order of first mention, without repeats."""
    found: dict[CitedArticle, None] = {}
    law = ""
    for match in _CITATION.finditer(legal_basis):
        if match.group("law"):
            law = re.sub(r"[（(][^）)]*[）)]$", "", match.group("law"))
        elif match.group("bare"):
            law = _BARE_PREFIX.sub("", match.group("bare"))
        elif match.group("range"):
            groups = match.groups()
            first, first_sub, last, last_sub = (_number(g) for g in groups[2:6])
            if first_sub or last_sub or not 0 < last - first <= MAX_RANGE:
                found.setdefault(CitedArticle(law, first, first_sub))
                found.setdefault(CitedArticle(law, last, last_sub))
            else:
                for number in range(first, last + 1):
                    found.setdefault(CitedArticle(law, number))
        else:
            found.setdefault(CitedArticle(law, _number(match.group(8)), _number(match.group(9))))
    return list(found)
