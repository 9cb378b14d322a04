"""Exact duplicates after normalisation, near duplicates by bigram Dice ≥ 0.9, within the file and the bank."""

from __future__ import annotations

import random

from quizzes.importing.dedupe import (
    find_duplicates,
    flag_duplicates,
    normalise_text,
    question_text,
    similarity,
)
from quizzes.importing.parse_text import parse_text
from quizzes.importing.types import Issue


def test_normalise_folds_width_punctuation_spaces_and_case() -> None:
    assert normalise_text("下列说法，正确的是（　）？ＡＢｃ １２") == normalise_text("下列说法,正确的是( )?abC12")
    assert normalise_text(" 民 法 典 。") == "民法典"


def test_similarity_is_dice_of_bigrams() -> None:
    assert similarity("abcd", "abcd") == 1.0
    assert similarity("abcd", "abce") == 2 * 2 / 6
    assert similarity("", "abc") == 0.0


def test_generic_stem_with_other_options_is_not_a_duplicate() -> None:
    a = question_text(kind="single", stem="下列说法正确的是", options=["甲", "乙"])
    b = question_text(kind="single", stem="下列说法正确的是", options=["丙", "丁"])
    assert a != b
    assert question_text(kind="judge", stem="甲。", options=["正确", "错误"]) == "甲"


def _brute_force(texts: list[str], bank: list[tuple[int, str]], threshold: float = 0.9) -> list[tuple]:
    out = []
    for i, text in enumerate(texts):
        best_file = max(
            (
                (similarity(text, texts[j]), -j)
                for j in range(i)
                if texts[j] != text and similarity(text, texts[j]) >= threshold
            ),
            default=None,
        )
        best_bank = max(
            ((similarity(text, t), -pk) for pk, t in bank if t != text and similarity(text, t) >= threshold),
            default=None,
        )
        out.append((None if best_file is None else -best_file[1], None if best_bank is None else -best_bank[1]))
    return out


def test_prefix_filter_finds_exactly_what_brute_force_finds() -> None:
    rng = random.Random(7)
    alphabet = "民法典合同物权人格婚姻家庭继承侵权责任总则编第条款规定当事人应当"
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(8, 40))) for _ in range(60)]
    texts = []
    for _ in range(150):
        text = list(rng.choice(base))
        for _ in range(rng.randint(0, 2)):
            text[rng.randrange(len(text))] = rng.choice(alphabet)
        texts.append("".join(text))
    bank = [(1000 + i, t) for i, t in enumerate(base[:30])]
    found = find_duplicates(texts, bank)
    got = [
        (None if f.near_in_file is None else f.near_in_file.ref, None if f.near_in_bank is None else f.near_in_bank.ref)
        for f in found
    ]
    assert got == _brute_force(texts, bank)
    assert any(g[0] is not None for g in got) and any(g[1] is not None for g in got)


def test_flag_duplicates_warnings_with_lines() -> None:
    text = (
        "1.根据民法典，成年人是指年满十八周岁的自然人，这一说法是否正确？\n答案：对\n"
        "2.根据民法典,成年人是指年满十八周岁的自然人, 这一说法是否正确?\n答案：对\n"
        "3.根据民法典，成年人是指年满十八周岁的自然人，这一种说法是否正确？\n答案：对\n"
        "4.完全不同的另一道题目，讲的是继承编的法定继承顺序问题。\n答案：错\n"
        "5.遗嘱人可以撤回、变更自己所立的遗嘱，立遗嘱后，遗嘱人实施与遗嘱内容相反的民事法律行为的视为撤回\n答案：对\n"
    )
    questions = parse_text(text).questions
    bank = [
        (41, "judge", "完全不同的另一道题目，讲的是继承编的法定继承顺序问题。", ["正确", "错误"]),
        (
            42,
            "judge",
            "遗嘱人可以撤回、变更自己所立的遗嘱，立遗嘱后，遗嘱人实施与遗嘱内容相反的民事法律行为的，视为对遗嘱相关内容的撤回",
            ["正确", "错误"],
        ),
    ]
    flag_duplicates(questions, bank)
    assert [q.warnings for q in questions] == [
        [],
        [Issue(3, "题干", "duplicate_in_file", "与第 1 行的试题重复。")],
        [Issue(5, "题干", "near_duplicate_in_file", "与第 1 行的试题高度相似（相似度 0.95）。")],
        [Issue(7, "题干", "duplicate_in_bank", "题库中已有相同的试题（编号 41）。")],
        [Issue(9, "题干", "near_duplicate_in_bank", "与题库中的试题（编号 42）高度相似（相似度 0.90）。")],
    ]


def test_five_thousand_against_five_thousand_finds_exactly_the_copies() -> None:
    # its speed is measured by bench/import_bench.py (make bench), against a baseline in the same run: a
    # wall-clock limit here failed on a loaded machine and proved nothing on an idle one
    rng = random.Random(1)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    bank = [(i, "".join(rng.choices(chars, k=rng.randint(20, 120)))) for i in range(5000)]
    texts = ["".join(rng.choices(chars, k=rng.randint(20, 120))) for _ in range(4990)] + [t for _i, t in bank[:10]]
    found = find_duplicates(texts, bank)
    assert sum(1 for f in found if f.exact_in_bank) == 10
