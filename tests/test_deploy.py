"""The first run and the deployment checks: links in emails reach the address people use."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.checks import Error, registry
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from clinic.checks import check_site_url

ROOT = Path(__file__).resolve().parent.parent


def _make_run_commands(**env) -> str:
    """What `make run` would do (make -n prints the commands without running them)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "EMAIL_HOST"}}
    clean.update(env)
    result = subprocess.run(
        ["make", "-n", "run"],  # noqa: S607
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_on_another_port_puts_that_port_in_email_links():
    commands = _make_run_commands(PORT="8801")
    assert "SITE_URL='http://127.0.0.1:8801'" in commands
    assert "runserver 127.0.0.1:8801" in commands


def test_make_run_keeps_a_site_url_that_is_given():
    commands = _make_run_commands(PORT="8801", SITE_URL="https://clinic.example.org")
    assert "SITE_URL='https://clinic.example.org'" in commands


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8801",
        "https://clinic.localhost",
        "http://[::1]:8000",
        "http://0.0.0.0",
        "http://127.0.1.1",
    ],
)
def test_check_deploy_refuses_a_site_url_on_this_machine(settings, url):
    settings.SITE_URL = url
    errors = check_site_url(None)
    assert [(type(e), e.id) for e in errors] == [(Error, "clinic.E001")]
    with pytest.raises(SystemCheckError, match=r"clinic\.E001"):
        call_command("check", deploy=True, tags=["security"])


@pytest.mark.parametrize("url", ["https://clinic.example.org", "https://10.0.0.5"])
def test_check_deploy_accepts_a_real_address(settings, url):
    settings.SITE_URL = url
    assert check_site_url(None) == []
    call_command("check", deploy=True, tags=["security"])


def test_the_site_url_check_runs_only_with_deploy():
    assert check_site_url in registry.registry.get_checks(include_deployment_checks=True)
    assert check_site_url not in registry.registry.get_checks(include_deployment_checks=False)
