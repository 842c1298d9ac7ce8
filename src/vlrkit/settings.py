"""Django settings for vlrkit's store and web application.

Everything comes from the environment, with safe defaults for a single user on one machine:

- ``VLRKIT_DB``: SQLite file (default ``./vlrkit.sqlite3``); the CLI's ``--db`` sets it.
- ``VLRKIT_DATABASE_URL``: a PostgreSQL URL (``postgres://user:pw@host:5432/name``); wins over
  ``VLRKIT_DB`` when set.
- ``VLRKIT_SECRET_KEY``: the secret key; a key is generated and kept next to the database if
  unset, so sessions survive restarts without a secret in the repository.
- ``VLRKIT_DEBUG``: ``1`` turns Django's debug mode on (never in production).
- ``VLRKIT_ALLOWED_HOSTS``: comma-separated host names (default loopback only).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent

DB_PATH = Path(os.environ.get("VLRKIT_DB", "vlrkit.sqlite3")).resolve()
DATABASE_URL = os.environ.get("VLRKIT_DATABASE_URL", "")


def _secret_key() -> str:
    if key := os.environ.get("VLRKIT_SECRET_KEY"):
        return key
    keyfile = DB_PATH.with_name(DB_PATH.name + ".secret")
    try:
        return keyfile.read_text().strip()
    except OSError:
        key = secrets.token_urlsafe(50)
        try:
            keyfile.parent.mkdir(parents=True, exist_ok=True)
            keyfile.write_text(key)
            keyfile.chmod(0o600)
        except OSError:
            pass  # read-only location: a per-process key still works
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("VLRKIT_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("VLRKIT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DB_PATH),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "simple_history",
    "vlrkit.store",
    "vlrkit.store.align",
]

# The web application (vlrkit.web) extends these in vlrkit.web.settings when it is served.
MIDDLEWARE: list[str] = []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# --- The web application (vlrkit.web) -------------------------------------------------------
# ``VLRKIT_PRODUCTION=1`` turns on secure cookies, HSTS and the HTTPS redirect (behind a TLS proxy
# that sets X-Forwarded-Proto).  ``VLRKIT_PUBLIC=0`` hides published editions from visitors who
# are not logged in (readers then need an account).
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

PRODUCTION = os.environ.get("VLRKIT_PRODUCTION", "") == "1"
PUBLIC_SITE = os.environ.get("VLRKIT_PUBLIC", "1") != "0"

INSTALLED_APPS += [
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "vlrkit.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "vlrkit.web.roles.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vlrkit.web.urls"
WSGI_APPLICATION = "vlrkit.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vlrkit.web.context.workspace",
            ],
        },
    }
]

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("VLRKIT_STATIC_ROOT") or None  # only for an optional collectstatic
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database: the server runs several processes, and a log-out must end the
# session in all of them at once (a per-process cache would keep it alive).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
#: File whose modification time is the web's data version (default: beside the database).
VLRKIT_VERSION_FILE = os.environ.get("VLRKIT_VERSION_FILE") or None
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

#: Largest request body kept in memory, and the largest upload accepted (data files, zips).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
VLRKIT_MAX_UPLOAD_BYTES = int(os.environ.get("VLRKIT_MAX_UPLOAD_MB", "50")) * 1024 * 1024

# --- Background jobs (vlrkit.web.jobs; docs/jobs.md) ----------------------------------------
# Long work (publishing an edition, validating and importing an upload, mapping a plan) is a
# task of Django's tasks framework (the django-tasks backport) queued in the database
# (django-tasks-db), run by the workers that `vlr serve` starts and restarts (or `vlr worker`),
# each task in a child process with its own memory and wall-clock limits:
# - ``VLRKIT_JOB_MEMORY_MB``: a task's memory (its process's private data, default 2048 MB);
# - ``VLRKIT_JOB_TIME_<KIND>_S``: a task's wall-clock seconds per kind (defaults below; DEFAULT
#   for any other kind);
# - ``VLRKIT_TASK_WORKERS``: task workers `vlr serve` starts (default 1; 0 runs none).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
VLRKIT_JOB_MEMORY_MB = int(os.environ.get("VLRKIT_JOB_MEMORY_MB", "2048"))
VLRKIT_JOB_TIME_S = {
    kind: int(os.environ.get(f"VLRKIT_JOB_TIME_{kind.upper()}_S", seconds))
    for kind, seconds in (("publish", 900), ("validate", 300), ("import", 600), ("align", 300), ("default", 600))
}
VLRKIT_TASK_WORKERS = int(os.environ.get("VLRKIT_TASK_WORKERS", "1"))
