"""An open quiz reaches the owning unit's subtree only: a town organizer's quiz is the town's, not the city's."""

from __future__ import annotations

from tests.conftest import app_login, make_bank, make_exam


def titles(username: str) -> set[str]:
    return {e["title"] for e in app_login(username).get("/api/v1/exams/").json()["results"]}


def test_a_towns_open_quiz_reaches_the_town_only(tree, people):
    town_quiz = make_exam(unit=tree.town_a, bank=make_bank(tree.town_a), is_public=True, title="南关镇竞赛")
    city_quiz = make_exam(unit=tree.city, bank=make_bank(tree.city, "全市题库"), is_public=True, title="全市竞赛")

    assert titles(people.alice.username) == {"南关镇竞赛", "全市竞赛"}  # town A's office, inside town A
    assert titles(people.carol.username) == {"南关镇竞赛", "全市竞赛"}
    assert titles(people.bob.username) == {"全市竞赛"}  # town B

    bob = app_login(people.bob.username)
    assert bob.get(f"/api/v1/exams/{town_quiz.pk}/").status_code == 404
    refused = bob.post(f"/api/v1/exams/{town_quiz.pk}/attempts")
    assert refused.status_code in {403, 404}
    assert bob.post(f"/api/v1/exams/{city_quiz.pk}/attempts").status_code == 201
    assert app_login(people.alice.username).post(f"/api/v1/exams/{town_quiz.pk}/attempts").status_code == 201


def test_an_open_quiz_does_not_reach_people_without_a_unit(tree, people):
    from accounts.services import user_create
    from tests.conftest import PASSWORD

    user_create(username="13600000001", password=PASSWORD, real_name="无单位")
    make_exam(unit=tree.city, bank=make_bank(tree.city), is_public=True, title="全市竞赛")
    assert titles("13600000001") == set()
