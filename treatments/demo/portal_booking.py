"""Olivia Bennett (patient@demo.clinic) books the next session of her course herself, in the
portal, through the same service as the "Book a session" page: the earliest time the slot finder
offers that keeps her plan's interval, with the practitioner of her last session when free.

Run after treatments.demo.scheduling (which books her next session from the desk). Idempotent:
nothing is added once she has booked an appointment herself.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import ClinicSettings, StaffProfile, User
from patients.models import Patient
from treatments.models import Appointment
from treatments.services import portal_booking

PATIENT_EMAIL = "patient@demo.clinic"


def seed(stdout) -> None:
    user = User.objects.filter(email=PATIENT_EMAIL).first()
    patient = Patient.objects.filter(user=user).first() if user is not None else None
    if patient is None:
        stdout.write("  portal booking: the demo patient is missing; no self-booked session.")
        return
    if Appointment.objects.filter(created_by=user).exists():
        stdout.write("Portal booking demo: Olivia Bennett has already booked a session herself.")
        return
    clinic = ClinicSettings.load()
    now = timezone.now()
    option = next(
        (o for o in portal_booking.course_options(patient, clinic=clinic, now=now) if o.bookable),
        None,
    )
    if option is None:
        stdout.write("  portal booking: Olivia Bennett has no course she can book herself.")
        return
    preferred = portal_booking.preferred_practitioner(option.plan)
    week_start = option.earliest_day
    for _ in range(portal_booking.PORTAL_WEEKS):
        week = portal_booking.week_of_times(
            patient=patient,
            appointment_type=option.appointment_type,
            clinic=clinic,
            now=now,
            first_day=option.earliest_day,
            week_start=week_start,
            plan=option.plan,
            preferred=preferred,
        )
        choice = (week.same or week.others or [None])[0]
        if choice is not None:
            break
        if week.next is None:
            break
        week_start = week.next
    if choice is None:
        stdout.write("  portal booking: no free time for Olivia Bennett's next session.")
        return
    try:
        appointment = portal_booking.portal_session_book(
            plan=option.plan,
            starts_at=choice.start,
            practitioner=StaffProfile.objects.get(pk=choice.practitioner_id),
            room=week.resources.room_records[choice.room_id],
            by=user,
            clinic=clinic,
            now=now,
        )
    except ValidationError as error:
        stdout.write(f"  portal booking: skipped: {' '.join(error.messages)}")
        return
    when = timezone.localtime(appointment.starts_at, clinic.zone)
    stdout.write(
        f"Portal booking demo: Olivia Bennett booked session {option.next_number} herself "
        f"for {when:%a %d %b %H:%M}."
    )
