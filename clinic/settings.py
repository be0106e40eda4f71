"""Exoclinic settings: one module, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable. A malformed value stops the process at start-up with a
message that names the variable, instead of running half-configured.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from clinic.lib import quiet_hours as _quiet_hours

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)



def secret_key_is_weak(key: str) -> bool:
    """Django's own measure (security.W009): short, few distinct characters, or its dev prefix."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for a developer's laptop: DEBUG is on, nothing here is real.
    SECRET_KEY = "django-insecure-exoclinic-development-only-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and secret_key_is_weak(SECRET_KEY):
    # Sessions, password-reset and invitation links are signed with it: a guessable key is a
    # way into every account, so production refuses to start rather than warn.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters with at "
        "least 5 different ones, not Django's 'django-insecure-' key (make one with: python -c "
        "'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "phonenumber_field",
    "simple_history",
    "clinic",
    "patients",
    "treatments",
    "audit",
    "interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses the finished body (brotli or gzip), so it stays before everything that writes it.
    "clinic.compression.CompressionMiddleware",
    # Early: a NUL byte in a path or value never reaches a view or a query.
    "clinic.middleware.NulByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks whether this session proved a second factor (request.user.is_verified()).
    "clinic.twofactor.middleware.SessionOTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Pages for signed-in people carry patient data: never cached (static files are not affected).
    "clinic.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request sent to sign in moves the whole page there (HX-Redirect), not the fragment.
    "clinic.middleware.HtmxLoginRedirectMiddleware",
    "clinic.middleware.ClinicMiddleware",
    # Idle and absolute session limits, then the second step: before any view reads a record.
    "clinic.session_limits.SessionLimitsMiddleware",
    "clinic.twofactor.middleware.TwoFactorMiddleware",
    # A tablet handed to a patient to sign consent opens nothing else until the staff password.
    "patients.handover.HandoverMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
ASGI_APPLICATION = "clinic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.navigation",
            ],
        },
    },
]

# Caches: in each process's memory. "busy" holds the slot finder's merged busy time per day
# (treatments.services.busy), keyed by tokens the database renews: a process never serves what
# another one's booking made stale, so nothing needs sharing between servers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "busy": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "busy",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# Database: SQLite under var/ for a zero-setup laptop; PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'exoclinic.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the task worker and the web server use the file at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "POSTGRES_JIT", False
):
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, which a
    # report's year of appointments reaches: compiling took 70-130 ms of a 300 ms budget, more
    # than it saved. The clinic's queries are short; none gains from it. (POSTGRES_JIT=1 leaves
    # the server's setting, and sends no startup option, which a pooler may refuse.)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On PostgreSQL a read page's access log entry is committed without waiting for the WAL flush
# (audit/services.py says why and what that risks); 1 makes every entry wait.
ACCESS_LOG_WAIT_FOR_DISK = env_bool("ACCESS_LOG_WAIT_FOR_DISK", True)

# People
AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Emails anyone can trigger, per hour (clinic/throttle.py): beyond these nothing is sent.
PASSWORD_RESET_EMAILS_PER_ACCOUNT = env_int("PASSWORD_RESET_EMAILS_PER_ACCOUNT", 3)
PASSWORD_RESET_EMAILS_PER_ADDRESS = env_int("PASSWORD_RESET_EMAILS_PER_ADDRESS", 10)
PORTAL_INVITATIONS_PER_ADDRESS = env_int("PORTAL_INVITATIONS_PER_ADDRESS", 3)
# Codes for booking a first consultation online (/book/): to one email, and from one IP address.
ONLINE_BOOKING_CODES_PER_EMAIL = env_int("ONLINE_BOOKING_CODES_PER_EMAIL", 3)
ONLINE_BOOKING_CODES_PER_ADDRESS = env_int("ONLINE_BOOKING_CODES_PER_ADDRESS", 10)

# Brute-force protection: five failures for one account from one address lock it for an hour,
# and so do twenty from one address over any accounts (password spraying; Axes has one limit,
# clinic/lockout.py adds the second). The email is counted as login reads it: trimmed, lower case.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "clinic.lockout.axes_username"
AXES_HANDLER = "clinic.lockout.ClinicAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_VERBOSE = False

