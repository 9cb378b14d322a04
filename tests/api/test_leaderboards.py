"""The two leaderboards, one endpoint each: people (paged, with the requester's own row) and units."""

from __future__ import annotations

import pytest

from quizzes.models import AttemptQuestion
from tests.conftest import app_login

pytestmark = pytest.mark.django_db


def _sit(username: str, exam, *, correct: int) -> None:
    """Sit ``exam`` answering the first ``correct`` questions right and the rest not at all."""
    client = app_login(username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    keys = {aq.question_id: aq.answer for aq in AttemptQuestion.objects.filter(attempt_id=paper["id"])}
    for seq, q in enumerate(paper["questions"][:correct], start=1):
        client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}",
            {"choices": keys[q["question_id"]], "seq": seq},
            format="json",
        )
    assert client.post(f"/api/v1/attempts/{paper['id']}/submit").status_code == 200


@pytest.fixture
def sat(exam, people):
    _sit(people.alice.username, exam, correct=7)  # 100
    _sit(people.bob.username, exam, correct=3)  # 30
    _sit(people.carol.username, exam, correct=5)  # 70
    return exam


def test_people_page_and_me(sat, people):
    bob = app_login(people.bob.username)
    board = bob.get(f"/api/v1/exams/{sat.pk}/leaderboard/people?page_size=2").json()
    assert set(board) == {"count", "ranked_count", "next", "previous", "results", "me"}
    assert board["count"] == board["ranked_count"] == 3
    assert board["previous"] is None and "page=2" in board["next"]
    # a participant sees others' names masked (a roster exam's default), their own in full
    assert [(r["rank"], r["name"]) for r in board["results"]] == [(1, "张*"), (2, "王*")]
    assert board["me"]["name"] == "李四" and board["me"]["rank"] == 3  # not on this page, still there
    second = bob.get(board["next"]).json()
    assert second["results"] == [second["me"]] and second["next"] is None

    alice = app_login(people.alice.username).get(f"/api/v1/exams/{sat.pk}/leaderboard/people").json()
    assert alice["me"] == alice["results"][0] and alice["me"]["rank"] == 1

    organizer = app_login(people.organizer.username).get(f"/api/v1/exams/{sat.pk}/leaderboard/people").json()
    assert organizer["me"] is None and organizer["count"] == 3  # never sat: no row of their own
    assert [r["name"] for r in organizer["results"]] == ["张三", "王五", "李四"]  # staff see full names


def test_people_of_a_scoped_reader_are_their_subtree_with_global_ranks(sat, people):
    board = app_login(people.organizer_a.username).get(f"/api/v1/exams/{sat.pk}/leaderboard/people").json()
    assert [(r["rank"], r["name"]) for r in board["results"]] == [(1, "张三"), (2, "王五")]  # town A only
    assert board["count"] == 2 and board["me"] is None
    assert board["ranked_count"] == 3  # the ranks are global, and so is their denominator


def test_units(sat, people, tree):
    client = app_login(people.alice.username)
    board = client.get(f"/api/v1/exams/{sat.pk}/leaderboard/units").json()
    assert (board["parent_id"], board["parent_name"], board["order"]) == (tree.city.pk, "清河市", "participation_rate")
    rows = {r["unit_name"]: r for r in board["results"]}
    assert rows["南关镇"]["participants"] == 2 and rows["北岭镇"]["participants"] == 1
    by_mean = client.get(f"/api/v1/exams/{sat.pk}/leaderboard/units?order=mean_score&parent={tree.town_a.pk}").json()
    assert by_mean["parent_id"] == tree.town_a.pk and by_mean["order"] == "mean_score"
    assert [r["unit_name"] for r in by_mean["results"]] == ["南关镇党政办"]


def test_schema_describes_what_the_leaderboards_return(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "/api/v1/exams/{exam_id}/leaderboard" not in paths
    people = paths["/api/v1/exams/{exam_id}/leaderboard/people"]["get"]["responses"]["200"]
    units = paths["/api/v1/exams/{exam_id}/leaderboard/units"]["get"]["responses"]["200"]
    people_ref = people["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    units_ref = units["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    components = schema["components"]["schemas"]
    assert set(components[people_ref]["properties"]) == {"count", "ranked_count", "next", "previous", "results", "me"}
    assert set(components[units_ref]["properties"]) == {
        "parent_id",
        "parent_name",
        "kind",
        "order",
        "excellent_percent",
        "results",
    }
