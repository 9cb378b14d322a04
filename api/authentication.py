"""How the API reads the app client's ``X-Session-Token``.

- ``SessionTokenAuthentication``: allauth's token authentication that says how to authenticate, so that DRF
  answers a missing or invalid login with 401 and ``WWW-Authenticate`` instead of 403 (DRF asks the first
  authentication class), and reads the header from the WSGI environ (``get_session_token``, the override point
  allauth names for where the token comes from): ``request.headers`` builds a mapping of every header first.
  Its ``authenticate`` is allauth's without three costs that every authenticated request paid and that change
  nothing here (about 40 µs of a worker's CPU in a ``GET /me`` of 0.7 ms, in process): the token strategy is
  built once (allauth's setting imports and builds it at every call), the session's person is read by Django's
  ``get_user`` from the session alone (allauth builds a whole ``HttpRequest`` around it), and allauth's session
  tracking is asked whether it is installed once (it is not: ``allauth.usersessions`` is not in
  ``INSTALLED_APPS``).
- ``SessionTokenStrategy`` (``HEADLESS_TOKEN_STRATEGY``): allauth's session-token strategy, but a token is
  looked up by loading its session once (one cache round trip) instead of asking whether it exists and then
  loading it (two). A missing or expired session clears its key on load, so an unknown token is still None.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from allauth.headless import app_settings
from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy as AllauthSessionTokenStrategy
from allauth.usersessions.internal import usersessionkit
from django.apps import apps
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from rest_framework.request import Request


class _SessionOnly:
    """What Django's ``get_user`` reads of a request: its session."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session


@cache
def _token_strategy() -> Any:
    return app_settings.TOKEN_STRATEGY  # allauth's setting builds a new one at every read


@cache
def _tracks_sessions() -> bool:
    return apps.is_installed("allauth.usersessions")


class SessionTokenAuthentication(XSessionTokenAuthentication):  # type: ignore[misc]  # allauth has no type hints
    def authenticate(self, request: Request) -> tuple[Any, SessionBase] | None:
        """allauth's (``allow_anonymous_users`` and ``allow_invalid_session_tokens``: an unknown token, or a session
        without a person, authenticates nobody and the permission answers), at less cost: see the module."""
        token = self.get_session_token(request)
        if not token:
            return None
        session = _token_strategy().lookup_session(token)
        if session is None:
            return None
        user = get_user(_SessionOnly(session))  # type: ignore[arg-type]  # checks the session's password hash; the backend checks is_active
        if user.is_anonymous:
            return None
        if _tracks_sessions():
            usersessionkit.track_activity(request._request, user=user, session=session)
        return user, session

    def authenticate_header(self, request: HttpRequest) -> str:
        return "X-Session-Token"

    def get_session_token(self, request: HttpRequest) -> str | None:
        return request.META.get("HTTP_X_SESSION_TOKEN")


class SessionTokenStrategy(AllauthSessionTokenStrategy):  # type: ignore[misc]
    def lookup_session(self, session_token: str) -> SessionBase | None:
        return sessionkit.lookup_session(session_token)  # type: ignore[no-any-return]
