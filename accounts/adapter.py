from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .models import SiteSettings, User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    """Ties allauth to Xuefa's rules: switchable self-signup, forced change of initial passwords."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return SiteSettings.load().self_signup_enabled

    def set_password(self, user: Any, password: str) -> None:
        user.set_password(password)
        if isinstance(user, User):
            user.must_change_password = False
        user.save()
