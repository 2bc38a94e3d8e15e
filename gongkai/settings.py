"""gongkai settings: one module, every value read from an environment variable.

The variables, their defaults and the reasons for the security thresholds are listed in
docs/configuration.md. Configuration mistakes do not raise here; they are collected in
CONFIG_ERRORS and reported by the system check in gongkai/checks.py, so that a wrong
DATABASE_URL or a missing SECRET_KEY stops start-up with a clear message instead of a
stack trace.
"""

from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets typed generics such as QuerySet["Agency"] and ModelForm[Agency] work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
# A local .env file is optional; production sets real environment variables.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# Problems found while reading the environment: (check id, detail) pairs that
# gongkai.checks turns into translated error messages.
CONFIG_ERRORS: list[tuple[str, str]] = []

DEBUG = env.bool("DEBUG", default=False)


def _env_int(name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    """An integer setting; a bad value is reported by the checks (gongkai.E004)."""
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f"..{maximum}"
        CONFIG_ERRORS.append(("gongkai.E004", f"{name}={raw} ({minimum}{upper})"))
        return default
    return value


_INSECURE_KEY = "django-insecure-gongkai-development-only"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    SECRET_KEY = _INSECURE_KEY
    if not DEBUG:
        CONFIG_ERRORS.append(("gongkai.E001", ""))

# The HMAC key of the audit log's and the publication log's chains (gongkai.audit.integrity),
# kept outside the database and apart from SECRET_KEY. Unset, a key derived from SECRET_KEY
# stands in and `check --deploy` warns (gongkai.W001).
AUDIT_KEY = env.str("AUDIT_KEY", default="")
AUDIT_KEY_MISSING = not AUDIT_KEY
if AUDIT_KEY_MISSING:
    import hashlib

    AUDIT_KEY = hashlib.sha256(b"gongkai-audit-key:" + SECRET_KEY.encode()).hexdigest()
# Rotation: the keys AUDIT_KEY replaced (comma-separated, newest first), kept so that the
# entries made under them still verify; new entries always use AUDIT_KEY.
AUDIT_KEYS_OLD = env.list("AUDIT_KEYS_OLD", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "gongkai.orgs",
    "gongkai.audit",
    "gongkai.jobs",
    "gongkai.workdays",
    "gongkai.foi",
    "gongkai.publishing",
    "gongkai.records",
    "gongkai.annual",
    "gongkai.evaluation",
    "gongkai.search",
    "gongkai.portal",
    "gongkai.office",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # no-store on the back office, Secure on every cookie, CSP (gongkai/lib/headers.py).
    "gongkai.lib.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which database the request reads: a replica for the portal, the primary after a
    # write (gongkai/lib/replicas.py; does nothing without DATABASE_REPLICA_URLS).
    "gongkai.lib.replicas.ReplicaMiddleware",
    # Cached portal pages are answered here, before sessions and the rest (portal/cache.py).
    "gongkai.portal.cache.PortalCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.audit.middleware.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongkai.portal.preferences.TraditionalChineseMiddleware",
    # The second factor before anything else of the back office or the admin (orgs/mfa.py).
    "gongkai.orgs.mfa.SecondFactorMiddleware",
    "gongkai.orgs.middleware.PasswordExpiryMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.orgs.context_processors.office",
                "gongkai.portal.preferences.context",
            ],
        },
    },
]

# django-bootstrap5 renders forms; its CSS and JS come from our own static files
# (node_modules via npm), never from a CDN that government intranets cannot reach.
BOOTSTRAP5 = {
    "css_url": None,
    "javascript_url": None,
    "set_placeholder": False,
    "required_css_class": "required",
    "field_renderers": {"default": "gongkai.lib.forms.FieldRenderer"},
}

# --- Database -------------------------------------------------------------------------
# SQLite file by default (no configuration); PostgreSQL when DATABASE_URL is set.
SQLITE_PATH = Path(env.str("SQLITE_PATH", default=str(BASE_DIR / "var" / "gongkai.sqlite3")))


