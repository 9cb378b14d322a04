"""The law-text library (法条原文): shipped texts, the article text in the review, the citation check of the
import preview and the question editor, and organizers adding a text (paste, .txt, .docx)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from accounts.models import AuditEvent, User
from accounts.services import user_create
from quizzes import caching
from quizzes.lawtexts import chinese_numeral, citations
from quizzes.models import LawArticle, LawText, Question
from quizzes.selectors_laws import citation_errors
from quizzes.services.banks import bank_create, question_create
from tests.conftest import PASSWORD, People, Tree, app_login, make_exam
from tests.importing.conftest import csv_text, template_row

pytestmark = pytest.mark.django_db

CIVIL_CODE = "《中华人民共和国民法典》"
ARTICLE_17 = "十八周岁以上的自然人为成年人。不满十八周岁的自然人为未成年人。"


def shipped_civil_code(numbers: range = range(1, 21)) -> LawText:
    """A short stand-in for the shipped Civil Code (no unit): articles 1–20, article 17 in its words."""
    law = LawText.objects.create(name="中华人民共和国民法典", key="民法典", edition="2020年5月28日通过")
    LawArticle.objects.bulk_create(
        LawArticle(
            law=law,
            number=n,
            heading=f"第{chinese_numeral(n)}条",
            text=ARTICLE_17 if n == 17 else f"第{n}条的条文。",
            chapter="第一编 总则 / 第二章 自然人" if n == 17 else "第一编 总则",
        )
        for n in numbers
    )
    return law


# --- shipped texts and the shipped banks' citations ----------------------------------------------


def test_every_shipped_citation_resolves_in_the_shipped_library(tree: Tree) -> None:
    """The shipped banks, loaded with the shipped texts: every law they cite is in the library and every
    article they cite exists in its current edition, with no exception (issue #12: a question that cannot be
    checked against its text does not ship); the test fails listing every unresolved citation by bank and
    stem."""
    call_command("load_banks", unit=tree.city.pk, stdout=io.StringIO())
    rows = list(Question.objects.filter(bank__unit=tree.city).values_list("bank__name", "stem", "legal_basis"))
    assert len(rows) > 300
    problems = citation_errors(unit_id=tree.city.pk, legal_bases=[basis for _bank, _stem, basis in rows])
    unresolved = [
        (bank, stem[:30], basis, found) for (bank, stem, basis), found in zip(rows, problems, strict=True) if found
    ]
    assert unresolved == []
    cited = {(bank, stem[:30], c.key) for bank, stem, basis in rows for c in citations(basis)}
    in_library = set(LawText.objects.filter(unit=None, is_current=True).values_list("key", flat=True))
    assert [c for c in sorted(cited) if c[2] not in in_library] == []  # every cited law is checked
    assert all(citations(basis) for _bank, _stem, basis in rows)  # and every question cites an article


def test_load_laws_is_idempotent() -> None:
    out = io.StringIO()
    call_command("load_laws", stdout=out)
    laws = {law.key: law for law in LawText.objects.filter(unit=None)}
    assert {k: law.articles.count() for k, law in laws.items()} == {
        "民法典": 1260,
        "宪法": 143,
        "刑法": 505,
        "监察法": 78,
        "公职人员政务处分法": 68,
        "行政处罚法": 86,
        "公务员法": 113,
        "保守国家秘密法": 65,
        "行政许可法": 83,
        "行政强制法": 71,
        "国家赔偿法": 42,
        "监察官法": 68,
        "行政诉讼法": 103,
        "行政复议法": 90,
    }
    assert all(law.is_current for law in laws.values())
    assert laws["刑法"].articles.get(number=133, sub=1).heading == "第一百三十三条之一"
    assert laws["民法典"].articles.get(number=1260).chapter == "附则"
    assert "2024年12月25日" in laws["监察法"].edition and "2018年3月11日" in laws["宪法"].edition
    again = io.StringIO()
    call_command("load_laws", stdout=again)
    assert "写入 0 条" in again.getvalue() and "写入 1260 条" not in again.getvalue()
    assert LawArticle.objects.count() == 2775


# --- the review shows the articles' words --------------------------------------------------------


def _sit(client: Any, exam: Any) -> dict[str, Any]:
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    return client.post(f"/api/v1/attempts/{paper['id']}/submit").json()


def test_review_shows_the_cited_articles_text(tree: Tree, people: People) -> None:
    shipped_civil_code()
    bank = bank_create(name="民法典", unit=tree.city)
    question_create(
        bank=bank,
        kind="judge",
        stem="十八周岁以上的自然人为成年人。",
        answer=["A"],
        legal_basis=f"{CIVIL_CODE}第十七条、第十八条第二款；《中华人民共和国土地管理法》第一条",
    )
    question_create(bank=bank, kind="judge", stem="没有依据的题。", answer=["A"])
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    review = _sit(app_login(people.alice.username), exam)["review"]
    assert review[0]["articles"] == [
        {
            "law": CIVIL_CODE,
            "edition": "2020年5月28日通过",
            "heading": "第十七条",
            "chapter": "第一编 总则 / 第二章 自然人",
            "text": ARTICLE_17,
        },
        {
            "law": CIVIL_CODE,
            "edition": "2020年5月28日通过",
            "heading": "第十八条",
            "chapter": "第一编 总则",
            "text": "第18条的条文。",
        },
    ]  # 土地管理法 is not in the library: nothing shown for it
    assert review[1]["articles"] == []


def test_review_uses_the_exam_units_own_text_before_the_shipped_one(tree: Tree, people: People) -> None:
    shipped_civil_code()
    own = LawText.objects.create(unit=tree.town_a, name="中华人民共和国民法典", key="民法典", edition="本镇整理版")
    LawArticle.objects.create(law=own, number=17, heading="第十七条", text="本镇整理的第十七条。")
    other = LawText.objects.create(unit=tree.town_b, name="中华人民共和国民法典", key="民法典", edition="北岭版")
    LawArticle.objects.create(law=other, number=17, heading="第十七条", text="北岭的第十七条。")
    for unit, text in ((tree.town_a, "本镇整理的第十七条。"), (tree.city, ARTICLE_17)):
        bank = bank_create(name=f"题库{unit.pk}", unit=unit)
        question_create(bank=bank, kind="judge", stem="题。", answer=["A"], legal_basis=f"{CIVIL_CODE}第十七条")
        exam = make_exam(unit=unit, bank=bank, audience=[tree.town_a], title=f"考试{unit.pk}")
        review = _sit(app_login(people.alice.username), exam)["review"]
        assert [a["text"] for a in review[0]["articles"]] == [text]


def _cited_exam(tree: Tree, size: int) -> Any:
    bank = bank_create(name=f"题库{size}", unit=tree.city)
    for i in range(size):
        question_create(
            bank=bank,
            kind="judge",
            stem=f"第{i}题",
            answer=["A"],
            legal_basis=f"{CIVIL_CODE}第{chinese_numeral(i + 1)}条",
        )
    return make_exam(unit=tree.city, bank=bank, audience=[tree.city], title=f"考试{size}")


# the attempt, its saved answers and paper, and the cited articles: one query; and its rank (RANK_QUERIES: an
# aggregate, or none from the rank index that the submit built)
REVIEW_QUERIES = 4


@pytest.mark.parametrize("size", [6, 60])
def test_review_reads_the_articles_in_one_query_whatever_the_papers_length(
    tree: Tree, people: People, size: int
) -> None:
    shipped_civil_code(range(1, 61))
    exam = _cited_exam(tree, size)
    client = app_login(people.alice.username)
    attempt = _sit(client, exam)  # the submit's review read the articles through the cache
    caching.laws_changed()  # as after a library change: the next read finds none cached
    with CaptureQueriesContext(connection) as read:
        review = client.get(f"/api/v1/attempts/{attempt['id']}").json()["review"]
    assert [len(q["articles"]) for q in review] == [1] * size
    from tests.api.test_query_counts import RANK_QUERIES, SESSION_QUERIES

    assert len(read) == REVIEW_QUERIES + RANK_QUERIES + SESSION_QUERIES, [q["sql"][:80] for q in read.captured_queries]
    articles = [q for q in read.captured_queries if "quizzes_lawarticle" in q["sql"]]
    assert len(articles) == 1
    with CaptureQueriesContext(connection) as again:  # and then they are cached
        assert client.get(f"/api/v1/attempts/{attempt['id']}").json()["review"] == review
    assert len(again) == REVIEW_QUERIES - 1 + RANK_QUERIES + SESSION_QUERIES


# --- the import preview and the editor check citations -------------------------------------------


def test_import_preview_refuses_a_citation_of_a_missing_article(tree: Tree, people: People) -> None:
    shipped_civil_code()
    bank = bank_create(name="南关镇题库", unit=tree.town_a)
    rows = [
        template_row(题型="判断", 题干="甲。", 答案="正确", 法条依据=f"{CIVIL_CODE}第十七条"),
        template_row(题型="判断", 题干="乙。", 答案="错误", 法条依据=f"{CIVIL_CODE}第十七条、第一千三百条"),
        template_row(题型="判断", 题干="丙。", 答案="错误", 法条依据="《中华人民共和国土地管理法》第九十九条"),
    ]
    client = app_login(people.organizer_a.username)
    response = client.post(
        f"/api/v1/banks/{bank.pk}/imports",
        {"file": SimpleUploadedFile("题.csv", csv_text(rows).encode())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    items = response.json()["items"]
    assert [item["errors"] for item in items] == [
        [],
        [
            {
                "line": 3,
                "column": "法条依据",
                "code": "citation_not_found",
                "message": "法规库中的《中华人民共和国民法典》（2020年5月28日通过）没有第一千三百条，请核对条号。",
            }
        ],
        [],  # a law that is not in the library is not checked
    ]
    commit = client.post(f"/api/v1/banks/{bank.pk}/imports/{response.json()['id']}/commit")
    assert commit.status_code == 400 and commit.json()["error"]["code"] == "import_has_errors"
    assert not Question.objects.filter(bank=bank).exists()


def test_question_editor_refuses_a_citation_of_a_missing_article(tree: Tree, people: People) -> None:
    shipped_civil_code()
    bank = bank_create(name="南关镇题库", unit=tree.town_a)
    client = app_login(people.organizer_a.username)
    body = {"kind": "judge", "stem": "题。", "answer": ["A"], "legal_basis": f"{CIVIL_CODE}第一千三百条"}
    refused = client.post(f"/api/v1/banks/{bank.pk}/questions/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_question"
    assert refused.json()["error"]["fields"]["legal_basis"] == [
        "法规库中的《中华人民共和国民法典》（2020年5月28日通过）没有第一千三百条，请核对条号。"
    ]
    created = client.post(
        f"/api/v1/banks/{bank.pk}/questions/", {**body, "legal_basis": f"{CIVIL_CODE}第十七条"}, format="json"
    )
    assert created.status_code == 201
    question_id = created.json()["id"]
    edited = client.put(f"/api/v1/banks/{bank.pk}/questions/{question_id}/", body, format="json")
    assert edited.status_code == 400 and "legal_basis" in edited.json()["error"]["fields"]
    assert Question.objects.get(pk=question_id).legal_basis == f"{CIVIL_CODE}第十七条"


# --- organizers add a text ----------------------------------------------------------------------

REGULATION = """中国共产党纪律处分条例（样例）

