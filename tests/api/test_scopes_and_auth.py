"""Who may see what, the answer key's secrecy, and the account rules (signup switch, initial passwords)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import SiteSettings, User
from accounts.services import user_create
from quizzes.models import Question
from quizzes.services.banks import bank_create
from tests.conftest import PASSWORD, app_login, make_bank, make_exam

pytestmark = pytest.mark.django_db

KEY_FIELDS = ("answer", "explanation", "legal_basis", "correct", "review")


def _walk_keys(payload):
    if isinstance(payload, dict):
        for key, value in payload.items():
            yield key, value
            yield from _walk_keys(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from _walk_keys(item)


def _assert_keyless(payload):
    leaked = [k for k, v in _walk_keys(payload) if k in KEY_FIELDS and v not in (None, [], "")]
    assert not leaked, f"answer key fields {leaked} reached a participant"


def test_key_absent_from_every_participant_response_before_finalisation(exam, people):
    client = app_login(people.alice.username)
    responses = [client.get("/api/v1/exams/"), client.get(f"/api/v1/exams/{exam.pk}/")]
    started = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    responses.append(started)
    paper = started.json()
    for q in paper["questions"]:
        responses.append(
            client.put(
                f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}", {"choices": [], "seq": 1}, format="json"
            )
        )
    responses += [
        client.get(f"/api/v1/attempts/{paper['id']}"),
        client.post(f"/api/v1/exams/{exam.pk}/attempts"),
        client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people"),
        client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units"),
        client.get(f"/api/v1/exams/{exam.pk}/stats"),
        client.get(f"/api/v1/banks/{exam.fixed_questions.first().question.bank_id}/questions/"),
    ]
    secrets = {
        text
        for q in Question.objects.filter(pk__in=[q["question_id"] for q in paper["questions"]])
        for text in (q.explanation, q.legal_basis)
        if text
    }
    assert secrets
    for response in responses:
        assert response.status_code in (200, 201, 403), response.content
        _assert_keyless(response.json())
        body = response.content.decode()  # by content too, whatever the field is called
        assert not [text for text in secrets if text in body], f"explanation or legal basis in {body[:200]}"
    assert responses[-1].status_code == 403  # participants never read bank questions

    result = client.post(f"/api/v1/attempts/{paper['id']}/submit").json()
    assert result["review"] and all("answer" in q for q in result["review"])  # review policy: immediately


@pytest.mark.parametrize(("policy", "shown"), [("after_close", False), ("never", False), ("immediately", True)])
def test_review_policy(tree, bank, people, policy, shown):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy=policy)
    client = app_login(people.alice.username)
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert result["result"]["review_available"] is shown
    assert (result["review"] is not None) is shown
    if not shown:
        _assert_keyless(result)


def test_review_after_close_is_shown_once_the_exam_has_closed(tree, bank, people):
    import time_machine

    exam = make_exam(
        unit=tree.city,
        bank=bank,
        audience=[tree.city],
        review_policy="after_close",
        closes_at=timezone.now() + timedelta(hours=2),
    )
    client = app_login(people.alice.username)
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    before = client.get(f"/api/v1/attempts/{attempt['id']}").json()
    assert before["result"]["review_available"] is False and before["review"] is None
    with time_machine.travel(exam.closes_at + timedelta(seconds=1), tick=False):
        later = client.get(f"/api/v1/attempts/{attempt['id']}").json()
    assert later["result"]["review_available"] and later["review"][0]["answer"]


def test_organizer_sees_only_banks_and_exams_of_their_subtree(tree, people, bank, exam):
    town_b_bank = bank_create(name="北岭题库", unit=tree.town_b)
    town_a_bank = make_bank(tree.town_a, name="南关题库")
    client_a = app_login(people.organizer_a.username)

    listed = {b["name"] for b in client_a.get("/api/v1/banks/").json()["results"]}
    assert listed == {"南关题库"}
    assert client_a.get(f"/api/v1/banks/{bank.pk}/").status_code == 404
    assert client_a.get(f"/api/v1/banks/{town_b_bank.pk}/questions/").status_code == 404
    assert client_a.get(f"/api/v1/banks/{town_a_bank.pk}/questions/").json()["count"] == 7

    assert client_a.post(f"/api/v1/exams/{exam.pk}/publish").status_code == 404  # the city's exam
    assert client_a.patch(f"/api/v1/exams/{exam.pk}/", {"title": "x"}, format="json").status_code == 404

    now = timezone.now()
    body = {
        "title": "南关镇学法考试",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "audience_unit_ids": [tree.town_b.pk],
        "fixed_questions": [{"question_id": town_a_bank.questions.earliest("id").pk, "points": "10"}],
    }
    refused = client_a.post("/api/v1/exams/", body, format="json")
    assert refused.status_code == 400 and "audience_unit_ids" in refused.json()["error"]["fields"]
    body["audience_unit_ids"] = [tree.town_a.pk]
    body["fixed_questions"] = [{"question_id": bank.questions.earliest("id").pk, "points": "10"}]  # the city's question
    refused = client_a.post("/api/v1/exams/", body, format="json")
    assert refused.status_code == 400 and "fixed_questions" in refused.json()["error"]["fields"]

    city_client = app_login(people.organizer.username)
    assert {b["name"] for b in city_client.get("/api/v1/banks/").json()["results"]} == {
        "民法典题库",
        "北岭题库",
        "南关题库",
    }


def test_hr_reads_only_their_subtree(tree, bank, people):
    town_a_exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a], title="南关镇考试")
    city_exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], title="全市考试")
    for user in (people.alice, people.bob):
        client = app_login(user.username)
        attempt = client.post(f"/api/v1/exams/{city_exam.pk}/attempts").json()
        client.post(f"/api/v1/attempts/{attempt['id']}/submit")

    hr = app_login(people.hr_b.username)
    titles = {e["title"] for e in hr.get("/api/v1/exams/").json()["results"]}
    assert titles == {"全市考试"}
    assert hr.get(f"/api/v1/exams/{town_a_exam.pk}/").status_code == 404
    assert hr.get(f"/api/v1/exams/{town_a_exam.pk}/leaderboard/people").status_code == 404
    rows = hr.get(f"/api/v1/exams/{city_exam.pk}/leaderboard/people").json()["results"]
    assert [r["name"] for r in rows] == ["李四"]  # only town B's people, with their global rank
    assert hr.get("/api/v1/banks/").status_code == 403
    assert hr.post(f"/api/v1/exams/{city_exam.pk}/close").status_code == 403


@pytest.mark.parametrize("role", [User.Role.ORGANIZER, User.Role.HR])
def test_staff_without_a_unit_read_nothing_rather_than_fail(exam, role):
    """An organizer or HR account not yet given a unit (e.g. made in the admin) sees no exam and no results."""
    user_create(username=f"unitless_{role}", password=PASSWORD, role=role)
    client = app_login(f"unitless_{role}")
    assert client.get("/api/v1/exams/").json()["results"] == []
    assert client.get(f"/api/v1/exams/{exam.pk}/").status_code == 404
    assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").status_code == 404


def test_initial_password_must_be_changed_before_anything_else(tree, exam):
    user_create(
        username="13900000009", password="Initial#2026", real_name="周新", unit=tree.town_a, must_change_password=True
    )
    client = app_login("13900000009", "Initial#2026")
    me = client.get("/api/v1/me").json()
    assert me["must_change_password"] is True
    blocked = client.get("/api/v1/exams/")
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "password_change_required"

    changed = client.post(
        "/_allauth/app/v1/account/password/change",
        {"current_password": "Initial#2026", "new_password": "Changed#2026x"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert User.objects.get(username="13900000009").must_change_password is False
    client = app_login("13900000009", "Changed#2026x")
    assert client.get("/api/v1/exams/").status_code == 200


def test_self_signup_with_unit_and_the_switch(tree, people):
    client = APIClient()
    body = {
        "username": "13700000001",
        "password": "Signup#2026x",
        "real_name": "吴六",
        "phone": "13700000001",
        "unit": tree.town_b.pk,
    }
    signed = client.post("/_allauth/app/v1/auth/signup", body, format="json")
    assert signed.status_code == 200, signed.content
    user = User.objects.get(username="13700000001")
    assert (user.real_name, user.unit, user.role) == ("吴六", tree.town_b, "participant")
    assert user.is_on_roster is False  # open-quiz sign-ups are not in any roster headcount

    bad = client.post(
        "/_allauth/app/v1/auth/signup", {**body, "username": "13700000002", "phone": "12345"}, format="json"
    )
    assert bad.status_code == 400 and "phone" in str(bad.json())
    again = client.post("/_allauth/app/v1/auth/signup", {**body, "username": "13700000009"}, format="json")
    assert again.status_code == 400 and "phone" in str(again.json())  # the phone is taken
    typed = {**body, "username": "13700000007", "phone": "+86 137-0000-0001"}
    again = client.post("/_allauth/app/v1/auth/signup", typed, format="json")
    assert again.status_code == 400 and "phone" in str(again.json())  # however it is written
    typed = {**body, "username": "13700000006", "phone": "+86 137 0000 0006"}
    assert client.post("/_allauth/app/v1/auth/signup", typed, format="json").status_code == 200
    assert User.objects.get(username="13700000006").phone == "13700000006"  # stored as the roster stores it
    rooted = client.post(
        "/_allauth/app/v1/auth/signup",
        {**body, "username": "13700000008", "phone": "13700000008", "unit": tree.city.pk},
        format="json",
    )
    assert rooted.status_code == 400 and "unit" in str(rooted.json())  # not the whole city

    organizer = app_login(people.organizer.username)
    assert organizer.patch("/api/v1/site-settings", {"self_signup_enabled": False}, format="json").status_code == 200
    assert SiteSettings.load().self_signup_enabled is False
    closed = APIClient().post(
        "/_allauth/app/v1/auth/signup", {**body, "username": "13700000003", "phone": "13700000003"}, format="json"
    )
    assert closed.status_code == 403
    assert (
        app_login(people.organizer_a.username)
        .patch("/api/v1/site-settings", {"self_signup_enabled": True}, format="json")
        .status_code
        == 403
    )  # only the root unit's organizers


def test_login_rate_limit(people):
    """5 failures from one address lock that (account, address) pair: then even the right password waits, with
    429 login_locked (was allauth's per-account 400 too_many_login_attempts; see tests/security/test_lockout.py)."""
    client = APIClient()

    def login(password):
        return client.post(
            "/_allauth/app/v1/auth/login", {"username": people.bob.username, "password": password}, format="json"
        )

    codes = [[e["code"] for e in login("wrong").json()["errors"]] for _ in range(5)]
    assert codes == [["username_password_mismatch"]] * 5
    locked = login(PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "login_locked"


def test_units_tree_is_public_for_the_signup_form(tree):
    units = APIClient().get("/api/v1/units/").json()
    assert [u["name"] for u in units][:3] == ["清河市", "市司法局", "南关镇"]
    assert {u["depth"] for u in units} == {0, 1, 2}


def test_open_quiz_needs_no_audience(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, is_public=True, opens_at=timezone.now() - timedelta(minutes=1))
    client = app_login(people.bob.username)
    assert client.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 201


def test_exam_detail_shows_composition_only_to_its_managers(tree, people):
    bank = make_bank(tree.city)
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.town_b, tree.town_a], max_attempts=2)
    manager = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/").json()
    assert manager["question_count"] == 7 and manager["max_score"] == "100.00"
    management = manager["management"]
    assert management["audience_unit_ids"] == sorted([tree.town_a.pk, tree.town_b.pk])
    first = bank.questions.earliest("id")
    assert management["fixed_questions"][0] == {"question_id": first.pk, "position": 1, "points": "10.00"}
    assert len(management["fixed_questions"]) == 7 and management["draw_rules"] == []
    assert management["participant_link"] == f"http://testserver/exams/{exam.pk}"  # no XUEFA_SITE_URL: this host
    participant = app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/").json()
    assert participant["management"] is None and participant["question_count"] == 7  # null: not theirs to manage
    assert participant["attempts_left"] == 2 and participant["my_attempts"] == []


