import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.settings import env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example , b.example,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


STRONG_KEY = "q7-Lw0_Vz3xNc9Rb2Tf5Yh8Jk1Mp4Sd6Ga0Ue3Io7Pl2Kj9Hg5Fd8Sa1Qw4Er6Ty"


def _load_settings(*, show="s.TIME_ZONE, s.DEBUG", **env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    names = {"DEBUG", "SECRET_KEY", "TIME_ZONE", "EMAIL_HOST", "SITE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    clean.update(env)
    return subprocess.run(  # noqa: S603  (our own interpreter, our own code)
        [sys.executable, "-c", f"import clinic.settings as s; print({show})"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_without_debug():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_unknown_time_zone_is_refused():
    result = _load_settings(DEBUG="1", TIME_ZONE="Mars/Olympus")
    assert result.returncode != 0
    assert "Mars/Olympus" in result.stderr


def test_debug_defaults_off_and_zone_defaults_to_london():
    result = _load_settings(SECRET_KEY=STRONG_KEY)
    assert result.stdout.split() == ["Europe/London", "False"]


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Xq81",
        "k" * 60,
        "abab" * 20,
        "django-insecure-" + STRONG_KEY,
    ],
    ids=["short", "one character", "few characters", "django-insecure prefix"],
)
def test_a_weak_secret_key_stops_production_start_up(key):
    result = _load_settings(DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert key not in result.stderr  # the message never repeats the key


def test_debug_keeps_its_development_key():
    result = _load_settings(DEBUG="1", show="s.SECRET_KEY.startswith('django-insecure-')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_debug_without_an_email_host_writes_mail_to_files_under_var():
    show = "s.MAILERS['default']['BACKEND'], s.MAILERS['default']['OPTIONS']['file_path']"
    result = _load_settings(DEBUG="1", show=show)
    assert result.returncode == 0, result.stderr
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path.endswith("/var/mail")


def test_an_email_host_sends_by_smtp_even_in_debug():
    show = "s.MAILERS['default']['BACKEND'], s.MAILERS['default']['OPTIONS']['host']"
    result = _load_settings(DEBUG="1", EMAIL_HOST="smtp.example.org", show=show)
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert result.stdout.split() == [smtp, "smtp.example.org"]


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_have_no_inline_script(client_for):
    from clinic.models import Role

    html = client_for(Role.MANAGER).get("/").text
    assert "<script>" not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0], "inline <script> would be blocked by the CSP"


def test_postgres_connections_turn_jit_off_unless_told_not_to():
    show = "s.DATABASES['default'].get('OPTIONS', {}).get('options')"
    url = "postgres://clinic@db.example:5432/exoclinic"
    off = _load_settings(show=show, DEBUG="1", DATABASE_URL=url)
    assert off.stdout.strip() == "-c jit=off"
    kept = _load_settings(show=show, DEBUG="1", DATABASE_URL=url, POSTGRES_JIT="1")
    assert kept.stdout.strip() == "None"
    sqlite = _load_settings(show=show, DEBUG="1", DATABASE_URL="sqlite:///var/x.sqlite3")
    assert sqlite.stdout.strip() == "None"
