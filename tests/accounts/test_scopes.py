"""Every branch of accounts/scopes.py, straight on the functions: who reaches which units and rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts import scopes
from accounts.models import Unit, User
from accounts.services import unit_create, user_create
from quizzes.models import QuestionBank
from quizzes.services.banks import bank_create
from tests.conftest import People, Tree


def _user(username: str, *, role: str = User.Role.PARTICIPANT, unit: Unit | None = None, **extra: Any) -> User:
    return user_create(username=username, password=None, role=role, unit=unit, **extra)


@pytest.fixture
def superuser(tree: Tree) -> User:
    return _user("root", unit=None, is_superuser=True)


@pytest.fixture
def unitless_organizer(db: Any) -> User:
    return _user("org_nowhere", role=User.Role.ORGANIZER)


@pytest.fixture
def unitless_hr(db: Any) -> User:
    return _user("hr_nowhere", role=User.Role.HR)


def _names(units: Any) -> set[str]:
    return {u.name for u in units}


# --- roles ------------------------------------------------------------------------------------


def test_roles_of_anonymous_and_participants(people: People) -> None:
    for user in (AnonymousUser(), people.alice):
        assert scopes.is_organizer(user) is False
        assert scopes.is_results_reader(user) is False


def test_roles_of_staff_and_superuser(people: People, superuser: User) -> None:
    assert scopes.is_organizer(people.organizer_a) is True
    assert scopes.is_results_reader(people.organizer_a) is True
    assert scopes.is_organizer(people.hr_b) is False
    assert scopes.is_results_reader(people.hr_b) is True
    assert scopes.is_organizer(superuser) is True
    assert scopes.is_results_reader(superuser) is True


# --- the unit tree ----------------------------------------------------------------------------


def test_ancestor_paths_run_from_the_root_to_the_unit(tree: Tree) -> None:
    office = tree.town_a_office
    assert scopes.ancestor_paths(office) == [tree.city.path, tree.town_a.path, office.path]
    assert scopes.ancestor_paths(tree.city) == [tree.city.path]


def test_subtree_q_on_the_unit_itself_and_through_a_field(tree: Tree) -> None:
    assert _names(Unit.objects.filter(scopes.subtree_q(tree.town_a))) == {"南关镇", "南关镇党政办"}
    parent_in_town_a = Unit.objects.filter(scopes.subtree_q(tree.town_a, "parent"))
    assert _names(parent_in_town_a) == {"南关镇党政办"}


def test_subtree_q_does_not_confuse_siblings_with_a_shared_prefix(tree: Tree) -> None:
    # paths are fixed-width per level: the 1st village is not a prefix of the 10th
    siblings = [unit_create(name=f"第{i}村", parent=tree.town_b) for i in range(10)]
    assert _names(Unit.objects.filter(scopes.subtree_q(siblings[0]))) == {"第0村"}


# --- staff_unit -------------------------------------------------------------------------------


def test_staff_unit_of_staff_with_a_unit(people: People, tree: Tree) -> None:
    assert scopes.staff_unit(people.organizer) == tree.city
    assert scopes.staff_unit(people.organizer_a) == tree.town_a
    assert scopes.staff_unit(people.hr_b) == tree.town_b


def test_staff_unit_of_everyone_else_is_none(
    people: People, superuser: User, unitless_organizer: User, unitless_hr: User
) -> None:
    for user in (AnonymousUser(), people.alice, superuser, unitless_organizer, unitless_hr):
        assert scopes.staff_unit(user) is None


# --- staff_units ------------------------------------------------------------------------------


def test_staff_units_of_staff_are_their_subtree(people: People) -> None:
    assert _names(scopes.staff_units(people.organizer_a)) == {"南关镇", "南关镇党政办"}
    assert _names(scopes.staff_units(people.hr_b)) == {"北岭镇"}
    assert len(scopes.staff_units(people.organizer)) == 5


def test_staff_units_of_the_superuser_are_all_units(superuser: User, tree: Tree) -> None:
    other_root = unit_create(name="邻市")
    assert set(scopes.staff_units(superuser)) == {*Unit.objects.all()} and other_root in scopes.staff_units(superuser)


def test_staff_units_of_anyone_else_are_none(people: People, unitless_organizer: User, unitless_hr: User) -> None:
    for user in (AnonymousUser(), people.alice, unitless_organizer, unitless_hr):
        assert not scopes.staff_units(user).exists()


# --- scope_to_staff ---------------------------------------------------------------------------


@pytest.fixture
def banks(tree: Tree) -> dict[str, QuestionBank]:
    return {
        unit.name: bank_create(name=f"{unit.name}题库", unit=unit)
        for unit in (tree.city, tree.town_a, tree.town_a_office, tree.town_b)
    }


def test_scope_to_staff_keeps_rows_of_the_subtree(people: People, banks: dict[str, QuestionBank]) -> None:
    scoped = scopes.scope_to_staff(QuestionBank.objects.all(), people.organizer_a, "unit")
    assert {b.name for b in scoped} == {"南关镇题库", "南关镇党政办题库"}
    assert scopes.scope_to_staff(QuestionBank.objects.all(), people.organizer, "unit").count() == 4


def test_scope_to_staff_gives_the_superuser_everything(superuser: User, banks: dict[str, QuestionBank]) -> None:
    queryset = QuestionBank.objects.all()
    assert scopes.scope_to_staff(queryset, superuser, "unit") is queryset


def test_scope_to_staff_gives_anyone_else_nothing(
    people: People, unitless_organizer: User, unitless_hr: User, banks: dict[str, QuestionBank]
) -> None:
    for user in (AnonymousUser(), people.alice, unitless_organizer, unitless_hr):
        assert not scopes.scope_to_staff(QuestionBank.objects.all(), user, "unit").exists()


# --- can_manage_site --------------------------------------------------------------------------


def test_site_is_managed_by_the_superuser_and_root_organizers(people: People, superuser: User) -> None:
    assert scopes.can_manage_site(superuser) is True
    assert scopes.can_manage_site(people.organizer) is True


def test_site_is_not_managed_by_anyone_else(
    people: People, tree: Tree, unitless_organizer: User, unitless_hr: User
) -> None:
    root_hr = _user("hr_city", role=User.Role.HR, unit=tree.city)
    for user in (AnonymousUser(), people.alice, people.organizer_a, people.hr_b, root_hr, unitless_organizer):
        assert scopes.can_manage_site(user) is False, user
    assert scopes.can_manage_site(unitless_hr) is False


def test_roster_person_q_selects_active_participants_on_the_roster(tree: Tree) -> None:
    on_roster = _user("rp_on", unit=tree.town_a)
    User.objects.filter(pk=_user("rp_off", unit=tree.town_a).pk).update(is_on_roster=False)
    User.objects.filter(pk=_user("rp_gone", unit=tree.town_a).pk).update(is_active=False)
    _user("rp_staff", role=User.Role.HR, unit=tree.town_a)
    people = User.objects.filter(scopes.roster_person_q(), username__startswith="rp_")
    assert list(people) == [on_roster]
    assert scopes.roster_person_q("user__") == Q(
        user__is_active=True, user__role=User.Role.PARTICIPANT, user__is_on_roster=True
    )
