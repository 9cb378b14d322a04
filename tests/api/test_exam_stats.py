"""GET /exams/{id}/stats through HTTP: who may read it and over whose attempts, the attempt sets, and the
flag on a deliberately miskeyed question."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import User
from accounts.services import user_create
from quizzes.models import Attempt, Exam, Question
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import PASSWORD, app_login, make_exam

pytestmark = pytest.mark.django_db


def sit(exam: Exam, user: User, choices: dict[int, list[str]]) -> Attempt:
    """Answer the questions in ``choices`` (question id → letters), leave the others, and submit."""
    attempt, _ = attempt_start(exam=exam, user=user)
    for seq, (question_id, letters) in enumerate(choices.items(), start=1):
        answer_save(attempt_id=attempt.pk, user=user, question_id=question_id, choices=letters, seq=seq)
    return attempt_submit(attempt_id=attempt.pk, user=user)


def keys(exam: Exam) -> dict[int, list[str]]:
    return {q.pk: list(q.answer) for q in Question.objects.filter(bank__unit=exam.unit).order_by("pk")}


def make(username: str, unit, role=User.Role.PARTICIPANT) -> User:
    return user_create(username=username, password=PASSWORD, real_name=username, unit=unit, role=role)


@pytest.fixture
def sat(exam, people, tree):
    key = keys(exam)
    first = next(iter(key))
    sit(exam, people.alice, key)  # 100
    sit(exam, people.carol, {q: k for q, k in key.items() if q != first})  # 90: the first question skipped
    sit(exam, people.bob, {first: ["B"]})  # 0
    return key


def test_organizers_and_hr_of_the_unit_read_the_stats_of_their_subtree(sat, exam, people, tree):
    city = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/stats")
    assert city.status_code == 200, city.content
    body = city.json()
    assert (body["exam_id"], body["unit_id"], body["attempts"], body["attempt_count"]) == (
        exam.pk,
        tree.city.pk,
        "first",
        3,
    )
    assert body["histogram"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert [(g["name"], g["count"]) for g in body["grades"]] == [("优秀", 2), ("良好", 0), ("合格", 0), ("不合格", 1)]
    assert (body["passed"], body["pass_rate"]) == (2, 66.6667)
    assert (body["mean_score"], body["median_score"], body["stdev_score"]) == (63.3333, 90.0, 55.0757)
    first = body["items"][0]
    assert first["question_id"] == next(iter(sat)) and first["kind"] == "single" and first["points"] == "10.00"
    assert (first["attempts"], first["facility"], first["choices"], first["skipped"]) == (
        3,
        0.3333,
        {"A": 1, "B": 1, "C": 0, "D": 0},
        1,
    )
    assert [i["question_id"] for i in body["items"]] == list(sat)

    hr_a = make("hr_a", tree.town_a, User.Role.HR)
    town_a = app_login(hr_a.username).get(f"/api/v1/exams/{exam.pk}/stats").json()
    assert (town_a["unit_id"], town_a["attempt_count"], town_a["mean_score"]) == (tree.town_a.pk, 2, 95.0)
    organizer_a = app_login(people.organizer_a.username).get(f"/api/v1/exams/{exam.pk}/stats").json()
    assert organizer_a["attempt_count"] == 2
    town_b = app_login(people.hr_b.username).get(f"/api/v1/exams/{exam.pk}/stats").json()
    assert (town_b["attempt_count"], town_b["mean_score"], town_b["stdev_score"]) == (1, 0.0, None)
    office = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/stats?unit={tree.town_a_office.pk}")
    assert office.json()["attempt_count"] == 1


def test_participants_get_403_and_units_outside_the_scope_404(sat, exam, people, tree):
    response = app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/stats")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    for username, other in ((people.hr_b.username, tree.town_a), (people.organizer_a.username, tree.town_b)):
        response = app_login(username).get(f"/api/v1/exams/{exam.pk}/stats?unit={other.pk}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    response = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/stats?attempts=best")
    assert response.status_code == 400 and "attempts" in response.json()["error"]["fields"]


def test_an_exam_outside_the_readers_reach_is_404(bank, people, tree):
    town_a_exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a])
    response = app_login(people.hr_b.username).get(f"/api/v1/exams/{town_a_exam.pk}/stats")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_first_counted_and_all_attempts(bank, people, tree):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], max_attempts=2, counting_policy="highest")
    key = keys(exam)
    sit(exam, people.alice, {})  # 0
    sit(exam, people.alice, key)  # 100, counts
    sit(exam, people.bob, key)  # 100
    attempt_start(exam=exam, user=people.bob)  # open: never in the statistics
    organizer = app_login(people.organizer.username)
    stats = [organizer.get(f"/api/v1/exams/{exam.pk}/stats?attempts={s}").json() for s in ("first", "counted", "all")]
    assert [(s["attempts"], s["attempt_count"], s["mean_score"]) for s in stats] == [
        ("first", 2, 50.0),
        ("counted", 2, 100.0),
        ("all", 3, 66.6667),
    ]
    assert organizer.get(f"/api/v1/exams/{exam.pk}/stats").json()["attempt_count"] == 2  # first by default


def test_a_miskeyed_question_is_flagged_with_the_regrade_operation(exam, tree):
    key = keys(exam)
    miskeyed = next(q for q, k in key.items() if k == ["A"])  # "A" in the bank; the strong know it is "B"
    others = [q for q in key if q != miskeyed]
    for i in range(6):  # strong: every other question right, and "B" here
        sit(exam, make(f"strong{i}", tree.town_a), {**{q: key[q] for q in others}, miskeyed: ["B"]})
    for i in range(4):  # weak: one other question right, and the bank's "A" here
        sit(exam, make(f"weak{i}", tree.town_b), {others[i]: key[others[i]], miskeyed: ["A"]})
    organizer = make("org", tree.city, User.Role.ORGANIZER)
    body = app_login(organizer.username).get(f"/api/v1/exams/{exam.pk}/stats").json()
    items = {i["question_id"]: i for i in body["items"]}
    item = items[miskeyed]
    assert item["facility"] == 0.4 and item["discrimination"] < 0
    assert item["choices"] == {"A": 4, "B": 6, "C": 0, "D": 0} and item["skipped"] == 0
    assert item["answer"] == ["A"]
    assert [f["code"] for f in item["flags"]] == ["ambiguous_or_miskeyed"]
    flag = item["flags"][0]
    assert flag["regrade"] == {
        "method": "POST",
        "path": f"/api/v1/exams/{exam.pk}/regrade",
        "body": {"question_id": miskeyed},
    }
    assert flag["message"]
    healthy = [i for q, i in items.items() if q != miskeyed]
    assert all(i["discrimination"] is not None and i["discrimination"] > 20 for i in healthy)
    assert all(i["flags"] == [] for i in healthy)

    # the regrade link works as given once the bank's key is corrected
    Question.objects.filter(pk=miskeyed).update(answer=["B"])
    client = app_login(organizer.username)
    response = client.post(flag["regrade"]["path"], flag["regrade"]["body"], format="json")
    assert response.status_code == 200 and response.json() == {"regraded_attempts": 10}
    item = {i["question_id"]: i for i in client.get(f"/api/v1/exams/{exam.pk}/stats").json()["items"]}[miskeyed]
    assert item["facility"] == 0.6 and item["discrimination"] > 20 and item["flags"] == []


def test_english_clients_get_english_flag_messages(exam, tree):
    key = keys(exam)
    question = next(iter(key))
    for i in range(3):
        sit(exam, make(f"p{i}", tree.town_a), {question: ["D"]})  # everyone wrong: facility 0
    organizer = make("org", tree.city, User.Role.ORGANIZER)
    response = app_login(organizer.username).get(f"/api/v1/exams/{exam.pk}/stats", HTTP_ACCEPT_LANGUAGE="en")
    item = response.json()["items"][0]
    assert (item["facility"], item["discrimination"]) == (0.0, None)
    assert [f["code"] for f in item["flags"]] == ["likely_wrong_key_or_too_hard"]
    assert item["flags"][0]["message"].isascii()
    assert Decimal(item["points"]) == Decimal(10)


def test_an_exam_without_finished_attempts_has_empty_statistics(exam, people):
    attempt_start(exam=exam, user=people.alice)  # open: not finished
    body = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/stats").json()
    assert (body["attempt_count"], body["histogram"], body["items"]) == (0, [0] * 10, [])
    assert [g["count"] for g in body["grades"]] == [0, 0, 0, 0]
    assert (body["passed"], body["pass_rate"], body["mean_score"], body["median_score"]) == (0, None, None, None)
    assert (body["stdev_score"], body["mean_time_used_seconds"]) == (None, None)
