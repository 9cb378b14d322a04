"""The bank quality report (quizzes/quality.py), each metric on a small hand-built list."""

from __future__ import annotations

from typing import Any

from quizzes.quality import (
    PASS,
    WARN,
    QualityQuestion,
    articles,
    bank_report,
    has_absolute_word,
    key_is_uniquely_longest,
    mirror_candidates,
    near_duplicates,
    question_warnings,
    stem_contains_key,
)

BASIS = "《中华人民共和国民法典》第十七条"


def single(ref: int, key: str = "A", options: tuple[str, ...] = ("甲甲", "乙乙", "丙丙", "丁丁"), **extra: Any) -> Any:
    fields = {"kind": "single", "stem": f"单选题{ref}", "options": list(options), "answer": [key], "legal_basis": BASIS}
    return QualityQuestion.from_fields(ref, {**fields, **extra})


def multiple(ref: int, answer: str, options: int = 4, **extra: Any) -> Any:
    fields = {
        "kind": "multiple",
        "stem": f"多选题{ref}",
        "options": [f"选项{ref}{n}" for n in range(options)],
        "answer": list(answer),
        "legal_basis": BASIS,
    }
    return QualityQuestion.from_fields(ref, {**fields, **extra})


def judge(ref: int, true: bool, stem: str | None = None, **extra: Any) -> Any:
    fields = {
        "kind": "judge",
        "stem": stem or f"判断题第{ref}题的陈述",
        "options": ["正确", "错误"],
        "answer": ["A" if true else "B"],
        "legal_basis": BASIS,
    }
    return QualityQuestion.from_fields(ref, {**fields, **extra})


def test_question_fields_and_defaults() -> None:
    q = QualityQuestion.from_fields(1, {"kind": "single", "stem": "题", "options": ["甲", "乙"], "answer": ["B", "Z"]})
    assert (q.legal_basis, q.exclusion_group) == ("", "")
    assert q.key_texts() == ["乙"]  # a letter beyond the options (or not a letter) names no text
    assert q.wrong_texts() == ["甲"]