# Two-factor login (django-otp: authenticator apps, recovery codes; django-otp-webauthn:
# passkeys). Wrong codes per account within the hour before the second step locks for an hour.
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Exoclinic")
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER

# Sessions: staff are logged out after STAFF_IDLE_MINUTES without a request and
# STAFF_SESSION_HOURS after logging in, patients after PATIENT_IDLE_MINUTES idle.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", 12)
PATIENT_IDLE_MINUTES = env_int("PATIENT_IDLE_MINUTES", 30)

# Time: stored in UTC, shown in the clinic's zone.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
USE_I18N = True
USE_TZ = True

# Static files are vendored under static/ (no CDN: clinics run closed networks).
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Uploaded clinical photos live outside any public path and are served only through
# views that check who is asking.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Photos of faces: readable by the app's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Email (Django 6.1 mailers): SMTP when EMAIL_HOST is set. Without it, DEBUG writes each
# message to a file under var/mail/ (the demo sends many; the console stays readable), and
# production prints them to the console.
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if _EMAIL_HOST:
    _MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": env_int("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 20,
        },
    }
elif DEBUG:
    _MAILER = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
else:
    _MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Exoclinic <clinic@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework, stored in the database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Appointment reminders go this many hours before the start.
REMINDER_HOURS_BEFORE = env_int("REMINDER_HOURS_BEFORE", 48)
# Texts to patients (treatments/services/sms.py): "console" writes them to the log and to
# var/sms/; "twilio" sends them through Twilio with the credentials below.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_DIR = Path(os.environ.get("SMS_DIR", VAR_DIR / "sms"))
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "")
if SMS_BACKEND == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN):
    raise ImproperlyConfigured("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
# The provider reports texts that never reached the phone to treatments:sms_status (SITE_URL
# must be the public address the provider can reach); 0 asks for no reports.
SMS_DELIVERY_REPORTS = env_bool("SMS_DELIVERY_REPORTS", True)
# No texts between these two times on the clinic's clock; a text due then goes at the end.
# Empty: texts at any hour.
SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "21:00-08:00").strip()
try:
    if SMS_QUIET_HOURS:
        _quiet_hours.parse(SMS_QUIET_HOURS)
except ValueError as _error:
    raise ImproperlyConfigured(f"SMS_QUIET_HOURS: {_error}") from None
# Minutes to wait before each new try of a text the provider could not take (busy or down).
try:
    SMS_RETRY_MINUTES = [int(part) for part in env_list("SMS_RETRY_MINUTES", ["2", "10"])]
except ValueError:
    raise ImproperlyConfigured("SMS_RETRY_MINUTES must be whole numbers, e.g. 2,10.") from None
# An urgent clinical alert nobody has handled after this many hours goes to every dermatologist.
ALERT_ESCALATE_HOURS = env_int("ALERT_ESCALATE_HOURS", 4)
# The address patients and calendar apps reach the site at, for links in emails (no request there).
# `make run` sets it to the port it serves on; `check --deploy` refuses it unset or local
# (clinic/checks.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")
# Passkeys are bound to the address people reach the site at; they are a second factor only.
# Browsers refuse an IP address as a passkey's site, so on a laptop they work at localhost.
_site = urlsplit(SITE_URL)
_passkey_site = "localhost" if _site.hostname == "127.0.0.1" else _site.hostname
OTP_WEBAUTHN_RP_ID = _passkey_site
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"{_site.scheme}://{_passkey_site}" + (f":{_site.port}" if _site.port else "")
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION", "GB")
PHONENUMBER_DB_FORMAT = "E164"

# History of changes on clinical records: who changed what, and when.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Security. The Content Security Policy allows our own scripts and styles only: no
# inline script, no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Lockouts must count the client's address, not the load balancer's (one hop by default).
    AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The Twilio client logs every request's headers at INFO.
        "twilio.http_client": {"level": "WARNING"},
    },
}
