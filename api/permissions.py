from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts import scopes
from accounts.models import User


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_code = "password_change_required"
    default_detail = _("请先修改初始密码。")


class IsAuthenticatedWithCurrentPassword(BasePermission):
    """Signed in, and not holding an initial password that must be changed first.

    Accounts created with an initial password may only read ``/me`` until they change it through
    allauth's password change endpoint.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(user, "must_change_password", False) and not getattr(view, "allow_initial_password", False):
            raise PasswordChangeRequired()
        return True


class IsOrganizer(IsAuthenticatedWithCurrentPassword):
    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and scopes.is_organizer(request.user)


def request_user(request: Request) -> User:
    """The signed-in person of a request that passed ``IsAuthenticatedWithCurrentPassword``."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


class IsResultsReader(IsAuthenticatedWithCurrentPassword):
    """Organizers and HR (and the superuser): result lists and exports of their subtree."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and scopes.is_results_reader(request.user)
