"""Sending a queued message: what the email says, and what is never sent."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tests.factories import PatientFactory, UserFactory, consultation_type
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import AppointmentStatus, MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging
from treatments.services.messaging import send_message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def london():
    return clinic()


def _message(appointment, kind) -> OutboundMessage:
    return OutboundMessage.objects.get(
        appointment=appointment, kind=kind, schedule_version=appointment.schedule_version
    )


def _calendar(email) -> tuple[Calendar, str]:
    (attachment,) = email.attachments
    assert attachment.filename == "appointment.ics"
    return Calendar.from_ical(attachment.content), attachment.mimetype


def _book(**fields):
    appointment = AppointmentFactory(**fields)
    messaging.appointment_changed(appointment.pk, "booked")
    return appointment


def _cancel(appointment):
    appointment.status = AppointmentStatus.CANCELLED
    appointment.schedule_version += 1
    appointment.save()


def test_the_confirmation_says_when_where_with_whom_and_how_to_prepare():
    patient = PatientFactory(first_name="Olivia", email="olivia@example.test")
    appointment = _book(patient=patient)

    assert messaging.deliver(_message(appointment, "confirmation").pk) == "sent"

    (email,) = mail.outbox
    when = timezone.localtime(appointment.starts_at).strftime("%A %-d %B %Y, %H:%M")
    assert email.to == ["olivia@example.test"]
    assert email.subject == f"Booked: Microneedling with exosomes on {when}"
    for text in (email.body, email.alternatives[0].content):
        assert "Hello Olivia" in text
        assert when in text
        assert "Dr Amelia Hart" in text
        assert appointment.room.name in text
        assert "12 Harley Street" in text
        # docs/clinical-rules.md "Pre-visit instructions before needling": stop retinoids 3-5 days
        # before.
        assert "Stop retinoids (retinol, tretinoin, adapalene) 3-5 days before your visit" in text
        assert "020 7946 0000" in text
    calendar, mimetype = _calendar(email)
    assert mimetype == "text/calendar; method=REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    message = _message(appointment, "confirmation")
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert email.extra_headers["Message-ID"] == f"<exoclinic-message-{message.pk}@127.0.0.1>"


def test_a_consultation_has_no_pre_visit_instructions():
    appointment = _book(appointment_type=consultation_type())

    messaging.deliver(_message(appointment, "confirmation").pk)

    (email,) = mail.outbox
    assert "Before your visit" not in email.body
    assert "Consultation and skin assessment" in email.subject


def test_the_portal_link_goes_only_to_patients_with_a_login():
    with_login = _book(patient=PatientFactory(user=UserFactory(role="patient")))
    without = _book()

    messaging.deliver(_message(with_login, "confirmation").pk)
    messaging.deliver(_message(without, "confirmation").pk)

    assert "http://127.0.0.1:8000/" in mail.outbox[0].body
    assert "patient portal" not in mail.outbox[1].body


def test_a_task_run_twice_sends_one_email():
    # A worker restarted after finishing, or the task delivered twice: the claim is gone.
    message = _message(_book(), "confirmation")

    assert send_message.call(message.pk) == "sent"
    assert send_message.call(message.pk) == "taken"

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_message_another_worker_has_claimed_is_left_alone():
    message = _message(_book(), "confirmation")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert messaging.deliver(message.pk) == "taken"

    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING


def test_a_reminder_is_not_sent_before_it_is_due():
    reminder = _message(_book(), "reminder")

    assert messaging.deliver(reminder.pk) == "not due"

    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.PENDING
    assert reminder.attempts == 0


def test_a_reminder_goes_when_due():
    appointment = _book()
    messaging.deliver(_message(appointment, "confirmation").pk)
    reminder = _message(appointment, "reminder")

    with time_machine.travel(reminder.send_after + dt.timedelta(seconds=1)):
        assert messaging.deliver(reminder.pk) == "sent"

    _confirmation, email = mail.outbox
    assert email.subject.startswith("Reminder: Microneedling with exosomes on ")
    assert _calendar(email)[0]["METHOD"] == "REQUEST"


def test_a_reminder_for_the_old_time_is_skipped_and_the_new_one_sent():
    appointment = _book(starts_at=timezone.now() + dt.timedelta(days=7))
    old_reminder = _message(appointment, "reminder")
    # The move commits while a worker already holds the old reminder's task.
    appointment.starts_at += dt.timedelta(days=2)
    appointment.ends_at += dt.timedelta(days=2)
    appointment.room_free_at += dt.timedelta(days=2)
    appointment.schedule_version = 2
    appointment.save()

    with time_machine.travel(old_reminder.send_after + dt.timedelta(seconds=1)):
        assert messaging.deliver(old_reminder.pk) == "skipped"
    messaging.appointment_changed(appointment.pk, "moved")
    new_reminder = _message(appointment, "reminder")
    with time_machine.travel(new_reminder.send_after + dt.timedelta(seconds=1)):
        assert messaging.deliver(new_reminder.pk) == "sent"

    old_reminder.refresh_from_db()
    assert old_reminder.status == MessageStatus.SKIPPED
    assert old_reminder.last_error == messaging.VOIDED
    # The move notice went too (overdue by then); one reminder, for the new time.
    (email,) = [e for e in mail.outbox if e.subject.startswith("Reminder")]
    new_when = timezone.localtime(appointment.starts_at).strftime("%A %-d %B %Y, %H:%M")
    assert new_when in email.subject
    assert _calendar(email)[0].events[0]["SEQUENCE"] == 2


def test_a_cancelled_appointment_gets_no_reminder():
    appointment = _book()
    reminder = _message(appointment, "reminder")
    _cancel(appointment)

    with time_machine.travel(reminder.send_after + dt.timedelta(seconds=1)):
        assert messaging.deliver(reminder.pk) == "skipped"

    assert mail.outbox == []


def test_a_checked_in_appointment_gets_no_confirmation():
    appointment = _book()
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.save()

    assert messaging.deliver(_message(appointment, "confirmation").pk) == "skipped"
    assert mail.outbox == []


def test_the_move_notice_gives_the_old_and_the_new_time():
    appointment = _book(starts_at=timezone.now() + dt.timedelta(days=7))
    messaging.deliver(_message(appointment, "confirmation").pk)
    old_when = timezone.localtime(appointment.starts_at).strftime("%A %-d %B %Y, %H:%M")
    appointment.starts_at += dt.timedelta(days=2, hours=1)
    appointment.ends_at += dt.timedelta(days=2, hours=1)
    appointment.room_free_at += dt.timedelta(days=2, hours=1)
    appointment.schedule_version = 2
    appointment.save()
    messaging.appointment_changed(appointment.pk, "moved")

    assert messaging.deliver(_message(appointment, "moved").pk) == "sent"

    email = mail.outbox[1]
    new_when = timezone.localtime(appointment.starts_at).strftime("%A %-d %B %Y, %H:%M")
    assert email.subject == f"Moved: Microneedling with exosomes is now on {new_when}"
    assert f"has moved from {old_when}" in email.body
    event = _calendar(email)[0].events[0]
    assert event["UID"] == f"appointment-{appointment.pk}@exoclinic"
    assert event["SEQUENCE"] == 2


def test_the_cancellation_notice_removes_the_event_from_the_calendar():
    appointment = _book()
    messaging.deliver(_message(appointment, "confirmation").pk)
    _cancel(appointment)
    messaging.appointment_changed(appointment.pk, "cancelled")

    assert messaging.deliver(_message(appointment, "cancelled").pk) == "sent"

    email = mail.outbox[1]
    assert email.subject.startswith("Cancelled: Microneedling with exosomes on ")
    assert "is cancelled" in email.body
    calendar, mimetype = _calendar(email)
    assert mimetype == "text/calendar; method=CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.events
    first = _calendar(mail.outbox[0])[0].events[0]
    assert event["UID"] == first["UID"]
    assert event["SEQUENCE"] == 2 > first["SEQUENCE"]
    assert event["STATUS"] == "CANCELLED"


def test_no_cancellation_notice_about_an_appointment_the_patient_never_heard_of():
    # Booked and cancelled before the confirmation went out: the patient is told nothing.
    appointment = _book()
    _cancel(appointment)
    messaging.appointment_changed(appointment.pk, "cancelled")

    assert messaging.deliver(_message(appointment, "cancelled").pk) == "skipped"
    assert mail.outbox == []
    assert _message(appointment, "cancelled").last_error.startswith("The patient was never sent")


def test_an_email_address_removed_before_sending_skips_the_message():
    appointment = _book()
    appointment.patient.email = ""
    appointment.patient.save()

    assert messaging.deliver(_message(appointment, "confirmation").pk) == "skipped"
    assert mail.outbox == []


def test_a_mail_server_error_leaves_the_message_failed_with_the_reason():
    message = _message(_book(), "confirmation")
    error = smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"No such user")})

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        assert messaging.deliver(message.pk) == "failed"

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error == (
        "The mail server refused the address: x@example.test: 550 No such user."
    )
    assert messaging.deliver(message.pk) == "taken"  # failed is final: not sent twice


def test_aftercare_renders_the_session_templates_and_attaches_no_calendar():
    appointment = AppointmentFactory()
    message = messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)
    session = object()

    with (
        mock.patch("treatments.services.messaging._has_session", return_value=True),
        mock.patch(
            "treatments.models.Appointment.session", new_callable=mock.PropertyMock
        ) as session_of,
        mock.patch(
            "treatments.services.messaging.render_to_string", return_value="Aftercare"
        ) as render,
    ):
        session_of.return_value = session
        assert messaging.deliver(message.pk) == "sent"

    names = [call.args[0] for call in render.call_args_list]
    assert names == [
        "emails/aftercare-subject.txt",
        "emails/aftercare-body.txt",
        "emails/aftercare-body.html",
    ]
    context = render.call_args_list[0].args[1]
    assert context["session"] is session
    assert context["appointment"] == appointment
    assert context["patient"] == appointment.patient
    (email,) = mail.outbox
    assert email.attachments == []


def test_aftercare_without_a_session_is_skipped():
    appointment = AppointmentFactory()
    message = messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)

    assert messaging.deliver(message.pk) == "skipped"
    assert mail.outbox == []


def test_a_missing_message_is_reported():
    assert messaging.deliver(987654) == "missing"


def test_a_completed_session_sends_its_aftercare_with_the_real_templates(
    django_capture_on_commit_callbacks,
):
    from tests.treatments.sessions.factories import applied_session
    from treatments.services import sessions

    session = applied_session()
    with django_capture_on_commit_callbacks(execute=True):
        sessions.session_complete(
            session=session,
            by=session.clinician,
            reactions=[],
            post_care=[],
            clinic=clinic(),
        )

    message = OutboundMessage.objects.get(appointment=session.appointment, kind="aftercare")
    assert message.status == MessageStatus.SENT
    (email,) = mail.outbox
    assert email.to == [session.patient.email]
    assert "aftercare" in email.subject.lower()
    assert f"Hello {session.patient.first_name}" in email.body
    assert email.attachments == []
