"""GET /exams/{id}/live: the live dashboard's counts (started, sitting now, submitted, against the roster)
through HTTP, over whose people, how fresh, and the selector's queries at any size."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from accounts.models import User
from accounts.services import user_create
from quizzes import results
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.conftest import PASSWORD, app_login, make_exam

pytestmark = pytest.mark.django_db


def live(username: str, exam_id: int, query: str = "") -> dict:
    response = app_login(username).get(f"/api/v1/exams/{exam_id}/live{query}")
    assert response.status_code == 200, response.content
    return response.json()


def counts(body: dict) -> tuple:
    keys = ("headcount", "started", "in_progress", "submitted", "attempts", "absent", "participation_rate")
    return tuple(body[k] for k in keys)


def test_counts_of_the_requesters_subtree_match_the_not_taken_list(exam, people, tree):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    attempt_submit(attempt_id=attempt.pk, user=people.alice)
    attempt_start(exam=exam, user=people.carol)  # sitting now

    city = live(people.organizer.username, exam.pk)
    assert (city["exam_id"], city["unit_id"], city["unit_name"], city["kind"]) == (
        exam.pk,
        tree.city.pk,
        "清河市",
        "roster",
    )
    # alice, bob, carol on the roster; alice finished, carol sitting, bob not started
    assert counts(city) == (3, 2, 1, 1, 1, 2, "33.33")
    absentees = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/absentees").json()
    assert absentees["count"] == city["absent"]

    assert counts(live(people.organizer_a.username, exam.pk)) == (2, 2, 1, 1, 1, 1, "50.00")
    assert counts(live(people.hr_b.username, exam.pk)) == (1, 0, 0, 0, 0, 1, "0.00")
    office = live(people.organizer.username, exam.pk, f"?unit={tree.town_a_office.pk}")
    assert (office["unit_name"], counts(office)) == ("南关镇党政办", (1, 1, 0, 1, 1, 0, "100.00"))
    assert counts(live(people.organizer.username, exam.pk, f"?unit={tree.bureau.pk}")) == (0, 0, 0, 0, 0, 0, None)


def test_a_submit_shows_on_the_next_read_a_start_once_the_short_cache_expires(exam, people):
    assert counts(live(people.organizer.username, exam.pk))[:4] == (3, 0, 0, 0)
    attempt, _ = attempt_start(exam=exam, user=people.carol)
    # a start bumps no cache generation: for a few seconds (LIVE_TTL) the counts are the cached ones
    assert counts(live(people.organizer.username, exam.pk))[:4] == (3, 0, 0, 0)
    attempt_submit(attempt_id=attempt.pk, user=people.carol)
    # finalising bumps the exam's generation: the next read counts it (and the start before it)
    assert counts(live(people.organizer.username, exam.pk))[:4] == (3, 1, 0, 1)


def test_an_attempt_past_its_deadline_and_grace_is_no_longer_in_progress(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.carol)
    with time_machine.travel(attempt.deadline + timedelta(seconds=exam.grace_seconds - 1), tick=False):
        assert counts(live(people.organizer.username, exam.pk))[1:4] == (1, 1, 0)
    cache.clear()  # the few seconds the counts are cached for have passed (Redis keeps its own clock)
    with time_machine.travel(attempt.deadline + timedelta(seconds=exam.grace_seconds + 10), tick=False):
        # not finalised yet (a GET never writes), but nobody can answer it any more
        assert counts(live(people.organizer.username, exam.pk))[1:4] == (1, 0, 0)


def test_staff_trial_attempts_and_a_second_attempt(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], max_attempts=2)
    attempt_start(exam=exam, user=people.organizer_a)  # a staff member's trial: never counted
    first, _ = attempt_start(exam=exam, user=people.alice)
    attempt_submit(attempt_id=first.pk, user=people.alice)
    attempt_start(exam=exam, user=people.alice)  # her second attempt: submitted and sitting
    assert counts(live(people.organizer.username, exam.pk)) == (3, 1, 1, 1, 1, 2, "33.33")


def test_an_open_quiz_counts_everyone_who_took_part_but_only_the_roster_as_absent(tree, bank, people):
    quiz = make_exam(unit=tree.city, bank=bank, is_public=True)
    walk_in = user_create(username="walkin", password=PASSWORD, real_name="路人", unit=tree.town_a)
    User.objects.filter(pk=walk_in.pk).update(is_on_roster=False)  # signed up for the quiz, as accounts.forms does
    for user in (walk_in, people.alice):
        attempt, _ = attempt_start(exam=quiz, user=user)
        attempt_submit(attempt_id=attempt.pk, user=user)
    body = live(people.organizer.username, quiz.pk)
    assert body["kind"] == "open"
    # roster: alice, bob, carol; the walk-in took part but is on no roster
    assert counts(body) == (3, 2, 0, 2, 2, 2, "33.33")


def test_who_may_read_it(exam, bank, people, tree):
    assert app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/live").status_code == 403
    hr_b = app_login(people.hr_b.username)
    assert hr_b.get(f"/api/v1/exams/{exam.pk}/live?unit={tree.town_a.pk}").status_code == 404
    other = make_exam(unit=tree.town_b, bank=bank, audience=[tree.town_b])
    assert app_login(people.organizer_a.username).get(f"/api/v1/exams/{other.pk}/live").status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_the_selector_reads_in_three_queries_at_any_size(exam, tree, bank, people, size, django_assert_num_queries):
    for i in range(size):
        user = user_create(username=f"p{size}-{i}", password=PASSWORD, real_name=f"人{i}", unit=tree.town_a_office)
        attempt, _ = attempt_start(exam=exam, user=user)
        if i % 2:
            attempt_submit(attempt_id=attempt.pk, user=user)
    with django_assert_num_queries(3):  # the audience, the attempts' tally, the headcount
        got = results.live_counts(exam=exam, unit=tree.city)
    assert (got.headcount, got.started, got.submitted, got.in_progress) == (size + 3, size, size // 2, size - size // 2)
    quiz = make_exam(unit=tree.city, bank=bank, is_public=True)
    with django_assert_num_queries(2):  # an open quiz has no audience to read
        results.live_counts(exam=quiz, unit=tree.city)
    assert User.objects.count() > size
