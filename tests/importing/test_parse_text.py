"""Plain-text conventions of Chinese exam platforms, each with exact lines and messages."""

from __future__ import annotations

import pytest

from quizzes.importing.parse_text import parse_text
from quizzes.importing.types import ImportFileError, Issue, ParsedQuestion


def only(text: str) -> ParsedQuestion:
    result = parse_text(text)
    assert len(result.questions) == 1, result.questions
    return result.questions[0]


def issues(question: ParsedQuestion) -> list[tuple[int | None, str | None, str, str]]:
    return [(i.line, i.column, i.code, i.message) for i in question.errors]


@pytest.mark.parametrize(
    "number",
    ["1.", "1、", "1．", "（1）", "(1)", "1)", "第1题", "１．", ""],
)
def test_stem_numbering(number: str) -> None:
    q = only(f"{number}民法典自哪一年起施行？\nA.2020年\nB.2021年\n答案：B\n")
    assert (q.line, q.kind, q.stem, q.options, q.answer) == (
        1,
        "single",
        "民法典自哪一年起施行？",
        ["2020年", "2021年"],
        ["B"],
    )
    assert q.errors == [] and q.warnings == []


@pytest.mark.parametrize(
    "options",
    [
        "A.甲\nB.乙\nC.丙",
        "A、甲\nB、乙\nC、丙",
        "A．甲\nB．乙\nC．丙",
        "(A)甲\n(B)乙\n(C)丙",
        "（A）甲\n（B）乙\n（C）丙",
        "A)甲\nB)乙\nC)丙",
        "Ａ．甲\nＢ．乙\nＣ．丙",
        "A:甲\nB:乙\nC:丙",
        "A.甲  B.乙  C.丙",
        "A、甲 B、乙\nC、丙",
        "(A)甲 (B)乙 (C)丙",
        "A.甲B.乙C.丙",
    ],
)
def test_option_forms(options: str) -> None:
    q = only(f"1.下列哪一项是乙？\n{options}\n答案：B")
    assert q.options == ["甲", "乙", "丙"]
    assert q.answer == ["B"]
    assert q.errors == []


def test_options_inline_after_stem() -> None:
    q = only("1.下列哪一项是乙（　）A.甲 B.乙 C.丙 D.丁\n答案：B")
    assert q.stem == "下列哪一项是乙（　）"
    assert q.options == ["甲", "乙", "丙", "丁"]


def test_multiline_stem_and_option_continuation() -> None:
    q = only(
        "1.甲乙签订买卖合同，\n约定由丙履行。下列说法正确的是：\nA.合同无效\nB.合同有效，\n但丙不承担责任\n答案：B"
    )
    assert q.stem == "甲乙签订买卖合同，\n约定由丙履行。下列说法正确的是："
    assert q.options == ["合同无效", "合同有效，\n但丙不承担责任"]


@pytest.mark.parametrize(
    ("answer_line", "letters"),
    [
        ("答案：ABD", ["A", "B", "D"]),
        ("答案:A,B,D", ["A", "B", "D"]),
        ("【答案】A、B、D", ["A", "B", "D"]),
        ("正确答案：A;B;D", ["A", "B", "D"]),
        ("参考答案：ＡＢＤ", ["A", "B", "D"]),
        ("答案：A，B，D。", ["A", "B", "D"]),
        ("答案： D B A", ["A", "B", "D"]),
    ],
)
def test_multiple_answer_forms(answer_line: str, letters: list[str]) -> None:
    q = only(f"1.下列属于民事责任的有\nA.停止侵害\nB.赔偿损失\nC.罚款\nD.赔礼道歉\n{answer_line}")
    assert q.kind == "multiple"
    assert q.answer == letters


@pytest.mark.parametrize(
    ("word", "letter"),
    [
        ("正确", "A"),
        ("错误", "B"),
        ("对", "A"),
        ("错", "B"),
        ("√", "A"),
        ("×", "B"),
        ("是", "A"),
        ("否", "B"),
        ("T", "A"),
        ("F", "B"),
        ("Ｔ", "A"),
        ("✓", "A"),
        ("✗", "B"),
    ],
)
def test_judge_answers_infer_kind(word: str, letter: str) -> None:
    q = only(f"1.八周岁以上的未成年人为限制民事行为能力人。\n答案：{word}")
    assert (q.kind, q.options, q.answer) == ("judge", ["正确", "错误"], [letter])
    assert q.errors == []


def test_kind_inferred_from_answer() -> None:
    result = parse_text("1.题一\nA.甲\nB.乙\n答案：A\n2.题二\nA.甲\nB.乙\nC.丙\n答案：AC\n3.题三\n答案：对")
    assert [q.kind for q in result.questions] == ["single", "multiple", "judge"]


