"""Appointments, completed sessions, skin reports, worklist items and requests for the portal's
tests.

Records are made directly (the booking and session services are tested by their owners); a
completed session carries the aftercare snapshot that treatments.services.aftercare keeps.
"""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from clinic.lib.aftercare import aftercare_for
from clinic.models import Role, StaffProfile
from tests import factories
from tests.factories import (
    PatientFactory,
    PlanFactory,
    StaffProfileFactory,
    UserFactory,
    melasma_v,
    treatment_type,
)
from treatments.models import (
    AppointmentStatus,
    ChangeRequest,
    PlanState,
    SessionStatus,
    SkinReport,
    TreatmentSession,
    WorklistItem,
)
from treatments.services.aftercare import aftercare_snapshot

_STAGGER = itertools.count()


def portal_patient(**fields):
    """A patient with their own portal login: (user, patient)."""
    patient = PatientFactory(**fields)
    user = UserFactory(
        role=Role.PATIENT, first_name=patient.first_name, last_name=patient.last_name
    )
    patient.user = user
    patient.save(update_fields=["user"])
    return user, patient


class AppointmentFactory(factories.AppointmentFactory):
    """A booked microneedling appointment two days from now."""

    treatment = True
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    )


def aftercare_of(route: str, ended_at: dt.datetime) -> dict:
    """The aftercare the session service keeps with a completed session."""
    local = timezone.localtime(ended_at, timezone.get_default_timezone())
    return aftercare_snapshot(aftercare_for(route, ended_at=local), text=None)


def completed_session(
    *, patient=None, ended_at=None, route="microneedling", clinician=None, plan=None
):
    """A completed, locked session of ``patient`` that ended at ``ended_at`` (default: 1 day ago),
    with its completed appointment, its plan in treatment and its aftercare snapshot."""
    patient = patient or PatientFactory()
    if ended_at is None:
        # Staggered, so that one clinician's or patient's sessions never overlap (PostgreSQL's
        # exclusion constraints refuse that), and all within the 72 hours after a session.
        ended_at = timezone.now() - dt.timedelta(days=1, minutes=80 * (next(_STAGGER) % 30))
    ended_at = ended_at.replace(microsecond=0)
    appointment_type = treatment_type(route)
    started_at = ended_at - dt.timedelta(minutes=appointment_type.duration_minutes)
    if clinician is None:
        staff = StaffProfileFactory()
    else:
        staff, _ = StaffProfile.objects.get_or_create(
            user=clinician, defaults={"title": "Dr", "is_practitioner": True}
        )
    if plan is None:
        plan = PlanFactory(
            patient=patient,
            assessment=melasma_v(patient=patient),
            route=route,
            state=PlanState.IN_TREATMENT,
        )
    appointment = AppointmentFactory(
        patient=patient,
        appointment_type=appointment_type,
        practitioner=staff,
        starts_at=started_at,
        status=AppointmentStatus.COMPLETED,
        plan=plan,
    )
    return TreatmentSession.objects.create(
        appointment=appointment,
        plan=plan,
        patient=patient,
        clinician=staff.user,
        status=SessionStatus.COMPLETED,
        skin_prepared=True,
        areas=["face"],
        started_at=started_at,
        ended_at=ended_at,
        aftercare=aftercare_of(route, ended_at),
        locked_at=ended_at,
    )


def skin_report(session, **answers) -> SkinReport:
    values = dict.fromkeys(("redness", "warmth", "swelling", "itching", "tenderness"), "none")
    values.update(answers)
    return SkinReport.objects.create(session=session, patient=session.patient, **values)


def worklist_item_for(session, **fields) -> WorklistItem:
    entry = skin_report(session, swelling="severe")
    fields.setdefault("assigned_to", session.clinician)
    fields.setdefault("title", f"{session.patient.full_name} reports severe swelling")
    fields.setdefault("kind", WorklistItem.Kind.SKIN_REPORT)
    return WorklistItem.objects.create(patient=session.patient, skin_report=entry, **fields)


def change_request(appointment=None, **fields) -> ChangeRequest:
    appointment = appointment or AppointmentFactory()
    fields.setdefault("kind", ChangeRequest.Kind.MOVE)
    return ChangeRequest.objects.create(appointment=appointment, **fields)
