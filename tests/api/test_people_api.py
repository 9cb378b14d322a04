"""The console's people endpoints through HTTP: the organizer's unit tree (add, rename, move, deactivate with
its rules and audit events), the people list (search, unit filter, scope), a person's page with their
attempts, and a new initial password. An organizer of one town never reaches another town's units or people."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, Unit, User
from accounts.services import unit_create, user_create
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.conftest import PASSWORD, app_login

pytestmark = pytest.mark.django_db


def units_of(client) -> dict[str, dict]:
    response = client.get("/api/v1/units/managed")
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()}


# --- the unit tree ---------------------------------------------------------------------------------------


def test_the_tree_is_the_organizers_subtree_with_inactive_units_and_head_counts(tree, people) -> None:
    rows = units_of(app_login("organizer_a"))
    assert list(rows) == ["南关镇", "南关镇党政办"]  # tree order, nothing of 北岭镇 or the city
    assert rows["南关镇"]["people"] == 2  # carol and organizer_a; alice is in the office
    assert rows["南关镇党政办"] == {**rows["南关镇党政办"], "people": 1, "is_active": True, "depth": 2}
    assert set(units_of(app_login("organizer"))) >= {"清河市", "北岭镇", "南关镇党政办"}


def test_hr_and_participants_do_not_manage_units(tree, people) -> None:
    assert app_login("hr_b").get("/api/v1/units/managed").status_code == 403
    assert app_login(people.alice.username).get("/api/v1/units/managed").status_code == 403


def test_add_a_unit_under_one_in_scope_and_record_it(tree, people) -> None:
    client = app_login("organizer_a")
    response = client.post(
        "/api/v1/units/managed", {"name": "南关村", "kind": "village", "parent_id": tree.town_a.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["parent_id"], body["depth"], body["people"]) == (
        "南关村",
        "village",
        tree.town_a.pk,
        2,
        0,
    )
    assert body["path"].startswith(tree.town_a.path)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNIT_CREATE)
    assert (event.actor_username, event.target_repr, event.after) == (
        "organizer_a",
        "南关村",
        {"name": "南关村", "kind": "village", "parent_id": tree.town_a.pk, "is_active": True},
    )


def test_adding_outside_the_scope_or_a_taken_name_is_refused(tree, people) -> None:
    client = app_login("organizer_a")
    outside = client.post("/api/v1/units/managed", {"name": "新村", "parent_id": tree.town_b.pk}, format="json")
    assert (outside.status_code, outside.json()["error"]["code"]) == (400, "unit_not_allowed")
    taken = client.post("/api/v1/units/managed", {"name": "南关镇党政办", "parent_id": tree.town_a.pk}, format="json")
    assert (taken.status_code, taken.json()["error"]["code"]) == (400, "unit_name_taken")
    assert "name" in taken.json()["error"]["fields"]
    blank = client.post("/api/v1/units/managed", {"name": "  ", "parent_id": tree.town_a.pk}, format="json")
    assert blank.status_code == 400 and "name" in blank.json()["error"]["fields"]
    assert Unit.objects.count() == 5


def test_rename_records_before_and_after(tree, people) -> None:
    client = app_login("organizer_a")
    response = client.patch(f"/api/v1/units/managed/{tree.town_a_office.pk}", {"name": "南关镇办公室"}, format="json")
    assert response.status_code == 200, response.content
    assert Unit.objects.get(pk=tree.town_a_office.pk).name == "南关镇办公室"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNIT_UPDATE)
    assert (event.before, event.after) == ({"name": "南关镇党政办"}, {"name": "南关镇办公室"})


def test_move_rewrites_the_paths_of_the_whole_subtree(tree, people) -> None:
    village = unit_create(name="东村", parent=tree.town_a_office, kind=Unit.Kind.VILLAGE)
    group = unit_create(name="东村一组", parent=village)
    client = app_login("organizer")  # the city's organizer moves 党政办 (and below) from 南关镇 to 北岭镇
    response = client.patch(
        f"/api/v1/units/managed/{tree.town_a_office.pk}", {"parent_id": tree.town_b.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    office, village, group = (Unit.objects.get(pk=u.pk) for u in (tree.town_a_office, village, group))
    assert office.parent_id == tree.town_b.pk
    assert office.path.startswith(tree.town_b.path) and village.path.startswith(office.path)
    assert group.path.startswith(village.path) and (office.depth, village.depth, group.depth) == (2, 3, 4)
    assert list(User.objects.filter(unit__path__startswith=tree.town_b.path).order_by("username")) == [
        people.alice,
        people.bob,
        people.hr_b,
    ]


def test_a_unit_cannot_move_into_its_own_subtree_or_out_of_scope(tree, people) -> None:
    below = unit_create(name="东村", parent=tree.town_a_office)
    city = app_login("organizer")
    into_itself = city.patch(f"/api/v1/units/managed/{tree.town_a.pk}", {"parent_id": below.pk}, format="json")
    assert (into_itself.status_code, into_itself.json()["error"]["code"]) == (409, "unit_change_refused")
    town = app_login("organizer_a")
    out = town.patch(f"/api/v1/units/managed/{below.pk}", {"parent_id": tree.town_b.pk}, format="json")
    assert (out.status_code, out.json()["error"]["code"]) == (400, "unit_not_allowed")
    assert Unit.objects.get(pk=below.pk).parent_id == tree.town_a_office.pk


def test_an_organizer_cannot_change_their_own_unit_nor_reach_another_towns(tree, people) -> None:
    client = app_login("organizer_a")
    own = client.patch(f"/api/v1/units/managed/{tree.town_a.pk}", {"name": "新南关镇"}, format="json")
    assert (own.status_code, own.json()["error"]["code"]) == (409, "unit_change_refused")
    other = client.patch(f"/api/v1/units/managed/{tree.town_b.pk}", {"name": "x"}, format="json")
    assert other.status_code == 404
    assert Unit.objects.get(pk=tree.town_b.pk).name == "北岭镇"


def test_deactivate_only_an_empty_unit_and_it_leaves_the_public_list(tree, people) -> None:
    client = app_login("organizer_a")
    office = f"/api/v1/units/managed/{tree.town_a_office.pk}"
    refused = client.patch(office, {"is_active": False}, format="json")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "unit_change_refused")
    assert "1" in refused.json()["error"]["message"]  # alice is still there
    people.alice.is_active = False
    people.alice.save()
    assert client.patch(office, {"is_active": False}, format="json").json()["is_active"] is False
    public = [row["name"] for row in client.get("/api/v1/units/").json()]
    assert "南关镇党政办" not in public and "南关镇" in public
    added = client.post("/api/v1/units/managed", {"name": "x", "parent_id": tree.town_a_office.pk}, format="json")
    assert added.status_code == 409
    assert client.patch(office, {"is_active": True}, format="json").json()["is_active"] is True


def test_a_unit_with_active_children_is_not_deactivated(tree, people) -> None:
    response = app_login("organizer").patch(f"/api/v1/units/managed/{tree.town_b.pk}", {"is_active": False})
    assert response.status_code == 409


# --- people ---------------------------------------------------------------------------------------------


def test_people_list_is_scoped_searchable_filterable_and_paged(tree, people) -> None:
    client = app_login("organizer_a")
    rows = client.get("/api/v1/users/").json()
    assert rows["count"] == 3
    assert {r["username"] for r in rows["results"]} == {"organizer_a", "13800000003", "13800000001"}
    assert rows["results"][-1]["username"] == "13800000001"  # tree order: the office after the town
    assert [r["real_name"] for r in client.get("/api/v1/users/", {"q": "张"}).json()["results"]] == ["张三"]
    assert [r["real_name"] for r in client.get("/api/v1/users/", {"q": "0003"}).json()["results"]] == ["王五"]
    office = client.get("/api/v1/users/", {"unit": tree.town_a_office.pk}).json()["results"]
    assert [(r["real_name"], r["unit_name"]) for r in office] == [("张三", "南关镇党政办")]
    assert client.get("/api/v1/users/", {"q": "李四"}).json()["count"] == 0  # bob is 北岭镇's
    assert client.get("/api/v1/users/", {"unit": tree.town_b.pk}).status_code == 400
    page = client.get("/api/v1/users/", {"page_size": 2}).json()
    assert (len(page["results"]), page["next"] is not None) == (2, True)
    assert app_login("hr_b").get("/api/v1/users/").status_code == 403


def test_people_list_query_count(tree, people, django_assert_num_queries) -> None:
    from accounts.selectors import people_for

    for n in range(5):
        user_create(username=f"1390000000{n}", password=None, real_name=f"人{n}", unit=tree.town_a)
    with django_assert_num_queries(1):
        rows = [(p.real_name, p.unit.name if p.unit else "") for p in people_for(people.organizer_a, search="人")]
    assert len(rows) == 5


def test_a_persons_page_lists_their_attempts_with_scores(tree, people, exam) -> None:
    attempt, _created = attempt_start(exam=exam, user=people.alice)
    attempt_submit(attempt_id=attempt.pk, user=people.alice)
    body = app_login("organizer_a").get(f"/api/v1/users/{people.alice.pk}").json()
    assert (body["real_name"], body["unit_name"], body["is_on_roster"]) == ("张三", "南关镇党政办", True)
    [row] = body["attempts"]
    assert (row["exam_id"], row["exam_title"], row["status"], row["score"], row["passed"], row["is_counted"]) == (
        exam.pk,
        exam.title,
        "submitted",
        "0.00",
        False,
        True,
    )
    assert app_login("organizer_a").get(f"/api/v1/users/{people.bob.pk}").status_code == 404


def test_person_attempts_query_count(tree, people, exam, django_assert_num_queries) -> None:
    from quizzes.selectors import person_attempts

    attempt_start(exam=exam, user=people.alice)
    with django_assert_num_queries(1):
        titles = [a.exam.title for a in person_attempts(person=people.alice)]
    assert titles == [exam.title]


def test_a_new_initial_password_is_shown_once_must_be_changed_and_is_audited(tree, people) -> None:
    response = app_login("organizer_a").post(f"/api/v1/users/{people.alice.pk}/password")
    assert response.status_code == 200, response.content
    password = response.json()["password"]
    assert len(password) >= 10
    alice = User.objects.get(pk=people.alice.pk)
    assert alice.must_change_password and alice.check_password(password) and not alice.check_password(PASSWORD)
    newcomer = app_login(alice.username, password)
    assert newcomer.get("/api/v1/me").json()["must_change_password"] is True
    assert newcomer.get("/api/v1/exams/").status_code == 403  # until the initial password is changed
    event = AuditEvent.objects.get(action=AuditEvent.Action.USER_PASSWORD_ISSUE)
    assert (event.actor_username, event.target_id, event.unit_id) == ("organizer_a", str(alice.pk), alice.unit_id)
    assert password not in str(event.before) + str(event.after)


def test_a_new_initial_password_is_refused_out_of_scope_for_oneself_and_for_the_superuser(tree, people) -> None:
    client = app_login("organizer_a")
    assert client.post(f"/api/v1/users/{people.bob.pk}/password").status_code == 404
    own = client.post(f"/api/v1/users/{people.organizer_a.pk}/password")
    assert (own.status_code, own.json()["error"]["code"]) == (409, "password_reset_refused")
    root = user_create(username="root", password=PASSWORD, unit=tree.town_a, is_superuser=True)
    assert client.post(f"/api/v1/users/{root.pk}/password").status_code == 409
    assert User.objects.get(pk=root.pk).check_password(PASSWORD)
    assert app_login("hr_b").post(f"/api/v1/users/{people.bob.pk}/password").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.USER_PASSWORD_ISSUE).exists()
