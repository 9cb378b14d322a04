"""Reads of the law-text library (法条原文).

The library of a unit is the shipped texts (no unit) and the texts of the unit and its ancestors; of the
current editions of one law found there, the one of the nearest unit wins (a city's own text of a
regulation comes before a shipped one). Every read here is a constant number of queries, whatever the
number of questions or citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from accounts import scopes
from accounts.models import Unit, User

from . import rawsql
from .lawtexts import CitedArticle, citations
from .models import LawArticle, LawText
from .quality import LibraryArticles


def _in_library_of(unit_id: int) -> Q:
    """Law texts in the library of unit ``unit_id``: shipped, or of the unit or one of its ancestors (one correlated
    subquery, so the unit need not be loaded). ``_cited_sql`` states the same rule in SQL for the review's hot read;
    tests/quizzes/test_law_library_services.py holds both to it."""
    ancestor = Unit.objects.filter(pk=unit_id, path__startswith=OuterRef("unit__path"))
    return Q(unit__isnull=True) | Q(Exists(ancestor))


def law_texts_for(user: User | AnonymousUser) -> QuerySet[LawText]:
    """The texts an organizer reads: the shipped ones, those of their subtree and of their unit's ancestors
    (the library their banks are checked against). Each with ``article_count`` and ``can_delete`` (added in
    the organizer's subtree: ``access_law_text_to_manage`` lets them go)."""
    if not scopes.is_organizer(user):
        return LawText.objects.none()
    visible = LawText.objects.all()
    own = Q(unit__isnull=False)
    if not user.is_superuser:
        unit = scopes.staff_unit(user)
        if unit is None:
            return LawText.objects.none()
        own = scopes.subtree_q(unit, "unit")
        visible = visible.filter(Q(unit__isnull=True) | own | Q(unit__path__in=scopes.ancestor_paths(unit)))
    return visible.select_related("unit").annotate(
        article_count=Count("articles"),
        can_delete=Case(When(own, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def law_articles(*, law: LawText) -> QuerySet[LawArticle]:
    return law.articles.order_by("number", "sub")


@dataclass(frozen=True)
class LibraryLaw:
    key: str
    name: str
    edition: str
    articles: frozenset[tuple[int, int]]


def _current_laws(unit_id: int, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The current edition of each law (by key) in a unit's library, the nearest unit's winning. One query."""
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    rows = (
        LawText.objects.filter(_in_library_of(unit_id), is_current=True, key__in=wanted)
        .values("pk", "key", "name", "edition", "unit__path")
        .order_by("key")
    )
    chosen: dict[str, Any] = {}
    for row in rows:
        best = chosen.get(row["key"])
        if best is None or len(row["unit__path"] or "") > len(best["unit__path"] or ""):
            chosen[row["key"]] = row
    return chosen


@cache
def _cited_sql(vendor: str) -> str:
    """The current editions' articles of ``(law key, number, sub)`` rows packed in the first parameter
    (``rawsql.packed_rows``), each with its law's name, edition and unit path, in the library of the unit whose id
    is the second: shipped, or of that unit or one of its ancestors (a unit's path begins with each ancestor's), the
    rule of ``_in_library_of``."""
    q = connection.ops.quote_name
    law, article, unit = (q(model._meta.db_table) for model in (LawText, LawArticle, Unit))

    def column(model: type[Model], name: str, alias: str) -> str:
        return f"{alias}.{rawsql.column_of(model, name)}"

    law_columns = (column(LawText, name, "l") for name in ("key", "name", "edition"))
    article_columns = (column(LawArticle, name, "a") for name in ("number", "sub", "heading", "chapter", "text"))
    path, me = column(Unit, "path", "u"), column(Unit, "path", "me")
    packed = rawsql.rows_of_packed(("text", "integer", "integer"), ("key", "number", "sub"))
    return (
        f"SELECT {', '.join(law_columns)}, {path}, {', '.join(article_columns)} FROM (SELECT {packed}) AS c "
        f"JOIN {law} l ON {column(LawText, 'key', 'l')} = c.{q('key')} AND {column(LawText, 'is_current', 'l')} "
        f"JOIN {article} a ON {column(LawArticle, 'law', 'a')} = l.{q('id')} "
        f"AND {column(LawArticle, 'number', 'a')} = c.{q('number')} "
        f"AND {column(LawArticle, 'sub', 'a')} = c.{q('sub')} "
        f"LEFT JOIN {unit} u ON u.{q('id')} = {column(LawText, 'unit', 'l')} "
        f"WHERE {column(LawText, 'unit', 'l')} IS NULL "
        f"OR EXISTS (SELECT 1 FROM {unit} me WHERE me.{q('id')} = %s AND substr({me}, 1, length({path})) = {path})"
    )


def library_laws(*, unit_id: int, keys: Iterable[str]) -> dict[str, LibraryLaw]:
    """The current edition of each law (by key) in a unit's library, with the numbers of its articles;
    laws not in the library are absent. Two queries."""
    chosen = _current_laws(unit_id, keys)
    numbers: dict[int, set[tuple[int, int]]] = {row["pk"]: set() for row in chosen.values()}
    if numbers:
        for law_id, number, sub in LawArticle.objects.filter(law_id__in=numbers).values_list("law_id", "number", "sub"):
            numbers[law_id].add((number, sub))
    return {
        key: LibraryLaw(key, row["name"], row["edition"], frozenset(numbers[row["pk"]])) for key, row in chosen.items()
    }


_BOOK = re.compile(r"^(?:第[^ ]+编(?: .*)?|[总分附] ?则)$")


def library_articles(*, unit_id: int, keys: Iterable[str]) -> dict[str, LibraryArticles]:
    """The articles (number, sub, book) of the current edition of each law (by key) in a unit's library, for
    the quality report's coverage; the book is the first part of the chapter path when it is a 编. Two
    queries."""
    chosen = _current_laws(unit_id, keys)
    found: dict[int, list[tuple[int, int, str]]] = {row["pk"]: [] for row in chosen.values()}
    if found:
        rows = LawArticle.objects.filter(law_id__in=found).order_by("number", "sub")
        for law_id, number, sub, chapter in rows.values_list("law_id", "number", "sub", "chapter"):
            first = chapter.split(" / ")[0]
            found[law_id].append((number, sub, first if _BOOK.match(first) else ""))
    return {key: LibraryArticles(row["name"], found[row["pk"]]) for key, row in chosen.items()}


def unresolved_citations(legal_basis: str, library: dict[str, LibraryLaw]) -> list[CitedArticle]:
    """The cited articles whose law is in the library but which its current edition does not have."""
    return [
        cited
        for cited in citations(legal_basis)
        if cited.key in library and (cited.number, cited.sub) not in library[cited.key].articles
    ]


def citation_errors(*, unit_id: int, legal_bases: Sequence[str]) -> list[list[str]]:
    """For each legal basis, a message per cited article that the current edition of its law in the unit's
    library does not have (laws not in the library are not checked). Two queries for the whole list."""
    library = library_laws(unit_id=unit_id, keys={c.key for basis in legal_bases for c in citations(basis)})
    return [
        [
            _("法规库中的《%(law)s》（%(edition)s）没有%(heading)s，请核对条号。")
            % {"law": library[c.key].name, "edition": library[c.key].edition, "heading": c.heading}
            for c in unresolved_citations(basis, library)
        ]
        for basis in legal_bases
    ]


def cited_article_texts(*, unit_id: int, legal_bases: Sequence[str]) -> list[list[dict[str, Any]]]:
    """For each legal basis, the texts of the articles it cites that the unit's library holds (current
    editions), in the order cited: ``{"law", "edition", "heading", "chapter", "text"}``. One statement for the
    whole list, none when nothing is cited.

    A submit's review runs it for the bases the cache does not hold yet (``caching.cited_article_texts``): at an
    exam's first submits, for most of the paper. It is written out (``rawsql``: one text whatever the citations,
    so prepared on PostgreSQL) and reads only the articles cited. Built by the ORM, the query cost about 1.8 ms of
    CPU for a paper of 25 citations, several times what PostgreSQL spent on it (issue 9, December 2026)."""
    cited = [citations(basis) for basis in legal_bases]
    wanted = sorted({(c.key, c.number, c.sub) for found in cited for c in found if c.key})
    if not wanted:
        return [[] for _ in legal_bases]
    with connection.cursor() as cursor:
        cursor.execute(_cited_sql(connection.vendor), [rawsql.packed_rows(wanted), unit_id])
        rows = cursor.fetchall()
    nearest: dict[str, str] = {}  # per law, the nearest library that holds a cited article: one edition shown
    for row in rows:
        key, path = row[0], row[3] or ""
        if len(path) >= len(nearest.get(key, "")):
            nearest[key] = path
    found = {
        (key, number, sub): {
            "law": f"《{name}》",
            "edition": edition,
            "heading": heading,
            "chapter": chapter,
            "text": text,
        }
        for key, name, edition, path, number, sub, heading, chapter, text in rows
        if (path or "") == nearest[key]
    }
    return [  # a dict of its own for each citation, as each is cached and read on its own
        [dict(hit) for c in found_here if (hit := found.get((c.key, c.number, c.sub))) is not None]
        for found_here in cited
    ]
