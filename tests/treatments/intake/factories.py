"""Consultations with a portal patient, and their intakes in each state."""

import datetime as dt

from django.utils import timezone

from clinic.lib.intake import REQUIRED
from tests.factories import AppointmentFactory
from tests.treatments.portal.factories import portal_patient
from treatments.services import intake as service

ALL_NO = dict.fromkeys(REQUIRED, False)


def consultation(patient=None, *, days=7, **fields):
    """A booked consultation ``days`` ahead for a patient with a portal login."""
    if patient is None:
        _, patient = portal_patient(mobile="+447700900123")
    fields.setdefault(
        "starts_at", (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    )
    return AppointmentFactory(patient=patient, **fields)


def submitted_intake(appointment=None, **answers):
    appointment = appointment or consultation()
    intake = service.intake_for(appointment=appointment)
    return service.intake_save(intake=intake, answers={**ALL_NO, **answers}, submit=True)


def intake_in_progress(appointment=None, **answers):
    appointment = appointment or consultation()
    intake = service.intake_for(appointment=appointment)
    return service.intake_save(intake=intake, answers=answers, submit=False)
