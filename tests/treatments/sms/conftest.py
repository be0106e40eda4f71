import pytest
from django.test import override_settings

from tests.treatments.sms import fake_twilio


@pytest.fixture
def twilio():
    """Texts go through the real Twilio client to a fake Twilio on 127.0.0.1."""
    fake = fake_twilio.FakeTwilio().start()
    with override_settings(
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=fake_twilio.ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=fake_twilio.AUTH_TOKEN,
        TWILIO_FROM_NUMBER=fake_twilio.FROM_NUMBER,
        TWILIO_API_URL=fake.url,
    ):
        yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _daytime():
    """A Tuesday morning in December, outside quiet hours, whenever the suite runs."""
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=True):
        yield
