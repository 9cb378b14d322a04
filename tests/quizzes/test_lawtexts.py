"""The law-text rules as pure functions: numerals, splitting a text into articles, reading citations."""

from __future__ import annotations

import pytest

from quizzes.lawtexts import (
    CitedArticle,
    article_heading,
    chinese_number,
    chinese_numeral,
    citations,
    law_key,
    split_articles,
    split_problems,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十七", 17),
        ("二十", 20),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百二十三", 123),
        ("二百", 200),
        ("一千", 1000),
        ("一千零一", 1001),
        ("一千零一十", 1010),
        ("一千二百五十九", 1259),
        ("一千二百六十", 1260),
        ("两百", 200),
        ("一百〇五", 105),
        ("一十七", 17),
        ("133", 133),
    ],
)
def test_chinese_number(text: str, number: int) -> None:
    assert chinese_number(text) == number


def test_every_article_number_of_the_civil_code_round_trips() -> None:
    assert all(chinese_number(chinese_numeral(n)) == n for n in range(1, 1261))
    assert [chinese_numeral(n) for n in (1, 10, 11, 105, 110, 1001, 1260)] == [
        "一",
        "十",
        "十一",
        "一百零五",
        "一百一十",
        "一千零一",
        "一千二百六十",
    ]


@pytest.mark.parametrize("bad", ["", "条", "十x", "十百", "一〇五", "零", "一百五", "九千九百九十九十"])
def test_not_a_number(bad: str) -> None:
    with pytest.raises(ValueError):
        chinese_number(bad)


@pytest.mark.parametrize("bad", [0, 10000])
def test_numeral_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(bad)


def test_headings_and_law_keys() -> None:
    assert article_heading(17) == "第十七条"
    assert article_heading(133, 1) == "第一百三十三条之一"
    assert law_key("《中华人民共和国民法典》") == "民法典" == law_key("民法典")
    assert law_key("《中华人民共和国监察法》（2024年修正）") == "监察法"
    assert law_key("中国共产党纪律处分条例") == "中国共产党纪律处分条例"
    assert law_key("中华人民共和国") == "中华人民共和国"


TEXT = """中华人民共和国示例法

2020年5月28日通过

第一编　总则
第一章  基本规定
第一条　为了保护民事主体的合法权益，制定本法。
第二条 民法调整平等主体之间的人身关系和财产关系。

第二款的内容。
第二章 自然人
第一节 民事权利能力
第十七条\u2002十八周岁以上的自然人为成年人。
第十八条规定的情形不是一条的开始。
第一百三十三条之一 在道路上驾驶机动车，有下列情形之一的，处拘役：
（一）追逐竞驶，情节恶劣的；
附则
第一千二百六十条 本法自2021年1月1日起施行。
附件一
不属于任何一条的清单。
"""


def test_split_articles_paragraphs_chapters_and_full_width_spaces() -> None:
    articles = split_articles(TEXT.splitlines())
    assert [(a.number, a.sub, a.heading) for a in articles] == [
        (1, 0, "第一条"),
        (2, 0, "第二条"),
        (17, 0, "第十七条"),
        (133, 1, "第一百三十三条之一"),
        (1260, 0, "第一千二百六十条"),
    ]
    assert articles[0].chapter == "第一编 总则 / 第一章 基本规定"
    assert articles[1].text == "民法调整平等主体之间的人身关系和财产关系。\n第二款的内容。"
    assert articles[2].chapter == "第一编 总则 / 第二章 自然人 / 第一节 民事权利能力"
    assert articles[2].text == "十八周岁以上的自然人为成年人。\n第十八条规定的情形不是一条的开始。"
    assert articles[3].paragraphs == ["在道路上驾驶机动车，有下列情形之一的，处拘役：", "（一）追逐竞驶，情节恶劣的；"]
    assert articles[4].chapter == "附则"
    assert articles[4].text == "本法自2021年1月1日起施行。"  # the annex belongs to no article
    assert articles[0].line == 7


def test_markdown_headings_and_comments_are_read_too() -> None:
    articles = split_articles(
        ["# 某法", "<!-- INFO END -->", "## 第一章 总则", "第一条 内容。", "### 第一节 一", "第二条"]
    )
    assert [(a.heading, a.chapter, a.text) for a in articles] == [
        ("第一条", "第一章 总则", "内容。"),
        ("第二条", "第一章 总则 / 第一节 一", ""),
    ]


def test_a_malformed_numeral_is_text() -> None:
    articles = split_articles(["第一条 甲。", "第十百条 乙。"])
    assert [(a.heading, a.text) for a in articles] == [("第一条", "甲。\n第十百条 乙。")]


def test_split_problems() -> None:
    articles = split_articles(["第二条 甲。", "第三条 乙。", "第五条 丙。", "第四条 丁。", "第五条", "第五条之一 戊。"])
    problems = [(p.code, p.line, p.number, p.previous) for p in split_problems(articles)]
    assert problems == [
        ("gap", 1, 2, None),
        ("gap", 3, 5, 3),
        ("order", 4, 4, 5),
        ("duplicate", 5, 5, None),
        ("empty", 5, 5, None),
    ]
    assert [p.code for p in split_problems([])] == ["none"]
    assert split_problems(split_articles(["第一条 甲。", "第二条 乙。", "第二条之一 丙。", "第三条 丁。"])) == []


@pytest.mark.parametrize(
    ("basis", "cited"),
    [
        ("《中华人民共和国民法典》第十七条", [("民法典", 17, 0)]),
        ("《中华人民共和国民法典》第十七条、第十八条第二款", [("民法典", 17, 0), ("民法典", 18, 0)]),
        (
            "《中华人民共和国民法典》第一百四十四条至第一百四十六条",
            [("民法典", 144, 0), ("民法典", 145, 0), ("民法典", 146, 0)],
        ),
        ("民法典第一千二百六十条", [("民法典", 1260, 0)]),
        ("《中华人民共和国刑法》第一百三十三条之一", [("刑法", 133, 1)]),
        ("根据《刑法》第九十三条和宪法第三条", [("刑法", 93, 0), ("宪法", 3, 0)]),
        ("《中华人民共和国监察法》（2024年修正）第十五条", [("监察法", 15, 0)]),
        ("《中华人民共和国监察法》第十五条规定的人员。", [("监察法", 15, 0)]),
        ("《中华人民共和国民法典》第十七条；《中华人民共和国民法典》第十七条", [("民法典", 17, 0)]),
        ("第十七条", [("", 17, 0)]),
        ("《民法典》第一条至第九十九条", [("民法典", 1, 0), ("民法典", 99, 0)]),  # too wide: the two ends
        ("《刑法》第一百三十三条之一至第一百三十三条之二", [("刑法", 133, 1), ("刑法", 133, 2)]),
        ("《中华人民共和国宪法》序言", []),
        ("", []),
    ],
)
def test_citations(basis: str, cited: list[tuple[str, int, int]]) -> None:
    found = citations(basis)
    assert [(c.key, c.number, c.sub) for c in found] == cited


def test_cited_article_names_its_law_as_written() -> None:
    cited = citations("《中华人民共和国民法典》第十七条")[0]
    assert cited == CitedArticle("《中华人民共和国民法典》", 17)
    assert cited.heading == "第十七条"
