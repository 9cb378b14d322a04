"""Duplicate questions: exact after normalisation, and near (character bigram Dice similarity ≥ 0.9).

Normalisation folds full/half width (NFKC), case, and drops spaces and punctuation, so that
"下列说法，正确的是（ ）" and "下列说法,正确的是( )" are the same. A question's text for comparison is
its stem plus, for choice questions, its options (generic stems such as "下列说法正确的是" differ only
there).

Near duplicates are found without comparing every pair: a prefix filter (PPJoin) over bigrams ordered
rarest first gives the candidate pairs, which alone are verified; sizes that cannot reach the threshold
are skipped. 5,000 file questions against a 5,000-question bank take well under a second.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import QuestionKind
from .types import FIELD_LABELS, Issue, ParsedQuestion

NEAR_THRESHOLD = 0.9
NGRAM = 2
_BUCKETS = 1 << 20
_MASK = _BUCKETS - 1
_NOT_WORD = re.compile(r"[\W_]+")  # keeps letters and digits of every script


def normalise_text(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def question_text(*, kind: str, stem: str, options: Sequence[str]) -> str:
    """The normalised text compared for duplicates (judge options are always 正确/错误: left out)."""
    parts = [normalise_text(stem)]
    if kind != QuestionKind.JUDGE:
        parts.extend(normalise_text(o) for o in options)
    return "|".join(parts)


def ngrams(text: str, n: int = NGRAM) -> frozenset[str]:
    text = text.replace("|", "")
    if len(text) <= n:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + n] for i in range(len(text) - n + 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigram sets of two normalised texts."""
    x, y = ngrams(a), ngrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class Match:
    ref: int  # index in the file, or primary key in the bank
    score: float  # 1.0 for exact duplicates


@dataclass
class Findings:
    exact_in_file: Match | None = None
    near_in_file: Match | None = None
    exact_in_bank: Match | None = None
    near_in_bank: Match | None = None


def find_duplicates(
    texts: Sequence[str], existing: Iterable[tuple[int, str]], *, threshold: float = NEAR_THRESHOLD
) -> list[Findings]:
    """For each text of the file: its first exact duplicate and its most similar near duplicate, among
    the earlier texts of the file and among ``existing`` (primary key, text) of the bank.

    Memory stays small whatever the texts: bigram frequencies are counted in a fixed hashed array (any
    consistent total order of bigrams keeps the prefix filter exact; rarity only makes it fast), only
    the prefixes are indexed, and the bigram sets of candidates are rebuilt when they are verified.
    """
    bank = list(existing)
    documents = [t for _pk, t in bank] + list(texts)
    findings = [Findings() for _text in texts]
    first_in_file: dict[str, int] = {}
    first_in_bank: dict[str, int] = {}
    for pk, text in bank:
        first_in_bank.setdefault(text, pk)

    frequency = array("I", bytes(4 * _BUCKETS))
    sizes = array("I")
    for text in documents:
        grams = ngrams(text)
        sizes.append(len(grams))
        for g in grams:
            frequency[hash(g) & _MASK] += 1

    def order(g: str) -> tuple[int, str]:
        return frequency[hash(g) & _MASK], g

    jaccard = threshold / (2 - threshold)  # Dice ≥ t  ⟺  Jaccard ≥ t / (2 − t)

    def prefix(grams: frozenset[str]) -> list[str]:
        return sorted(grams, key=order)[: len(grams) - math.ceil(jaccard * len(grams) - 1e-9) + 1]

    index: dict[str, list[int]] = defaultdict(list)
    for doc_id in range(len(bank)):
        for g in prefix(ngrams(documents[doc_id])):
            index[g].append(doc_id)

    for i, text in enumerate(texts):
        found = findings[i]
        if not text.replace("|", ""):
            continue
        if text in first_in_file:
            found.exact_in_file = Match(first_in_file[text], 1.0)
        else:
            first_in_file[text] = i
        if text in first_in_bank:
            found.exact_in_bank = Match(first_in_bank[text], 1.0)
        doc_id = len(bank) + i
        doc = ngrams(text)
        size = len(doc)
        low, high = jaccard * size - 1e-9, size / jaccard + 1e-9
        my_prefix = prefix(doc)
        candidates = {c for g in my_prefix for c in index.get(g, ())}
        for other in sorted(candidates):
            if not low <= sizes[other] <= high or documents[other] == text:
                continue
            score = 2 * len(doc & ngrams(documents[other])) / (size + sizes[other])
            if score < threshold:
                continue
            if other < len(bank):
                best = found.near_in_bank
                if best is None or score > best.score:
                    found.near_in_bank = Match(bank[other][0], score)
            else:
                best = found.near_in_file
                if best is None or score > best.score:
                    found.near_in_file = Match(other - len(bank), score)
        for g in my_prefix:
            index[g].append(doc_id)
    return findings


def flag_duplicates(questions: Sequence[ParsedQuestion], existing: Iterable[tuple[int, str, str, list[str]]]) -> None:
    """Add duplicate warnings to ``questions``; ``existing`` are the bank's (pk, kind, stem, options)."""
    texts = [question_text(kind=q.kind, stem=q.stem, options=q.options) for q in questions]
    bank = [(pk, question_text(kind=kind, stem=stem, options=options)) for pk, kind, stem, options in existing]
    for question, found in zip(questions, find_duplicates(texts, bank), strict=True):
        line = question.line
        if found.exact_in_file:
            other = questions[found.exact_in_file.ref].line
            question.warnings.append(
                Issue(
                    line, FIELD_LABELS["stem"], "duplicate_in_file", _("与第 %(line)d 行的试题重复。") % {"line": other}
                )
            )
        elif found.near_in_file:
            other = questions[found.near_in_file.ref].line
            question.warnings.append(
                Issue(
                    line,
                    FIELD_LABELS["stem"],
                    "near_duplicate_in_file",
                    _("与第 %(line)d 行的试题高度相似（相似度 %(score).2f）。")
                    % {"line": other, "score": found.near_in_file.score},
                )
            )
        if found.exact_in_bank:
            question.warnings.append(
                Issue(
                    line,
                    FIELD_LABELS["stem"],
                    "duplicate_in_bank",
                    _("题库中已有相同的试题（编号 %(id)s）。") % {"id": found.exact_in_bank.ref},
                )
            )
        elif found.near_in_bank:
            near = found.near_in_bank
            message = _("与题库中的试题（编号 %(id)s）高度相似（相似度 %(score).2f）。") % {
                "id": near.ref,
                "score": near.score,
            }
            question.warnings.append(Issue(line, FIELD_LABELS["stem"], "near_duplicate_in_bank", message))
