"""Passwords are hashed with Argon2id at OWASP's parameters; older hashes are upgraded at the next login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

import config.settings as production
from accounts.hashers import OwaspArgon2PasswordHasher
from accounts.models import User
from tests.conftest import PASSWORD, People, app_login


def test_new_passwords_are_argon2id_with_owasp_parameters(people: People, settings: Any) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    people.alice.set_password(PASSWORD)
    people.alice.save()
    encoded = User.objects.get(pk=people.alice.pk).password
    assert encoded.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1" in encoded
    assert isinstance(identify_hasher(encoded), OwaspArgon2PasswordHasher)


def test_an_older_hash_is_upgraded_at_login(people: People, settings: Any) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt", iterations=1000)
    User.objects.filter(pk=people.bob.pk).update(password=old)

    app_login(people.bob.username)

    upgraded = User.objects.get(pk=people.bob.pk).password
    assert upgraded.startswith("argon2$argon2id$") and "m=19456,t=2,p=1" in upgraded
    assert User.objects.get(pk=people.bob.pk).check_password(PASSWORD)
