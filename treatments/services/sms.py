"""Sending texts: one small interface, a backend per provider, chosen by ``SMS_BACKEND``.

- ``console`` (the default): writes each text to the log and to a file under ``var/sms/``,
  for a laptop and the demo; nothing leaves the machine.
- ``twilio``: Twilio's Programmable Messaging through its official client (``twilio``), with
  ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``TWILIO_FROM_NUMBER`` (or
  ``TWILIO_MESSAGING_SERVICE_SID``).
- ``memory``: keeps texts in ``sms.outbox``, as Django's locmem mail backend does, for tests.

A backend either returns the provider's id of the accepted text or raises ``TextRefused`` (the
provider will never take it: a bad number, a patient who opted out with the provider) or
``ProviderUnavailable`` (try again later: rate limited, provider down, network). It can also say
whether it already accepted a text (``find_sent``), so that a text whose worker stopped after
the provider took it is not sent twice. ``status_callback`` is the address where a provider that
reports delivery (Twilio) tells us that a text it took never reached the phone
(``treatments:sms_status``).
"""

import datetime as dt
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

ALIASES = {
    "console": "treatments.services.sms.ConsoleBackend",
    "memory": "treatments.services.sms.MemoryBackend",
    "twilio": "treatments.services.sms_twilio.TwilioBackend",
}


class TextNotSent(Exception):
    """The provider did not take the text; ``reason`` is for the desk."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TextRefused(TextNotSent):
    """The provider will never take this text: trying again changes nothing."""


class ProviderUnavailable(TextNotSent):
    """The provider could not take the text now: worth trying again later."""


class SmsBackend:
    def send(self, *, to: str, body: str, reference: str, status_callback: str = "") -> str:
        """Send ``body`` to the E.164 number ``to``; the provider's id of the text."""
        raise NotImplementedError

    def find_sent(self, *, to: str, body: str, since: dt.datetime) -> str | None:
        """The provider's id of ``body`` accepted for ``to`` since ``since``, if there is one."""
        return None


def get_backend() -> SmsBackend:
    path = ALIASES.get(settings.SMS_BACKEND, settings.SMS_BACKEND)
    return import_string(path)()


class ConsoleBackend(SmsBackend):
    """Writes each text to the log and to ``SMS_DIR`` (one file each); sends nothing."""

    def send(self, *, to: str, body: str, reference: str, status_callback: str = "") -> str:
        provider_id = f"console-{uuid.uuid4().hex[:16]}"
        log.info("Text to %s (%s): %s", to, reference, body)
        folder = Path(settings.SMS_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = folder / f"{stamp}-{reference}.txt"
        path.write_text(f"To: {to}\nId: {provider_id}\n\n{body}\n", encoding="utf-8")
        return provider_id

    def find_sent(self, *, to: str, body: str, since: dt.datetime) -> str | None:
        folder = Path(settings.SMS_DIR)
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            head, _, text = path.read_text(encoding="utf-8").partition("\n\n")
            fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
            if fields.get("To") == to and text.rstrip("\n") == body:
                return fields.get("Id")
        return None


#: Texts the memory backend took, oldest first: dicts of to, body, reference, status_callback,
#: provider_id and at.
outbox: list[dict] = []


class MemoryBackend(SmsBackend):
    def send(self, *, to: str, body: str, reference: str, status_callback: str = "") -> str:
        provider_id = f"memory-{len(outbox) + 1}"
        outbox.append(
            {
                "to": to,
                "body": body,
                "reference": reference,
                "status_callback": status_callback,
                "provider_id": provider_id,
                "at": timezone.now(),
            }
        )
        return provider_id

    def find_sent(self, *, to: str, body: str, since: dt.datetime) -> str | None:
        for text in outbox:
            if text["to"] == to and text["body"] == body and text["at"] >= since:
                return text["provider_id"]
        return None