第一编　总　则
第一章　指导思想、原则和适用范围
第一条　为了维护党的章程和其他党内法规，制定本条例。
第二条　本条例以马克思列宁主义为指导。

坚持党要管党、全面从严治党。
第二章　违纪与纪律处分
第四条　对党员的纪律处分种类：
（一）警告；
（二）严重警告。
"""


def test_paste_preview_then_save(tree: Tree, people: People) -> None:
    client = app_login(people.organizer_a.username)
    body = {"name": "《中国共产党纪律处分条例》", "edition": "2023年12月8日修订", "text": REGULATION}
    preview = client.post("/api/v1/laws/preview", body, format="json")
    assert preview.status_code == 200, preview.json()
    data = preview.json()
    assert (data["name"], data["article_count"], data["first_heading"], data["last_heading"]) == (
        "中国共产党纪律处分条例",
        3,
        "第一条",
        "第四条",
    )
    assert data["errors"] == []
    assert data["warnings"] == [
        {"line": 10, "field": "text", "code": "article_gap", "message": "第四条 之前缺少条文（上一条是第二条）。"}
    ]
    assert data["chapters"] == [
        "第一编 总 则 / 第一章 指导思想、原则和适用范围",
        "第一编 总 则 / 第二章 违纪与纪律处分",
    ]
    assert data["replaces_current"] is None
    assert not LawText.objects.exists()  # a preview writes nothing

    saved = client.post("/api/v1/laws/", body, format="json")
    assert saved.status_code == 201, saved.json()
    law = LawText.objects.get()
    event = AuditEvent.objects.get(action=AuditEvent.Action.LAW_TEXT_CREATE)
    assert (event.actor, event.unit, event.after) == (
        people.organizer_a,
        tree.town_a,
        {"name": "中国共产党纪律处分条例", "edition": "2023年12月8日修订", "articles": 3},
    )
    assert (law.unit, law.key, law.is_current, saved.json()["article_count"]) == (
        tree.town_a,
        "中国共产党纪律处分条例",
        True,
        3,
    )
    detail = client.get(f"/api/v1/laws/{law.pk}/").json()
    assert detail["articles"][1] == {
        "number": 2,
        "sub": 0,
        "heading": "第二条",
        "chapter": "第一编 总 则 / 第一章 指导思想、原则和适用范围",
        "text": "本条例以马克思列宁主义为指导。\n坚持党要管党、全面从严治党。",
    }

    again = client.post("/api/v1/laws/", body, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "law_text_invalid"
    assert again.json()["error"]["fields"] == {"edition": ["法规库中已有《中国共产党纪律处分条例》的这一版本。"]}

    newer = {**body, "edition": "2024年修订（样例）"}
    assert client.post("/api/v1/laws/preview", newer, format="json").json()["replaces_current"] == "2023年12月8日修订"
    assert client.post("/api/v1/laws/", newer, format="json").status_code == 201
    assert list(LawText.objects.order_by("pk").values_list("edition", "is_current")) == [
        ("2023年12月8日修订", False),
        ("2024年修订（样例）", True),
    ]

    # a bank of the unit is now checked against it
    bank = bank_create(name="党纪题库", unit=tree.town_a)
    refused = client.post(
        f"/api/v1/banks/{bank.pk}/questions/",
        {"kind": "judge", "stem": "题。", "answer": ["A"], "legal_basis": "《中国共产党纪律处分条例》第三条"},
        format="json",
    )
    assert refused.status_code == 400 and "legal_basis" in refused.json()["error"]["fields"]


def test_text_without_articles_or_with_a_repeated_number_is_refused(people: People) -> None:
    client = app_login(people.organizer_a.username)
    empty = client.post(
        "/api/v1/laws/", {"name": "某条例", "edition": "2024年", "text": "没有条文的文字。"}, format="json"
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"] == {"text": ["没有找到任何条文：每条应以“第一条”“第二条”……开头，另起一行。"]}
    twice = "第一条 甲。\n第二条 乙。\n第二条 丙。"
    preview = client.post("/api/v1/laws/preview", {"name": "某条例", "edition": " ", "text": twice}, format="json")
    assert preview.status_code == 400  # the edition is required by the input already
    preview = client.post("/api/v1/laws/preview", {"name": "某条例", "edition": "2024年", "text": twice}, format="json")
    assert [(e["line"], e["code"]) for e in preview.json()["errors"]] == [(3, "duplicate_article")]
    saved = client.post("/api/v1/laws/", {"name": "某条例", "edition": "2024年", "text": twice}, format="json")
    assert saved.json()["error"]["fields"] == {"text": ["第 3 行：第二条 出现了两次。"]}
    nothing = client.post("/api/v1/laws/preview", {"name": "某条例", "edition": "2024年"}, format="json")
    assert nothing.status_code == 400 and nothing.json()["error"]["code"] == "file_empty"
    assert not LawText.objects.exists()


def _regulation_docx() -> bytes:
    document = Document()
    document.add_heading("中国共产党纪律处分条例（样例）", level=1)
    document.add_paragraph("（2023年12月8日中共中央修订）")
    document.add_paragraph("第一章　指导思想、原则和适用范围")
    document.add_paragraph("第一条　为了维护党的章程和其他党内法规，严肃党的纪律，制定本条例。")
    document.add_paragraph("第二条　本条例以马克思列宁主义、毛泽东思想为指导。")
    document.add_paragraph("")
    document.add_paragraph("坚持党要管党、全面从严治党。")
    document.add_paragraph("第二章　违纪与纪律处分")
    document.add_paragraph("第三条　党员纪律处分的种类：\n（一）警告；\n（二）严重警告。")
    document.add_paragraph("第一百五十八条　本条例自2024年1月1日起施行。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_regulation_is_split_into_its_articles(tree: Tree, people: People) -> None:
    client = app_login(people.organizer.username)
    fields = {"name": "中国共产党纪律处分条例", "edition": "2023年12月8日修订，2024年1月1日起施行"}
    upload = SimpleUploadedFile("纪律处分条例.docx", _regulation_docx())
    preview = client.post("/api/v1/laws/preview", {**fields, "file": upload}, format="multipart")
    assert preview.status_code == 200, preview.json()
    data = preview.json()
    assert (data["article_count"], data["first_heading"], data["last_heading"]) == (4, "第一条", "第一百五十八条")
    assert data["errors"] == []
    assert [w["code"] for w in data["warnings"]] == ["article_gap"]  # 第三条 → 第一百五十八条 (a sample)
    saved = client.post(
        "/api/v1/laws/", {**fields, "file": SimpleUploadedFile("条例.docx", _regulation_docx())}, format="multipart"
    )
    assert saved.status_code == 201, saved.json()
    law = LawText.objects.get()
    assert law.unit == tree.city
    assert list(law.articles.values_list("heading", "chapter", "text")) == [
        ("第一条", "第一章 指导思想、原则和适用范围", "为了维护党的章程和其他党内法规，严肃党的纪律，制定本条例。"),
        (
            "第二条",
            "第一章 指导思想、原则和适用范围",
            "本条例以马克思列宁主义、毛泽东思想为指导。\n坚持党要管党、全面从严治党。",
        ),
        ("第三条", "第二章 违纪与纪律处分", "党员纪律处分的种类：\n（一）警告；\n（二）严重警告。"),
        ("第一百五十八条", "第二章 违纪与纪律处分", "本条例自2024年1月1日起施行。"),
    ]


def test_txt_upload_in_gbk(people: People) -> None:
    client = app_login(people.organizer_a.username)
    upload = SimpleUploadedFile("条例.txt", "第一条　甲。\r\n第二条　乙。\r\n".encode("gbk"))
    preview = client.post(
        "/api/v1/laws/preview", {"name": "某条例", "edition": "2024年", "file": upload}, format="multipart"
    ).json()
    assert (preview["article_count"], preview["last_heading"], preview["sample"][1]["text"]) == (2, "第二条", "乙。")
    sheet = SimpleUploadedFile("条例.xlsx", _xlsx())
    refused = client.post(
        "/api/v1/laws/preview", {"name": "某条例", "edition": "2024年", "file": sheet}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "file_wrong_type"


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


# --- who reaches which texts ----------------------------------------------------------------------


def test_library_scope(tree: Tree, people: People) -> None:
    shipped = shipped_civil_code(range(1, 3))
    town_a = LawText.objects.create(unit=tree.town_a, name="南关镇规定", key="南关镇规定", edition="1")
    city = LawText.objects.create(unit=tree.city, name="清河市规定", key="清河市规定", edition="1")
    organizer_b = user_create(
        username="organizer_b", password=PASSWORD, real_name="李组织", unit=tree.town_b, role=User.Role.ORGANIZER
    )

    def listed(username: str) -> set[str]:
        return {law["name"] for law in app_login(username).get("/api/v1/laws/").json()["results"]}

    assert listed(people.organizer.username) == {"中华人民共和国民法典", "南关镇规定", "清河市规定"}
    assert listed(people.organizer_a.username) == {"中华人民共和国民法典", "南关镇规定", "清河市规定"}
    assert listed(organizer_b.username) == {"中华人民共和国民法典", "清河市规定"}
    client_b = app_login(organizer_b.username)
    assert client_b.get(f"/api/v1/laws/{town_a.pk}/").status_code == 404
    assert client_b.get(f"/api/v1/laws/{shipped.pk}/").json()["article_count"] == 2
    for username in (people.alice.username, people.hr_b.username):
        client = app_login(username)
        assert client.get("/api/v1/laws/").status_code == 403
        assert (
            client.post(
                "/api/v1/laws/preview", {"name": "x", "edition": "y", "text": "第一条 甲。"}, format="json"
            ).status_code
            == 403
        )

    client_a = app_login(people.organizer_a.username)
    for law in (shipped, city):
        refused = client_a.delete(f"/api/v1/laws/{law.pk}/")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "law_text_read_only"
    assert client_b.delete(f"/api/v1/laws/{town_a.pk}/").status_code == 404
    unit_refused = client_a.post(
        "/api/v1/laws/", {"name": "x", "edition": "y", "text": "第一条 甲。", "unit_id": tree.town_b.pk}, format="json"
    )
    assert unit_refused.status_code == 400 and unit_refused.json()["error"]["code"] == "unit_not_allowed"
    assert client_a.delete(f"/api/v1/laws/{town_a.pk}/").status_code == 204
    assert app_login(people.organizer.username).delete(f"/api/v1/laws/{city.pk}/").status_code == 204
    assert list(LawText.objects.values_list("pk", flat=True)) == [shipped.pk]
    deleted = AuditEvent.objects.filter(action=AuditEvent.Action.LAW_TEXT_DELETE).order_by("pk")
    assert [(e.actor, e.target_repr) for e in deleted] == [
        (people.organizer_a, "南关镇规定 (1)"),
        (people.organizer, "清河市规定 (1)"),
    ]


@pytest.mark.parametrize("extra", [0, 12])
def test_library_list_is_searchable_says_which_texts_may_go_and_reads_a_constant_number_of_queries(
    tree: Tree, people: People, extra: int
) -> None:
    shipped_civil_code(range(1, 3))
    LawText.objects.create(unit=tree.town_a, name="南关镇机关作风建设规定", key="南关镇机关作风建设规定", edition="1")
    LawText.objects.create(unit=tree.city, name="清河市规定", key="清河市规定", edition="1")
    for n in range(extra):
        LawText.objects.create(unit=tree.town_a, name=f"南关镇第{n}号规定", key=f"南关镇第{n}号规定", edition="1")
    client = app_login(people.organizer_a.username)
    client.get("/api/v1/me")  # the session's own reads are not the endpoint's
    from tests.api.test_query_counts import SESSION_QUERIES

    # the page's count (1) and its rows with their article counts and units (1)
    with CaptureQueriesContext(connection) as read:
        listed = client.get("/api/v1/laws/", {"page_size": 100}).json()["results"]
    assert len(read) == SESSION_QUERIES + 2, [q["sql"][:80] for q in read.captured_queries]
    deletable = {law["name"]: law["can_delete"] for law in listed}
    assert deletable["中华人民共和国民法典"] is False  # shipped
    assert deletable["清河市规定"] is False  # the town's organizer reads the city's text, it is not theirs
    assert deletable["南关镇机关作风建设规定"] is True
    city = {
        law["name"]: law["can_delete"]
        for law in app_login(people.organizer.username).get("/api/v1/laws/").json()["results"]
    }
    assert (
        city["清河市规定"] is True and city["南关镇机关作风建设规定"] is True and city["中华人民共和国民法典"] is False
    )

    found = client.get("/api/v1/laws/", {"search": "民法"}).json()
    assert [law["name"] for law in found["results"]] == ["中华人民共和国民法典"] and found["count"] == 1
    assert client.get("/api/v1/laws/", {"search": "作风"}).json()["count"] == 1
    shipped = LawText.objects.get(unit=None)
    assert client.get(f"/api/v1/laws/{shipped.pk}/").json()["can_delete"] is False
    saved = client.post("/api/v1/laws/", {"name": "某规定", "edition": "1", "text": "第一条 甲。"}, format="json")
    assert saved.json()["can_delete"] is True
    assert client.get(f"/api/v1/laws/{saved.json()['id']}/").json()["can_delete"] is True


def test_deleting_the_current_edition_makes_the_latest_other_current(tree: Tree, people: People) -> None:
    client = app_login(people.organizer_a.username)
    for edition in ("2015年", "2018年", "2023年"):
        body = {"name": "某条例", "edition": edition, "text": "第一条 甲。"}
        assert client.post("/api/v1/laws/", body, format="json").status_code == 201
    current = LawText.objects.get(is_current=True)
    assert current.edition == "2023年"
    assert client.delete(f"/api/v1/laws/{current.pk}/").status_code == 204
    assert LawText.objects.get(is_current=True).edition == "2018年"
    old = LawText.objects.get(edition="2015年")
    assert client.delete(f"/api/v1/laws/{old.pk}/").status_code == 204
    assert LawText.objects.get(is_current=True).edition == "2018年"
