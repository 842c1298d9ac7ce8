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

from csp.constants import NONE, SELF  # noqa: E402

PRODUCTION = os.environ.get("VLRKIT_PRODUCTION", "") == "1"
PUBLIC_SITE = os.environ.get("VLRKIT_PUBLIC", "1") != "0"

INSTALLED_APPS += [
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

#: Largest request body kept in memory, and the largest upload accepted (data files, zips).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
VLRKIT_MAX_UPLOAD_BYTES = int(os.environ.get("VLRKIT_MAX_UPLOAD_MB", "50")) * 1024 * 1024

# --- Authentication, sessions and the audit log (vlrkit.web.security; docs/security.md) ------
# One block for OWASP ASVS 5.0 level 2.  Defaults are in vlrkit.web.security.DEFAULTS; each
# can be set here or, where named, from the environment:
# - VLRKIT_TRUSTED_PROXIES: comma-separated proxy addresses/networks whose X-Forwarded-For is
#   believed (default: none, so X-Forwarded-* headers are dropped).
# - VLRKIT_REQUIRE_2FA: 1 makes a second factor compulsory for admins and coordinators (default:
#   on when VLRKIT_PRODUCTION=1, off otherwise so that the demo's log-ins work);
#   VLRKIT_2FA_ROLES widens it (e.g. admin,coordinator,editor,data_provider,stakeholder,reader).
# - VLRKIT_SESSION_IDLE_MINUTES (30) and VLRKIT_SESSION_MAX_HOURS (12): the session timeouts.
# - VLRKIT_BREACHED_PASSWORDS_FILE: an offline, hash-sorted SHA-1 list of breached passwords.
# - VLRKIT_EMAIL_HOST (+ _PORT, _USER, _PASSWORD, _TLS, _FROM): password reset by e-mail.
# - VLRKIT_AUDIT_SYSLOG: host:port of a syslog server that receives a copy of the audit log.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "vlrkit.web.security"]
MIDDLEWARE.insert(0, "vlrkit.web.security.proxy.TrustedProxyMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("vlrkit.web.roles.AccessMiddleware"), "vlrkit.web.security.middleware.SecurityMiddleware")
AUTHENTICATION_BACKENDS = [
    "vlrkit.web.security.backends.ThrottleBackend",  # refuses throttled attempts, checks nothing else
    "django.contrib.auth.backends.ModelBackend",
]
VLRKIT_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("VLRKIT_TRUSTED_PROXIES", "").split(",") if p.strip()]
VLRKIT_REQUIRE_2FA = os.environ.get("VLRKIT_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
VLRKIT_2FA_ROLES = tuple(r.strip() for r in os.environ.get("VLRKIT_2FA_ROLES", "admin,coordinator").split(",") if r.strip())
VLRKIT_SESSION_IDLE_S = int(float(os.environ.get("VLRKIT_SESSION_IDLE_MINUTES", "30")) * 60)
VLRKIT_SESSION_MAX_S = int(float(os.environ.get("VLRKIT_SESSION_MAX_HOURS", "12")) * 3600)
SESSION_COOKIE_AGE = VLRKIT_SESSION_MAX_S
VLRKIT_BREACHED_PASSWORDS_FILE = os.environ.get("VLRKIT_BREACHED_PASSWORDS_FILE", "")
OTP_TOTP_ISSUER = "vlrkit"
CSRF_FAILURE_VIEW = "vlrkit.web.security.middleware.csrf_failure"
CONTENT_SECURITY_POLICY["DIRECTIVES"]["base-uri"] = [NONE]  # ASVS 3.4.3
if PRODUCTION:  # ASVS 3.3.3: host-only cookies (the __Host- prefix needs Secure and HTTPS)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 15}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "vlrkit.web.security.passwords.ContextWordsValidator"},
    {"NAME": "vlrkit.web.security.passwords.BreachedFileValidator"},
]
if EMAIL_HOST := os.environ.get("VLRKIT_EMAIL_HOST", ""):
    EMAIL_PORT = int(os.environ.get("VLRKIT_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("VLRKIT_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("VLRKIT_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("VLRKIT_EMAIL_TLS", "1") == "1"
    DEFAULT_FROM_EMAIL = os.environ.get("VLRKIT_EMAIL_FROM", "vlrkit@localhost")
PASSWORD_RESET_TIMEOUT = 30 * 60  # e-mailed reset links, like the admin-issued ones
# VLRKIT_AUDIT_SYSLOG=host:port also sends every audit entry (one JSON line) to a syslog server on
# another machine (ASVS 16.4.3); the database keeps its own hash-chained copy either way.
if _syslog := os.environ.get("VLRKIT_AUDIT_SYSLOG", ""):
    _host, _, _port = _syslog.rpartition(":")
    LOGGING = {
        "version": 1, "disable_existing_loggers": False,
        "handlers": {"vlrkit_audit": {"class": "logging.handlers.SysLogHandler",
                                      "address": (_host or "localhost", int(_port or 514)), "facility": "auth"}},
        "loggers": {"vlrkit.audit": {"handlers": ["vlrkit_audit"], "level": "INFO", "propagate": False}},
    }

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