def test_exam_detail_management_lists_draw_rules(tree, people):
    bank = make_bank(tree.city)
    organizer = app_login(people.organizer.username)
    now = timezone.now()
    created = organizer.post(
        "/api/v1/exams/",
        {
            "title": "随机组卷",
            "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(),
            "composition": "random",
            "max_attempts": 0,
            "draw_rules": [
                {"kind": "single", "bank_id": bank.pk, "count": 2, "points": "5"},
                {"kind": "judge", "bank_id": bank.pk, "tag": "总则编", "difficulty": 3, "count": 1, "points": "10"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["attempts_left"] is None  # unlimited
    detail = organizer.get(f"/api/v1/exams/{created.json()['id']}/").json()
    assert detail["question_count"] == 3 and detail["max_score"] == "20.00"
    assert detail["management"]["draw_rules"] == [
        {
            "position": 1,
            "kind": "single",
            "bank_id": bank.pk,
            "tag": None,
            "difficulty": None,
            "count": 2,
            "points": "5.00",
        },
        {
            "position": 2,
            "kind": "judge",
            "bank_id": bank.pk,
            "tag": "总则编",
            "difficulty": 3,
            "count": 1,
            "points": "10.00",
        },
    ]


def test_unit_leaderboard_stays_inside_the_exams_tree(tree, bank, people):
    exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a], title="南关镇考试")
    client = app_login(people.alice.username)
    inside = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units?parent={tree.town_a.pk}")
    assert inside.status_code == 200
    assert [r["unit_name"] for r in inside.json()["results"]] == ["南关镇党政办"]
    outside = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units?parent={tree.town_b.pk}")
    assert outside.status_code == 404
    bad = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units?order=headcount")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"order"}
    assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard?by=unit").status_code == 404  # one endpoint each now


def test_published_exam_keeps_its_scoring_rules(exam, people):
    organizer = app_login(people.organizer.username)
    for field, value in [("pass_percent", "50"), ("counting_policy", "latest"), ("time_limit_seconds", 600)]:
        response = organizer.patch(f"/api/v1/exams/{exam.pk}/", {field: value}, format="json")
        assert response.status_code == 409 and response.json()["error"]["code"] == "exam_not_editable", field
    extended = organizer.patch(
        f"/api/v1/exams/{exam.pk}/", {"closes_at": (exam.closes_at + timedelta(days=1)).isoformat()}, format="json"
    )
    assert extended.status_code == 200
