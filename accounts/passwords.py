"""Password validators of Xuefa's policy (docs/security.md), next to Django's own in AUTH_PASSWORD_VALIDATORS."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of lower-case letters, upper-case letters, digits and other characters ``password`` uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c in string.digits for c in password),
            any(c not in string.ascii_letters and c not in string.digits for c in password),  # symbols, spaces, 汉字
        )
    )


class CharacterClassesValidator:
    """At least ``min_classes`` character classes, unless the password is a passphrase of ``passphrase_length``
    characters or more."""

    def __init__(self, min_classes: int = 3, passphrase_length: int = 14) -> None:
        self.min_classes = min_classes
        self.passphrase_length = passphrase_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) >= self.passphrase_length or character_classes(password) >= self.min_classes:
            return
        raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "密码须包含小写字母、大写字母、数字、符号中的至少 %(classes)d 类，或长度不少于 %(length)d 个字符。"
        ) % {"classes": self.min_classes, "length": self.passphrase_length}


class NotCurrentPasswordValidator:
    """A new password must differ from the current one: the forced change of an initial password is not done
    by typing the initial password again. (Compares against the stored hash; never re-saves it.)"""

    def validate(self, password: str, user: Any = None) -> None:
        stored = getattr(user, "password", None)
        if user is not None and user.pk and stored and check_password(password, stored):
            raise ValidationError(_("新密码不能与当前密码相同。"), code="password_unchanged")

    def get_help_text(self) -> str:
        return _("新密码不能与当前密码相同。")
