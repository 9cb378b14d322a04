"""The exam builder's endpoints: draw-rule availability as the rules are edited (the publish check's rule),
a sample paper with its key, and the QR code of the participant link."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import segno
from django.test import override_settings
from django.utils import timezone

from quizzes.models import Exam, QuestionBank
from quizzes.services.banks import bank_create, question_create
from quizzes.services.exams import RuleSpec, exam_create, exam_publish
from tests.api.test_query_counts import SESSION_QUERIES
from tests.conftest import People, Tree, app_login, make_bank, make_exam

pytestmark = pytest.mark.django_db

AVAILABILITY = "/api/v1/exams/draw-availability"


@pytest.fixture
def civil(tree: Tree) -> QuestionBank:
    """Town A's bank: 6 single (4 tagged 民法典, 2 of them difficulty 2; 2 share the group 成年), 3 judge."""
    bank = bank_create(name="南关镇民法典题库", unit=tree.town_a)
    for n in range(6):
        question_create(
            bank=bank,
            kind="single",
            stem=f"单选题{n}（ ）。",
            options=["甲", "乙", "丙"],
            answer=["A"],
            tags=["民法典"] if n < 4 else [],
            difficulty=2 if n < 2 else 3,
            exclusion_group="成年" if n in (4, 5) else "",
        )
    for n in range(3):
        question_create(bank=bank, kind="judge", stem=f"判断题{n}。", answer=["A"])
    return bank


def _rule(bank: QuestionBank, **fields: Any) -> dict[str, Any]:
    return {"kind": "single", "bank_id": bank.pk, "count": 1, "points": "2", **fields}


def test_availability_counts_each_rule_and_the_full_marks(people: People, civil: QuestionBank) -> None:
    client = app_login(people.organizer_a.username)
    rules = [
        _rule(civil, tag="民法典", difficulty=2, count=2, points="5"),
        _rule(civil, kind="judge", count=3, points="2.5"),
        _rule(civil, tag="民法典", count=1),
    ]
    response = client.post(AVAILABILITY, {"draw_rules": rules}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["position"], r["count"], r["matching"], r["drawable"]) for r in body["rules"]] == [
        (1, 2, 2, 2),
        (2, 3, 3, 3),
        (3, 1, 4, 2),  # the first rule may take 2 of its 4 questions
    ]
    assert [r["problem"] for r in body["rules"]] == [None, None, None]
    assert body["question_count"] == 6
    assert Decimal(body["max_score"]) == Decimal("19.50")


def test_availability_names_what_the_publish_check_refuses(people: People, civil: QuestionBank) -> None:
    client = app_login(people.organizer_a.username)
    rules = [
        _rule(civil, count=7),  # 6 single questions, 5 slots (two share a group)
        _rule(civil, count=6),  # 6 match, 5 slots; rule 1 may take the group 成年: 4
        _rule(civil, tag="民法典", count=3),  # 4 match; rule 2 may take all of them
        _rule(civil, tag="不存在的标签"),
        _rule(civil, kind="judge", count=3),
    ]
    body = client.post(AVAILABILITY, {"draw_rules": rules}, format="json").json()
    assert [(r["matching"], r["drawable"]) for r in body["rules"]] == [(6, 5), (6, 0), (4, 0), (0, 0), (3, 3)]
    assert "需要 7 道题，题库中只有 6 道" in body["rules"][0]["problem"]
    assert "最多只能抽出 4 道" in body["rules"][1]["problem"]
    assert "第 3 条抽题规则需要 3 道题：前面的规则可能抽走同样的题" in body["rules"][2]["problem"]
    assert "最坏情况下只剩 0 道可抽" in body["rules"][2]["problem"]
    assert "第 4 条抽题规则需要 1 道题，题库中只有 0 道" in body["rules"][3]["problem"]
    assert body["rules"][4]["problem"] is None


def test_publish_refuses_rules_that_earlier_rules_can_starve(tree: Tree, civil: QuestionBank) -> None:
    """The publish check is the same rule: a draw that succeeds by luck is refused, since a participant's
    draw may not succeed."""
    now = timezone.now()
    exam = exam_create(
        unit=tree.town_a,
        created_by=None,
        title="重叠规则",
        opens_at=now,
        closes_at=now + timedelta(days=1),
        composition=Exam.Composition.RANDOM,
        rules=[
            RuleSpec(kind="single", bank_id=civil.pk, count=3, points=Decimal(2)),
            RuleSpec(kind="single", bank_id=civil.pk, count=2, points=Decimal(2), tag="民法典"),
        ],
    )
    with pytest.raises(Exception, match="第 2 条"):
        exam_publish(exam=exam)