def test_section_headings_set_kind() -> None:
    text = (
        "2024年民法典知识竞赛试题\n"
        "一、单项选择题（每题1分，共2题）\n"
        "1.单选题干\nA.甲\nB.乙\n答案：A\n"
        "二、多项选择题\n"
        "1.多选题干只有一个答案\nA.甲\nB.乙\nC.丙\n答案：C\n"
        "三、判断题\n"
        "1.判断题干\n答案：T\n"
        "第四部分 单选题\n"
        "1.又一个单选题\nA.甲\nB.乙\n答案：B\n"
    )
    result = parse_text(text)
    assert [(q.line, q.kind, q.answer) for q in result.questions] == [
        (3, "single", ["A"]),
        (8, "multiple", ["C"]),
        (14, "judge", ["A"]),
        (17, "single", ["B"]),
    ]
    assert result.questions[1].warnings == [Issue(12, "答案", "multiple_one_answer", "多选题只有一个答案 C，请确认。")]
    assert result.file_warnings == [
        Issue(1, None, "line_ignored", "无法识别为试题的内容，已忽略：“2024年民法典知识竞赛试题”。")
    ]


def test_kind_prefix_on_stem() -> None:
    q = only("1.【多选题】下列说法正确的是\nA.甲\nB.乙\n答案：A")
    assert q.kind == "multiple" and q.stem == "下列说法正确的是"
    assert q.warnings[0].code == "multiple_one_answer"


def test_explanation_and_legal_basis_markers() -> None:
    text = (
        "1.结婚登记的机关是\nA.民政部门\nB.法院\n"
        "答案：A\n"
        "解析：要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。\n"
        "登记机关为民政部门。\n"
        "【法条】《中华人民共和国民法典》第一千零四十九条\n"
        "2.离婚冷静期为多少日？\nA.十五日\nB.三十日\n"
        "【答案】B【解析】自婚姻登记机关收到离婚登记申请之日起三十日内。依据：《中华人民共和国民法典》第一千零七十七条\n"
        "3.遗嘱可以由本人亲笔书写。\n答案：√ 解析：自书遗嘱。 法条依据：《中华人民共和国民法典》第一千一百三十四条\n"
        "难度：4\n标签：继承编，遗嘱\n"
    )
    first, second, third = parse_text(text).questions
    assert first.explanation == "要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。\n登记机关为民政部门。"
    assert first.legal_basis == "《中华人民共和国民法典》第一千零四十九条"
    assert (second.answer, second.explanation, second.legal_basis) == (
        ["B"],
        "自婚姻登记机关收到离婚登记申请之日起三十日内。",
        "《中华人民共和国民法典》第一千零七十七条",
    )
    assert (third.kind, third.answer, third.explanation, third.legal_basis, third.difficulty, third.tags) == (
        "judge",
        ["A"],
        "自书遗嘱。",
        "《中华人民共和国民法典》第一千一百三十四条",
        4,
        ["继承编", "遗嘱"],
    )


def test_numbered_lines_inside_explanation_are_not_questions() -> None:
    text = "1.题一\nA.甲\nB.乙\n答案：A\n解析：理由如下：\n1.第一点\n3.第三点\n2.题二\n答案：错"
    first, second = parse_text(text).questions
    assert first.explanation == "理由如下：\n1.第一点\n3.第三点"
    assert (second.line, second.stem, second.answer) == (8, "题二", ["B"])


def test_unnumbered_questions_separated_by_blank_lines() -> None:
    text = (
        "民法典题库\n"
        "\n"
        "自然人的民事权利能力始于\n"
        "A.出生\n"
        "B.成年\n"
        "答案：A\n"
        "\n"
        "夫妻一方婚前财产属于该方个人财产。\n"
        "答案：正确\n"
        "解析：第一千零六十三条。\n"
        "\n"
        "下列属于人格权的有\n"
        "A.生命权 B.姓名权 C.物权\n"
        "答案：AB\n"
    )
    result = parse_text(text)
    assert [(q.line, q.kind, q.stem, q.answer) for q in result.questions] == [
        (3, "single", "自然人的民事权利能力始于", ["A"]),
        (8, "judge", "夫妻一方婚前财产属于该方个人财产。", ["A"]),
        (12, "multiple", "下列属于人格权的有", ["A", "B"]),
    ]
    assert result.questions[1].explanation == "第一千零六十三条。"
    assert [w.code for w in result.file_warnings] == ["line_ignored"]


def test_unnumbered_questions_without_blank_lines() -> None:
    result = parse_text("题一\nA.甲\nB.乙\n答案：A\n题二\nA.丙\nB.丁\n答案：B\n")
    assert [(q.line, q.stem, q.options, q.answer) for q in result.questions] == [
        (1, "题一", ["甲", "乙"], ["A"]),
        (5, "题二", ["丙", "丁"], ["B"]),
    ]


