"""Demo texts and alerts. Run by `manage.py seed_demo` after treatments.demo.portal.

- Olivia Bennett (the portal's demo patient) hears by email and text; Chloe Martin by text only.
  Their next appointments' confirmations are queued by text, so the worker writes them to
  ``var/sms/`` (the console backend) and the desk sees them sent on the patients' messages pages.
- Mei Chen replied STOP: her record shows texts stopped, and nothing is texted to her.
- Lucy Evans reported blisters in the portal: an urgent alert on the dermatologists' homes and a
  banner on her chart (the skin report of treatments.demo.portal raises another).

Idempotent: a patient whose preferences are set, or who already has an alert, is left alone.
"""

from django.db import transaction
from django.utils import timezone

from clinic.models import Role, User
from patients.models import Patient
from treatments.models import (
    AlertSource,
    AlertUrgency,
    Appointment,
    AppointmentStatus,
    ChangedVia,
    Channels,
    ClinicalAlert,
    ContactPreference,
    MessageKind,
)
from treatments.services import alerts, contact, messaging

DESK_EMAIL = "desk@demo.clinic"
TEXTING = [
    ("Olivia", "Bennett", Channels.BOTH, Channels.BOTH),
    ("Chloe", "Martin", Channels.SMS, Channels.SMS),
]
STOPPED = ("Mei", "Chen")
REACTION = ("Lucy", "Evans")


def _patient(first: str, last: str) -> Patient | None:
    return (
        Patient.objects.filter(first_name=first, last_name=last, archived_at__isnull=True)
        .exclude(mobile="")
        .order_by("pk")
        .first()
    )


def _next_appointment(patient: Patient) -> Appointment | None:
    return (
        Appointment.objects.filter(patient=patient, status=AppointmentStatus.BOOKED)
        .order_by("starts_at")
        .select_related("patient__contact_preference")
        .first()
    )


def seed(stdout) -> None:
    desk = User.objects.filter(email=DESK_EMAIL).first()
    for first, last, reminders, other in TEXTING:
        patient = _patient(first, last)
        if patient is None or ContactPreference.objects.filter(patient=patient).exists():
            continue
        contact.contact_preference_set(
            patient=patient, reminders=reminders, other=other, by=desk, via=ChangedVia.DESK
        )
        appointment = _next_appointment(patient)
        if appointment is not None and appointment.starts_at > timezone.now():
            with transaction.atomic():
                messaging.queue_for_patient(appointment=appointment, kind=MessageKind.CONFIRMATION)
        stdout.write(f"  texts: {first} {last} hears by text; confirmation queued.")

    patient = _patient(*STOPPED)
    if patient is not None and not ContactPreference.objects.filter(patient=patient).exists():
        contact.contact_preference_set(
            patient=patient,
            reminders=Channels.SMS,
            other=Channels.EMAIL,
            by=desk,
            via=ChangedVia.DESK,
        )
        contact.inbound_text(from_number=patient.mobile.as_e164, body="STOP")
        stdout.write(f"  texts: {patient.full_name} replied STOP.")

    patient = _patient(*REACTION)
    if patient is not None and not ClinicalAlert.objects.filter(patient=patient).exists():
        alerts.alert_raise(
            patient=patient,
            reason=f"{patient.full_name} reports: blisters and spreading redness on both "
            "cheeks since this morning",
            urgency=AlertUrgency.URGENT,
            source=AlertSource.ADVERSE_REACTION,
            by=patient.user,
            responsible=User.objects.filter(
                email="derm@demo.clinic", groups__name=Role.DERMATOLOGIST.value
            ).first(),
        )
        stdout.write(f"  alerts: urgent reaction reported by {patient.full_name}.")
