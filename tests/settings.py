"""Test settings: the real settings module, with the environment a test run needs.

Only environment values are given here, so tests exercise the same settings code
that production runs. Explicit environment variables (DATABASE_URL) still win.
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 60)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("PLAIN_STATIC", "1")
# Texts are kept in memory (treatments.services.sms.outbox), as emails are in mail.outbox.
os.environ.setdefault("SMS_BACKEND", "memory")
# Tests travel in time (a booking at 09:00, the check-in at 09:52) as one person who stays at
# work: the session limits are far away unless a test sets them (tests/accounts/).
os.environ.setdefault("STAFF_IDLE_MINUTES", str(60 * 24 * 400))
os.environ.setdefault("PATIENT_IDLE_MINUTES", str(60 * 24 * 400))
os.environ.setdefault("STAFF_SESSION_HOURS", str(24 * 400))

from clinic.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests hash many passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One folder per test process, so parallel runs never see each other's photo files.
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# SQLite: a test database in a file, like the real one, rather than Django's shared-cache
# in-memory default. Threads and the task worker then wait on the busy timeout and take the
# write lock at BEGIN IMMEDIATE, as in production, instead of failing at once with "database
# table is locked". pytest-xdist gives each worker its own file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-exoclinic.sqlite3")}  # noqa: F405
