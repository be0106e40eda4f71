"""Patients who chose texts, and their appointments."""

from tests.factories import PatientFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import Channels, ContactPreference


def texting_patient(*, reminders=Channels.SMS, other=Channels.SMS, **fields):
    patient = PatientFactory(**fields)
    ContactPreference.objects.create(patient=patient, reminders=reminders, other=other)
    return patient


def texting_appointment(**fields):
    """A booked appointment a week ahead, at 10:00 UTC, of a patient who chose text only."""
    clinic(name="Exoclinic Demo Clinic")
    fields.setdefault("patient", texting_patient())
    return AppointmentFactory(**fields)
