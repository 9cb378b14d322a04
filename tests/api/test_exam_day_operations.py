"""Exam-day operations through the API on the real database: per-person overrides, make-ups (补考) and
page-leave records (切屏), with a frozen clock."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from quizzes.models import Attempt, AttemptQuestion, Exam, ExamOverride, PageLeave
from tests.api.test_query_counts import SESSION_QUERIES
from tests.conftest import app_login, make_exam

pytestmark = pytest.mark.django_db

# the exam in reach, count, page (the person and their unit come from the cache; plus the session where it
# lives in the database)
PAGE_LEAVES_QUERIES = 3 + SESSION_QUERIES


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _start(client, exam: Exam, at: datetime) -> dict:
    with time_machine.travel(at, tick=False):
        response = client.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert response.status_code in (200, 201), response.content
    return response.json()


def _save(client, attempt: dict, at: datetime, *, seq: int, correct: bool = True):
    question = AttemptQuestion.objects.filter(attempt_id=attempt["id"]).order_by("position").first()
    assert question is not None
    choices = (
        question.answer
        if correct
        else [o["letter"] for o in question.options if o["letter"] not in question.answer][:1]
    )
    with time_machine.travel(at, tick=False):
        return client.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{question.question_id}",
            {"choices": choices, "seq": seq},
            format="json",
        )


def _answer_all(client, attempt: dict, at: datetime, *, correct: bool) -> None:
    for seq, question in enumerate(AttemptQuestion.objects.filter(attempt_id=attempt["id"]).order_by("position"), 1):
        choices = (
            question.answer
            if correct
            else [o["letter"] for o in question.options if o["letter"] not in question.answer][:1]
        )
        with time_machine.travel(at, tick=False):
            response = client.put(
                f"/api/v1/attempts/{attempt['id']}/answers/{question.question_id}",
                {"choices": choices, "seq": seq},
                format="json",
            )
        assert response.status_code == 200, response.content


def _submit(client, attempt: dict, at: datetime) -> dict:
    with time_machine.travel(at, tick=False):
        response = client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert response.status_code == 200, response.content
    return response.json()


# --- Overrides ------------------------------------------------------------------------------------


def test_an_extended_deadline_is_honoured_to_the_second_and_no_one_else_s_changes(exam, people):
    alice, carol, organizer = app_login(people.alice.username), app_login(people.carol.username), app_login("organizer")
    t0 = exam.opens_at + timedelta(minutes=5)
    a = _start(alice, exam, t0)
    c = _start(carol, exam, t0)
    assert a["deadline"] == c["deadline"]

    with time_machine.travel(t0 + timedelta(minutes=10), tick=False):
        granted = organizer.post(
            f"/api/v1/exams/{exam.pk}/overrides",
            {"user_ids": [people.alice.pk], "extra_seconds": 600, "reason": "手机故障，延时十分钟"},
            format="json",
        )
    assert granted.status_code == 201, granted.content
    assert granted.json() == {"kind": "override", "count": 1, "user_ids": [people.alice.pk]}

    extended = t0 + timedelta(seconds=exam.time_limit_seconds + 600)
    assert Attempt.objects.get(pk=a["id"]).deadline == extended
    assert Attempt.objects.get(pk=c["id"]).deadline == t0 + timedelta(seconds=exam.time_limit_seconds)
    assert alice.get(f"/api/v1/attempts/{a['id']}").json()["deadline"] == _iso(
        extended.astimezone(timezone.get_current_timezone())
    )
    # to the second: saved one second before the new deadline, refused one second after
    assert _save(alice, a, extended - timedelta(seconds=1), seq=1).status_code == 200
    refused = _save(alice, a, extended + timedelta(seconds=1), seq=2)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "attempt_expired")
    # carol's deadline never moved: one second past her own, refused
    late = _save(carol, c, t0 + timedelta(seconds=exam.time_limit_seconds + 1), seq=1)
    assert late.json()["error"]["code"] == "attempt_expired"

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXAM_OVERRIDE)
    assert event.actor_username == "organizer" and event.target_id == str(exam.pk) and event.after is not None
    assert event.after["reason"] == "手机故障，延时十分钟" and event.after["user_ids"] == [people.alice.pk]
    assert event.after["extra_seconds"] == 600 and event.after["deadlines_changed"] == 1


def test_an_override_for_a_unit_reaches_people_who_start_later_and_is_listed(exam, people, tree):
    organizer = app_login("organizer")
    response = organizer.post(
        f"/api/v1/exams/{exam.pk}/overrides",
        {"unit_id": tree.town_a.pk, "extra_seconds": 300, "reason": "南关镇停电"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["user_ids"]) == sorted([people.alice.pk, people.carol.pk])  # participants only
    t0 = exam.opens_at + timedelta(minutes=1)
    a = _start(app_login(people.alice.username), exam, t0)
    b = _start(app_login(people.bob.username), exam, t0)
    assert Attempt.objects.get(pk=a["id"]).deadline == t0 + timedelta(seconds=exam.time_limit_seconds + 300)
    assert Attempt.objects.get(pk=b["id"]).deadline == t0 + timedelta(seconds=exam.time_limit_seconds)

    listed = organizer.get(f"/api/v1/exams/{exam.pk}/overrides").json()
    assert listed["count"] == 2
    row = next(r for r in listed["results"] if r["user_id"] == people.alice.pk)
    assert (row["name"], row["kind"], row["extra_seconds"], row["reason"], row["created_by"]) == (
        "张三",
        "override",
        300,
        "南关镇停电",
        "organizer",
    )
    # an organizer of town A sees only town A's people
    assert app_login("organizer_a").get(f"/api/v1/exams/{exam.pk}/overrides").status_code == 404  # the city's exam


def test_overrides_granted_after_the_opening_reach_the_next_starts(exam, people):
    """A start takes who holds an override from the cached exam (``Exam.override_user_ids``), which the first start
    of the opening has cached: each grant made afterwards reaches the next start all the same."""
    organizer = app_login("organizer")
    t0 = exam.opens_at + timedelta(minutes=1)
    plain = t0 + timedelta(seconds=exam.time_limit_seconds)
    bob = _start(app_login(people.bob.username), exam, t0)  # the exam cached, nobody holding an override
    for person, seconds in ((people.alice, 300), (people.carol, 600)):
        granted = organizer.post(
            f"/api/v1/exams/{exam.pk}/overrides",
            {"user_ids": [person.pk], "extra_seconds": seconds, "reason": "手机故障"},
            format="json",
        )
        assert granted.status_code == 201, granted.content
        started = _start(app_login(person.username), exam, t0)  # caches the exam again, with this person
        assert Attempt.objects.get(pk=started["id"]).deadline == plain + timedelta(seconds=seconds)
    assert Attempt.objects.get(pk=bob["id"]).deadline == plain


def _short_exam(tree, bank, **fields) -> Exam:
    """An exam whose window closes an hour from now: the tests travel past it within the sessions' 12 hours."""
    now = timezone.now()
    return make_exam(
        unit=tree.city,
        bank=bank,
        audience=[tree.city],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        **fields,
    )


