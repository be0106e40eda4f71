"""Plans with sessions done, follow-up appointments, follow-ups and photos, for follow-up tests.

Appointments and sessions are made directly: the booking and session services are tested by
their owners, and these tests need a course in a given shape, not the path that made it.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from clinic.models import StaffProfile
from patients.services.assessments import photo_add
from tests.factories import (
    ALL_ROUTES,
    AssessmentConcernFactory,
    ConsentFactory,
    ConsentTextFactory,
    PlanFactory,
    RoomFactory,
    StaffProfileFactory,
    melasma_v,
    treatment_type,
)
from treatments.models import (
    Appointment,
    AppointmentStatus,
    FollowUp,
    FollowUpScore,
    PatientRating,
    PlanState,
    SessionStatus,
    TreatmentSession,
)


def course_plan(*, state=PlanState.IN_TREATMENT, sessions=4, patient=None, **fields):
    """A microneedling plan from a melasma (3) and hyperpigmentation (2) assessment."""
    assessment = melasma_v(patient=patient) if patient else melasma_v()
    AssessmentConcernFactory(
        assessment=assessment, concern="hyperpigmentation", severity=2, areas=["face"]
    )
    return PlanFactory(assessment=assessment, state=state, sessions=sessions, **fields)


def another_practitioner() -> StaffProfile:
    return StaffProfileFactory()


def staff_of(user) -> StaffProfile:
    staff, _ = StaffProfile.objects.get_or_create(
        user=user, defaults={"title": "Dr", "is_practitioner": True}
    )
    return staff


def visit(
    plan,
    *,
    starts_at,
    status=AppointmentStatus.BOOKED,
    appointment_type=None,
    staff=None,
    room=None,
):
    """An appointment of the plan's patient at ``starts_at`` (a treatment session by default)."""
    appointment_type = appointment_type or treatment_type(plan.route)
    return Appointment.objects.create(
        patient=plan.patient,
        plan=plan,
        appointment_type=appointment_type,
        practitioner=staff or staff_of(plan.author),
        room=room or RoomFactory(routes=ALL_ROUTES),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=appointment_type.duration_minutes),
        room_free_at=starts_at
        + dt.timedelta(minutes=appointment_type.duration_minutes + appointment_type.buffer_minutes),
        status=status,
    )


def session_for(appointment, *, status=SessionStatus.COMPLETED) -> TreatmentSession:
    started = appointment.starts_at
    ended = appointment.ends_at if status != SessionStatus.IN_PROGRESS else None
    return TreatmentSession.objects.create(
        appointment=appointment,
        plan=appointment.plan,
        patient=appointment.patient,
        clinician=appointment.practitioner.user,
        status=status,
        skin_prepared=True,
        areas=["face"],
        started_at=started,
        ended_at=ended,
        locked_at=ended if status == SessionStatus.COMPLETED else None,
    )


def done_sessions(
    plan, *, count: int, first: dt.datetime | None = None, days_apart: int = 42, staff=None
):
    """``count`` completed sessions of the plan, ``days_apart`` apart, the first at ``first``,
    with the plan's author as practitioner unless ``staff`` is given (PostgreSQL refuses one
    practitioner's overlapping appointments)."""
    first = first or (timezone.now() - dt.timedelta(days=days_apart * count)).replace(microsecond=0)
    staff = staff or staff_of(plan.author)
    room = RoomFactory(routes=ALL_ROUTES)
    appointments = []
    for index in range(count):
        appointment = visit(
            plan,
            starts_at=first + dt.timedelta(days=days_apart * index),
            status=AppointmentStatus.COMPLETED,
            staff=staff,
            room=room,
        )
        session_for(appointment)
        appointments.append(appointment)
    return appointments


def recorded_follow_up(plan, *, reviewed_on, scores, decision="continue", gais=2, photos=()):
    """A follow-up row with its re-scores, made directly (no state change)."""
    follow_up = FollowUp.objects.create(
        plan=plan,
        clinician=plan.author,
        reviewed_on=reviewed_on,
        gais_clinician=gais,
        decision=decision,
    )
    for concern, severity in scores.items():
        FollowUpScore.objects.create(follow_up=follow_up, concern=concern, severity=severity)
    follow_up.photos.set(photos)
    return follow_up


def rating(plan, *, gais=2, satisfaction=4, comment=""):
    return PatientRating.objects.create(
        plan=plan, gais=gais, satisfaction=satisfaction, comment=comment
    )


def photo_consent(patient):
    text = ConsentTextFactory(kind="photo")
    return ConsentFactory(patient=patient, text=text)


def image(name: str = "photo.jpg", colour=(190, 150, 130)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 80), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def photo(patient, *, assessment=None, view="front", area="face", taken_on=None, by=None):
    """A stored photo (the patient needs photo consent)."""
    stored = photo_add(
        patient=patient,
        assessment=assessment,
        uploaded_by=by or (assessment.author if assessment else patient.plans.first().author),
        view=view,
        area=area,
        upload=image(),
    )
    if taken_on is not None:
        stored.taken_on = taken_on
        stored.save(update_fields=["taken_on"])
    return stored
