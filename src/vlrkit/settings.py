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
