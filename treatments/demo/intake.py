"""Two patients' intakes before their coming consultations, sent through the portal's service:
Chloe Martin has sent hers (waiting for a dermatologist to confirm it: the dermatologist's home
lists it, the desk's schedule shows "submitted"), Marcus Reid has saved his half-way.

Run after treatments.demo.scheduling, which books their consultations. Idempotent: an intake
already there is left as it is.
"""

import datetime as dt

from clinic.models import AppointmentType, ClinicSettings
from treatments.models import Appointment, AppointmentStatus, Intake
from treatments.services import intake as service

ALL_NO = dict.fromkeys(service.rules.REQUIRED, False)

SUBMITTED = (
    "Chloe Martin",
    {
        **ALL_NO,
        "antiplatelet": True,  # a caution, not a block: no alert, the dermatologist reads it
        "current_medications": "Aspirin 75 mg daily (prescribed by my GP).",
        "last_peel_or_laser": dt.timedelta(days=-120),  # from today
        "concerns": ["fine_lines", "uneven_tone"],
        "concerns_in_own_words": "Lines around my eyes and patchy colour on my cheeks.",
        "goals": "A more even, fresher-looking complexion before a wedding in the spring.",
    },
    True,
)
IN_PROGRESS = (
    "Marcus Reid",
    {
        "active_infection_areas": [],
        "keloid_history": False,
        "anticoagulant": False,
        "concerns": ["acne_scars"],
    },
    False,
)


def _coming_consultation(full_name: str, today: dt.date) -> Appointment | None:
    first, last = full_name.split(" ", 1)
    return (
        Appointment.objects.filter(
            patient__first_name=first,
            patient__last_name=last,
            appointment_type__kind=AppointmentType.Kind.CONSULTATION,
            status=AppointmentStatus.BOOKED,
        )
        .select_related("appointment_type", "patient")
        .order_by("starts_at")
        .last()
    )


def seed(stdout) -> None:
    clinic = ClinicSettings.load()
    today = clinic.today()
    for full_name, answers, submit in (SUBMITTED, IN_PROGRESS):
        appointment = _coming_consultation(full_name, today)
        if appointment is None or not service.needs_intake(appointment):
            stdout.write(f"  intake: {full_name} has no consultation still to come; no intake.")
            continue
        if Intake.objects.filter(appointment=appointment).exclude(status="not_started").exists():
            stdout.write(f"Intake demo: {full_name}'s intake is already there.")
            continue
        answers = {
            name: today + value if isinstance(value, dt.timedelta) else value
            for name, value in answers.items()
        }
        intake = service.intake_save(
            intake=service.intake_for(appointment=appointment), answers=answers, submit=submit
        )
        stdout.write(f"Intake demo: {full_name}'s intake is {intake.get_status_display().lower()}.")
