"""The participant web app (frontend/, built by Vite) at the site's front door.

Its files are static (``/static/app/…``, served by WhiteNoise with far-future caching, since Vite puts a
hash in every name); ``index.html`` is answered here for ``/`` and every client-side route, so that a
shared link such as ``/exams/12`` opens the app on that page (history-mode routing). Its strict
Content-Security-Policy is the site's own (django-csp, ``CONTENT_SECURITY_POLICY`` in settings).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

NOT_BUILT = (
    "The web front end has not been built. Run `make frontend` (or `make run`), or use the API directly: /api/docs/\n"
)


def index_html_path() -> Path | None:
    """The built index.html: from the Vite build, else from collected static files."""
    for candidate in (Path(settings.FRONTEND_DIST) / "index.html", Path(settings.STATIC_ROOT) / "app" / "index.html"):
        if candidate.is_file():
            return candidate
    return None


@require_safe
def spa_index(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    path = index_html_path()
    if path is None:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # always revalidate: a new build must reach phones at once
    response["Referrer-Policy"] = "same-origin"
    return response
