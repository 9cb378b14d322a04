from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest

from .forms import SelfSignupForm
from .models import SiteSettings, User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    """Ties allauth to Xuefa's rules: switchable self-signup, forced change of initial passwords."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return SiteSettings.load().self_signup_enabled

    def save_user(self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True) -> Any:
        """One insert with every field of the person, in a savepoint: a sign-up the database refuses (a
        phone registered meanwhile) leaves no half-made account and answers ``phone_taken``."""
        if isinstance(form, SelfSignupForm) and isinstance(user, User):
            form.populate(user)
        with transaction.atomic():
            return super().save_user(request, user, form, commit)

    def set_password(self, user: Any, password: str) -> None:
        user.set_password(password)
        if isinstance(user, User):
            user.must_change_password = False
        user.save()
