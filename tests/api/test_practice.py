"""Practice (issue 13, docs/adr/0015): practice sets, rounds, answers with their feedback, progress per tag, and
the rule that a question of an exam open to the person is never offered nor its key shown in practice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Unit
from quizzes.models import Answer, Attempt, Exam, ExamOverride, Question, QuestionBank
from quizzes.services.banks import bank_create, question_create
from quizzes.services.exams import RuleSpec, exam_create, exam_publish
from quizzes.services.overrides import overrides_grant
from tests.conftest import app_login, make_exam

pytestmark = pytest.mark.django_db


def chapter_bank(unit: Unit, name: str = "宪法题库", per_tag: int = 4) -> QuestionBank:
    """``per_tag`` single-choice questions in each of two chapters (总纲, 公民), key A."""
    bank = bank_create(name=name, unit=unit)
    for tag in ("总纲", "公民"):
        for i in range(per_tag):
            question_create(
                bank=bank,
                kind="single",
                stem=f"{tag}第{i}题",
                options=["甲", "乙", "丙", "丁"],
                answer=["A"],
                explanation=f"{tag}解析{i}",
                legal_basis=f"《宪法》第{i + 1}条",
                tags=[tag],
            )
    return bank


def open_practice(organizer, bank: QuestionBank, audience: list[Unit], **extra) -> dict:
    body = {"title": "宪法学习", "bank_id": bank.pk, "audience_unit_ids": [u.pk for u in audience], **extra}
    response = organizer.post("/api/v1/practice-sets/managed", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def start(client, set_id: int, **body) -> dict:
    response = client.post(f"/api/v1/practice-sets/{set_id}/rounds", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def answer(client, round_id: int, question_id: int, choices: list[str]):
    return client.put(f"/api/v1/practice-rounds/{round_id}/answers/{question_id}", {"choices": choices}, format="json")


def test_an_organizer_opens_a_bank_and_its_audience_practises_with_feedback(tree, people):
    bank = chapter_bank(tree.city)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.town_a], tags=["总纲"])
    assert practice["tags"] == ["总纲"] and practice["audience_unit_ids"] == [tree.town_a.pk]

    alice = app_login(people.alice.username)  # town A's office: in the audience's subtree
    assert [s["id"] for s in alice.get("/api/v1/practice-sets/").json()["results"]] == [practice["id"]]
    bob = app_login(people.bob.username)  # town B: not
    assert bob.get("/api/v1/practice-sets/").json()["results"] == []
    assert bob.post(f"/api/v1/practice-sets/{practice['id']}/rounds", {}, format="json").status_code == 404

    round_ = start(alice, practice["id"], count=3)
    assert len(round_["questions"]) == 3
    assert all(q["stem"].startswith("总纲") for q in round_["questions"])  # only the set's tags
    assert all(q["feedback"] is None and not q["answered"] for q in round_["questions"])  # no key before answering
    first, second = round_["questions"][:2]
    right = answer(alice, round_["id"], first["question_id"], ["A"]).json()
    assert right["correct"] is True and right["applied"] is True and right["book"] is None
    question = Question.objects.get(pk=first["question_id"])
    assert right["feedback"] == {
        "answer": ["A"],
        "explanation": question.explanation,
        "legal_basis": question.legal_basis,
        "articles": [],  # 《宪法》 is not in this test's library
    }
    wrong = answer(alice, round_["id"], second["question_id"], ["B"]).json()
    assert wrong["correct"] is False and wrong["feedback"]["answer"] == ["A"]
    # answered once: a second answer does not change the first
    again = answer(alice, round_["id"], second["question_id"], ["A"]).json()
    assert again["applied"] is False and again["correct"] is False and again["choices"] == ["B"]

    shown = alice.get(f"/api/v1/practice-rounds/{round_['id']}").json()["questions"]
    assert [q["answered"] for q in shown] == [True, True, False]
    assert shown[1]["feedback"]["answer"] == ["A"] and shown[2]["feedback"] is None

    [listed] = alice.get("/api/v1/practice-rounds/").json()["results"]
    assert (listed["id"], listed["question_count"], listed["answered_count"], listed["correct_count"]) == (
        round_["id"],
        3,
        2,
        1,
    )
    assert listed["practice_set_title"] == "宪法学习" and listed["kind"] == "practice"
    assert app_login(people.carol.username).get("/api/v1/practice-rounds/").json()["count"] == 0

    progress = alice.get(f"/api/v1/practice-sets/{practice['id']}/progress").json()
    assert progress == [{"tag": "总纲", "questions": 4, "seen": 2, "correct": 1}]


def test_a_round_by_tag_and_bad_requests_name_what_is_wrong(tree, people):
    bank = chapter_bank(tree.city)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.city])
    alice = app_login(people.alice.username)
    round_ = start(alice, practice["id"], tag="公民", count=50)
    assert len(round_["questions"]) == 4 and all(q["stem"].startswith("公民") for q in round_["questions"])
    # a round keeps its chapter: resumed from the list or by its address, it is still 公民's
    assert round_["tag"] == "公民" and alice.get(f"/api/v1/practice-rounds/{round_['id']}").json()["tag"] == "公民"
    random_round = start(alice, practice["id"], count=2)
    assert random_round["tag"] is None
    listed = alice.get("/api/v1/practice-rounds/").json()["results"]
    assert [(r["id"], r["tag"]) for r in listed] == [(random_round["id"], None), (round_["id"], "公民")]
    # the chapters in the bank's order (总纲 first), not the characters' (公 < 总)
    assert [p["tag"] for p in alice.get(f"/api/v1/practice-sets/{practice['id']}/progress").json()] == ["总纲", "公民"]
    unknown = alice.post(f"/api/v1/practice-sets/{practice['id']}/rounds", {"tag": "刑法"}, format="json")
    assert unknown.status_code == 400 and "tag" in unknown.json()["error"]["fields"]
    q = round_["questions"][0]["question_id"]
    bad = answer(alice, round_["id"], q, ["E"])
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_choices"
    two = answer(alice, round_["id"], q, ["A", "B"])
    assert two.status_code == 400 and two.json()["error"]["code"] == "invalid_choices"
    not_in_round = answer(
        alice,
        round_["id"],
        Question.objects.exclude(pk__in=[x["question_id"] for x in round_["questions"]]).earliest("pk").pk,
        ["A"],
    )
    assert not_in_round.status_code == 404
    carol = app_login(people.carol.username)  # someone else's round
    assert answer(carol, round_["id"], q, ["A"]).status_code == 404
    assert carol.get(f"/api/v1/practice-rounds/{round_['id']}").status_code == 404
    # bad organizer input: a bank they do not manage, a tag the bank has not, no audience
    organizer_a = app_login(people.organizer_a.username)
    refused = organizer_a.post(
        "/api/v1/practice-sets/managed",
        {"title": "x", "bank_id": bank.pk, "audience_unit_ids": [tree.town_a.pk]},
        format="json",
    )
    assert refused.status_code == 400 and "bank_id" in refused.json()["error"]["fields"]
    no_tag = organizer.post(
        "/api/v1/practice-sets/managed",
        {"title": "x", "bank_id": bank.pk, "audience_unit_ids": [tree.city.pk], "tags": ["刑法"]},
        format="json",
    )
    assert no_tag.status_code == 400 and "刑法" in no_tag.json()["error"]["fields"]["tags"][0]
    outside = organizer_a.post(
        "/api/v1/practice-sets/managed",
        {
            "title": "x",
            "bank_id": bank_create(name="镇题库", unit=tree.town_a).pk,
            "audience_unit_ids": [tree.town_b.pk],
        },
        format="json",
    )
    assert outside.status_code == 400 and "audience_unit_ids" in outside.json()["error"]["fields"]


def test_closing_a_practice_set_hides_it(tree, people):
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, chapter_bank(tree.city), [tree.city])
    changed = organizer.patch(
        f"/api/v1/practice-sets/managed/{practice['id']}", {"is_open": False, "title": "新标题"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["is_open"] is False and changed.json()["title"] == "新标题"
    alice = app_login(people.alice.username)
    assert alice.get("/api/v1/practice-sets/").json()["count"] == 0
    assert alice.post(f"/api/v1/practice-sets/{practice['id']}/daily").status_code == 404
    # another town's organizer does not see it
    assert (
        app_login(people.organizer_a.username).get(f"/api/v1/practice-sets/managed/{practice['id']}").status_code == 404
    )


def _exam_of(bank: QuestionBank, tree, questions: list[Question], audience: list[Unit], **fields) -> Exam:
    from quizzes.services.exams import PaperItem

    now = timezone.now()
    defaults: dict[str, Any] = dict(
        title="考试",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
        time_limit_seconds=1800,
        max_attempts=1,
    )
    defaults.update(fields)
    exam = exam_create(
        unit=tree.city,
        created_by=None,
        audience_units=audience,
        fixed=[PaperItem(q, Decimal(10)) for q in questions],
        **defaults,
    )
    return exam_publish(exam=exam)


def test_practice_never_offers_a_question_of_an_exam_open_to_the_same_person(tree, people):
    bank = chapter_bank(tree.city)
    in_exam = list(Question.objects.filter(bank=bank, tags__name="总纲"))
    _exam_of(bank, tree, in_exam, [tree.town_a])  # open now to town A (alice, carol), not to town B (bob)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.city])
    exam_ids = {q.pk for q in in_exam}

    alice = app_login(people.alice.username)
    for _ in range(3):
        drawn = {q["question_id"] for q in start(alice, practice["id"], count=50)["questions"]}
        assert drawn and not drawn & exam_ids
    only_exam = alice.post(f"/api/v1/practice-sets/{practice['id']}/rounds", {"tag": "总纲"}, format="json")
    assert only_exam.status_code == 409 and only_exam.json()["error"]["code"] == "no_practice_questions"
    bob = app_login(people.bob.username)  # not in the exam's audience: practises them
    assert {q["question_id"] for q in start(bob, practice["id"], count=50)["questions"]} >= exam_ids


def test_an_exam_that_opens_after_the_round_started_hides_the_key(tree, people):
    bank = chapter_bank(tree.city)
    organizer = app_login(people.organizer.username)
    practice = open_practice(organizer, bank, [tree.city])
    alice = app_login(people.alice.username)
    round_ = start(alice, practice["id"], tag="总纲", count=4)
    answered = round_["questions"][0]["question_id"]
    assert answer(alice, round_["id"], answered, ["A"]).json()["feedback"]["answer"] == ["A"]

    _exam_of(bank, tree, list(Question.objects.filter(bank=bank, tags__name="总纲")), [tree.city])
    refused = answer(alice, round_["id"], round_["questions"][1]["question_id"], ["A"])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "question_in_open_exam"
    assert "answer" not in refused.json()["error"]
    again = answer(alice, round_["id"], answered, ["A"])  # even the one answered before: no key now
    assert again.status_code == 409
    shown = alice.get(f"/api/v1/practice-rounds/{round_['id']}").json()["questions"]
    assert all(q["hidden"] and q["feedback"] is None for q in shown)


def test_a_random_exam_hides_every_question_its_rules_may_draw(tree, people):
    bank = chapter_bank(tree.city)
    now = timezone.now()
    tag = Question.objects.filter(bank=bank, tags__name="公民").earliest("pk").tags.get()
    exam = exam_create(
        unit=tree.city,
        created_by=None,
        audience_units=[tree.city],
        composition=Exam.Composition.RANDOM,
        rules=[RuleSpec(kind="single", bank_id=bank.pk, count=2, points=Decimal(10), tag=tag.name)],
        title="随机",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    exam_publish(exam=exam)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    drawn = start(app_login(people.alice.username), practice["id"], count=50)["questions"]
    assert drawn and all(q["stem"].startswith("总纲") for q in drawn)


def test_a_make_up_window_open_to_one_person_hides_the_questions_from_that_person_only(tree, people):
    bank = chapter_bank(tree.city)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    round_ = start(alice, practice["id"], tag="总纲", count=4)
    carol = app_login(people.carol.username)
    carol_round = start(carol, practice["id"], tag="总纲", count=4)
    now = timezone.now()
    exam = _exam_of(
        bank,
        tree,
        list(Question.objects.filter(bank=bank, tags__name="总纲")),
        [tree.city],
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(days=1),
    )
    overrides_grant(
        exam=exam,
        user_ids=[people.alice.pk],
        kind=ExamOverride.Kind.MAKEUP,
        reason="病假",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    q = round_["questions"][0]["question_id"]
    assert answer(alice, round_["id"], q, ["A"]).status_code == 409
    assert answer(carol, carol_round["id"], carol_round["questions"][0]["question_id"], ["A"]).status_code == 200


def test_practice_writes_nothing_into_attempts_or_rankings(tree, people, exam):
    bank = chapter_bank(tree.city)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    before = (Attempt.objects.count(), Answer.objects.count())
    board = alice.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    round_ = start(alice, practice["id"], count=8)
    for i, q in enumerate(round_["questions"]):
        answer(alice, round_["id"], q["question_id"], ["A" if i % 2 else "B"])
    alice.post(f"/api/v1/practice-sets/{practice['id']}/daily")
    assert (Attempt.objects.count(), Answer.objects.count()) == before
    assert alice.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json() == board
    units = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()
    assert all(row["participants"] == 0 and row["attempts"] == 0 for row in units["results"])


def test_make_exam_helper_questions_are_practised_once_the_exam_is_closed(tree, people, bank):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    blocked = alice.post(f"/api/v1/practice-sets/{practice['id']}/rounds", {}, format="json")
    assert blocked.status_code == 409
    Exam.objects.filter(pk=exam.pk).update(status=Exam.Status.CLOSED)
    assert len(start(alice, practice["id"], count=50)["questions"]) == 7


def test_a_round_never_holds_two_questions_of_one_exclusion_group(tree, people):
    bank = bank_create(name="互斥题库", unit=tree.city)
    for i in range(3):  # three ways of asking one point
        question_create(
            bank=bank, kind="judge", stem=f"同一知识点{i}", options=[], answer=["A"], exclusion_group="诉讼时效"
        )
    question_create(bank=bank, kind="judge", stem="另一知识点", options=[], answer=["A"])
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    for _ in range(5):
        stems = [q["stem"] for q in start(alice, practice["id"], count=10)["questions"]]
        assert len(stems) == 2 and "另一知识点" in stems


def test_the_cited_articles_text_comes_with_the_answer_never_before(tree, people):
    """法条原文 after each practice answer (issue 13), as the review shows it: from the library of the bank's
    unit; not in the round before the answer, nor for a question hidden by an open exam."""
    from tests.api.test_law_library import ARTICLE_17, CIVIL_CODE, shipped_civil_code

    shipped_civil_code()
    bank = bank_create(name="民法典题库", unit=tree.city)
    cited = question_create(
        bank=bank,
        kind="judge",
        stem="十八周岁以上的自然人为成年人。",
        answer=["A"],
        legal_basis=f"{CIVIL_CODE}第十七条",
    )
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    round_ = start(alice, practice["id"], count=1)
    assert "第十七条" not in str(round_) and ARTICLE_17 not in str(round_)  # nothing of it before the answer
    article = {
        "law": CIVIL_CODE,
        "edition": "2020年5月28日通过",
        "heading": "第十七条",
        "chapter": "第一编 总则 / 第二章 自然人",
        "text": ARTICLE_17,
    }
    result = answer(alice, round_["id"], cited.pk, ["B"]).json()
    assert result["feedback"]["articles"] == [article]
    shown = alice.get(f"/api/v1/practice-rounds/{round_['id']}").json()["questions"]
    assert shown[0]["feedback"]["articles"] == [article]  # a resumed round shows it again
    [entry] = alice.get("/api/v1/wrong-answers/").json()["results"]
    assert entry["feedback"]["articles"] == [article]  # and so does the book

    make_exam(unit=tree.city, bank=bank, audience=[tree.city], title="开放中的考试")  # now hidden
    assert "第十七条" not in str(alice.get(f"/api/v1/practice-rounds/{round_['id']}").json()["questions"])
    assert alice.get("/api/v1/wrong-answers/").json()["results"][0]["feedback"] is None