def _sqlite_database(path: Path | str) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets the portal read while staff write; IMMEDIATE avoids the
            # "database is locked" upgrade deadlock of deferred transactions.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    try:
        _db = env.db_url_config(DATABASE_URL)
        if _db["ENGINE"] not in (
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        ):
            raise ImproperlyConfigured(f"unsupported engine {_db['ENGINE']}")
        if _db["ENGINE"] == "django.db.backends.sqlite3":
            _db = _sqlite_database(_db["NAME"] or SQLITE_PATH)
        else:
            _db.setdefault("OPTIONS", {})
            # Keep psycopg's client-side binding (Django's default): server-side binding
            # switches auto-prepared LIKE queries to slow generic plans (stack evaluation §3c).
            _db["CONN_MAX_AGE"] = _env_int("CONN_MAX_AGE", 60, 0)
            _db["CONN_HEALTH_CHECKS"] = True
            _db["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        CONFIG_ERRORS.append(("gongkai.E002", str(exc)))
        # A harmless placeholder so that the check framework can run and report.
        _db = _sqlite_database(":memory:")
    DATABASES = {"default": _db}
else:
    # The embedded default must work on a fresh checkout: make its folder.
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": _sqlite_database(SQLITE_PATH)}

# Read replicas (PostgreSQL streaming standbys): the portal's and the API's reads go to one
# of them, writes and a writer's next reads to the primary (gongkai/lib/replicas.py).
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
# After a write the browser reads the primary this long (a cookie), so that the page a
# POST redirects to shows what it saved while the standbys catch up.
REPLICA_PIN_SECONDS = _env_int("REPLICA_PIN_SECONDS", 10, 0, 3600)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URLS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        CONFIG_ERRORS.append(("gongkai.E006", "DATABASE_URL is not PostgreSQL"))
    else:
        for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
            try:
                _replica = env.db_url_config(_url)
                if _replica["ENGINE"] != "django.db.backends.postgresql":
                    raise ImproperlyConfigured(f"not PostgreSQL: {_url}")
            except (ImproperlyConfigured, KeyError, ValueError) as exc:
                CONFIG_ERRORS.append(("gongkai.E006", str(exc)))
                continue
            _replica.setdefault("OPTIONS", {})
            _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
            _replica["CONN_HEALTH_CHECKS"] = True
            # Tests: the standby already holds the primary's test database (replayed),
            # under the same name; nothing is created on it.
            _replica["TEST"] = {"MIRROR": "default"}
            DATABASES[f"replica_{_number}"] = _replica
        DATABASE_ROUTERS = ["gongkai.lib.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and 等保 level-3 login security (docs/configuration.md) -------------
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "login"

# Login limits are gongkai.orgs.login_limits (per account and address, per account, per
# address).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 8, 6, 128)
PASSWORD_MIN_CHARACTER_CLASSES = _env_int("PASSWORD_MIN_CHARACTER_CLASSES", 3, 1, 4)
# 等保 8.1.4.1 a) 身份鉴别信息……定期更换. 0 turns the forced change off.
PASSWORD_MAX_AGE_DAYS = _env_int("PASSWORD_MAX_AGE_DAYS", 90, 0)
# A new password may not be the current one or one of the last N (0: no history).
PASSWORD_HISTORY_COUNT = _env_int("PASSWORD_HISTORY_COUNT", 5, 0, 24)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.orgs.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongkai.orgs.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
    {"NAME": "gongkai.orgs.passwords.PasswordHistoryValidator"},
]

# 等保 8.1.4.1 b) 限制非法登录次数: lock the account name after N failures.
LOGIN_FAILURE_LIMIT = _env_int("LOGIN_FAILURE_LIMIT", 5, 1, 100)
LOGIN_LOCKOUT_MINUTES = _env_int("LOGIN_LOCKOUT_MINUTES", 30, 1)
# Slower limits (per hour): one account from any address, one address across accounts.
LOGIN_ACCOUNT_FAILURE_LIMIT = _env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20, 1, 10000)
LOGIN_ADDRESS_FAILURE_LIMIT = _env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, 1, 10000)

