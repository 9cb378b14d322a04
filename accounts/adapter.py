from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_display, user_username
from allauth.headless.adapter import DefaultHeadlessAdapter
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

    def login(self, request: HttpRequest, user: Any) -> None:
        """Django's login with its writes in one transaction: ``last_login`` and the audit record of the login
        (``user_logged_in``'s receivers) succeed or fail together, and commit once, not once each: at an exam's
        opening 10,000 durable commits fewer, for two round trips more (psycopg's BEGIN, and the COMMIT). The new
        session is written after the view, as before (accounts/sessions.py), and the person is cached for its first
        request once this transaction has committed (accounts/usercache.py)."""
        with transaction.atomic():
            super().login(request, user)

    def set_password(self, user: Any, password: str) -> None:
        user.set_password(password)
        if isinstance(user, User):
            user.must_change_password = False
        user.save()


class HeadlessAdapter(DefaultHeadlessAdapter):  # type: ignore[misc]
    """allauth headless's user payload (every login's answer and every session read) at Xuefa's cost. allauth's
    own builds a new dataclass at each call and queries its email addresses: people here have none
    (``ACCOUNT_USER_MODEL_EMAIL_FIELD = None``, no email at sign-up, nothing creates allauth's ``EmailAddress``
    rows). The dataclass is built once per process and ``email`` is left out, as allauth leaves out an empty one;
    the payload and its OpenAPI description (``/_allauth/openapi.json``) are allauth's."""

    def get_user_dataclass(self) -> Any:
        cls = type(self)
        built = cls.__dict__.get("_user_dataclass")
        if built is None:
            built = super().get_user_dataclass()
            cls._user_dataclass = built  # a race only builds it twice
        return built

    def user_as_dataclass(self, user: Any) -> Any:
        return self.get_user_dataclass()(
            id=user.pk or None,
            display=user_display(user),
            email=None,
            has_usable_password=user.has_usable_password(),
            username=user_username(user),
        )
