"""Deployment checks of our own, run by `manage.py check --deploy`."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


def _is_this_machine(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Links in invitations, password resets and reminders must reach patients' devices."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host and not _is_this_machine(host):
        return []
    return [
        Error(
            f"SITE_URL is unset or points at this machine ({settings.SITE_URL}): invitation, "
            "password-reset and reminder links would not open for anyone else.",
            hint="Set SITE_URL to the address people reach the clinic at, "
            "e.g. https://clinic.example.org.",
            id="clinic.E001",
        )
    ]