def test_an_extra_attempt_and_an_own_window(tree, bank, people):
    exam = _short_exam(tree, bank)
    alice, organizer = app_login(people.alice.username), app_login("organizer")
    a = _start(alice, exam, exam.opens_at + timedelta(minutes=1))
    _submit(alice, a, exam.opens_at + timedelta(minutes=2))
    with time_machine.travel(exam.opens_at + timedelta(minutes=3), tick=False):
        again = alice.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert again.json()["error"]["code"] == "no_attempts_left"
    later = exam.closes_at + timedelta(hours=2)
    granted = organizer.post(
        f"/api/v1/exams/{exam.pk}/overrides",
        {"user_ids": [people.alice.pk], "extra_attempts": 1, "closes_at": _iso(later), "reason": "系统故障重考"},
        format="json",
    )
    assert granted.status_code == 201, granted.content
    listed = alice.get(f"/api/v1/exams/{exam.pk}/").json()
    assert listed["attempts_left"] == 1 and listed["my_sitting"]["closes_at"] == _iso(
        later.astimezone(timezone.get_current_timezone())
    )
    assert app_login(people.bob.username).get(f"/api/v1/exams/{exam.pk}/").json()["my_sitting"] is None
    # after the exam's own close, within her own window: a second attempt, its deadline capped by her window
    second = _start(alice, exam, later - timedelta(minutes=10))
    assert second["number"] == 2 and Attempt.objects.get(pk=second["id"]).deadline == later
    with time_machine.travel(exam.closes_at + timedelta(minutes=1), tick=False):
        bob = app_login(people.bob.username).post(f"/api/v1/exams/{exam.pk}/attempts")
    assert bob.json()["error"]["code"] == "exam_outside_window"