def test_availability_refuses_banks_outside_the_organizers_scope(people: People, tree: Tree) -> None:
    other = make_bank(tree.town_b, name="北岭镇题库")
    response = app_login(people.organizer_a.username).post(AVAILABILITY, {"draw_rules": [_rule(other)]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_composition"
    assert "draw_rules" in response.json()["error"]["fields"]


def test_availability_checks_its_input(people: People, civil: QuestionBank) -> None:
    client = app_login(people.organizer_a.username)
    response = client.post(AVAILABILITY, {"draw_rules": [_rule(civil, count=0)]}, format="json")
    assert response.status_code == 400
    assert "draw_rules" in response.json()["error"]["fields"]
    empty = client.post(AVAILABILITY, {"draw_rules": []}, format="json").json()
    assert empty == {"rules": [], "question_count": 0, "max_score": "0.00"}


def test_availability_reads_one_query_per_rule(
    people: People, civil: QuestionBank, django_assert_num_queries: Any
) -> None:
    client = app_login(people.organizer_a.username)
    rules = [_rule(civil, tag="民法典"), _rule(civil, kind="judge"), _rule(civil, difficulty=3)]
    client.get("/api/v1/me")  # the session's own reads are not the endpoint's
    # the session where it lives in the database (the person comes from the cache), the banks in scope (1),
    # the tags (1), one per rule (3)
    with django_assert_num_queries(SESSION_QUERIES + 5):
        assert client.post(AVAILABILITY, {"draw_rules": rules}, format="json").status_code == 200


def test_sample_paper_has_the_key_for_its_organizers_only(people: People, tree: Tree, bank: QuestionBank) -> None:
    exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a], publish=False)
    response = app_login(people.organizer_a.username).get(f"/api/v1/exams/{exam.pk}/sample-paper")
    assert response.status_code == 200, response.content
    paper = response.json()
    assert paper["question_count"] == 7
    assert Decimal(paper["max_score"]) == Decimal(100)
    first = paper["questions"][0]
    assert first["position"] == 1 and first["answer"] == ["A"] and first["options"][0] == "成年人"
    assert [q["kind"] for q in paper["questions"]] == ["single"] * 3 + ["multiple"] * 2 + ["judge"] * 2
    assert app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/sample-paper").status_code == 403
    assert app_login(people.hr_b.username).get(f"/api/v1/exams/{exam.pk}/sample-paper").status_code == 403


def test_sample_paper_of_rules_that_cannot_be_drawn_says_why(people: People, tree: Tree, civil: QuestionBank) -> None:
    now = timezone.now()
    exam = exam_create(
        unit=tree.town_a,
        created_by=None,
        title="抽不够",
        opens_at=now,
        closes_at=now + timedelta(days=1),
        composition=Exam.Composition.RANDOM,
        rules=[RuleSpec(kind="judge", bank_id=civil.pk, count=5, points=Decimal(2))],
    )
    response = app_login(people.organizer_a.username).get(f"/api/v1/exams/{exam.pk}/sample-paper")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "insufficient_questions"


def _qr(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def test_qr_code_encodes_the_participant_link_at_the_request_host(people: People, tree: Tree, bank: Any) -> None:
    exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a])
    client = app_login(people.organizer_a.username)
    response = client.get(f"/api/v1/exams/{exam.pk}/qr.png", HTTP_HOST="localhost:8443")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="exam-{exam.pk}-qr.png"'
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.content == _qr(f"http://localhost:8443/exams/{exam.pk}")


@override_settings(XUEFA_SITE_URL="https://xuefa.example.gov.cn/")
def test_qr_code_uses_the_configured_site_address(people: People, tree: Tree, bank: Any) -> None:
    exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a])
    organizer = app_login(people.organizer_a.username)
    response = organizer.get(f"/api/v1/exams/{exam.pk}/qr.png")
    assert response.content == _qr(f"https://xuefa.example.gov.cn/exams/{exam.pk}")
    # the console's "copy link" gives the same address
    detail = organizer.get(f"/api/v1/exams/{exam.pk}/").json()
    assert detail["management"]["participant_link"] == f"https://xuefa.example.gov.cn/exams/{exam.pk}"


def test_qr_code_of_another_towns_exam_is_not_found(people: People, tree: Tree, bank: Any) -> None:
    exam = make_exam(unit=tree.town_b, bank=bank, audience=[tree.town_b])
    response = app_login(people.organizer_a.username).get(f"/api/v1/exams/{exam.pk}/qr.png")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_console_list_is_the_organizers_own_exams_with_states_and_people(
    people: People, tree: Tree, bank: QuestionBank, django_assert_num_queries: Any
) -> None:
    now = timezone.now()
    running = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a], title="进行中的考试")
    make_exam(unit=tree.town_a, bank=bank, title="草稿考试", publish=False)
    make_exam(
        unit=tree.town_a,
        bank=bank,
        title="下月考试",
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=31),
    )
    ended = make_exam(
        unit=tree.town_a, bank=bank, title="已过期", opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=2)
    )
    make_exam(unit=tree.town_b, bank=bank, title="北岭镇考试")
    from quizzes.services.attempts import attempt_start, attempt_submit

    attempt_start(exam=running, user=people.alice)
    attempt, _created = attempt_start(exam=running, user=people.carol)
    attempt_submit(attempt_id=attempt.pk, user=people.carol)

    client = app_login(people.organizer_a.username)
    client.get("/api/v1/me")
    with django_assert_num_queries(SESSION_QUERIES + 3):  # (the session), count, page, audience
        body = client.get("/api/v1/exams/managed").json()
    rows = {row["title"]: row for row in body["results"]}
    assert set(rows) == {"进行中的考试", "草稿考试", "下月考试", "已过期"}
    assert {t: r["state"] for t, r in rows.items()} == {
        "进行中的考试": "running",
        "草稿考试": "draft",
        "下月考试": "published",
        "已过期": "closed",
    }
    assert rows["进行中的考试"]["audience"] == [{"id": tree.town_a.pk, "name": "南关镇"}]
    assert (rows["进行中的考试"]["people_started"], rows["进行中的考试"]["people_submitted"]) == (2, 1)
    assert (rows["已过期"]["people_started"], rows["已过期"]["people_submitted"]) == (0, 0)

    for state, titles in {"running": ["进行中的考试"], "closed": ["已过期"], "draft": ["草稿考试"]}.items():
        got = client.get("/api/v1/exams/managed", {"state": state}).json()["results"]
        assert [row["title"] for row in got] == titles
    assert [r["id"] for r in client.get("/api/v1/exams/managed", {"search": "过期"}).json()["results"]] == [ended.pk]
    assert client.get("/api/v1/exams/managed", {"state": "bogus"}).status_code == 400
    assert app_login(people.hr_b.username).get("/api/v1/exams/managed").status_code == 403