def test_key_letter_balance() -> None:
    balanced = [single(n, key) for n, key in enumerate("ABCDABCD")]
    metric = bank_report(balanced).metric("key_letter_balance")
    assert (metric.value, metric.status) == (0.25, PASS)
    assert metric.detail == {"shares": {"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25}, "count": 8}

    skewed = [single(n, key) for n, key in enumerate("AAAABCDD")]
    metric = bank_report(skewed).metric("key_letter_balance")
    assert (metric.value, metric.status) == (0.5, WARN)

    never_c = [single(n, key) for n, key in enumerate("AABBDDAB")]  # C holds no key: below 15 %
    assert bank_report(never_c).metric("key_letter_balance").status == WARN

    # a fifth option on some questions: E counts, but only the letters every question has must reach 15 %
    with_e = [*balanced, single(9, "E", options=("甲甲", "乙乙", "丙丙", "丁丁", "戊戊"))]
    metric = bank_report(with_e).metric("key_letter_balance")
    assert metric.detail["shares"]["E"] == round(1 / 9, 4)
    assert metric.status == PASS


def test_judge_balance() -> None:
    metric = bank_report([judge(1, True), judge(2, False)]).metric("judge_balance")
    assert (metric.value, metric.status, metric.threshold) == (0.5, PASS, "40%～60%")
    metric = bank_report([judge(1, True), judge(2, False), judge(3, False), judge(4, False)]).metric("judge_balance")
    assert (metric.value, metric.status) == (0.25, WARN)


def test_multiple_choice_with_one_wrong_option_and_all_correct() -> None:
    questions = [multiple(1, "ABC"), multiple(2, "AB"), multiple(3, "ABCD"), multiple(4, "AB", options=3)]
    report = bank_report(questions)
    one_wrong = report.metric("multiple_one_wrong")
    assert (one_wrong.value, one_wrong.status, one_wrong.detail) == (0.5, WARN, {"count": 2, "of": 4})
    all_correct = report.metric("multiple_all_correct")
    assert (all_correct.value, all_correct.status) == (1, WARN)
    assert all_correct.detail == {"share": 0.25, "refs": [3]}

    good = bank_report([multiple(1, "AB"), multiple(2, "ABC", options=5), multiple(3, "BC")])
    assert good.metric("multiple_one_wrong").status == PASS
    assert (good.metric("multiple_all_correct").value, good.metric("multiple_all_correct").status) == (0, PASS)


def test_key_uniquely_longest() -> None:
    longest = single(1, "B", options=("甲", "最长的一个选项", "丙", "丁"))
    tie = single(2, "B", options=("一样长的", "一样长的", "丙", "丁"))
    shorter = single(3, "A", options=("短", "长一些的", "丙", "丁"))
    assert key_is_uniquely_longest(longest)
    assert not key_is_uniquely_longest(tie)
    assert not key_is_uniquely_longest(shorter)
    assert not key_is_uniquely_longest(multiple(4, "A"))
    metric = bank_report([longest, tie, shorter, single(5)]).metric("key_uniquely_longest")
    assert (metric.value, metric.status, metric.detail) == (0.25, PASS, {"count": 1, "of": 4})
    metric = bank_report([longest, shorter]).metric("key_uniquely_longest")
    assert (metric.value, metric.status) == (0.5, WARN)


def test_absolute_words() -> None:
    assert has_absolute_word("一律由法院决定")
    assert has_absolute_word("所有人都可以")  # 所有人 is not absolute, but 都 is
    assert not has_absolute_word("所有权人可以处分")
    assert not has_absolute_word("北京是首都")

    tells = [
        single(1, "A", options=("由法院决定", "一律无效", "必须登记", "随时撤销")),
        single(2, "B", options=("任何人均可", "依法处理", "只能协商", "全部归国家")),
    ]
    metric = bank_report(tells).metric("absolute_words_choice")
    assert (metric.value, metric.status) == (1.0, WARN)
    assert metric.detail == {"keys": 0.0, "wrong_options": 1.0}

    fair = [single(1, "A", options=("必须登记", "一律无效", "只能协商", "任何人均可"))]
    assert bank_report(fair).metric("absolute_words_choice").status == PASS

    statements = [
        judge(1, True, "自书遗嘱由遗嘱人亲笔书写。"),
        judge(2, False, "任何情况下遗嘱都无效。"),
        judge(3, False, "遗嘱必须公证。"),
        judge(4, True, "遗嘱可以撤回。"),
    ]
    metric = bank_report(statements).metric("absolute_words_judge")
    assert (metric.value, metric.status) == (1.0, WARN)
    assert metric.detail == {"true_statements": 0.0, "false_statements": 1.0}
    assert bank_report([judge(1, True), judge(2, False)]).metric("absolute_words_judge").status == PASS


def test_stem_contains_key() -> None:
    gives_away = single(1, "A", options=("不动产登记簿", "权属证书", "合同", "陈述"))
    gives_away = QualityQuestion.from_fields(
        1, {**gives_away.__dict__, "stem": "与不动产登记簿不一致的，以（ ）为准。"}
    )
    short_key = QualityQuestion.from_fields(
        2, {"kind": "single", "stem": "成年人年满十八周岁。", "options": ["十八", "十六"], "answer": ["A"]}
    )
    assert stem_contains_key(gives_away) == "不动产登记簿"
    assert stem_contains_key(short_key) is None  # 十八: shorter than 4 characters
    assert stem_contains_key(judge(3, True)) is None
    metric = bank_report([gives_away, short_key]).metric("stem_contains_key")
    assert (metric.value, metric.status, metric.detail) == (1, WARN, {"refs": [1]})


def test_uncited() -> None:
    metric = bank_report([single(1), single(2, legal_basis="  ")]).metric("uncited")
    assert (metric.value, metric.status, metric.detail) == (1, WARN, {"share": 0.5, "refs": [2]})
    assert bank_report([single(1)]).metric("uncited").status == PASS


def test_near_duplicates_leave_out_grouped_pairs() -> None:
    a = judge(1, True, "夫妻一方的婚前财产属于该方个人财产。")
    b = judge(2, True, "夫妻一方的婚前财产，属于该方的个人财产。")
    c = judge(3, True, "夫妻一方的婚前财产属于该方个人财产。")
    found = near_duplicates([a, b, c])
    assert [(x.ref, y.ref) for x, y, _score in found] == [(1, 2), (1, 3)]
    grouped = [QualityQuestion.from_fields(q.ref, {**q.__dict__, "exclusion_group": "婚前财产"}) for q in (a, b)]
    assert [(x.ref, y.ref) for x, y, _score in near_duplicates([*grouped, c])] == [(1, 3)]
    metric = bank_report([a, b]).metric("near_duplicates")
    assert (metric.value, metric.status) == (1, WARN)
    assert metric.detail["pairs"][0][:2] == [1, 2]


def test_articles_of_a_legal_basis() -> None:
    # the law by its key (lawtexts.law_key), so that 《中华人民共和国民法典》 and 民法典 cite the same article
    assert articles("《中华人民共和国民法典》第十九条、第二十条") == {("民法典", "第十九条"), ("民法典", "第二十条")}
    assert articles("民法典第17条") == {("民法典", "第十七条")} == articles("《民法典》第十七条第一款")
    assert articles("《中华人民共和国民法典》第十九条至第二十一条") == {
        ("民法典", "第十九条"),
        ("民法典", "第二十条"),
        ("民法典", "第二十一条"),
    }
    assert articles("《中华人民共和国宪法》序言") == {("中华人民共和国宪法序言", "")}
    assert articles("") == set()


def test_mirror_candidates_same_article_similar_texts_not_grouped() -> None:
    choice = QualityQuestion.from_fields(
        1,
        {
            "kind": "single",
            "stem": "（ ）以上的未成年人为限制民事行为能力人。",
            "options": ["六周岁", "八周岁", "十周岁"],
            "answer": ["B"],
            "legal_basis": "《中华人民共和国民法典》第十九条",
        },
    )
    statement = judge(
        2, False, "不满八周岁的未成年人为限制民事行为能力人。", legal_basis="《中华人民共和国民法典》第十九条"
    )
    elsewhere = judge(
        3, False, "不满八周岁的未成年人为限制民事行为能力人。", legal_basis="《中华人民共和国民法典》第二十条"
    )
    unrelated = judge(4, True, "遗嘱可以撤回。", legal_basis="《中华人民共和国民法典》第十九条")
    found = mirror_candidates([choice, statement, elsewhere, unrelated])
    assert [(a.ref, b.ref) for a, b, _score in found] == [(1, 2)]
    assert found[0][2] >= 0.5
    grouped = [
        QualityQuestion.from_fields(q.ref, {**q.__dict__, "exclusion_group": "第19条"}) for q in (choice, statement)
    ]
    assert mirror_candidates([*grouped, elsewhere, unrelated]) == []
    metric = bank_report([choice, statement]).metric("mirror_candidates")
    assert (metric.value, metric.status, metric.detail["pairs"][0][:2]) == (1, WARN, [1, 2])


def test_report_counts_summary_and_empty_metrics() -> None:
    grouped = judge(2, False, exclusion_group="组")
    report = bank_report([single(1), grouped, multiple(3, "AB")])
    assert report.counts == {"questions": 3, "single": 1, "multiple": 1, "judge": 1, "grouped": 1, "groups": 1}
    as_dict = report.to_dict()
    assert as_dict["warnings"] == report.warnings
    assert [m["code"] for m in as_dict["metrics"]] == [
        "key_letter_balance",
        "judge_balance",
        "multiple_one_wrong",
        "multiple_all_correct",
        "key_uniquely_longest",
        "absolute_words_choice",
        "absolute_words_judge",
        "stem_contains_key",
        "near_duplicates",
        "mirror_candidates",
        "uncited",
    ]
    empty = bank_report([])
    assert empty.warnings == 0
    assert all(m.status == PASS for m in empty.metrics)
    assert empty.metric("key_letter_balance").value is None
    assert empty.metric("absolute_words_judge").value is None


def test_question_warnings() -> None:
    q = QualityQuestion.from_fields(
        7, {"kind": "single", "stem": "以不动产登记簿为准。", "options": ["不动产登记簿", "证书"], "answer": ["A"]}
    )
    assert [(w.field, w.code, w.message) for w in question_warnings(q)] == [
        ("stem", "stem_contains_key", "题干中包含答案选项的原文“不动产登记簿”，请确认。"),
        ("legal_basis", "no_legal_basis", "没有填写法条依据。"),
    ]
    assert question_warnings(single(1)) == []