def test_overrides_need_a_reason_a_change_and_people_in_scope(exam, people, tree):
    organizer, organizer_a = app_login("organizer"), app_login("organizer_a")
    url = f"/api/v1/exams/{exam.pk}/overrides"
    no_reason = organizer.post(url, {"user_ids": [people.alice.pk], "extra_seconds": 60, "reason": "  "}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    no_change = organizer.post(url, {"user_ids": [people.alice.pk], "reason": "无"}, format="json")
    assert no_change.json()["error"]["code"] == "invalid_override"
    nobody = organizer.post(url, {"extra_seconds": 60, "reason": "无"}, format="json")
    assert nobody.status_code == 400 and "user_ids" in nobody.json()["error"]["fields"]
    backwards = organizer.post(
        url,
        {"user_ids": [people.alice.pk], "closes_at": _iso(exam.opens_at - timedelta(hours=1)), "reason": "无"},
        format="json",
    )
    assert "closes_at" in backwards.json()["error"]["fields"]

    town_a_exam = make_exam(unit=tree.town_a, bank=exam.fixed_questions.first().question.bank, audience=[tree.town_a])
    outside = organizer_a.post(
        f"/api/v1/exams/{town_a_exam.pk}/overrides",
        {"user_ids": [people.alice.pk, people.bob.pk], "extra_seconds": 60, "reason": "无"},
        format="json",
    )
    assert outside.status_code == 400 and str(people.bob.pk) in outside.json()["error"]["message"]
    other_unit = organizer_a.post(
        f"/api/v1/exams/{town_a_exam.pk}/overrides",
        {"unit_id": tree.town_b.pk, "extra_seconds": 60, "reason": "无"},
        format="json",
    )
    assert "unit_id" in other_unit.json()["error"]["fields"]
    assert not ExamOverride.objects.exists() and not AuditEvent.objects.filter(action="exam.override").exists()


def test_withdrawing_an_override_restores_the_deadline_and_is_audited(exam, people):
    alice, organizer = app_login(people.alice.username), app_login("organizer")
    t0 = exam.opens_at + timedelta(minutes=1)
    a = _start(alice, exam, t0)
    organizer.post(
        f"/api/v1/exams/{exam.pk}/overrides",
        {"user_ids": [people.alice.pk], "extra_seconds": 900, "reason": "误操作"},
        format="json",
    )
    override = ExamOverride.objects.get()
    url = f"/api/v1/exams/{exam.pk}/overrides/{override.pk}"
    assert organizer.delete(url).status_code == 400  # a reason is required
    assert organizer.delete(f"{url}?reason=填错了人").status_code == 204
    assert Attempt.objects.get(pk=a["id"]).deadline == t0 + timedelta(seconds=exam.time_limit_seconds)
    assert organizer.delete(f"{url}?reason=again").status_code == 404
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXAM_OVERRIDE_DELETE)
    assert (
        event.before is not None
        and event.before["extra_seconds"] == 900
        and event.after == {"reason": "填错了人", "deadlines_changed": 1}
    )


