"""The law-text library's services and selectors, called directly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.services import user_create
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
