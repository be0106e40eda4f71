"""Texts through Twilio's Programmable Messaging API, with Twilio's own client library.

Twilio's errors are sorted for the sender: 429 (too many requests) and 5xx (Twilio down) and
network failures are worth another try; any other refusal (21211 invalid number, 21610 the
number replied STOP to Twilio, 21408 region not enabled) is final and its message is kept for
the desk.
"""

import datetime as dt

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from treatments.services.sms import ProviderUnavailable, SmsBackend, TextRefused

#: Seconds to wait for Twilio's answer; a worker must not hang on it.
TIMEOUT = 15


def client() -> Client:
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise ImproperlyConfigured(
            "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
        )
    # max_retries=None: the client does not retry by itself; the outbox decides (with backoff).
    twilio = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=TwilioHttpClient(timeout=TIMEOUT, max_retries=None),
    )
    if settings.TWILIO_API_URL:  # a regional edge, a proxy, or a local stand-in in tests
        twilio.api.base_url = settings.TWILIO_API_URL
    return twilio


def _sender() -> dict:
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
    if settings.TWILIO_FROM_NUMBER:
        return {"from_": settings.TWILIO_FROM_NUMBER}
    raise ImproperlyConfigured(
        "SMS_BACKEND=twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID."
    )


def _reason(error: TwilioRestException) -> str:
    text = str(error.msg).removeprefix("Unable to create record: ")
    return f"{text} (Twilio error {error.code})" if error.code else text


class TwilioBackend(SmsBackend):
    def __init__(self):
        self.client = client()

    def send(self, *, to: str, body: str, reference: str, status_callback: str = "") -> str:
        extra = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, body=body, **_sender(), **extra)
        except TwilioRestException as error:
            if error.status == 429:
                reason = f"Twilio is limiting our rate: {_reason(error)}"
                raise ProviderUnavailable(reason) from error
            if error.status >= 500:
                raise ProviderUnavailable(
                    f"Twilio is not answering (HTTP {error.status}): {_reason(error)}"
                ) from error
            raise TextRefused(f"Twilio refused the text: {_reason(error)}") from error
        except (requests.RequestException, TwilioException) as error:
            raise ProviderUnavailable(f"Twilio could not be reached: {error}") from error
        return message.sid

    def find_sent(self, *, to: str, body: str, since: dt.datetime) -> str | None:
        # Twilio filters by day; earlier texts of that day are dropped here.
        try:
            sent = self.client.messages.list(to=to, date_sent_after=since, limit=50)
        except (TwilioRestException, requests.RequestException, TwilioException) as error:
            raise ProviderUnavailable(
                f"Twilio could not say whether it already has this text: {error}"
            ) from error
        for message in sent:
            if message.body == body and message.status not in ("failed", "undelivered"):
                return message.sid
        return None
