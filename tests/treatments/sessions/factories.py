"""A patient checked in for a treatment session, and sessions at each step (through the services).

The appointment is made directly (its booking rules are the booking engineer's to test): a
treatment type of the plan's route, a practitioner and a procedure room of their own, so that
appointments never overlap, checked in ten minutes ago.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, Role
from tests.factories import (
    ALL_ROUTES,
    LotFactory,
    PatientFactory,
    PlanFactory,
    RoomFactory,
    StaffProfileFactory,
    UserFactory,
    melasma_v,
    treatment_type,
)
from treatments.models import Appointment, AppointmentStatus, PlanState, TreatmentSession
from treatments.services import sessions
from treatments.services.session_checks import Application


def planned_plan(*, route: str = "microneedling", patient=None, **fields):
    """A planned plan (made directly) for a Fitzpatrick V patient with melasma on the face."""
    defaults = {
        "state": PlanState.PLANNED,
        "route": route,
        "areas": ["face"],
        "depths": {"face": "1.0"} if route == "microneedling" else {},
        "laser_settings": "Fractional 1550 nm, 10 mJ, 2 passes"
        if route == "laser_assisted"
        else "",
    }
    if patient is not None:
        fields.setdefault("assessment", melasma_v(patient=patient))
    return PlanFactory(**(defaults | fields))


def checked_in_appointment(
    *,
    plan=None,
    status: str = AppointmentStatus.CHECKED_IN,
    appointment_type: AppointmentType | None = None,
    starts_at: dt.datetime | None = None,
    **plan_fields,
) -> Appointment:
    plan = plan or planned_plan(**plan_fields)
    # A patient's appointments never overlap (PostgreSQL refuses it): each one two hours earlier.
    earlier = dt.timedelta(hours=2 * Appointment.objects.filter(patient=plan.patient).count())
    starts = starts_at or timezone.now() - dt.timedelta(minutes=10) - earlier
    return Appointment.objects.create(
        patient=plan.patient,
        appointment_type=appointment_type or treatment_type(plan.route),
        practitioner=StaffProfileFactory(),
        room=RoomFactory(routes=ALL_ROUTES),
        plan=plan,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=60),
        room_free_at=starts + dt.timedelta(minutes=75),
        status=status,
        checked_in_at=starts if status == AppointmentStatus.CHECKED_IN else None,
    )


def usable_lot(plan, **fields):
    return LotFactory(product=plan.product, **fields)


def _clinic():
    return ClinicSettings.load()


def started_session(*, derm=None, now=None, **fields) -> TreatmentSession:
    derm = derm or UserFactory(role=Role.DERMATOLOGIST)
    appointment = checked_in_appointment(**fields)
    return sessions.session_start(appointment=appointment, by=derm, now=now)


def screened_session(
    *, screen_fields=None, justification="Discussed with the patient.", **fields
) -> TreatmentSession:
    """A session whose day's screen is recorded (nothing changed unless ``screen_fields``); the
    justification is kept only if a caution applies (laser on Fitzpatrick V, say)."""
    from patients.models import Screen

    session = started_session(**fields)
    screen = Screen(**(screen_fields or {}))
    sessions.session_prescreen(
        session=session,
        by=session.clinician,
        screen=screen,
        justification=justification,
        policy=_clinic().policy,
        on=timezone.localdate(),
    )
    return TreatmentSession.objects.get(pk=session.pk)


def prepared_session(**fields) -> TreatmentSession:
    session = screened_session(**fields)
    sessions.session_prepare(session=session, by=session.clinician, policy=_clinic().policy)
    return TreatmentSession.objects.get(pk=session.pk)


def applied_session(*, lot=None, amount="0.5", depth="1.0", **fields) -> TreatmentSession:
    """A session ready to complete: screened, prepared, and the application recorded."""
    session = prepared_session(**fields)
    plan = session.plan
    lot = lot or usable_lot(plan)
    route = plan.route
    sessions.session_application(
        session=session,
        by=session.clinician,
        application=Application(
            lot=lot,
            amount=Decimal(amount),
            areas=tuple(plan.areas),
            device="Dermapen 4, 16-needle cartridge"
            if route in ("microneedling", "laser_assisted")
            else "",
            depths={area: Decimal(depth) for area in plan.areas}
            if route == "microneedling"
            else {},
            laser_settings=plan.laser_settings,
        ),
        policy=_clinic().policy,
        on=timezone.localdate(),
    )
    return TreatmentSession.objects.select_related("lot", "plan", "appointment").get(pk=session.pk)


def completed_session(*, now=None, notify=False, **fields) -> TreatmentSession:
    session = applied_session(**fields)
    sessions.session_complete(
        session=session,
        by=session.clinician,
        reactions=["redness"],
        post_care=["sun_protection", "calming_product"],
        clinic=_clinic(),
        now=now,
        notify=notify,
    )
    return TreatmentSession.objects.select_related("lot", "plan", "appointment", "patient").get(
        pk=session.pk
    )


def patient_with_login(patient=None):
    """A patient user linked to a Patient record (the portal's own patient)."""
    user = UserFactory(role=Role.PATIENT)
    patient = patient or PatientFactory()
    patient.user = user
    patient.save()
    return user, patient
