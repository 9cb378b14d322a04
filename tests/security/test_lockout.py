"""Login lockout (issue #10): per (account, client address) with back-off, a per-account cap, 429 with a
code, organizer unlock, and the admin behind the same lockout."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import user_create
from tests.conftest import PASSWORD, app_login

LOGIN = "/_allauth/app/v1/auth/login"


def login(username: str, password: str, address: str = "10.0.0.1", **headers: Any):
    return APIClient().post(
        LOGIN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address, **headers
    )


def test_five_wrong_passwords_lock_the_pair_with_429_and_back_off(people):
    bob = people.bob.username
    assert [login(bob, "wrong-Password1").status_code for _ in range(5)] == [400] * 5
    locked = login(bob, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "login_locked"
    assert int(locked["Retry-After"]) == 60
    # the person at their own machine is not locked out by someone else's guesses
    assert login(bob, PASSWORD, address="10.0.0.2").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert login(bob, "wrong-Password1").status_code == 400  # the 6th failure: locked twice as long
        assert int(login(bob, PASSWORD)["Retry-After"]) == 120
    with time_machine.travel(timezone.now() + timedelta(seconds=61 + 121)):
        assert login(bob, PASSWORD).status_code == 200


def test_a_correct_password_clears_the_pairs_failures(people):
    bob = people.bob.username
    for _ in range(4):
        login(bob, "wrong-Password1")
    assert login(bob, PASSWORD).status_code == 200
    assert [login(bob, "wrong-Password1").status_code for _ in range(4)] == [400] * 4
    assert login(bob, PASSWORD).status_code == 200


def test_the_per_account_cap_locks_every_address(people):
    bob = people.bob.username
    start = timezone.now()
    for n in range(50):  # 4 s apart: under the per-account attempt limit (20 a minute)
        with time_machine.travel(start + timedelta(seconds=4 * n), tick=False):
            assert login(bob, "wrong-Password1", address=f"10.1.{n // 200}.{n % 200}").status_code == 400
    with time_machine.travel(start + timedelta(seconds=4 * 49), tick=False):
        locked = login(bob, PASSWORD, address="10.9.9.9")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60


def test_an_organizer_of_the_persons_subtree_unlocks(people):
    bob = people.bob.username
    for _ in range(5):
        login(bob, "wrong-Password1")
    assert login(bob, PASSWORD).status_code == 429
    url = f"/api/v1/users/{people.bob.pk}/unlock"
    assert app_login(people.organizer_a.username).post(url).status_code == 404  # town A's organizer
    assert app_login(people.hr_b.username).post(url).status_code == 403
    assert app_login(people.alice.username).post(url).status_code == 403
    assert app_login(people.organizer.username).post(url).status_code == 204  # the city's organizer
    assert login(bob, PASSWORD).status_code == 200


def test_x_forwarded_for_counts_only_behind_the_trusted_proxy(people, settings):
    bob = people.bob.username
    for n in range(5):  # an attacker rotating a forged header from one address
        login(bob, "wrong-Password1", HTTP_X_FORWARDED_FOR=f"192.168.0.{n}")
    assert login(bob, PASSWORD, HTTP_X_FORWARDED_FOR="192.168.0.99").status_code == 429

    settings.TRUSTED_PROXY = True
    carol = people.carol.username
    for _ in range(5):  # nginx appends the address it saw: the last entry is the client
        login(carol, "wrong-Password1", address="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7")
    assert login(carol, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.7").status_code == 429
    assert login(carol, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.8").status_code == 200


@pytest.fixture
def admin_user(db):
    return user_create(username="admin", password=PASSWORD, is_superuser=True)


def test_the_admin_login_is_behind_the_same_lockout(admin_user):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(25):
        client.post("/admin/login/", {"username": "admin", "password": "wrong-Password1"})
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # not logged in
    # and the headless login of the same account from the same address is locked too
    assert login("admin", PASSWORD).status_code == 429


def reload_urls() -> None:
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_can_be_switched_off(settings, admin_user):
    settings.ADMIN_ENABLED = False
    reload_urls()
    try:
        assert Client().get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_ENABLED = True
        reload_urls()
    assert Client().get("/admin/login/").status_code == 200


def test_a_town_behind_one_nat_address_can_log_in_at_an_exams_opening(tree):
    """allauth's default of 30 logins a minute per address would turn most of a town away."""
    for n in range(60):
        user_create(username=f"1390000{n:04d}", password=PASSWORD, unit=tree.town_a)
    for n in range(60):  # every test client comes from the same address, 127.0.0.1
        app_login(f"1390000{n:04d}")


# --- Login limits: attempts per account and per address, wrong passwords per address (docs/deployment.md) ---


def test_attempts_per_account_are_limited_from_every_address(people, settings):
    settings.XUEFA_LOGIN_RATE_PER_ACCOUNT = "3/m"
    bob = people.bob.username
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        assert [login(bob, PASSWORD, address=f"10.2.0.{n}").status_code for n in range(3)] == [200] * 3
        refused = login(bob, PASSWORD, address="10.2.0.9")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "throttled"
        assert int(refused["Retry-After"]) == 61
        assert login(people.carol.username, PASSWORD, address="10.2.0.9").status_code == 200  # others log in
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        assert login(bob, PASSWORD, address="10.2.0.9").status_code == 200  # the next window


def test_attempts_per_address_are_limited_and_read_behind_the_trusted_proxy(people, settings):
    """A county behind one NAT address shares the per-address limit (sized for that in settings); behind the
    documented nginx the address is the last X-Forwarded-For entry, so people behind different addresses are
    counted apart although every request comes from the proxy."""
    settings.XUEFA_LOGIN_RATE_PER_IP = "2/m"
    names = [people.alice.username, people.bob.username, people.carol.username]
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        assert [login(name, PASSWORD).status_code for name in names] == [200, 200, 429]
        assert login(names[2], PASSWORD, address="10.0.0.2").status_code == 200

        settings.TRUSTED_PROXY = True
        proxied = [
            login(name, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.3.0.{n}")
            for n, name in enumerate(names)
        ]
        assert [r.status_code for r in proxied] == [200, 200, 200]
        assert login(names[0], PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.3.0.0").status_code == 200
        assert login(names[1], PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.3.0.0").status_code == 429


def test_wrong_passwords_per_address_refuse_that_address(people, settings):
    """One address trying a common password on many accounts: over the limit it is refused for every account
    until the window ends; other addresses are not."""
    settings.XUEFA_LOGIN_FAILED_RATE_PER_IP = "2/m"
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        for name in (people.alice.username, people.bob.username, people.carol.username):
            assert login(name, "Common-Passw0rd").status_code == 400
        refused = login(people.organizer.username, PASSWORD)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "login_locked"
        assert login(people.organizer.username, PASSWORD, address="10.0.0.2").status_code == 200
    with time_machine.travel(start + timedelta(seconds=62), tick=False):
        assert login(people.organizer.username, PASSWORD).status_code == 200
