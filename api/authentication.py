"""How the API reads the app client's ``X-Session-Token``.

- ``SessionTokenAuthentication``: allauth's token authentication that says how to authenticate, so that DRF
  answers a missing or invalid login with 401 and ``WWW-Authenticate`` instead of 403 (DRF asks the first
  authentication class), and reads the header from the WSGI environ (``get_session_token``, the override point
  allauth names for where the token comes from): ``request.headers`` builds a mapping of every header first.
- ``SessionTokenStrategy`` (``HEADLESS_TOKEN_STRATEGY``): allauth's session-token strategy, but a token is
  looked up by loading its session once (one cache round trip) instead of asking whether it exists and then
  loading it (two). A missing or expired session clears its key on load, so an unknown token is still None.
"""

from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy as AllauthSessionTokenStrategy
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest


class SessionTokenAuthentication(XSessionTokenAuthentication):  # type: ignore[misc]  # allauth has no type hints
    def authenticate_header(self, request: HttpRequest) -> str:
        return "X-Session-Token"

    def get_session_token(self, request: HttpRequest) -> str | None:
        return request.META.get("HTTP_X_SESSION_TOKEN")


class SessionTokenStrategy(AllauthSessionTokenStrategy):  # type: ignore[misc]
    def lookup_session(self, session_token: str) -> SessionBase | None:
        return sessionkit.lookup_session(session_token)  # type: ignore[no-any-return]