# --- Make-ups -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "makeup_correct", "counted_is_makeup"),
    [("highest", True, True), ("highest", False, False), ("first", True, True), ("latest", False, False)],
)
def test_a_makeup_counts_once_by_the_policy(tree, bank, people, policy, makeup_correct, counted_is_makeup):
    exam = _short_exam(tree, bank, counting_policy=policy)
    alice, bob, carol = (app_login(p.username) for p in (people.alice, people.bob, people.carol))
    organizer = app_login("organizer")
    t0 = exam.opens_at + timedelta(minutes=1)
    c = _start(carol, exam, t0)
    _answer_all(carol, c, t0 + timedelta(minutes=1), correct=False)
    _save(carol, c, t0 + timedelta(minutes=2), seq=100)  # one right answer: 10 points, failed
    _submit(carol, c, t0 + timedelta(minutes=3))
    b = _start(bob, exam, t0)
    _answer_all(bob, b, t0 + timedelta(minutes=1), correct=True)
    _submit(bob, b, t0 + timedelta(minutes=2))
    with time_machine.travel(exam.closes_at + timedelta(hours=1), tick=False):
        assert organizer.post(f"/api/v1/exams/{exam.pk}/close").status_code == 200
        opens, closes = exam.closes_at + timedelta(hours=2), exam.closes_at + timedelta(hours=5)
        granted = organizer.post(
            f"/api/v1/exams/{exam.pk}/makeups",
            {"absent": True, "failed": True, "opens_at": _iso(opens), "closes_at": _iso(closes), "reason": "年度补考"},
            format="json",
        )
    assert granted.status_code == 201, granted.content
    assert sorted(granted.json()["user_ids"]) == sorted([people.alice.pk, people.carol.pk])  # not bob, who passed
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXAM_MAKEUP, after__reason="年度补考").count() == 1

    with time_machine.travel(opens + timedelta(minutes=1), tick=False):
        assert carol.get(f"/api/v1/exams/{exam.pk}/").json()["my_sitting"]["makeup"] is True
        refused = bob.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert refused.json()["error"]["code"] == "exam_outside_window"
    m = _start(carol, exam, opens + timedelta(minutes=1))
    assert m["is_makeup"] and m["number"] == 2
    _answer_all(carol, m, opens + timedelta(minutes=2), correct=makeup_correct)
    done = _submit(carol, m, opens + timedelta(minutes=3))
    assert done["result"]["is_counted"] is counted_is_makeup
    with time_machine.travel(opens + timedelta(minutes=4), tick=False):
        again = carol.post(f"/api/v1/exams/{exam.pk}/attempts")
    assert again.json()["error"]["code"] == "no_attempts_left"  # one make-up attempt

    counted = Attempt.objects.filter(exam=exam, user=people.carol, is_counted=True)
    assert counted.count() == 1 and counted.get().is_makeup is counted_is_makeup
    a = _start(alice, exam, opens + timedelta(minutes=5))  # the absentee's make-up counts alone
    _answer_all(alice, a, opens + timedelta(minutes=6), correct=True)
    assert _submit(alice, a, opens + timedelta(minutes=7))["result"]["is_counted"] is True

    # results mark the make-up, and each person appears once on the leaderboard and in the export
    with time_machine.travel(opens + timedelta(minutes=8), tick=False):
        board = organizer.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
        people_rows = organizer.get(f"/api/v1/exams/{exam.pk}/leaderboard/units/{tree.city.pk}/people").json()
        export = organizer.get(f"/api/v1/exams/{exam.pk}/results.csv")
    assert sorted(r["user_id"] for r in board["results"]) == sorted([people.alice.pk, people.bob.pk, people.carol.pk])
    makeups = {r["name"]: r["is_makeup"] for r in people_rows["results"]}
    assert makeups == {"张三": True, "李四": False, "王五": counted_is_makeup}
    streamed: Any = export
    rows = list(csv.reader(io.StringIO(b"".join(streamed.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][-2:] == ["补考", "切屏次数"]
    assert sorted((r[1], r[-2]) for r in rows[1:]) == sorted(
        [("张三", "是"), ("李四", "否"), ("王五", "是" if counted_is_makeup else "否")]
    )


def test_a_makeup_needs_a_window_and_is_not_for_drafts(tree, bank, people, exam):
    organizer = app_login("organizer")
    no_window = organizer.post(f"/api/v1/exams/{exam.pk}/makeups", {"absent": True, "reason": "补考"}, format="json")
    assert no_window.status_code == 400 and "opens_at" in no_window.json()["error"]["fields"]
    nobody = organizer.post(
        f"/api/v1/exams/{exam.pk}/makeups",
        {"opens_at": _iso(exam.closes_at), "closes_at": _iso(exam.closes_at + timedelta(days=1)), "reason": "补考"},
        format="json",
    )
    assert nobody.status_code == 400 and "absent" in nobody.json()["error"]["fields"]
    draft = make_exam(unit=tree.city, bank=bank, audience=[tree.city], publish=False)
    refused = organizer.post(
        f"/api/v1/exams/{draft.pk}/makeups",
        {
            "user_ids": [people.alice.pk],
            "opens_at": _iso(draft.closes_at),
            "closes_at": _iso(draft.closes_at + timedelta(days=1)),
            "reason": "补考",
        },
        format="json",
    )
    assert refused.json()["error"]["code"] == "invalid_override" and "exam" in refused.json()["error"]["fields"]


# --- Page leaves ----------------------------------------------------------------------------------


def _leave(client, attempt_id: int, kind: str, seq: int, at: datetime | None = None):
    with time_machine.travel(at or timezone.now(), tick=False):
        return client.post(f"/api/v1/attempts/{attempt_id}/page-leaves", {"kind": kind, "seq": seq}, format="json")


def test_page_leave_records_cannot_be_forged_for_another_person_s_attempt(exam, people):
    alice = app_login(people.alice.username)
    t0 = exam.opens_at + timedelta(minutes=1)
    a = _start(alice, exam, t0)
    for forger in (app_login(people.bob.username), app_login("organizer"), app_login(people.carol.username)):
        forged = _leave(forger, a["id"], "leave", 1, t0 + timedelta(minutes=1))
        assert forged.status_code == 404 and forged.json()["error"]["code"] == "not_found"
    assert not PageLeave.objects.exists() and Attempt.objects.get(pk=a["id"]).leave_count == 0

    first = _leave(alice, a["id"], "leave", 1, t0 + timedelta(minutes=2))
    assert first.json() == {"applied": True, "leave_count": 1, "leave_limit": None, "status": "in_progress"}
    assert _leave(alice, a["id"], "return", 2, t0 + timedelta(minutes=3)).json()["leave_count"] == 1
    retried = _leave(alice, a["id"], "leave", 1, t0 + timedelta(minutes=4))  # a retry never counts twice
    assert retried.json()["applied"] is False and retried.json()["leave_count"] == 1
    assert list(PageLeave.objects.values_list("seq", "kind")) == [(1, "leave"), (2, "return")]
    assert alice.get(f"/api/v1/attempts/{a['id']}").json()["leave_count"] == 1
    # without a limit leaves are only recorded; the organizer reads the count with the results
    _submit(alice, a, t0 + timedelta(minutes=5))
    after = _leave(alice, a["id"], "leave", 3, t0 + timedelta(minutes=6))
    assert after.json()["error"]["code"] == "attempt_finalised"
    row = next(
        r
        for r in app_login("organizer")
        .get(f"/api/v1/exams/{exam.pk}/leaderboard/units/{exam.unit_id}/people")
        .json()["results"]
        if r["user_id"] == people.alice.pk
    )
    assert row["leave_count"] == 1


def test_an_attempt_past_its_leave_limit_is_submitted_and_scored(exam, people):
    organizer, alice = app_login("organizer"), app_login(people.alice.username)
    patched = organizer.patch(f"/api/v1/exams/{exam.pk}/", {"leave_limit": 2}, format="json")
    assert patched.status_code == 200 and patched.json()["leave_limit"] == 2
    t0 = exam.opens_at + timedelta(minutes=1)
    a = _start(alice, exam, t0)
    assert a["leave_limit"] == 2 and a["leave_count"] == 0
    assert _save(alice, a, t0 + timedelta(minutes=1), seq=1).status_code == 200  # one right answer: 10 points
    seq = 0
    for n in (1, 2):
        seq += 1
        assert _leave(alice, a["id"], "leave", seq, t0 + timedelta(minutes=1 + n)).json()["status"] == "in_progress"
        seq += 1
        _leave(alice, a["id"], "return", seq, t0 + timedelta(minutes=1 + n, seconds=5))
    third = _leave(alice, a["id"], "leave", seq + 1, t0 + timedelta(minutes=5))
    assert third.json() == {"applied": True, "leave_count": 3, "leave_limit": 2, "status": "left_page"}

    attempt = Attempt.objects.get(pk=a["id"])
    assert attempt.status == Attempt.Status.LEFT_PAGE and attempt.submitted_at == t0 + timedelta(minutes=5)
    assert attempt.score == Decimal(10) and attempt.passed is False and attempt.is_counted
    assert attempt.time_used_seconds == 300
    shown = alice.get(f"/api/v1/attempts/{a['id']}").json()
    assert shown["status"] == "left_page" and shown["result"]["score"] == "10.00"
    assert _save(alice, a, t0 + timedelta(minutes=6), seq=2).json()["error"]["code"] == "attempt_finalised"


def test_a_page_leave_after_the_grace_period_finalises_the_attempt_as_timed_out(exam, people):
    alice = app_login(people.alice.username)
    a = _start(alice, exam, exam.opens_at + timedelta(minutes=1))
    deadline = Attempt.objects.get(pk=a["id"]).deadline
    late = _leave(alice, a["id"], "leave", 1, deadline + timedelta(seconds=exam.grace_seconds + 1))
    assert late.json()["error"]["code"] == "attempt_expired"
    assert Attempt.objects.get(pk=a["id"]).status == Attempt.Status.TIMED_OUT


def test_a_page_leave_report_costs_a_constant_handful_of_queries(exam, people):
    alice = app_login(people.alice.username)
    a = _start(alice, exam, timezone.now())
    with CaptureQueriesContext(connection) as report:
        assert _leave(alice, a["id"], "leave", 1).status_code == 200
    with CaptureQueriesContext(connection) as retry:
        assert _leave(alice, a["id"], "leave", 1).json()["applied"] is False
    # session/user, the locked attempt with its exam, the record, the counter (and savepoints)
    assert (len(report), len(retry)) == (len(retry) + 2, len(retry))


def test_staff_watch_page_leaves_of_attempts_in_progress_within_their_subtree(exam, people, django_assert_num_queries):
    t0 = timezone.now()
    clients = {p.username: app_login(p.username) for p in (people.alice, people.bob, people.carol)}
    attempts = {name: _start(client, exam, t0) for name, client in clients.items()}
    for seq, name in enumerate([people.alice.username, people.alice.username, people.bob.username], start=1):
        assert _leave(clients[name], attempts[name]["id"], "leave", seq * 2).status_code == 200
    organizer, organizer_a, hr_b = app_login("organizer"), app_login("organizer_a"), app_login(people.hr_b.username)

    rows = organizer.get(f"/api/v1/exams/{exam.pk}/page-leaves").json()
    assert [(r["name"], r["leave_count"], r["status"]) for r in rows["results"]] == [
        ("张三", 2, "in_progress"),
        ("李四", 1, "in_progress"),
    ]  # carol never left: not listed
    assert rows["results"][0]["last_left_at"] is not None
    assert [r["name"] for r in organizer_a.get(f"/api/v1/exams/{exam.pk}/page-leaves").json()["results"]] == ["张三"]
    assert [r["name"] for r in hr_b.get(f"/api/v1/exams/{exam.pk}/page-leaves").json()["results"]] == ["李四"]
    # one page is a constant number of queries, whatever the number of rows
    with django_assert_num_queries(PAGE_LEAVES_QUERIES):
        organizer.get(f"/api/v1/exams/{exam.pk}/page-leaves?page_size=1")
    with django_assert_num_queries(PAGE_LEAVES_QUERIES):
        organizer.get(f"/api/v1/exams/{exam.pk}/page-leaves")