# Guessing query codes (gongkai.portal.limits): wrong codes an hour per application number
# and per address, then a wait; resends of the query code an hour likewise.
TRACK_FAILURES_PER_NUMBER = _env_int("TRACK_FAILURES_PER_NUMBER", 10, 1, 1000)
TRACK_FAILURES_PER_ADDRESS = _env_int("TRACK_FAILURES_PER_ADDRESS", 30, 1, 10000)
TRACK_LOCK_MINUTES = _env_int("TRACK_LOCK_MINUTES", 60, 1, 1440)
RESEND_PER_NUMBER = _env_int("RESEND_PER_NUMBER", 3, 1, 100)
RESEND_PER_ADDRESS = _env_int("RESEND_PER_ADDRESS", 10, 1, 1000)

# 等保 8.1.4.1 d): a second factor (TOTP) for superusers, Django-admin staff and these roles.
MFA_REQUIRED_ROLES = tuple(
    env.list(
        "MFA_REQUIRED_ROLES",
        default=["admin", "security_admin", "audit_admin", "supervisor"],
    )
)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="gongkai")
# A wrong code makes the next try wait 1 s, then 2, 4 … (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# 第十八条: withheld information is re-assessed at least this often.
WITHHELD_REREVIEW_MONTHS = _env_int("WITHHELD_REREVIEW_MONTHS", 12, 1, 60)
# 行政规范性文件 with a period of validity (有效期): staff are reminded this many days before
# it ends (gongkai.publishing.reminders).
NORMATIVE_EXPIRY_REMIND_DAYS = _env_int("NORMATIVE_EXPIRY_REMIND_DAYS", 60, 1, 365)
# 同步发布 (regulation-notes-2 §11.1): an interpretation published more than this many working
# days after its document is marked late.
INTERPRETATION_SYNC_WORKING_DAYS = _env_int("INTERPRETATION_SYNC_WORKING_DAYS", 3, 0, 60)

# 等保 8.1.4.1 b) 登录连接超时自动退出: the session ends after this much inactivity.
SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30, 1, 1440)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
# Front-end libraries come from the npm registry at set-up (package.json) into
# node_modules/; they are never committed. whitenoise serves everything.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/jodit", BASE_DIR / "node_modules" / "jodit" / "es2021"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# --- Mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gongkai@localhost")
# Where the file-based backend writes each message (`make demo` uses it: var/mail/).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
# An unreachable mail server must not hold requests (or SQLite's write lock) for minutes.
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 10, 1)
# A class with send(phone, text); the default writes to the log (gongkai.foi.notify).
SMS_BACKEND = env.str("SMS_BACKEND", default="gongkai.foi.notify.LoggingSmsSender")

# --- Background tasks (gongkai/jobs, docs/deployment.md) ----------------------------------
# "database": tasks are rows in the database and `manage.py db_worker` runs them (no broker,
# on SQLite and PostgreSQL alike; PostgreSQL workers scale out with SKIP LOCKED).
# "immediate": each task runs at once inside the process that enqueued it (tests, scripts).
TASK_BACKEND = env.str("TASK_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in _TASK_BACKENDS:
    CONFIG_ERRORS.append(("gongkai.E004", f"TASK_BACKEND={TASK_BACKEND} (database, immediate)"))
    TASK_BACKEND = "database"
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
# A failing task is tried this many times in all, waiting TASK_RETRY_SECONDS, then twice
# as long each time (at most a day); then it is recorded as failed for the administrators.
TASK_MAX_ATTEMPTS = _env_int("TASK_MAX_ATTEMPTS", 5, 1, 50)
TASK_RETRY_SECONDS = _env_int("TASK_RETRY_SECONDS", 60, 1, 86400)
# A task still marked running this long after it started is taken to belong to a worker
# that was killed, and is queued again (`run_scheduler` checks every minute).
TASK_STALE_MINUTES = _env_int("TASK_STALE_MINUTES", 30, 1, 10080)
# Finished task rows are deleted after this many days (the failures stay in TaskFailure).
TASK_KEEP_DAYS = _env_int("TASK_KEEP_DAYS", 14, 1, 3650)

# --- Production hardening ------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
# Content-Security-Policy (gongkai/lib/headers.py): enforce (default), report-only or off.
CSP_MODE = env.str("CSP_MODE", default="enforce")
if CSP_MODE not in ("off", "report-only", "enforce"):
    CONFIG_ERRORS.append(("gongkai.E005", CSP_MODE))
    CSP_MODE = "enforce"
# Where browsers send violation reports (gongkai.portal.csp_report); "" sends none. Reports
# beyond CSP_REPORTS_PER_ADDRESS an hour from one address are dropped.
CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="/csp-report/")
CSP_REPORTS_PER_ADDRESS = _env_int("CSP_REPORTS_PER_ADDRESS", 60, 1, 100000)
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
if CSP_REPORT_URI:
    CSP_DIRECTIVES["report-uri"] = CSP_REPORT_URI
    CSP_DIRECTIVES["report-to"] = "csp"  # the endpoint named in Reporting-Endpoints