def test_difficulty_and_tags_and_kind_markers() -> None:
    q = only("1.题干\nA.甲\nB.乙\n题型：多选\n答案：AB\n难度：5\n知识点：合同编、物权编")
    assert (q.kind, q.difficulty, q.tags) == ("multiple", 5, ["合同编", "物权编"])


# --- errors and warnings, with their exact lines -------------------------------------------


def test_error_no_answer() -> None:
    q = only("1.题干\nA.甲\nB.乙\n")
    assert issues(q) == [(1, "答案", "no_answer", "缺少答案。")]


def test_error_answer_not_among_options() -> None:
    q = only("\n1.题干\nA.甲\nB.乙\nC.丙\n答案：E")
    assert issues(q) == [(6, "答案", "answer_not_in_options", "答案 E 不在选项 ABC 之中。")]


def test_error_single_choice_with_several_answers() -> None:
    q = only("一、单选题\n1.题干\nA.甲\nB.乙\nC.丙\n答案：AB")
    assert q.kind == "single"
    assert issues(q) == [(6, "答案", "too_many_answers", "单选题和判断题只能有一个答案。")]


def test_error_judge_with_several_answers() -> None:
    q = only("三、判断题\n1.题干\n答案：AB")
    assert issues(q) == [(3, "答案", "too_many_answers", "单选题和判断题只能有一个答案。")]


def test_error_judge_answer_unreadable() -> None:
    q = only("判断题\n1.题干\n答案：C")
    assert issues(q) == [
        (3, "答案", "answer_unreadable", "无法识别判断题答案“C”，应为 正确/错误（对/错、√/×、是/否、T/F）。")
    ]


def test_error_choice_answer_unreadable() -> None:
    q = only("1.题干\nA.甲\nB.乙\n答案：甲")
    assert issues(q) == [(4, "答案", "answer_unreadable", "无法识别答案“甲”，选择题答案应为选项字母，如 A 或 ABD。")]


def test_error_fewer_than_two_options() -> None:
    q = only("1.题干\nA.甲\n答案：A")
    assert issues(q) == [(2, "选项", "too_few_options", "选择题至少需要两个选项。")]


def test_error_empty_stem() -> None:
    q = only("1.\nA.甲\nB.乙\n答案：A")
    assert issues(q) == [(1, "题干", "empty_stem", "题干不能为空。")]


def test_error_option_letters_not_consecutive() -> None:
    q = only("1.题干\nA.甲\nB.乙\nD.丁\n答案：A")
    assert issues(q) == [(4, "选项D", "option_missing", "选项字母不连续：缺少选项 C。")]


def test_error_option_repeated() -> None:
    q = only("1.题干\nA.甲\nB.乙\nB.丙\n答案：A")
    assert issues(q) == [(4, "选项B", "option_duplicate", "选项 B 重复出现。")]


def test_error_stem_over_limit() -> None:
    q = only(f"1.{'法' * 2001}\nA.甲\nB.乙\n答案：A")
    assert issues(q) == [(1, "题干", "too_long", "题干超过 2000 字（现有 2001 字）。")]


def test_error_explanation_over_limit() -> None:
    q = only(f"1.题干\nA.甲\nB.乙\n答案：A\n解析：{'释' * 4001}")
    assert issues(q) == [(5, "解析", "too_long", "解析超过 4000 字（现有 4001 字）。")]


def test_error_legal_basis_over_limit() -> None:
    q = only(f"1.题干\n答案：对\n【法条】{'条' * 501}")
    assert issues(q) == [(3, "法条依据", "too_long", "法条依据超过 500 字（现有 501 字）。")]


def test_error_option_over_limit() -> None:
    q = only(f"1.题干\nA.{'甲' * 501}\nB.乙\n答案：A")
    assert issues(q) == [(2, "选项A", "too_long", "选项 A 超过 500 字（现有 501 字）。")]


def test_error_kind_invalid() -> None:
    q = only("1.题干\n题型：填空题\n答案：对")
    assert issues(q) == [(2, "题型", "kind_invalid", "无法识别题型“填空题”，应为 单选、多选 或 判断。")]


def test_warning_difficulty_invalid() -> None:
    q = only("1.题干\n答案：对\n难度：9")
    assert q.errors == []
    assert q.warnings == [Issue(3, "难度", "difficulty_invalid", "难度“9”无效（应为 1–5 的整数），已按 3 处理。")]
    assert q.difficulty == 3


def test_warning_answer_before_any_question() -> None:
    result = parse_text("答案：A\n1.题干\n答案：对")
    assert result.file_warnings == [Issue(1, None, "line_ignored", "无法识别为试题的内容，已忽略：“A”。")]


def test_no_questions_is_a_file_error() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_text("只是一段说明文字。")
    assert caught.value.code == "no_questions"
    assert caught.value.message == "文件中没有找到试题。请参照导入格式说明（题号、选项 A. B.、答案：）。"
