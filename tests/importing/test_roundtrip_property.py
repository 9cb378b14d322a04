"""Property: any bank → export xlsx → import into an empty bank → the same questions."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Unit
from accounts.services import unit_get_or_create
from quizzes.models import OPTION_LETTERS
from quizzes.services.banks import bank_create, question_create
from quizzes.services.imports import bank_export_xlsx, import_commit, import_preview

from .helpers import bank_snapshot

# Text as organizers write it: CJK, Latin, digits, full- and half-width punctuation, "=" (no formulas!),
# inner spaces and line breaks. Leading/trailing blanks are trimmed on import, so none are generated.
ALPHABET = "民法典合同物权婚姻继承侵权责任第条款甲乙丙丁的是（）()，,。.、;；：:？?！“”《》=+-%#@ \nABCxyz0123456789"
TAG_ALPHABET = "总则物权合同人格婚姻家庭继承侵权编易错题ABC123 -"

texts = st.text(alphabet=ALPHABET, min_size=1, max_size=80).map(str.strip).filter(bool)
optional_texts = st.one_of(st.just(""), texts)
tag_names = st.text(alphabet=TAG_ALPHABET, min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def questions(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["single", "multiple", "judge"]))
    if kind == "judge":
        options: list[str] = []
        answer = [draw(st.sampled_from("AB"))]
    else:
        options = draw(st.lists(texts, min_size=2, max_size=len(OPTION_LETTERS)))
        letters = OPTION_LETTERS[: len(options)]
        if kind == "single":
            answer = [draw(st.sampled_from(letters))]
        else:
            answer = sorted(draw(st.sets(st.sampled_from(letters), min_size=1)))
    return {
        "kind": kind,
        "stem": draw(texts),
        "options": options,
        "answer": answer,
        "explanation": draw(optional_texts),
        "legal_basis": draw(optional_texts),
        "difficulty": draw(st.integers(1, 5)),
        "tags": draw(st.lists(tag_names, max_size=3, unique=True)),
    }


_numbers = itertools.count()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank_questions=st.lists(questions(), min_size=1, max_size=12))
def test_export_then_import_gives_the_same_questions(bank_questions: list[dict[str, Any]]) -> None:
    unit = unit_get_or_create(name="全市", kind=Unit.Kind.CITY)
    number = next(_numbers)
    source = bank_create(name=f"源题库{number}", unit=unit)
    for fields in bank_questions:
        question_create(bank=source, **fields)

    target = bank_create(name=f"目标题库{number}", unit=unit)
    batch = import_preview(bank=target, uploaded_by=None, filename="export.xlsx", content=bank_export_xlsx(bank=source))
    assert [item["errors"] for item in batch.items] == [[] for _ in bank_questions]
    assert import_commit(batch=batch) == len(bank_questions)
    assert bank_snapshot(target) == bank_snapshot(source)
