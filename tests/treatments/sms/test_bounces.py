"""Bounces: Twilio's signed delivery report marks a text that never reached the phone bounced,
with the reason; the desk sees it on the failed list and the patient's messages and sends it
again, still once per schedule version. An email the mail server refuses while we send is left
failed with the server's answer (tests/treatments/messaging/test_sending.py)."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from twilio.request_validator import RequestValidator

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.sms import fake_twilio
from tests.treatments.sms.factories import texting_appointment
from treatments.models import MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging, sms

pytestmark = pytest.mark.django_db
URL = reverse("treatments:sms_status")
UNREACHABLE = "Not delivered: the phone is switched off or out of reach (Twilio error 30003)."


@pytest.fixture(autouse=True)
def _signed():
    with override_settings(TWILIO_AUTH_TOKEN=fake_twilio.AUTH_TOKEN):
        yield


def _sent_text() -> OutboundMessage:
    appointment = texting_appointment()
    [message] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    assert messaging.deliver(message.pk) == "sent"
    message.refresh_from_db()
    return message


def _report(client, message, status, *, code="", sid=None, signature=None, query=None):
    path = URL + (query if query is not None else f"?message={message.pk}")
    params = {
        "MessageSid": sid or message.provider_id,
        "MessageStatus": status,
        "To": message.sent_to,
        "AccountSid": fake_twilio.ACCOUNT_SID,
    }
    if code:
        params["ErrorCode"] = code
    if signature is None:
        signature = RequestValidator(fake_twilio.AUTH_TOKEN).compute_signature(
            settings.SITE_URL + path, params
        )
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_each_text_asks_twilio_for_its_delivery_report(twilio):
    appointment = texting_appointment()
    [message] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    assert messaging.deliver(message.pk) == "sent"
    [sent] = twilio.accepted
    assert sent["status_callback"] == f"{settings.SITE_URL}{URL}?message={message.pk}"


def test_no_report_is_asked_for_when_the_clinic_turns_reports_off(twilio, settings):
    settings.SMS_DELIVERY_REPORTS = False
    appointment = texting_appointment()
    [message] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    assert messaging.deliver(message.pk) == "sent"
    assert twilio.accepted[0]["status_callback"] is None


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        ("undelivered", "30003", UNREACHABLE),
        ("failed", "30006", "Not delivered: the number is a landline or cannot receive texts "
                            "(Twilio error 30006)."),
        ("undelivered", "30999", "Not delivered (the provider says undelivered) (Twilio error "
                                 "30999)."),
        ("failed", "", "Not delivered (the provider says failed)."),
    ],
)  # fmt: skip
def test_an_undelivered_or_failed_report_marks_the_text_bounced_with_the_reason(
    client, status, code, reason
):
    message = _sent_text()

    response = _report(client, message, status, code=code)

    assert response.status_code == 204
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.BOUNCED, reason)


@pytest.mark.parametrize("status", ["queued", "sent", "delivered", "read"])
def test_a_report_of_progress_changes_nothing(client, status):
    message = _sent_text()
    assert _report(client, message, status).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_with_a_bad_signature_is_refused_and_changes_nothing(client):
    message = _sent_text()
    response = _report(client, message, "undelivered", code="30003", signature="forged")
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_signature_for_another_message_is_refused(client):
    message, other = _sent_text(), _sent_text()
    params = {"MessageSid": message.provider_id, "MessageStatus": "undelivered"}
    signed_for_other = RequestValidator(fake_twilio.AUTH_TOKEN).compute_signature(
        f"{settings.SITE_URL}{URL}?message={other.pk}", params
    )
    response = client.post(
        f"{URL}?message={message.pk}", params, HTTP_X_TWILIO_SIGNATURE=signed_for_other
    )
    assert response.status_code == 403
    assert OutboundMessage.objects.filter(status=MessageStatus.BOUNCED).count() == 0


@pytest.mark.parametrize(
    "query", ["", "?message=abc", "?message=99999999", "?message=1" + "0" * 30]
)
def test_a_signed_report_about_no_message_of_ours_changes_nothing(client, query):
    message = _sent_text()
    assert _report(client, message, "undelivered", query=query).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_late_report_about_an_earlier_sending_is_ignored(client):
    message = _sent_text()
    response = _report(client, message, "undelivered", sid="SM" + "9" * 32)
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_that_beats_the_workers_record_still_bounces_and_is_not_sent_again(client):
    appointment = texting_appointment()
    [message] = messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    message.refresh_from_db()

    _report(client, message, "failed", code="30005", sid="SM" + "1" * 32)

    message.refresh_from_db()
    assert (message.status, message.provider_id) == (MessageStatus.BOUNCED, "SM" + "1" * 32)
    # The worker's late "sent" does not undo it, and recovery never sends it again.
    messaging.finish(message.pk, MessageStatus.SENT, provider_id="SM" + "1" * 32)
    message.refresh_from_db()
    assert message.status == MessageStatus.BOUNCED
    assert messaging.deliver(message.pk) == "taken"


def test_the_desk_sees_a_bounced_text_and_sends_it_again_once(client):
    message = _sent_text()
    _report(client, message, "undelivered", code="30003")
    desk = UserFactory(role=Role.FRONT_DESK)
    client.force_login(desk)

    listed = client.get(reverse("treatments:failed_messages"))
    assert list(listed.context["page"].object_list) == [message]
    assert "Bounced" in listed.text and UNREACHABLE in listed.text
    record = client.get(
        reverse("treatments:patient_messages", args=[message.appointment.patient_id])
    )
    assert "Bounced" in record.text and "Send again" in record.text

    response = client.post(reverse("treatments:message_resend", args=[message.pk]))

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.sent_at, message.provider_id) == (
        MessageStatus.PENDING,
        None,
        "",
    )
    assert messaging.deliver(message.pk) == "sent"
    assert len(sms.outbox) == 2  # the first sending, which bounced, and this one
    assert OutboundMessage.objects.filter(appointment=message.appointment).count() == 1
    # Sent again: a second press changes nothing.
    client.post(reverse("treatments:message_resend", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert messaging.deliver(message.pk) == "taken"


def test_a_bounced_text_of_an_appointment_that_moved_since_is_not_sent_again(client):
    message = _sent_text()
    _report(client, message, "undelivered", code="30003")
    type(message.appointment).objects.filter(pk=message.appointment_id).update(schedule_version=2)
    client.force_login(UserFactory(role=Role.FRONT_DESK))
    client.post(reverse("treatments:message_resend", args=[message.pk]))
    assert messaging.deliver(message.pk) == "skipped"
    assert len(sms.outbox) == 1


def test_the_failed_list_of_bounced_and_failed_messages_is_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(4):
        _report(client, _sent_text(), "undelivered", code="30003")
    client.force_login(UserFactory(role=Role.FRONT_DESK))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("treatments:failed_messages"))
    assert len(response.context["page"].object_list) == 4
