"""Daily questions (每日一练): the same questions for everyone of one unit on one day, others on another day;
answers recorded; a streak and a month calendar. And the learning reach (学习覆盖) for organizers and HR, in
the scopes of results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from quizzes.models import DailySet, PracticeRound, PracticeSet
from quizzes.services.learning import daily_round_start
from tests.api.test_practice import answer, chapter_bank, open_practice, start
from tests.conftest import PASSWORD, app_login

pytestmark = pytest.mark.django_db


def _colleague(tree) -> User:
    return user_create(username="13800000009", password=PASSWORD, real_name="周六", unit=tree.town_a_office)


def _ids(round_: dict) -> list[int]:
    return [q["question_id"] for q in round_["questions"]]


def test_the_daily_draw_is_the_same_for_one_unit_on_one_day_and_differs_across_days(tree, people):
    bank = chapter_bank(tree.city, per_tag=10)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.town_a, tree.town_b], daily_count=5)
    alice = app_login(people.alice.username)
    colleague = app_login(_colleague(tree).username)
    mine = alice.post(f"/api/v1/practice-sets/{practice['id']}/daily").json()
    theirs = colleague.post(f"/api/v1/practice-sets/{practice['id']}/daily").json()
    assert len(_ids(mine)) == 5 and _ids(mine) == _ids(theirs) and mine["id"] != theirs["id"]
    assert alice.post(f"/api/v1/practice-sets/{practice['id']}/daily").json()["id"] == mine["id"]  # the same round
    assert DailySet.objects.count() == 1  # drawn once for the audience unit (town A) today

    practice_set = PracticeSet.objects.get(pk=practice["id"])
    now = timezone.now()
    days = [
        [
            item.question_id
            for item in daily_round_start(
                practice_set=practice_set, user=people.alice, now=now + timedelta(days=d)
            ).items.order_by("position")
        ]
        for d in (1, 2, 3)
    ]
    assert len({tuple(day) for day in [_ids(mine), *days]}) == 4  # every day its own questions
    bob = app_login(people.bob.username)  # another audience unit: its own draw
    assert len(_ids(bob.post(f"/api/v1/practice-sets/{practice['id']}/daily").json())) == 5


def test_daily_answers_are_recorded_and_make_the_streak_and_the_calendar(tree, people):
    bank = chapter_bank(tree.city)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city], daily_count=3)
    alice = app_login(people.alice.username)
    practice_set = PracticeSet.objects.get(pk=practice["id"])
    yesterday = daily_round_start(practice_set=practice_set, user=people.alice, now=timezone.now() - timedelta(days=1))
    yesterday.items.update(choices=["A"], correct=True, answered_at=timezone.now() - timedelta(days=1))

    calendar = alice.get("/api/v1/daily/calendar").json()
    assert calendar["streak"] == 1 and calendar["today_done"] is False  # today is not over yet
    today = alice.post(f"/api/v1/practice-sets/{practice['id']}/daily").json()
    assert today["kind"] == "daily" and today["day"] == timezone.localdate().isoformat()
    for q in today["questions"][:-1]:
        assert answer(alice, today["id"], q["question_id"], ["A"]).json()["correct"] is True
    assert alice.get("/api/v1/daily/calendar").json()["today_done"] is False  # not all answered yet
    answer(alice, today["id"], today["questions"][-1]["question_id"], ["B"])
    calendar = alice.get("/api/v1/daily/calendar").json()
    assert calendar["streak"] == 2 and calendar["today_done"] is True
    month = f"{timezone.localdate():%Y-%m}"
    assert calendar["month"] == month
    done = [day["date"] for day in calendar["days"] if day["done"]]
    assert timezone.localdate().isoformat() in done
    assert alice.get("/api/v1/daily/calendar", {"month": "2026-13"}).status_code == 400
    assert PracticeRound.objects.filter(user=people.alice, kind="daily").count() == 2


def test_no_daily_questions_when_the_set_has_none(tree, people):
    practice = open_practice(app_login(people.organizer.username), chapter_bank(tree.city), [tree.city], daily_count=0)
    refused = app_login(people.alice.username).post(f"/api/v1/practice-sets/{practice['id']}/daily")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_practice_questions"


def _practise(client, set_id: int, right: int, wrong: int) -> None:
    round_ = start(client, set_id, count=right + wrong)
    for i, q in enumerate(round_["questions"]):
        answer(client, round_["id"], q["question_id"], ["A"] if i < right else ["B"])


def test_reach_per_unit_and_day_in_the_scopes_of_results(tree, people):
    practice = open_practice(app_login(people.organizer.username), chapter_bank(tree.city), [tree.city])
    _practise(app_login(people.alice.username), practice["id"], right=3, wrong=1)
    carol = app_login(people.carol.username)
    _practise(carol, practice["id"], right=1, wrong=1)
    _practise(carol, practice["id"], right=2, wrong=0)
    _practise(app_login(people.bob.username), practice["id"], right=0, wrong=2)

    reach = app_login(people.organizer.username).get("/api/v1/learning/reach").json()
    assert reach["unit_id"] == tree.city.pk and len(reach["days"]) == 30
    assert reach["total"] == {"people": 3, "rounds": 4, "answered": 10, "correct": 6, "accuracy": "60.00"}
    rows = {row["unit_name"]: row for row in reach["units"]}
    assert rows["南关镇"]["people"] == 2 and rows["南关镇"]["rounds"] == 3 and rows["南关镇"]["answered"] == 8
    assert rows["北岭镇"]["accuracy"] == "0.00" and rows["市司法局"]["accuracy"] is None
    today = reach["days"][-1]
    assert today["date"] == timezone.localdate().isoformat() and today["answered"] == 10

    town_a = app_login(people.organizer_a.username).get("/api/v1/learning/reach").json()
    assert town_a["total"]["people"] == 2 and [u["unit_name"] for u in town_a["units"]] == ["南关镇党政办"]
    hr_b = app_login(people.hr_b.username)
    assert hr_b.get("/api/v1/learning/reach").json()["total"]["people"] == 1
    other_town = hr_b.get("/api/v1/learning/reach", {"unit": tree.town_a.pk})
    assert other_town.status_code == 404  # another town's HR cannot see
    assert hr_b.get("/api/v1/learning/reach", {"unit": tree.city.pk}).status_code == 404
    assert app_login(people.alice.username).get("/api/v1/learning/reach").status_code == 403
    backwards = hr_b.get("/api/v1/learning/reach", {"date_from": "2026-11-02", "date_to": "2026-11-01"})
    assert backwards.status_code == 400 and "date_from" in backwards.json()["error"]["fields"]
