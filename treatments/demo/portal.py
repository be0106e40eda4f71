"""Demo portal activity. Run by `manage.py seed_demo` after treatments.demo.sessions.

- A skin report beyond the expected (severe swelling) after a recent completed session of
  derm@demo.clinic, which puts an item on her worklist. It goes through the portal's own service, so
  the item is exactly what a patient's skin report makes.
- An open request from Olivia Bennett (the portal's demo patient) to move her next appointment,
  which the front desk sees.

Idempotent: a session that already has a skin report gets no other, and an appointment that already
has a request gets no other. When the sessions or appointments it needs are missing (their demo
steps did not run), it says so and skips.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Patient
from treatments.models import (
    Appointment,
    AppointmentStatus,
    ChangeRequest,
    SessionStatus,
    TreatmentSession,
)
from treatments.services import portal

DERM_EMAIL = "derm@demo.clinic"
PORTAL_PATIENT_EMAIL = "olivia.bennett@patients.demo.clinic"
SEVERE_SWELLING = {
    "redness": "moderate",
    "warmth": "mild",
    "swelling": "severe",
    "itching": "none",
    "tenderness": "mild",
    "anything_else": "",
}
MOVE_MESSAGE = "Could we move this to a morning? I have a work meeting that afternoon."


def _recent_session(now):
    """derm@demo.clinic's latest completed session still in its skin report window, preferring a
    patient other than the portal's demo patient (so that her own skin report is left to try)."""
    sessions = TreatmentSession.objects.filter(
        clinician__email=DERM_EMAIL,
        status=SessionStatus.COMPLETED,
        ended_at__gte=now - portal.SKIN_REPORT_WINDOW,
        ended_at__lte=now,
    ).select_related("patient", "plan", "clinician")
    newest_first = sessions.order_by("-ended_at", "-pk")
    return newest_first.exclude(patient__email=PORTAL_PATIENT_EMAIL).first() or newest_first.first()


def _seed_skin_report(stdout, now) -> None:
    session = _recent_session(now)
    if session is None:
        stdout.write("  portal: no recent completed session of Dr Hart; no demo skin report.")
        return
    if session.skin_reports.exists():
        return
    try:
        result = portal.skin_report_submit(
            session=session, patient=session.patient, answers=SEVERE_SWELLING, now=now
        )
    except ValidationError as error:
        stdout.write(f"  portal: demo skin report skipped: {' '.join(error.messages)}")
        return
    stdout.write(f"  portal: skin report on Dr Hart's worklist: {result.worklist_item.title}")


def _seed_change_request(stdout, now) -> None:
    patient = Patient.objects.filter(email=PORTAL_PATIENT_EMAIL).first()
    if patient is None:
        stdout.write("  portal: Olivia Bennett is missing; no demo change request.")
        return
    appointment = (
        Appointment.objects.filter(
            patient=patient, status=AppointmentStatus.BOOKED, starts_at__gt=now
        )
        .order_by("starts_at", "pk")
        .first()
    )
    if appointment is None:
        stdout.write("  portal: Olivia Bennett has no upcoming appointment; no change request.")
        return
    if ChangeRequest.objects.filter(appointment=appointment).exists():
        return
    portal.change_request_create(
        appointment=appointment,
        patient=patient,
        kind=ChangeRequest.Kind.MOVE,
        message=MOVE_MESSAGE,
        now=now,
    )
    stdout.write("  portal: Olivia Bennett asks to move her next appointment.")


def seed(stdout) -> None:
    now = timezone.now()
    _seed_skin_report(stdout, now)
    _seed_change_request(stdout, now)
