"""The partial other pages include to reach the session record from an appointment."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.sessions.factories import checked_in_appointment, completed_session
from treatments.models import AppointmentStatus

pytestmark = pytest.mark.django_db


def _render(appointment, role):
    request = RequestFactory().get("/")
    user = UserFactory(role=role)
    return render_to_string(
        "treatments/sessions/_start_button.html",
        {"appointment": appointment, "user": user},
        request=request,
    )


def test_a_checked_in_appointment_offers_the_dermatologist_to_record_the_session():
    html = _render(checked_in_appointment(), Role.DERMATOLOGIST)
    assert "Record the session" in html
    assert 'method="post"' in html


def test_a_booked_appointment_offers_nothing():
    html = _render(checked_in_appointment(status=AppointmentStatus.BOOKED), Role.DERMATOLOGIST)
    assert html.strip() == ""


def test_a_completed_appointment_links_the_record_or_the_printable_aftercare():
    session = completed_session()
    assert "Open the session record" in _render(session.appointment, Role.DERMATOLOGIST)
    desk = _render(session.appointment, Role.FRONT_DESK)
    assert "Printable aftercare" in desk
    assert "session record" not in desk
