"""The law-text library's services and selectors, called directly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Unit, User
from accounts.services import unit_create, user_create
from quizzes.errors import ImportFileError
from quizzes.models import LawArticle, LawText
from quizzes.selectors_laws import cited_article_texts, law_texts_for, library_laws
from quizzes.services import laws
from quizzes.services.laws import law_text_create, law_text_preview, read_shipped_law
from tests.conftest import PASSWORD, Tree

pytestmark = pytest.mark.django_db


def test_preview_names_every_problem(tree: Tree) -> None:
    preview = law_text_preview(
        unit=tree.city, name=" 《》 ", edition="", lines=["第二条 甲。", "第一条", "第一条 乙。"]
    )
    assert [(e["field"], e["code"]) for e in preview.errors] == [
        ("name", "name_required"),
        ("edition", "edition_required"),
        ("text", "duplicate_article"),
    ]
    assert [(w["line"], w["code"]) for w in preview.warnings] == [
        (1, "article_gap"),
        (2, "article_order"),
        (2, "article_empty"),
    ]
    assert preview.warnings[0]["message"] == "第二条 之前缺少条文（上一条是无）。"
    assert preview.to_dict()["first_heading"] == "第二条"
    empty = law_text_preview(unit=tree.city, name="某条例", edition="1", lines=[]).to_dict()
    assert (empty["article_count"], empty["first_heading"], empty["last_heading"]) == (0, None, None)


def test_library_reads(tree: Tree) -> None:
    law = law_text_create(unit=tree.town_a, name="某条例", edition="1", lines=["第一条 甲。", "第二条 乙。"])
    assert library_laws(unit_id=tree.town_a.pk, keys=[]) == {}
    assert library_laws(unit_id=tree.town_b.pk, keys=["某条例"]) == {}
    assert library_laws(unit_id=tree.town_a_office.pk, keys=["某条例"])["某条例"].articles == {(1, 0), (2, 0)}
    assert cited_article_texts(unit_id=tree.town_a.pk, legal_bases=["第一条", ""]) == [[], []]
    texts = cited_article_texts(unit_id=tree.town_a.pk, legal_bases=["《某条例》第二条、第三条"])
    assert [(a["law"], a["heading"], a["text"]) for a in texts[0]] == [("《某条例》", "第二条", "乙。")]
    assert str(law) == "某条例 (1)" and str(law.articles.first()) == "某条例第一条"


def test_cited_articles_come_from_one_edition_per_law_the_nearest_librarys(tree: Tree) -> None:
    """Each basis's articles in the order cited, from the current edition of each law in the nearest library
    that holds an article cited: the unit's own before an ancestor's before the shipped one; a sibling's text and
    an edition that is no longer current are never read; an article that edition lacks is left out."""
    shipped = LawText.objects.create(name="中华人民共和国某法", key="某法", edition="国家版")
    LawArticle.objects.bulk_create(
        LawArticle(law=shipped, number=n, sub=sub, heading=h, text=f"国家{h}。")
        for n, sub, h in [(1, 0, "第一条"), (2, 0, "第二条"), (3, 0, "第三条"), (3, 1, "第三条之一"), (9, 0, "第九条")]
    )
    other = LawText.objects.create(name="某规定", key="某规定", edition="国家版")
    LawArticle.objects.create(law=other, number=2, heading="第二条", text="规定第二条。")
    law_text_create(unit=tree.city, name="某法", edition="市旧版", lines=["第一条 市旧。", "第二条 市旧。"])
    law_text_create(unit=tree.city, name="某法", edition="市版", lines=["第一条 市甲。", "第二条 市乙。"])
    sibling = ["第一条 北。", "第二条 北。", "第三条 北。"]
    law_text_create(unit=tree.town_b, name="某法", edition="北岭版", lines=sibling)
    bases = [
        "《中华人民共和国某法》第二条、第一条",  # the city's current edition, in the order cited
        "《某法》第三条之一",  # the city's edition lacks it: left out, one edition a law
        "《某规定》第二条",  # only shipped
        "《某法》第二条、第二条",  # a repeat is read once
        "《没有的法》第一条",
        "",
    ]

    def shown(unit_id: int) -> list[list[tuple[str, str, str, str]]]:
        texts = cited_article_texts(unit_id=unit_id, legal_bases=bases)
        return [[(a["law"], a["edition"], a["heading"], a["text"]) for a in found] for found in texts]

    city = [
        [("《某法》", "市版", "第二条", "市乙。"), ("《某法》", "市版", "第一条", "市甲。")],
        [],
        [("《某规定》", "国家版", "第二条", "规定第二条。")],
        [("《某法》", "市版", "第二条", "市乙。")],
        [],
        [],
    ]
    assert shown(tree.town_a_office.pk) == shown(tree.city.pk) == city  # the ancestor's edition
    assert shown(tree.town_b.pk)[:2] == [
        [("《某法》", "北岭版", "第二条", "北。"), ("《某法》", "北岭版", "第一条", "北。")],
        [],
    ]
    elsewhere = unit_create(name="另一市", kind=Unit.Kind.CITY)  # no text of its own: the shipped edition
    alone = cited_article_texts(unit_id=elsewhere.pk, legal_bases=["《某法》第三条之一、第九条", "第一条"])
    assert [[a["text"] for a in found] for found in alone] == [["国家第三条之一。", "国家第九条。"], []]
    assert alone[0][0] == {
        "law": "《中华人民共和国某法》",
        "edition": "国家版",
        "heading": "第三条之一",
        "chapter": "",
        "text": "国家第三条之一。",
    }


def test_who_reads_which_texts(tree: Tree) -> None:
    law_text_create(unit=tree.town_a, name="某条例", edition="1", lines=["第一条 甲。"])
    superuser = User.objects.create_superuser(username="root", password=PASSWORD)
    assert law_texts_for(superuser).count() == 1
    no_unit = user_create(username="org0", password=PASSWORD, real_name="无单位", unit=None, role=User.Role.ORGANIZER)
    assert law_texts_for(no_unit).count() == 0
    participant = user_create(username="p1", password=PASSWORD, real_name="甲", unit=tree.town_a)
    assert law_texts_for(participant).count() == 0


def test_a_shipped_file_without_header_or_articles_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("名称：某法\n版本：1\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        read_shipped_law(bad)
    monkeypatch.setattr(laws, "LAWS_DIR", tmp_path)
    with pytest.raises(CommandError):
        call_command("load_laws", stdout=io.StringIO())
    assert not LawText.objects.exists()


def test_a_corrected_shipped_file_is_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(laws, "LAWS_DIR", tmp_path)
    path = tmp_path / "law.txt"
    path.write_text("名称：某法\n版本：1\n来源：样例\n\n第一章 总则\n第一条 甲。\n第二条 乙。\n", encoding="utf-8")
    assert laws.laws_load_shipped() == {"某法": 2}
    assert laws.laws_load_shipped() == {"某法": 0}
    path.write_text("名称：某法\n版本：1\n\n第一条 甲。\n第二条 乙（更正）。\n", encoding="utf-8")
    assert laws.laws_load_shipped() == {"某法": 2}
    assert LawArticle.objects.get(number=2).text == "乙（更正）。"
    path.write_text("名称：某法\n版本：2\n\n第一条 甲。\n", encoding="utf-8")
    laws.laws_load_shipped()
    assert list(LawText.objects.order_by("pk").values_list("edition", "is_current", "source")) == [
        ("1", False, "样例"),
        ("2", True, ""),
    ]
