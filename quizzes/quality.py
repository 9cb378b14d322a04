"""The quality report of a question bank, as pure functions (no database): the tells that let a
candidate guess the key without knowing the law, and the gaps of the bank.

Each metric has a value, a threshold and a verdict (pass or warn); docs/import-formats.md §9 lists them
with the reasons of their thresholds, and records the shipped banks' numbers. The per-question checks
(``question_warnings``: the stem contains the key's text; no legal basis) are also warnings of the
import preview.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .importing.dedupe import NEAR_THRESHOLD, find_duplicates, normalise_text, question_text, similarity
from .lawtexts import citations
from .models import OPTION_LETTERS, QuestionKind

PASS = "pass"
WARN = "warn"

# Absolute words (绝对化用语), the classic tell of a wrong option or a false statement. "所有" is not
# counted inside 所有权/所有人/所有者/所有制 (ownership, Civil Code vocabulary), nor "都" in 首都.
ABSOLUTE_WORDS = ("一律", "任何", "只能", "只要", "随时", "必须", "全部", "绝对", "所有", "一切", "都")
_NOT_ABSOLUTE = re.compile(r"所有(?:权|人|者|制)|首都")
_ABSOLUTE = re.compile("|".join(ABSOLUTE_WORDS))

# Thresholds (shares are fractions, points are fractions too: 0.05 = 5 points)
MAX_KEY_LETTER_SHARE = 0.35  # no letter holds more than 35 % of the single-choice keys (4 options: 25 %)
MIN_KEY_LETTER_SHARE = 0.15  # nor less than 15 % (letters that every single choice question has)
JUDGE_TRUE_RANGE = (0.4, 0.6)  # 正确 is 40 %–60 % of the true/false keys
MAX_ONE_WRONG_SHARE = 0.40  # ≤ 40 % of multiple choice with exactly one wrong option (issue #12)
MAX_ALL_CORRECT_SHARE = 0.10  # ≤ 10 % of multiple choice with every option correct
MAX_LONGEST_KEY_SHARE = 0.25  # the key is the uniquely longest option in ≤ 25 % of single choice (issue #12)
MAX_ABSOLUTE_GAP = 0.05  # absolute words: keys within 5 points of wrong options (issue #12)
MAX_JUDGE_ABSOLUTE_GAP = 0.10  # absolute words: true statements within 10 points of false ones
MIN_KEY_IN_STEM = 4  # a key option of at least 4 characters found whole in the stem
MIRROR_THRESHOLD = 0.5  # bigram similarity of two questions citing the same article: a mirror candidate

_OPTION_TRIM = " \t\r\n\u3000。．.，,；;：:、"


@dataclass(frozen=True)
class QualityQuestion:
    """The fields of a question that the report reads; ``ref`` names it (an id, or a file's line)."""

    ref: int
    kind: str
    stem: str
    options: Sequence[str]
    answer: Sequence[str]
    legal_basis: str = ""
    exclusion_group: str = ""

    @classmethod
    def from_fields(cls, ref: int, fields: Mapping[str, Any]) -> QualityQuestion:
        return cls(
            ref=ref,
            kind=fields["kind"],
            stem=fields["stem"],
            options=list(fields.get("options", [])),
            answer=list(fields.get("answer", [])),
            legal_basis=fields.get("legal_basis", ""),
            exclusion_group=fields.get("exclusion_group", ""),
        )

    def key_texts(self) -> list[str]:
        indexes = (OPTION_LETTERS.find(letter) for letter in self.answer)
        return [self.options[i] for i in indexes if 0 <= i < len(self.options)]

    def wrong_texts(self) -> list[str]:
        return [o for letter, o in zip(OPTION_LETTERS, self.options, strict=False) if letter not in self.answer]


@dataclass(frozen=True)
class Metric:
    code: str
    title: str
    value: float | int | None  # None: nothing to measure (no question of the kind)
    threshold: str
    status: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "value": self.value,
            "threshold": self.threshold,
            "status": self.status,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Report:
    counts: dict[str, int]
    metrics: list[Metric]

    @property
    def warnings(self) -> int:
        return sum(m.status == WARN for m in self.metrics)

    def metric(self, code: str) -> Metric:
        return next(m for m in self.metrics if m.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "warnings": self.warnings, "metrics": [m.to_dict() for m in self.metrics]}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _status(ok: bool | None) -> str:
    return WARN if ok is False else PASS


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def has_absolute_word(text: str) -> bool:
    return bool(_ABSOLUTE.search(_NOT_ABSOLUTE.sub("", text)))


def stem_contains_key(question: QualityQuestion) -> str | None:
    """The first key option's text (≥ 4 characters, surrounding punctuation trimmed) found whole in the stem."""
    if question.kind == QuestionKind.JUDGE:
        return None
    for text in question.key_texts():
        key = text.strip(_OPTION_TRIM)
        if len(key) >= MIN_KEY_IN_STEM and key in question.stem:
            return key
    return None


def key_is_uniquely_longest(question: QualityQuestion) -> bool:
    lengths = [len(o.strip(_OPTION_TRIM)) for o in question.options]
    keys = question.key_texts()
    if question.kind != QuestionKind.SINGLE or len(keys) != 1 or len(lengths) < 2:
        return False
    key = len(keys[0].strip(_OPTION_TRIM))
    return key == max(lengths) and lengths.count(key) == 1


def articles(legal_basis: str) -> set[tuple[str, str]]:
    """The (law, article) pairs a legal basis cites, read by ``lawtexts.citations`` (the law by its key):
    "《中华人民共和国民法典》第十七条、第十八条" → (民法典, 第十七条), (民法典, 第十八条); a range cites every
    article in it. A basis without articles is itself one key."""
    keys = {(cited.key, cited.heading) for cited in citations(legal_basis)}
    if not keys and legal_basis.strip():
        keys.add((normalise_text(legal_basis), ""))
    return keys


def _mirror_text(question: QualityQuestion) -> str:
    """Stem and key text (a choice's key says what a true/false statement asserts)."""
    if question.kind == QuestionKind.JUDGE:
        return normalise_text(question.stem)
    return normalise_text(question.stem) + "".join(normalise_text(k) for k in question.key_texts())


def same_group(a: QualityQuestion, b: QualityQuestion) -> bool:
    return bool(a.exclusion_group) and a.exclusion_group == b.exclusion_group


def mirror_candidates(
    questions: Sequence[QualityQuestion], *, threshold: float = MIRROR_THRESHOLD
) -> list[tuple[QualityQuestion, QualityQuestion, float]]:
    """Pairs citing a common article whose texts (stem and key; stem and options) are similar, not already in
    one exclusion group: the same fact asked twice (a choice and a true/false, or "which are" and "which
    is not" on one list). Candidates for a person to review, best first."""
    by_article: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, question in enumerate(questions):
        for key in articles(question.legal_basis):
            by_article[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in by_article.values():
        pairs.update((i, j) for n, i in enumerate(members) for j in members[n + 1 :])
    found = []
    for i, j in sorted(pairs):
        a, b = questions[i], questions[j]
        if same_group(a, b):
            continue
        plain = similarity(
            question_text(kind=a.kind, stem=a.stem, options=a.options),
            question_text(kind=b.kind, stem=b.stem, options=b.options),
        )
        score = max(plain, similarity(_mirror_text(a), _mirror_text(b)))
        if score >= threshold:
            found.append((a, b, round(score, 2)))
    return sorted(found, key=lambda pair: -pair[2])


def near_duplicates(questions: Sequence[QualityQuestion]) -> list[tuple[QualityQuestion, QualityQuestion, float]]:
    """Exact and near duplicates (dedupe's rule, similarity ≥ 0.9) not in one exclusion group."""
    texts = [question_text(kind=q.kind, stem=q.stem, options=q.options) for q in questions]
    found = []
    for index, finding in enumerate(find_duplicates(texts, [], threshold=NEAR_THRESHOLD)):
        match = finding.exact_in_file or finding.near_in_file
        if match is not None and not same_group(questions[match.ref], questions[index]):
            found.append((questions[match.ref], questions[index], round(match.score, 2)))
    return found


def _key_letters(singles: Sequence[QualityQuestion]) -> Metric:
    counts: dict[str, int] = {}
    for q in singles:
        counts[q.answer[0]] = counts.get(q.answer[0], 0) + 1
    common = min((len(q.options) for q in singles), default=0)
    shares = {letter: _share(counts.get(letter, 0), len(singles)) or 0.0 for letter in OPTION_LETTERS[:common]}
    extra = {letter: _share(n, len(singles)) or 0.0 for letter, n in counts.items() if letter not in shares}
    shares.update(extra)
    worst = max(shares.values(), default=None)
    fewest = min((shares[letter] for letter in OPTION_LETTERS[:common]), default=None)
    ok = None if worst is None else worst <= MAX_KEY_LETTER_SHARE and (fewest or 0) >= MIN_KEY_LETTER_SHARE
    return Metric(
        "key_letter_balance",
        _("单选题答案字母分布"),
        worst,
        _("每个字母占 %(low)s～%(high)s")
        % {"low": _percent(MIN_KEY_LETTER_SHARE), "high": _percent(MAX_KEY_LETTER_SHARE)},
        _status(ok),
        {"shares": dict(sorted(shares.items())), "count": len(singles)},
    )


def _judge_balance(judges: Sequence[QualityQuestion]) -> Metric:
    true_share = _share(sum(q.answer == ["A"] for q in judges), len(judges))
    low, high = JUDGE_TRUE_RANGE
    ok = None if true_share is None else low <= true_share <= high
    return Metric(
        "judge_balance",
        _("判断题“正确”的比例"),
        true_share,
        _("%(low)s～%(high)s") % {"low": _percent(low), "high": _percent(high)},
        _status(ok),
        {"count": len(judges)},
    )


def _multiple(multiples: Sequence[QualityQuestion]) -> list[Metric]:
    one_wrong = [q.ref for q in multiples if len(q.options) - len(q.answer) == 1]
    all_correct = [q.ref for q in multiples if len(q.answer) == len(q.options)]
    one_share, all_share = _share(len(one_wrong), len(multiples)), _share(len(all_correct), len(multiples))
    return [
        Metric(
            "multiple_one_wrong",
            _("多选题中只有一个错误选项的比例"),
            one_share,
            _("≤ %(max)s") % {"max": _percent(MAX_ONE_WRONG_SHARE)},
            _status(None if one_share is None else one_share <= MAX_ONE_WRONG_SHARE),
            {"count": len(one_wrong), "of": len(multiples)},
        ),
        Metric(
            "multiple_all_correct",
            _("全部选项都正确的多选题"),
            len(all_correct),
            _("≤ 多选题的 %(max)s") % {"max": _percent(MAX_ALL_CORRECT_SHARE)},
            _status(None if all_share is None else all_share <= MAX_ALL_CORRECT_SHARE),
            {"share": all_share, "refs": all_correct},
        ),
    ]


def _longest_key(singles: Sequence[QualityQuestion]) -> Metric:
    longest = [q.ref for q in singles if key_is_uniquely_longest(q)]
    share = _share(len(longest), len(singles))
    return Metric(
        "key_uniquely_longest",
        _("单选题答案是唯一最长选项的比例"),
        share,
        _("≤ %(max)s") % {"max": _percent(MAX_LONGEST_KEY_SHARE)},
        _status(None if share is None else share <= MAX_LONGEST_KEY_SHARE),
        {"count": len(longest), "of": len(singles)},
    )


def _absolute(singles: Sequence[QualityQuestion], judges: Sequence[QualityQuestion]) -> list[Metric]:
    keys = [t for q in singles for t in q.key_texts()]
    wrongs = [t for q in singles for t in q.wrong_texts()]
    key_rate = _share(sum(map(has_absolute_word, keys)), len(keys))
    wrong_rate = _share(sum(map(has_absolute_word, wrongs)), len(wrongs))
    true_stems = [q.stem for q in judges if q.answer == ["A"]]
    false_stems = [q.stem for q in judges if q.answer == ["B"]]
    true_rate = _share(sum(map(has_absolute_word, true_stems)), len(true_stems))
    false_rate = _share(sum(map(has_absolute_word, false_stems)), len(false_stems))
    choice_gap = None if key_rate is None or wrong_rate is None else round(wrong_rate - key_rate, 4)
    judge_gap = None if true_rate is None or false_rate is None else round(false_rate - true_rate, 4)
    return [
        Metric(
            "absolute_words_choice",
            _("绝对化用语：错误选项比答案多出的比例（单选题）"),
            choice_gap,
            _("相差 ≤ %(max)s 个百分点") % {"max": round(MAX_ABSOLUTE_GAP * 100)},
            _status(None if choice_gap is None else abs(choice_gap) <= MAX_ABSOLUTE_GAP),
            {"keys": key_rate, "wrong_options": wrong_rate},
        ),
        Metric(
            "absolute_words_judge",
            _("绝对化用语：错误陈述比正确陈述多出的比例（判断题）"),
            judge_gap,
            _("相差 ≤ %(max)s 个百分点") % {"max": round(MAX_JUDGE_ABSOLUTE_GAP * 100)},
            _status(None if judge_gap is None else abs(judge_gap) <= MAX_JUDGE_ABSOLUTE_GAP),
            {"true_statements": true_rate, "false_statements": false_rate},
        ),
    ]


def _pairs(pairs: Iterable[tuple[QualityQuestion, QualityQuestion, float]]) -> list[list[float | int]]:
    return [[a.ref, b.ref, score] for a, b, score in pairs]


@dataclass(frozen=True)
class LibraryArticles:
    """The articles of one law in the law-text library: ``articles`` are (number, sub, book), the book being
    the first part of the article's chapter path (第一编 总则), empty for a law without books."""

    name: str
    articles: Sequence[tuple[int, int, str]]


def law_coverage(questions: Sequence[QualityQuestion], library: Mapping[str, LibraryArticles]) -> Metric:
    """How much of each cited law that the library holds the questions examine: per law the articles cited
    at least once, and per book (编) its articles, those examined and the questions citing it (a bank meant to
    cover a code spreads over its books in proportion to their articles). The value is the smallest share of
    a law's articles examined; informational, never a warning (a bank may cover one chapter on purpose)."""
    cited: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for question in questions:
        for article in {(c.key, c.number, c.sub) for c in citations(question.legal_basis)}:
            cited[article[0]][article[1:]] += 1
    laws: list[dict[str, Any]] = []
    shares: list[float] = []
    for key in sorted(k for k in cited if k in library):
        law = library[key]
        books: dict[str, list[int]] = {}
        for number, sub, book in law.articles:
            questions_here = cited[key].get((number, sub), 0)
            row = books.setdefault(book, [0, 0, 0])
            row[0] += 1
            row[1] += bool(questions_here)
            row[2] += questions_here
        examined = sum(row[1] for row in books.values())
        shares.append(_share(examined, len(law.articles)) or 0.0)
        laws.append(
            {
                "law": law.name,
                "articles": len(law.articles),
                "examined": examined,
                "never_examined": len(law.articles) - examined,
                "share": _share(examined, len(law.articles)),
                "books": [
                    {"book": book, "articles": n, "examined": seen, "questions": asked}
                    for book, (n, seen, asked) in books.items()
                ],
            }
        )
    return Metric(
        "law_coverage",
        _("所引法律中被考到的条文比例（法规库中有的法律）"),
        min(shares, default=None),
        _("仅供参考"),
        PASS,
        {"laws": laws},
    )


def bank_report(questions: Sequence[QualityQuestion], library: Mapping[str, LibraryArticles] | None = None) -> Report:
    """Every metric over ``questions`` (a bank, or a file's questions); with ``library`` (the law-text
    library's laws by key) also how much of each cited law they examine."""
    singles = [q for q in questions if q.kind == QuestionKind.SINGLE and len(q.answer) == 1]
    multiples = [q for q in questions if q.kind == QuestionKind.MULTIPLE]
    judges = [q for q in questions if q.kind == QuestionKind.JUDGE]
    in_stem = [q.ref for q in questions if stem_contains_key(q)]
    uncited = [q.ref for q in questions if not q.legal_basis.strip()]
    duplicates = near_duplicates(questions)
    mirrors = mirror_candidates(questions)
    counts = {
        "questions": len(questions),
        "single": len(singles),
        "multiple": len(multiples),
        "judge": len(judges),
        "grouped": sum(bool(q.exclusion_group) for q in questions),
        "groups": len({q.exclusion_group for q in questions if q.exclusion_group}),
    }
    metrics = [
        _key_letters(singles),
        _judge_balance(judges),
        *_multiple(multiples),
        _longest_key(singles),
        *_absolute(singles, judges),
        Metric(
            "stem_contains_key",
            _("题干中包含答案原文的试题"),
            len(in_stem),
            _("0 道"),
            _status(not in_stem),
            {"refs": in_stem},
        ),
        Metric(
            "near_duplicates",
            _("重复或高度相似、且不在同一互斥组的试题对"),
            len(duplicates),
            _("0 对"),
            _status(not duplicates),
            {"pairs": _pairs(duplicates)},
        ),
        Metric(
            "mirror_candidates",
            _("引用同一法条、内容相近、且不在同一互斥组的试题对（待人工确认）"),
            len(mirrors),
            _("0 对"),
            _status(not mirrors),
            {"pairs": _pairs(mirrors)},
        ),
        Metric(
            "uncited",
            _("没有法条依据的试题"),
            len(uncited),
            _("0 道"),
            _status(not uncited),
            {"share": _share(len(uncited), len(questions)), "refs": uncited},
        ),
    ]
    if library is not None:
        metrics.append(law_coverage(questions, library))
    return Report(counts=counts, metrics=metrics)


@dataclass(frozen=True)
class QuestionWarning:
    field: str
    code: str
    message: str


def question_warnings(question: QualityQuestion) -> list[QuestionWarning]:
    """The report's per-question checks, as warnings of the import preview."""
    warnings = []
    key = stem_contains_key(question)
    if key is not None:
        warnings.append(
            QuestionWarning(
                "stem", "stem_contains_key", _("题干中包含答案选项的原文“%(key)s”，请确认。") % {"key": key}
            )
        )
    if not question.legal_basis.strip():
        warnings.append(QuestionWarning("legal_basis", "no_legal_basis", _("没有填写法条依据。")))
    return warnings
