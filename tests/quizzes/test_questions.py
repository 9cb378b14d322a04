"""The rules of a valid question (quizzes.questions): pure, shared by the services and the importers."""

from __future__ import annotations

import pytest

from quizzes.questions import normalise_question_fields, question_problems, question_validate


def test_normalise_gives_judge_questions_their_fixed_options_and_sorts_letters() -> None:
    assert normalise_question_fields(kind="judge", options=["x"], answer=[" a "]) == (["正确", "错误"], ["A"])
    assert normalise_question_fields(kind="multiple", options=[" 甲 ", "乙"], answer=["b", "A", "B"]) == (
        ["甲", "乙"],
        ["A", "B"],
    )


NINE = list("甲乙丙丁戊己庚辛壬")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (dict(kind="single", stem="题", options=["甲", "乙"], answer=["A"]), []),
        (dict(kind="judge", stem="题", options=["正确", "错误"], answer=["B"]), []),
        (dict(kind="fill", stem="题", options=["甲", "乙"], answer=["A"]), [("kind", "kind_invalid")]),
        (dict(kind="single", stem=" ", options=["甲", "乙"], answer=["A"]), [("stem", "empty_stem")]),
        (dict(kind="single", stem="题", options=["甲"], answer=["A"]), [("options", "too_few_options")]),
        (dict(kind="single", stem="题", options=NINE, answer=["A"]), [("options", "too_many_options")]),
        (dict(kind="single", stem="题", options=["甲", " "], answer=["A"]), [("options", "empty_option")]),
        (dict(kind="single", stem="题", options=["甲", "乙"], answer=[]), [("answer", "no_answer")]),
        (dict(kind="single", stem="题", options=["甲", "乙"], answer=["C"]), [("answer", "answer_not_in_options")]),
        (dict(kind="judge", stem="题", options=["正确", "错误"], answer=["A", "B"]), [("answer", "too_many_answers")]),
    ],
)
def test_each_rule_has_a_stable_code(fields: dict, expected: list[tuple[str, str]]) -> None:
    problems = question_problems(**fields)
    assert [(p.field, p.code) for p in problems] == expected
    assert question_validate(**fields) == {p.field: [p.message] for p in problems}


def test_messages_follow_the_active_language() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        [problem] = question_problems(kind="single", stem="题", options=["甲", "乙"], answer=["C"])
    assert problem.message == "答案 C 不在选项 AB 之中。"
