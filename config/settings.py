"""Xuefa settings: one module, every deployment-specific value from the environment.

SQLite and the local-memory cache by default (so a newcomer needs no server); PostgreSQL when
DATABASE_URL is set, Redis for cache, sessions and throttling when REDIS_URL is set.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()  # generic Django classes (ModelAdmin[Unit], QuerySet[Exam]) at run time

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # Fail closed: only development (DJANGO_DEBUG=1) may run on the public development key. The tests get
    # their own key from pyproject.toml ([tool.pytest_env]), the Makefile's checks from the Makefile.
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set unless DJANGO_DEBUG=1 (development)")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# The Django admin (/admin/): on by default; DJANGO_ADMIN_ENABLED=0 removes it where nobody should reach it.
ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", True)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "accounts",
    "quizzes",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.CSPMiddleware",  # django-csp's, the site's policy built once
    "api.middleware.JsonErrorMiddleware",  # JSON errors and body limits under /api/ and /_allauth/
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "api.middleware.LoginLockoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"  # its health check costs no round trip (its docstring)
    # Parameters sent apart from the statement, and a statement run 5 times on a connection prepared there, so
    # that PostgreSQL parses and plans the hot paths' statements once per connection, not at every request: an
    # autosave cost PostgreSQL 0.52 ms of CPU with the values written into its text, 0.23 ms prepared (issue 9).
    # Behind PgBouncer in transaction mode: PgBouncer 1.21+ with max_prepared_statements, or
    # DATABASE_PREPARE_THRESHOLD=off (docs/deployment.md).
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    if _prepare not in ("off", "") and not _prepare.isdigit():
        raise ImproperlyConfigured(f"DATABASE_PREPARE_THRESHOLD must be a whole number or 'off', not {_prepare!r}")
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": None if _prepare in ("off", "") else int(_prepare),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis outage degrades to the database instead of 500s (config/cache.py)
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "xuefa"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis restart
    # logs nobody out in the middle of an exam: Django's cached_db, whose load also brings the session's person
    # in the same round trip (accounts/sessions.py).
    SESSION_ENGINE = "accounts.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend that first refuses a login locked by too many wrong passwords (accounts/lockout.py)
    "accounts.lockout.LockoutModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# The password policy (docs/security.md): 10+ characters, not common, not all digits, not like the account's
# names, 3 of 4 character classes unless it is a passphrase of 14+ characters, and not the current password.
# Argon2id first (accounts/hashers.py: OWASP parameters, affordable at an exam's opening); hashes made by the
# others (and Argon2 hashes with other parameters: the algorithm name is the same) are still accepted and
# upgraded at the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "real_name", "phone")},
    },
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3, "passphrase_length": 14}},
    {"NAME": "accounts.passwords.NotCurrentPasswordValidator"},
]

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SelfSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Logins are limited by accounts/lockout.py, not by allauth: allauth's limiter takes a lock per client
    # address in the cache (for "login" and, dry-run, for "login_failed" on every login) and answers 429 when it
    # waits more than a second for it, so a storm of logins from one NAT address is turned away by the lock
    # alone; it also reads and rewrites a list of timestamps per address (four round trips). See
    # docs/deployment.md, "Login limits".
    "login": "",
    "login_failed": "",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
}
# Login attempts per client address and per account (fixed windows, one Redis round trip: accounts/ratelimits.py).
# A government network often puts a whole county behind one NAT address, and most of its cadres log in during an
# exam's first minutes: the per-address limit is sized for that; guessing one account is held by the per-account
# limit and the lockout (wrong passwords per account and address, accounts/lockout.py), and spraying many accounts
# from one address by the limit of wrong passwords per address.
XUEFA_LOGIN_RATE_PER_IP = os.environ.get("XUEFA_LOGIN_RATE_PER_IP", "600/m")
XUEFA_LOGIN_RATE_PER_ACCOUNT = os.environ.get("XUEFA_LOGIN_RATE_PER_ACCOUNT", "20/m")
XUEFA_LOGIN_FAILED_RATE_PER_IP = os.environ.get("XUEFA_LOGIN_FAILED_RATE_PER_IP", "120/m")
# Behind the documented reverse proxy (DJANGO_BEHIND_TLS_PROXY=1) the client's address is the last
# X-Forwarded-For entry (the one nginx appends); otherwise REMOTE_ADDR, and X-Forwarded-For is ignored.
TRUSTED_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUSTED_PROXY else 0
HEADLESS_ONLY = True
HEADLESS_ADAPTER = "accounts.adapter.HeadlessAdapter"
HEADLESS_CLIENTS = ("browser", "app")
# a token's session is loaded once per request, not checked for and then loaded (api/authentication.py)
HEADLESS_TOKEN_STRATEGY = "api.authentication.SessionTokenStrategy"
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/account/verify-email/{key}",
    "account_reset_password_from_key": "/account/password/reset/key/{key}",
    "account_signup": "/account/signup",
}
# allauth's own OpenAPI spec at /_allauth/openapi.json, offered in Swagger UI next to ours so that people
# can log in there; its HTML page would load Redoc from a CDN, so it is not served.
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.SessionTokenAuthentication",  # allauth's X-Session-Token; first, so no login is a 401
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsAuthenticatedWithCurrentPassword"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],  # the Swagger UI (/api/docs/) is for people
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonOnlyNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.XuefaAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_USER_RATE", "600/min")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xuefa 学法 API",
    "DESCRIPTION": "Question banks, timed online exams, scoring and unit leaderboards. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "urls": [
            {"url": "/api/schema/", "name": "Xuefa API /api/v1"},
            {"url": "/_allauth/openapi.json", "name": "Login (allauth headless) /_allauth"},
        ],
        "persistAuthorization": True,
        "validatorUrl": None,  # the default badge would load from validator.swagger.io
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "QuestionKindEnum": "quizzes.models.QuestionKind",
        "UnitKindEnum": "accounts.models.Unit.Kind",
        "AttemptStatusEnum": "quizzes.models.Attempt.Status",
        "ExamStatusEnum": "quizzes.models.Exam.Status",
        # the unit ranking's and the live counts' kind: a roster exam or an open quiz
        "ExamKindEnum": [("roster", "roster"), ("open", "open")],
        "ExamOverrideKindEnum": "quizzes.models.ExamOverride.Kind",
        "PageLeaveKindEnum": "quizzes.models.PageLeave.Kind",
        "PracticeRoundKindEnum": "quizzes.models.PracticeRound.Kind",
    },
    # ids in URLs use the "id" converter (api/converters.py): integers, at most 18 digits
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (the built front end is served from here too) -------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # gzip copies made at collectstatic, served by WhiteNoise to clients that accept them
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The web app (frontend/, `make frontend`): its build is collected under /static/app/; config/frontend.py
# answers index.html for the app's routes.
FRONTEND_DIST = Path(os.environ.get("XUEFA_FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))
STATICFILES_DIRS = [("app", FRONTEND_DIST)] if FRONTEND_DIST.is_dir() else []


def _immutable_static(path: str, url: str) -> bool:
    """Vite puts a content hash in every file name under assets/: such a file never changes."""
    return url.startswith(f"/{STATIC_URL}app/assets/")


WHITENOISE_IMMUTABLE_FILE_TEST = _immutable_static
# Request bodies: JSON (and every non-file form field) up to 1 MB; an upload (multipart) up to the 20 MB
# question-file limit plus the form around it. Larger bodies get 413 request_too_large (api/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
XUEFA_UPLOAD_MAX_BYTES = 21 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Transport and browser security (docs/security.md) ---------------------------------------------
# Behind the documented TLS reverse proxy: trust its X-Forwarded-Proto, redirect plain HTTP to HTTPS, send
# HSTS for a year (to subdomains too unless DJANGO_HSTS_INCLUDE_SUBDOMAINS=0) and cookies over HTTPS only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY else None
SECURE_SSL_REDIRECT = TRUSTED_PROXY
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if TRUSTED_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TRUSTED_PROXY and env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", TRUSTED_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS preload is a promise to the browsers' public list: meaningless for an intranet host name.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy on every response (django-csp): nothing but this site, no inline script, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Retention (manage.py purge, run daily): import batches hold whole uploaded files (a roster's names and
# phones) and go after this many days; answers (choices) of exams closed this many days ago go too, while
# scores and ranks stay. 0 keeps every answer.
XUEFA_RETAIN_IMPORTS_DAYS = int(os.environ.get("XUEFA_RETAIN_IMPORTS_DAYS", "30"))
XUEFA_RETAIN_ANSWERS_DAYS = int(os.environ.get("XUEFA_RETAIN_ANSWERS_DAYS", "0"))

# Certificates (合格证书): a font file (.ttf, .otf or a .ttc collection) that writes Chinese into the PDFs.
# Empty: the first present of quizzes.certificate_pdf.FONT_CANDIDATES (Debian's fonts-noto-cjk first).
XUEFA_CERTIFICATE_FONT = os.environ.get("XUEFA_CERTIFICATE_FONT", "")

# The address participants open the app at (e.g. https://xuefa.example.gov.cn), for links printed on
# posters and QR codes; empty: the host of the organizer's request (behind a proxy that passes Host).
XUEFA_SITE_URL = os.environ.get("XUEFA_SITE_URL", "").strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools logs every glyph of every certificate's font subset at INFO
    "loggers": {"fontTools": {"level": "WARNING"}},
}
