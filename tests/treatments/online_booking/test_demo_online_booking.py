"""The demo's consultation booked online: through the real services, waiting for the desk."""

import io

import pytest

from clinic.models import ClinicSettings
from patients.models import Patient
from tests.factories import PatientFactory
from tests.treatments.online_booking.factories import online_clinic
from treatments.demo import online_booking as demo
from treatments.models import IdentityCheck, OnlineBooking

pytestmark = pytest.mark.django_db


def test_the_demo_books_a_consultation_online_awaiting_the_identity_check():
    online_clinic(on=False)
    known = PatientFactory(
        **{k: v for k, v in demo.VISITOR.items() if k != "email"}
        | {"email": "daniel.murphy@patients.demo.clinic"}
    )
    demo.seed(io.StringIO())
    assert ClinicSettings.load().online_booking
    booking = OnlineBooking.objects.get()
    assert booking.identity == IdentityCheck.TO_CHECK and booking.likely_existing
    assert booking.patient != known and booking.appointment.patient == booking.patient
    demo.seed(io.StringIO())
    assert OnlineBooking.objects.count() == 1
    assert Patient.objects.count() == 2
