"""One settings module for every environment, driven by environment variables.

With no environment at all the Atlas runs embedded: SQLite in var/, Celery tasks
executed eagerly, an in-process cache. Setting DATABASE_URL, CELERY_BROKER_URL and
CACHE_URL moves the same code onto PostgreSQL and Redis; nothing else changes.
"""

import secrets
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Part of every API ETag, so a deploy that changes what the API says invalidates caches.
ATLAS_VERSION = "0.1.0"
VAR_DIR = Path(env_str("ATLAS_VAR_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, or a random key kept in var/ so the embedded default needs no env."""
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Rotation: the previous key(s) here keep existing sessions and signed links valid while
# new ones are signed with the new key; drop them once sessions have turned over.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_celery_beat",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "actors",
    "initiatives",
    "dashboard",
    "curation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dashboard.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which curator made each change in the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so a cached answer still passes through every header-setting middleware.
    "dashboard.middleware.PublicResponseMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "dashboard.context_processors.last_refresh",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'atlas.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            # Misses and dropped writes while Redis is down: everything cached can be
            # recomputed from the database (config/cache.py).
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve straight from the finders so `runserver` and tests need no collectstatic.
WHITENOISE_USE_FINDERS = True

# Security: the same headers in every environment; TLS-only settings follow DJANGO_HTTPS.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Plotly adds rules to an empty <style> element through the CSSOM; the one hash allowed is
# that of the empty string, so no inline style with any content can run.
EMPTY_INLINE_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' {EMPTY_INLINE_STYLE} 'report-sample'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds a queued refresh waits, so that a burst of curator edits gives one refresh.
ATLAS_REFRESH_DEBOUNCE_SECONDS = env_int("ATLAS_REFRESH_DEBOUNCE_SECONDS", 5)
# How often beat looks for a refresh that curated changes are owed (their own was lost:
# broker down, worker killed), and how old the last change must be before it steps in.
ATLAS_CATCH_UP_SECONDS = env_int("ATLAS_CATCH_UP_SECONDS", 300)
ATLAS_CATCH_UP_GRACE_SECONDS = env_int("ATLAS_CATCH_UP_GRACE_SECONDS", 120)

# The public API: read-only, anonymous, throttled; see config/api.py.
API_ANON_RATE = env_str("API_ANON_RATE", "300/minute")
# Failed admin sign-ins per client address (and per user name) before the form refuses.
ADMIN_LOGIN_RATE = env_str("ADMIN_LOGIN_RATE", "5/15m")
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none, use the
# socket's address). Rate limits key on the client address this gives.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AtlasAutoSchema",
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    # Throttling happens in dashboard.middleware.PublicResponseMiddleware, before the
    # response cache, so cached answers count too.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": "format",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tech Policy Atlas API",
    "DESCRIPTION": (
        "Read-only access to the Atlas: initiatives, principles, participations with honest "
        "status and dated precision, measures targeting companies, the unified timeline, the "
        "principle crosswalk and the signatory map. Every list takes the same filters as the "
        "pages, pages with limit/offset, and streams every matching row as CSV with "
        "?format=csv or Accept: text/csv."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "initiatives.models.Role",
        "ParticipationStatusEnum": "initiatives.models.ParticipationStatus",
        "InitiativeStatusEnum": "initiatives.models.InitiativeStatus",
        "InitiativeKindEnum": "initiatives.models.InitiativeKind",
        "MeasureKindEnum": "initiatives.models.MeasureKind",
        "ActorKindEnum": "actors.models.ActorKind",
        "PrecisionEnum": "initiatives.partial_dates.Precision",
    },
}

ATLAS_DATA_DIR = Path(env_str("ATLAS_DATA_DIR", str(BASE_DIR / "data")))
# Nightly dataset backups (beat) and how many of them to keep.
ATLAS_BACKUP_DIR = Path(env_str("ATLAS_BACKUP_DIR", str(VAR_DIR / "backups")))
ATLAS_BACKUP_KEEP = env_int("ATLAS_BACKUP_KEEP", 14)


def _not_throttled(record) -> bool:
    # A 429 is the throttle working, not a fault: one warning per refused request would
    # bury the log under a single busy client.
    return getattr(record, "status_code", None) != 429


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "not_throttled": {"()": "django.utils.log.CallbackFilter", "callback": _not_throttled}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["not_throttled"]},
    },
}
