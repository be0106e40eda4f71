"""A first consultation booked at /book/ asks for the intake once the patient has activated the
portal login the booking invited them to: not before (they could not sign in to answer), and
exactly once per consultation and channel (the outbox's uniqueness)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import AppointmentFactory, PatientFactory
from tests.treatments.intake.factories import submitted_intake
from tests.treatments.online_booking.factories import MONDAY, at, online_clinic
from tests.treatments.waitlist.conftest import portal_user
from treatments.models import MessageKind, OutboundMessage
from treatments.services import intake

pytestmark = pytest.mark.django_db


def _requests(appointment=None):
    found = OutboundMessage.objects.filter(kind=MessageKind.INTAKE_REQUEST)
    if appointment is not None:
        found = found.filter(appointment=appointment)
    return list(found.values_list("appointment_id", "channel"))


PASSPHRASE = "my own long passphrase"


def _activate(link: str):
    password = PASSPHRASE
    visitor = Client()
    form_url = visitor.get(link, follow=True).redirect_chain[-1][0]
    response = visitor.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    return visitor


def test_booked_at_book_the_intake_is_asked_once_the_portal_is_activated():
    world = online_clinic()
    hold, code = world.hold(at(MONDAY, 10))
    mail.outbox.clear()
    booking = world.confirm(hold, code)
    appointment = booking.appointment
    # Invited, but not in the portal yet: nothing to answer with.
    assert _requests() == []
    invitation = next(m for m in mail.outbox if "patient portal" in m.subject)
    link = re.search(r"https?://[^/\s]+(/welcome/\S+/)", invitation.body).group(1)

    _activate(link)
    assert _requests() == [(appointment.pk, "email")]
    # Asking again (a retried request) is the outbox's same message: nothing more is queued.
    user = booking.patient.user
    user.refresh_from_db()
    intake.intake_requests_on_activation(user)
    assert _requests() == [(appointment.pk, "email")]
    assert len([m for m in mail.outbox if "a few questions" in m.subject]) <= 1


def test_only_coming_consultations_whose_intake_is_not_sent_are_asked():
    patient = PatientFactory(email="ines@example.com")
    coming = AppointmentFactory(patient=patient, starts_at=at(MONDAY, 11))
    answered = AppointmentFactory(patient=patient, starts_at=at(MONDAY, 14))
    past = AppointmentFactory(patient=patient, starts_at=at(MONDAY, 7))
    user = portal_user(patient)
    submitted_intake(answered)
    OutboundMessage.objects.filter(kind=MessageKind.INTAKE_REQUEST).delete()

    intake.intake_requests_on_activation(user)
    assert _requests() == [(coming.pk, "email")]
    assert _requests(past) == [] and _requests(answered) == []


def test_a_login_not_activated_is_not_asked():
    patient = PatientFactory(email="ines@example.com")
    appointment = AppointmentFactory(patient=patient, starts_at=at(MONDAY, 11))
    user = portal_user(patient)
    user.set_unusable_password()
    user.save()
    assert intake.intake_request(appointment) == []
    assert intake.intake_requests_on_activation(user) == []
    assert _requests() == []
