"""Django settings for Accords, read from the environment.

ACCORDS_DATABASE_URL  chooses the database (default: SQLite in the data folder).
ACCORDS_DATA_DIR      the data folder (default: ./data): SQLite file, secret key, static files.
ACCORDS_PRODUCTION=1  production mode: no debug, secure cookies and HSTS, and a secret key
                      must be given in ACCORDS_SECRET_KEY or the process refuses to start.
ACCORDS_DEBUG=1       Django's debug pages, for development only.
ACCORDS_LOG_ORIGIN    the audit log's name in its checkpoints: the deployment, as a
                      scheme-less URL (default: localhost/accords).
ACCORDS_LOG_KEY       the key that signs the audit log's checkpoints (a note signing key,
ACCORDS_LOG_KEY_FILE  PRIVATE+KEY+...), given itself or as a file; never in the database.
                      Outside production, one is kept in the data folder if neither is set.

The data folder is kept 0700 and the files in it that are secret (the key, the SQLite database)
0600: they hold every person's case and the key that signs every session.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accords.core.keys import key_kept

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ACCORDS_DATA_DIR", Path.cwd() / "data")).resolve()
PRODUCTION = os.environ.get("ACCORDS_PRODUCTION") == "1"
DEBUG = os.environ.get("ACCORDS_DEBUG") == "1" and not PRODUCTION


DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)


def _private_database(path: Path) -> Path:
    """The SQLite file, created readable by its owner alone before SQLite opens it (SQLite gives
    its WAL and shared-memory files the database's mode); an existing one is taken back to that."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        if file.exists():
            file.chmod(0o600)
    return path


def _secret_key() -> str:
    """The key from the environment; outside production, one kept in the data folder."""
    key = os.environ.get("ACCORDS_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "ACCORDS_SECRET_KEY is not set: production mode refuses to start without a secret key."
        )
    return key_kept(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


SECRET_KEY = _secret_key()

AUDIT_LOG_ORIGIN = os.environ.get("ACCORDS_LOG_ORIGIN", "localhost/accords")
AUDIT_LOG_KEY = os.environ.get("ACCORDS_LOG_KEY", "")
AUDIT_LOG_KEY_FILE = os.environ.get("ACCORDS_LOG_KEY_FILE", "")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ACCORDS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # Listed so that its docs page is rendered from its own templates with the Swagger UI
    # files it ships, served by the app: without it, django-ninja loads them from a CDN.
    "ninja",
    "accords.core",
    "accords.audit",
    "accords.registry",
    "accords.cases",
    "accords.transfers",
    "accords.reception",
    "accords.ledger",
    "accords.transparency",
    "accords.programme",
    "accords.demo",
    "accords.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's own language and time zone (their profile), once they are known.
    "accords.core.middleware.UserLanguageAndZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accords.urls"

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
                "accords.core.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "accords.wsgi.application"


def _database() -> dict:
    url = os.environ.get("ACCORDS_DATABASE_URL", "")
    if not url or url == "sqlite://":
        # Tests pass "sqlite://" to mean the default engine; Django's test runner then uses a
        # database of its own, so the file name only matters outside tests.
        url = f"sqlite:///{_private_database(DATA_DIR / 'accords.sqlite3')}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction, so two writers queue instead of failing half-way.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every sign-in goes through django-axes first: after five failed attempts for one username
# from one address, that pair is locked out for fifteen minutes, whatever the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accords.core.views.signin_locked_out"

# A signed-in session ends after thirty minutes without a request. Django's own settings do
# it: the session is saved on every request, which moves its expiry (in the database and in
# the cookie) thirty minutes on; one small write per signed-in request is the price.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The receiving state's caseworkers read their pages in English or French (issue 10).
LANGUAGES = [("en", "English"), ("fr", "Français")]
# Each in its own name, as a reader of it looks for it; Arabic pages read right to left.
LANGUAGES += [("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Until `collectstatic` has run (tests, development), static files are served straight from
# the apps; `accords demo` and `accords serve` collect them first.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()
if WHITENOISE_USE_FINDERS:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("ACCORDS_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Everything the pages load comes from the app itself; no inline script or style runs. Images
# may be data: addresses (the Swagger UI stylesheet draws its icons so).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background jobs (accords/jobs). ACCORDS_TASK_BROKER names the queue's broker, Redis at
# redis://HOST:6379/N, where Celery workers on any number of machines take the jobs
# (`accords worker`); production uses the local Redis unless told otherwise. Without a broker
# (the embedded default) a job runs in a thread of the process that asked for it, once the
# request's transaction has committed. Live progress goes to the "jobs" cache (Redis beside
# the broker, else files in the data folder, which every process on the machine reads).
TASK_BROKER = os.environ.get(
    "ACCORDS_TASK_BROKER", "redis://127.0.0.1:6379/0" if PRODUCTION else ""
)
JOB_RUNNER = "celery" if TASK_BROKER else "thread"
JOB_QUEUE = os.environ.get("ACCORDS_TASK_QUEUE", "accords-jobs")  # deployments sharing a broker
JOB_MAX_ATTEMPTS = 3
JOB_RETRY_SECONDS = 30  # doubled at each further attempt
JOB_SILENCE_MINUTES = 15  # a running job without progress this long has lost its worker
JOB_FILES_DIR = Path(os.environ.get("ACCORDS_JOB_FILES", DATA_DIR / "jobs")).resolve()
CELERY_BROKER_URL = TASK_BROKER or "memory://"
CELERY_TASK_ACKS_LATE = True  # a worker lost mid-job hands it back to the queue
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time
CELERY_TASK_IGNORE_RESULT = True  # the job's record keeps the result
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TASK_BROKER,
         "KEY_PREFIX": "accords-jobs"}
        if TASK_BROKER.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
              "LOCATION": str(JOB_FILES_DIR / "progress")}
    ),
}  # fmt: skip
