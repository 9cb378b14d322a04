"""Exclusion groups (互斥组): a paper never holds two questions of one group of a bank.

The random draw, the fixed paper's composition, the publish check, and the files that carry the group
(template, CSV/Excel, text, export) and the question API.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from quizzes import errors
from quizzes.importing.parse_table import parse_csv
from quizzes.importing.parse_text import parse_text
from quizzes.models import DrawRule, Exam, Question, QuestionBank
from quizzes.services.banks import bank_create, question_create, question_update
from quizzes.services.exams import (
    PaperItem,
    RuleSpec,
    _draw,
    exam_check_composition,
    exam_create,
    exam_publish,
    exam_update,
    paper_compose,
)
from quizzes.services.imports import bank_export_xlsx, import_commit, import_preview
from tests.conftest import People, Tree

pytestmark = pytest.mark.django_db


def _window() -> dict[str, Any]:
    now = timezone.now()
    return dict(title="互斥组测验", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1))


def _judge(bank: QuestionBank, stem: str, group: str = "", **fields: Any) -> Question:
    return question_create(bank=bank, kind="judge", stem=stem, answer=["A"], exclusion_group=group, **fields)


def _single(bank: QuestionBank, stem: str, group: str = "") -> Question:
    return question_create(
        bank=bank, kind="single", stem=stem, options=["甲", "乙", "丙"], answer=["A"], exclusion_group=group
    )


@pytest.fixture
def grouped_bank(tree: Tree) -> QuestionBank:
    """12 judge questions: 3 groups of 3 and 3 ungrouped (6 slots); 6 single: 3 share a group with judges."""
    bank = bank_create(name="互斥组题库", unit=tree.city)
    for group in ("冷静期", "成年", "遗嘱"):
        for n in range(3):
            _judge(bank, f"{group}判断题{n}", group)
    for n in range(3):
        _judge(bank, f"无组判断题{n}")
    for group in ("冷静期", "成年", "遗嘱"):
        _single(bank, f"{group}单选题", group)
    for n in range(3):
        _single(bank, f"无组单选题{n}")
    return bank


def _random_exam(tree: Tree, rules: list[RuleSpec]) -> Exam:
    return exam_create(
        unit=tree.city,
        created_by=None,
        audience_units=[tree.city],
        composition=Exam.Composition.RANDOM,
        rules=rules,
        **_window(),
    )


def test_a_thousand_seeded_draws_never_hold_two_questions_of_one_group(tree: Tree, grouped_bank: QuestionBank) -> None:
    bank = grouped_bank
    exam = _random_exam(
        tree,
        [
            RuleSpec(kind="single", bank_id=bank.pk, count=3, points=Decimal(5)),
            RuleSpec(kind="judge", bank_id=bank.pk, count=3, points=Decimal(5)),
        ],
    )
    exam_publish(exam=exam)
    rng = random.Random(20261130)
    seen: Counter[int] = Counter()
    for _n in range(1000):
        paper = paper_compose(exam=exam, rng=rng)
        assert len(paper) == 6
        ids = [item.question.pk for item in paper]
        assert len(set(ids)) == 6
        groups = [(item.question.bank_id, item.question.exclusion_group) for item in paper]
        grouped = [key for key in groups if key[1]]
        assert len(grouped) == len(set(grouped)), groups
        seen.update(ids)
    assert len(seen) == Question.objects.filter(bank=bank).count()  # every question is drawn some time


def test_the_draw_uses_every_slot_when_it_must(tree: Tree, grouped_bank: QuestionBank) -> None:
    """6 judge slots (3 groups, 3 ungrouped): a rule for 6 always succeeds, one of each group."""
    bank = grouped_bank
    exam = _random_exam(tree, [RuleSpec(kind="judge", bank_id=bank.pk, count=6, points=Decimal(5))])
    exam_publish(exam=exam)
    rules = list(DrawRule.objects.filter(exam=exam))
    for seed in range(200):
        paper = _draw(rules, random.Random(seed))
        assert Counter(item.question.exclusion_group for item in paper) == {"冷静期": 1, "成年": 1, "遗嘱": 1, "": 3}


def test_groups_are_per_bank(tree: Tree) -> None:
    """The same group name in two banks names two groups: one question of each may be drawn together."""
    first, second = bank_create(name="甲库", unit=tree.city), bank_create(name="乙库", unit=tree.city)
    a, b = _judge(first, "甲库的题", "同名组"), _judge(second, "乙库的题", "同名组")
    exam = _random_exam(
        tree,
        [
            RuleSpec(kind="judge", bank_id=first.pk, count=1, points=Decimal(5)),
            RuleSpec(kind="judge", bank_id=second.pk, count=1, points=Decimal(5)),
        ],
    )
    exam_publish(exam=exam)
    assert [item.question for item in paper_compose(exam=exam, rng=random.Random(1))] == [a, b]
    items = [PaperItem(a, Decimal(1)), PaperItem(b, Decimal(1))]
    fixed = exam_create(unit=tree.city, created_by=None, fixed=items, **_window())
    assert fixed.fixed_questions.count() == 2


# --- publish check -----------------------------------------------------------------------------


def test_publish_refuses_a_rule_whose_candidates_collapse_because_of_groups(
    tree: Tree, grouped_bank: QuestionBank
) -> None:
    """12 judge questions but only 6 slots: a rule for 7 is refused, naming the groups."""
    exam = _random_exam(tree, [RuleSpec(kind="judge", bank_id=grouped_bank.pk, count=7, points=Decimal(5))])
    with pytest.raises(errors.InsufficientQuestions) as caught:
        exam_publish(exam=exam)
    assert caught.value.message == (
        "第 1 条抽题规则需要 7 道题：符合条件的 12 道题中有的属于同一互斥组（同组的题一份试卷只抽一道），"
        "最多只能抽出 6 道。"
    )
    assert caught.value.fields == {"draw_rules": ["第 1 条规则：需要 7 道，因互斥组最多只能抽出 6 道。"]}
    exam.refresh_from_db()
    assert exam.status == Exam.Status.DRAFT


def test_publish_refuses_a_rule_that_earlier_rules_can_starve_through_shared_groups(tree: Tree) -> None:
    """Judge slots: 2 groups shared with the single questions. If the single rule draws both groups'
    single questions, the judge rule has 1 slot left; it needs 2: refused, though a lucky draw works."""
    bank = bank_create(name="共用组", unit=tree.city)
    for group in ("甲组", "乙组"):
        _single(bank, f"{group}单选", group)
        _judge(bank, f"{group}判断", group)
    _judge(bank, "无组判断")
    _single(bank, "无组单选")
    exam = _random_exam(
        tree,
        [
            RuleSpec(kind="single", bank_id=bank.pk, count=2, points=Decimal(5)),
            RuleSpec(kind="judge", bank_id=bank.pk, count=2, points=Decimal(5)),
        ],
    )
    with pytest.raises(errors.InsufficientQuestions) as caught:
        exam_check_composition(exam=exam)
    assert caught.value.fields == {"draw_rules": ["第 2 条规则：需要 2 道，因互斥组最多只能抽出 1 道。"]}
    # one judge question fewer needed: the worst case leaves enough
    exam_update(exam=exam, rules=[RuleSpec(kind="single", bank_id=bank.pk, count=1, points=Decimal(5))])
    exam_check_composition(exam=exam)


def test_the_draw_itself_refuses_when_earlier_rules_took_the_groups(tree: Tree) -> None:
    bank = bank_create(name="抽空", unit=tree.city)
    _single(bank, "甲组单选", "甲组")
    _judge(bank, "甲组判断", "甲组")
    _judge(bank, "甲组判断二", "甲组")
    exam = _random_exam(
        tree,
        [
            RuleSpec(kind="single", bank_id=bank.pk, count=1, points=Decimal(5)),
            RuleSpec(kind="judge", bank_id=bank.pk, count=1, points=Decimal(5)),
        ],
    )
    with pytest.raises(errors.InsufficientQuestions) as caught:
        _draw(list(exam.draw_rules.all()), random.Random(0))
    assert caught.value.fields == {"draw_rules": ["第 2 条规则：需要 1 道，只有 0 道。"]}


def test_ungrouped_banks_draw_as_before(tree: Tree, bank: QuestionBank) -> None:
    exam = _random_exam(tree, [RuleSpec(kind="single", bank_id=bank.pk, count=4, points=Decimal(5))])
    with pytest.raises(errors.InsufficientQuestions) as caught:
        exam_publish(exam=exam)
    assert caught.value.fields == {"draw_rules": ["第 1 条规则：需要 4 道，只有 3 道。"]}


# --- fixed papers ------------------------------------------------------------------------------


def test_a_fixed_paper_with_two_questions_of_one_group_is_refused(tree: Tree, grouped_bank: QuestionBank) -> None:
    first, second = Question.objects.filter(bank=grouped_bank, exclusion_group="冷静期").order_by("pk")[:2]
    other = Question.objects.filter(bank=grouped_bank, exclusion_group="").first()
    assert other is not None
    items = [PaperItem(first, Decimal(5)), PaperItem(other, Decimal(5)), PaperItem(second, Decimal(5))]
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_create(unit=tree.city, created_by=None, fixed=items, **_window())
    assert caught.value.fields == {
        "fixed_questions": [f"试题 {first.pk} 与试题 {second.pk} 属于同一互斥组“冷静期”，不能出现在同一份试卷中。"]
    }
    assert not Exam.objects.exists()

    exam = exam_create(unit=tree.city, created_by=None, fixed=items[:2], **_window())
    with pytest.raises(errors.InvalidComposition):
        exam_update(exam=exam, fixed=items)


def test_publish_refuses_a_fixed_paper_whose_questions_were_grouped_after_composition(
    tree: Tree, grouped_bank: QuestionBank
) -> None:
    a, b = Question.objects.filter(bank=grouped_bank, exclusion_group="").order_by("pk")[:2]
    exam = exam_create(
        unit=tree.city, created_by=None, fixed=[PaperItem(a, Decimal(5)), PaperItem(b, Decimal(5))], **_window()
    )
    Question.objects.filter(pk__in=[a.pk, b.pk]).update(exclusion_group="后来分组")
    with pytest.raises(errors.InvalidComposition) as caught:
        exam_publish(exam=exam)
    assert "后来分组" in caught.value.fields["fixed_questions"][0]


# --- files and the API -------------------------------------------------------------------------


def test_export_and_import_keep_the_group(tree: Tree, grouped_bank: QuestionBank) -> None:
    content = bank_export_xlsx(bank=grouped_bank)
    copy = bank_create(name="副本", unit=tree.city)
    import_commit(batch=import_preview(bank=copy, uploaded_by=None, filename="export.xlsx", content=content))

    def groups(bank: QuestionBank) -> list[tuple[str, str]]:
        return list(Question.objects.filter(bank=bank).order_by("pk").values_list("stem", "exclusion_group"))

    assert groups(copy) == groups(grouped_bank)
    assert Counter(g for _s, g in groups(copy))["冷静期"] == 4


def test_csv_and_text_read_the_group() -> None:
    csv_text = "题型,题干,选项A,选项B,答案,互斥组\n判断,离婚冷静期为三十日。,,,正确,  婚姻-离婚冷静期 \n"
    assert parse_csv(csv_text.encode()).questions[0].exclusion_group == "婚姻-离婚冷静期"
    alias = "题干,答案,互斥\n离婚冷静期为三十日。,正确,婚姻-离婚冷静期\n"
    assert parse_csv(alias.encode()).questions[0].exclusion_group == "婚姻-离婚冷静期"
    text = (
        "1.离婚冷静期为三十日。\n答案：正确\n互斥组：婚姻-离婚冷静期\n"
        "2.离婚冷静期为（　）日。A.三十 B.六十\n【答案】A【互斥组】婚姻-离婚冷静期\n"
        "3.没有互斥组的题。\n答案：错误\n"
    )
    questions = parse_text(text).questions
    assert [q.exclusion_group for q in questions] == ["婚姻-离婚冷静期", "婚姻-离婚冷静期", ""]


def test_a_group_name_longer_than_50_is_an_error() -> None:
    csv_text = f"题干,答案,互斥组\n离婚冷静期为三十日。,正确,{'组' * 51}\n"
    question = parse_csv(csv_text.encode()).questions[0]
    assert [(e.code, e.column) for e in question.errors] == [("too_long", "互斥组")]
    assert question.errors[0].message == "互斥组超过 50 字（现有 51 字）。"


def test_the_question_api_reads_and_writes_the_group(client: Client, people: People, bank: QuestionBank) -> None:
    organizer: User = people.organizer
    client.force_login(organizer)
    url = reverse("question-list", kwargs={"bank_id": bank.pk})
    body = {"kind": "judge", "stem": "离婚冷静期为三十日。", "answer": ["A"], "exclusion_group": "婚姻-离婚冷静期"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["exclusion_group"] == "婚姻-离婚冷静期"
    assert Question.objects.get(pk=created.json()["id"]).exclusion_group == "婚姻-离婚冷静期"
    too_long = client.post(url, {**body, "exclusion_group": "组" * 51}, content_type="application/json")
    assert too_long.status_code == 400
    assert "exclusion_group" in too_long.json()["error"]["fields"]


def test_a_draw_after_questions_were_grouped_since_publishing_is_refused(
    tree: Tree, grouped_bank: QuestionBank
) -> None:
    """Groups set after publishing can starve a rule: the draw at attempt start refuses, naming the groups."""
    exam = _random_exam(tree, [RuleSpec(kind="judge", bank_id=grouped_bank.pk, count=6, points=Decimal(5))])
    exam_publish(exam=exam)
    for question in Question.objects.filter(bank=grouped_bank, exclusion_group=""):  # the bank's edit service
        question_update(question=question, exclusion_group="后来分组")
    with pytest.raises(errors.InsufficientQuestions) as caught:
        paper_compose(exam=exam, rng=random.Random(3))
    assert caught.value.fields == {"draw_rules": ["第 1 条规则：需要 6 道，因互斥组最多只能抽出 4 道。"]}


# --- the draw's candidates are cached (quizzes.caching.cached_rule_candidates) -----------------------------


def test_a_rules_candidates_are_read_once_and_again_after_the_bank_changes(
    tree: Tree, grouped_bank: QuestionBank, django_assert_max_num_queries: Any
) -> None:
    exam = _random_exam(tree, [RuleSpec(kind="judge", bank_id=grouped_bank.pk, count=2, points=Decimal(5))])
    rng = random.Random(3)
    paper_compose(exam=exam, rng=rng)
    with django_assert_max_num_queries(2):  # the rules, and the drawn questions this worker has not read before;
        paper_compose(exam=exam, rng=rng)  # the candidates come from the cache
    added = question_create(bank=grouped_bank, kind="judge", stem="新增的判断题", options=[], answer=["A"])
    drawn: set[int] = set()
    for _ in range(60):
        drawn.update(item.question.pk for item in paper_compose(exam=exam, rng=rng))
    assert added.pk in drawn  # a new question is a candidate at once


def test_a_worker_keeps_the_candidates_it_read_for_a_while(
    tree: Tree, grouped_bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start reads no candidates from the cache while this worker's copy is fresh, under the same generation."""
    from django.core.cache import cache

    from quizzes import caching

    exam = _random_exam(tree, [RuleSpec(kind="judge", bank_id=grouped_bank.pk, count=2, points=Decimal(5))])
    rng = random.Random(3)
    paper_compose(exam=exam, rng=rng)
    asked: list[list[str]] = []
    get_many = cache.get_many

    def recording(keys: Any) -> Any:
        asked.append(list(keys))
        return get_many(keys)

    monkeypatch.setattr(cache, "get_many", recording)
    paper_compose(exam=exam, rng=rng)
    assert [keys for keys in asked if any(k.startswith("draw:") for k in keys)] == []
    later = time.monotonic() + caching.LOCAL_TTL + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    paper_compose(exam=exam, rng=rng)
    assert [k for keys in asked for k in keys if k.startswith("draw:")] != []  # expired: read from the cache again


