"""The quality report's coverage of the cited laws (``quality.law_coverage``) and its figures for the shipped
banks once the shipped law texts are loaded."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from quizzes.importing.shipped import SHIPPED_BANKS
from quizzes.models import QuestionBank
from quizzes.quality import PASS, LibraryArticles, QualityQuestion, bank_report, law_coverage
from tests.conftest import Tree


def cite(ref: int, basis: str) -> QualityQuestion:
    return QualityQuestion(
        ref=ref, kind="judge", stem=f"题{ref}", options=["正确", "错误"], answer=["A"], legal_basis=basis
    )


LIBRARY = {
    "民法典": LibraryArticles(
        "中华人民共和国民法典",
        [(1, 0, "第一编 总则"), (2, 0, "第一编 总则"), (3, 0, "第二编 物权"), (4, 0, "附则")],
    ),
    "刑法": LibraryArticles("中华人民共和国刑法", [(133, 0, ""), (133, 1, "")]),
    "宪法": LibraryArticles("中华人民共和国宪法", [(1, 0, "")]),
}


def test_coverage_per_law_and_book() -> None:
    questions = [
        cite(1, "《中华人民共和国民法典》第一条"),
        cite(2, "《民法典》第一条、第三条"),
        cite(3, "《中华人民共和国刑法》第一百三十三条之一"),
        cite(4, "《中华人民共和国土地管理法》第一条"),  # not in the library: not measured
        cite(5, ""),
    ]
    metric = law_coverage(questions, LIBRARY)
    assert (metric.code, metric.value, metric.status) == ("law_coverage", 0.5, PASS)
    assert metric.detail["laws"] == [
        {
            "law": "中华人民共和国刑法",
            "articles": 2,
            "examined": 1,
            "never_examined": 1,
            "share": 0.5,
            "books": [{"book": "", "articles": 2, "examined": 1, "questions": 1}],
        },
        {
            "law": "中华人民共和国民法典",
            "articles": 4,
            "examined": 2,
            "never_examined": 2,
            "share": 0.5,
            "books": [
                {"book": "第一编 总则", "articles": 2, "examined": 1, "questions": 2},
                {"book": "第二编 物权", "articles": 1, "examined": 1, "questions": 1},
                {"book": "附则", "articles": 1, "examined": 0, "questions": 0},
            ],
        },
    ]
    assert law_coverage([], LIBRARY).value is None
    assert "law_coverage" not in {m.code for m in bank_report(questions).metrics}
    assert bank_report(questions, LIBRARY).metric("law_coverage").value == 0.5


@pytest.mark.django_db
def test_bank_report_of_the_shipped_banks_with_the_shipped_laws(tree: Tree) -> None:
    call_command("load_banks", unit=tree.city.pk, stdout=io.StringIO())
    for shipped in SHIPPED_BANKS:
        bank = QuestionBank.objects.get(unit=tree.city, name=shipped.name)
        out = io.StringIO()
        call_command("bank_report", str(bank.pk), "--json", stdout=out)
        metric = {m["code"]: m for m in json.loads(out.getvalue())["metrics"]}["law_coverage"]
        assert metric["status"] == PASS and metric["detail"]["laws"]
        if shipped is SHIPPED_BANKS[0]:  # the Civil Code bank: by book, in the order of the code
            books = [book["book"] for book in metric["detail"]["laws"][0]["books"]]
            assert books == [
                "第一编 总则",
                "第二编 物权",
                "第三编 合同",
                "第四编 人格权",
                "第五编 婚姻家庭",
                "第六编 继承",
                "第七编 侵权责任",
                "附则",
            ]
        for law in metric["detail"]["laws"]:
            assert law["examined"] + law["never_examined"] == law["articles"] > 0
            assert sum(book["articles"] for book in law["books"]) == law["articles"]
