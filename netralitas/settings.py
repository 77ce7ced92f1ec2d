"""Netralitas settings: one module, driven by the environment only.

With no environment at all the product runs as the embedded default: SQLite and
uploaded files under ``NETRALITAS_HOME`` (default ``./var``), no broker, and
development secrets generated once into that folder. ``NETRALITAS_ENV=production``
turns the generated secrets off: the process refuses to start without them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


ENVIRONMENT = _env("NETRALITAS_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("NETRALITAS_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

HOME = Path(_env("NETRALITAS_HOME", "var")).resolve()
HOME.mkdir(parents=True, exist_ok=True)


def _secret(env_name: str, file_name: str, generate) -> str:
    """Read a secret from the environment; in development, keep a generated one in HOME."""
    value = _env(env_name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{env_name} must be set when NETRALITAS_ENV=production")
    path = HOME / file_name
    if not path.exists():
        # O_EXCL so two processes starting together cannot write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(generate())
    return path.read_text().strip()


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = _secret("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
# Comma-separated Fernet keys; the first encrypts, all decrypt (key rotation).
ENCRYPTION_KEYS = [
    k.strip()
    for k in _secret("NETRALITAS_ENCRYPTION_KEY", "encryption_key", _new_fernet_key).split(",")
    if k.strip()
]

DEBUG = _env_bool("NETRALITAS_DEBUG", False)
ALLOWED_HOSTS = [h for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in _env("CSRF_TRUSTED_ORIGINS").split(",") if o]
CSRF_FAILURE_VIEW = "netralitas.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "netralitas.core",
    "netralitas.accounts",
    "netralitas.registry",
    "netralitas.elections",
    "netralitas.reports",
    "netralitas.cases",
    "netralitas.monitoring",
    "netralitas.selfcheck",
    "netralitas.dashboards",
    "netralitas.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netralitas.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netralitas.urls"
WSGI_APPLICATION = "netralitas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        _env("DATABASE_URL") or f"sqlite:///{HOME / 'netralitas.sqlite3'}",
        conn_max_age=_env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = _env_int("NETRALITAS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("NETRALITAS_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

REDIS_URL = _env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (scanning): Celery over Redis or RabbitMQ in production, e.g.
# CELERY_BROKER_URL=redis://127.0.0.1:6379/1 or amqp://guest:guest@127.0.0.1:5672//.
# Unset (the embedded default): `netralitas scan` runs in-process and no worker is needed.
CELERY_BROKER_URL = _env("CELERY_BROKER_URL", "")
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-batch leaves it to another worker
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = _env("TIME_ZONE", "Asia/Jakarta")  # WIB: Bangka Belitung's zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
MEDIA_ROOT = Path(_env("NETRALITAS_MEDIA_ROOT") or HOME / "media")
# Evidence is never served from a public URL; staff download it through a checked view.
MEDIA_URL = "/_media_not_public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: each evidence file is checked by content (see reports/uploads.py).
EVIDENCE_MAX_BYTES = _env_int("NETRALITAS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_FILES = _env_int("NETRALITAS_EVIDENCE_MAX_FILES", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Public endpoints: requests per address per minute.
PUBLIC_RATE_LIMIT_PER_MINUTE = _env_int("NETRALITAS_PUBLIC_RATE_LIMIT", 30)
PUBLIC_REPORT_RATE_LIMIT_PER_HOUR = _env_int("NETRALITAS_REPORT_RATE_LIMIT", 20)
# The self-check page and API, per address and minute.
SELF_CHECK_RATE_LIMIT_PER_MINUTE = _env_int("NETRALITAS_SELF_CHECK_RATE_LIMIT", 60)
# Number of trusted reverse proxies in front of the app; 0 means use REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = _env_int("NETRALITAS_TRUSTED_PROXIES", 0)

# The office running this installation, named in the case files it sends to other offices
# (docs/case-file.md). The default is the provincial BKPSDMD of Bangka Belitung, with its
# code in the agency registry.
OFFICE_CODE = _env("NETRALITAS_OFFICE_CODE", "19.OPD.BKPSDMD")
OFFICE_NAME = _env(
    "NETRALITAS_OFFICE_NAME",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah "
    "Provinsi Kepulauan Bangka Belitung",
)

# Integrity pacts: how long an employee's personal acknowledgement link stays valid, and the
# size cap of an uploaded signed sheet.
PACT_LINK_DAYS = _env_int("NETRALITAS_PACT_LINK_DAYS", 30)
PACT_MAX_BYTES = _env_int("NETRALITAS_PACT_MAX_BYTES", EVIDENCE_MAX_BYTES)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = _env_bool("NETRALITAS_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry query strings and form fields; keep them out (no PII in logs).
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# The embedded default serves static files straight from the apps (no collectstatic);
# production serves the collected, compressed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
