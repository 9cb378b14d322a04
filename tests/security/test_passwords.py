"""Password policy (docs/security.md): at least 10 characters, not common, not all digits, not like the
username or name, and at least 3 of 4 character classes unless 14 characters or longer."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import User
from demo.people import DEMO_PASSWORD
from tests.conftest import PASSWORD, app_login


@pytest.mark.parametrize(
    "password",
    [
        "xuefa2026",  # short, two classes
        "xuefa20261",  # 10 characters but two classes
        "Xuefaxuefa",  # two classes
        "1234567890123",  # digits only
        "password123",  # common
        "Zhangsan@13800000001",  # the username
    ],
)
def test_weak_passwords_are_refused(password: str, db) -> None:
    user = User(username="13800000001", real_name="zhangsan")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "Qinghe#Law9", "long enough legal sentence"])
def test_good_passwords_pass(password: str, db) -> None:
    validate_password(password, User(username="13800000001", real_name="张三"))


def test_signup_refuses_a_weak_password(tree) -> None:
    body = {"username": "13700000001", "password": "xuefa2026", "real_name": "吴六", "phone": "13700000001"}
    response = APIClient().post("/_allauth/app/v1/auth/signup", {**body, "unit": tree.town_b.pk}, format="json")
    assert response.status_code == 400
    assert {e["param"] for e in response.json()["errors"]} == {"password"}
    assert not User.objects.filter(username="13700000001").exists()


def test_password_change_refuses_a_weak_password(people) -> None:
    client = app_login(people.alice.username)
    response = client.post(
        "/_allauth/app/v1/account/password/change",
        {"current_password": PASSWORD, "new_password": "xuefa20261"},
        format="json",
    )
    assert response.status_code == 400
    assert "new_password" in {e["param"] for e in response.json()["errors"]}


def test_the_forced_change_refuses_the_initial_password_itself(tree) -> None:
    from accounts.services import user_create

    user_create(
        username="13900000009", password="Initial#2026", real_name="周新", unit=tree.town_a, must_change_password=True
    )
    client = app_login("13900000009", "Initial#2026")
    same = client.post(
        "/_allauth/app/v1/account/password/change",
        {"current_password": "Initial#2026", "new_password": "Initial#2026"},
        format="json",
    )
    assert same.status_code == 400
    errors = same.json()["errors"]
    assert [(e["param"], e["code"]) for e in errors] == [("new_password", "password_unchanged")]
    assert User.objects.get(username="13900000009").must_change_password is True
    assert client.get("/api/v1/exams/").json()["error"]["code"] == "password_change_required"