SECURE_CONTENT_TYPE_NOSNIFF = True
# The reverse proxies whose X-Forwarded-For the audit log believes (gongkai.audit.log).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
X_FRAME_OPTIONS = "DENY"

# Day 1 of a statutory period: "after_event" (the first working day after the event, the
# default; see gongkai.workdays.calendar.DayOne for the basis) or "event_day".
WORKDAY_DAY_ONE = env.str("WORKDAY_DAY_ONE", default="after_event")
if WORKDAY_DAY_ONE not in ("after_event", "event_day"):
    CONFIG_ERRORS.append(("gongkai.E003", WORKDAY_DAY_ONE))

# Application numbers: per agency and year, gap-free. Placeholders: agency_code, year, seq.
FOI_NUMBER_FORMAT = env.str("FOI_NUMBER_FORMAT", default="{agency_code}-{year}-{seq:05d}")

# Outcomes (table 三 keys) whose decision letter carries the 复议前置 wording of 行政复议法
# 第二十三条 (apply for review first, no offer of direct litigation). How far "不予公开"
# reaches is unconfirmed (regulation-notes-2 §9.2); the default is the documented one:
# the seven 第三十六条第（三）项 grounds and 第三十七条 部分公开 (its withheld part).
# 36(七) 行政查询事项 keeps the ordinary clause. Comma-separated keys in the environment.
FOI_PRIOR_REVIEW_OUTCOMES = tuple(
    env.list(
        "FOI_PRIOR_REVIEW_OUTCOMES",
        default=[
            "partially_granted",
            "denied_state_secret",
            "denied_law_prohibited",
            "denied_three_security_one_stability",
            "denied_third_party_rights",
            "denied_internal_affairs",
            "denied_process_info",
            "denied_enforcement_case_file",
        ],
    )
)

# A step's date may lie this many working days before the day it is recorded; further back
# needs the disclosure office head's approval with a reason (gongkai.foi.actions).
FOI_BACKDATE_WORKING_DAYS = _env_int("FOI_BACKDATE_WORKING_DAYS", 3, 0, 60)
# An issued letter e-mailed to an applicant who chose e-mail is tried this many times, with
# a growing wait, before the office is left to deliver it another way (gongkai.foi.delivery).
FOI_DELIVERY_MAX_ATTEMPTS = _env_int("FOI_DELIVERY_MAX_ATTEMPTS", 5, 1, 20)

# Portal pages kept for anonymous visitors until staff change anything (portal/cache.py),
# at most this long; 0 turns the cache off.
PORTAL_CACHE_SECONDS = _env_int("PORTAL_CACHE_SECONDS", 300, 0, 86400)
# The cache: in each server process by default (room for the portal's popular pages);
# CACHE_URL=redis://... shares one between processes (Django's Redis backend).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://gongkai")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {"MAX_ENTRIES": 3000})

SITE_NAME = env.str("SITE_NAME", default="") or _("Government Information Disclosure Platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