def test_a_drawn_question_is_read_once_by_a_worker_and_again_after_an_edit(
    tree: Tree, grouped_bank: QuestionBank, django_assert_num_queries: Any
) -> None:
    """The drawn questions come from this worker's copies (``caching.cached_questions``) while the questions
    generation is the one they were read under: an edit reaches the next paper, on every server."""
    # all six single-choice questions (six slots): the same questions in every paper
    exam = _random_exam(tree, [RuleSpec(kind="single", bank_id=grouped_bank.pk, count=6, points=Decimal(5))])
    rng = random.Random(3)
    first = paper_compose(exam=exam, rng=rng)
    with django_assert_num_queries(1):  # the rules only
        again = paper_compose(exam=exam, rng=rng)
    assert {item.question.pk for item in again} == {item.question.pk for item in first}
    edited = question_update(question=Question.objects.get(pk=first[0].question.pk), stem="改过的题干")
    drawn = {item.question.pk: item.question for item in paper_compose(exam=exam, rng=rng)}
    assert drawn[edited.pk].stem == "改过的题干"


def test_a_workers_copy_of_a_question_expires(
    tree: Tree, grouped_bank: QuestionBank, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """An edit outside the services (the admin, a shell) bumps no generation: it reaches new papers once the
    worker's copy has expired."""
    from quizzes import caching

    exam = _random_exam(tree, [RuleSpec(kind="single", bank_id=grouped_bank.pk, count=6, points=Decimal(5))])
    rng = random.Random(3)
    question = paper_compose(exam=exam, rng=rng)[0].question
    Question.objects.filter(pk=question.pk).update(stem="后台改过的题干")
    kept = {item.question.pk: item.question.stem for item in paper_compose(exam=exam, rng=rng)}
    assert kept[question.pk] == question.stem  # still this worker's copy
    later = time.monotonic() + caching.LOCAL_TTL + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    with django_assert_num_queries(2):  # the rules and the questions again
        drawn = {item.question.pk: item.question.stem for item in paper_compose(exam=exam, rng=rng)}
    assert drawn[question.pk] == "后台改过的题干"


def test_a_published_exams_draw_rules_are_read_once_by_a_worker(
    tree: Tree, grouped_bank: QuestionBank, django_assert_num_queries: Any
) -> None:
    """Once published, the rules cannot change (``exam_update`` refuses): a worker keeps them, so that a warm start
    reads neither rules, candidates nor questions. A draft's rules are read for each paper."""
    draft = _random_exam(tree, [RuleSpec(kind="single", bank_id=grouped_bank.pk, count=6, points=Decimal(5))])
    rng = random.Random(3)
    paper_compose(exam=draft, rng=rng)
    with django_assert_num_queries(1):  # the draft's rules
        paper_compose(exam=draft, rng=rng)
    published = exam_publish(exam=draft)
    paper_compose(exam=published, rng=rng)
    with django_assert_num_queries(0):
        assert len(paper_compose(exam=published, rng=rng)) == 6
