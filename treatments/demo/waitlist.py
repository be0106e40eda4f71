"""A waitlist with people on it and one live offer, made through the waitlist's own services.

- Three patients wait for an earlier consultation (weekdays, the next four weeks), joined by the
  desk over the last days, in that order.
- Olivia Bennett (patient@demo.clinic) waits for a follow-up review, and the desk has offered her
  a free time by hand: the link in her portal is open for the clinic's hold (30 minutes from
  when the demo was loaded; after that it says the offer has ended and she waits for the next).
- One of the coming consultations is cancelled by phone: its time is offered to the patients
  waiting for a consultation, in the order they joined (the first to accept books it).

Run after treatments.demo.scheduling. Idempotent: nothing is added once anyone is on the
waitlist.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile, User
from patients.models import Patient
from treatments.models import Appointment, AppointmentStatus, FreedSlot, WaitlistEntry
from treatments.services import scheduling, waitlist

DESK_EMAIL = "desk@demo.clinic"
PORTAL_EMAIL = "patient@demo.clinic"
CONSULTATION = "Consultation and skin assessment"
REVIEW = "Follow-up review"
WEEKDAYS = {0, 1, 2, 3, 4}


def _join(patient, appointment_type, *, desk, clinic, joined_at, stdout):
    today = timezone.localdate(joined_at, clinic.zone)
    try:
        return waitlist.waitlist_join(
            patient=patient,
            appointment_type=appointment_type,
            earliest=clinic.today(),
            latest=today + dt.timedelta(weeks=4),
            weekdays=WEEKDAYS,
            time_from=dt.time(9),
            time_to=dt.time(17, 30),
            by=desk,
            clinic=clinic,
            now=joined_at,
        )
    except ValidationError as error:
        stdout.write(f"  waitlist: {patient.full_name} not added: {' '.join(error.messages)}")
        return None


def seed(stdout) -> None:
    desk = User.objects.filter(email=DESK_EMAIL).first()
    if desk is None:
        stdout.write("  waitlist: the demo front desk is missing; no waitlist.")
        return
    if WaitlistEntry.objects.exists():
        stdout.write("Waitlist demo: patients are already waiting.")
        return
    clinic = ClinicSettings.load()
    now = timezone.now()
    consultation = AppointmentType.objects.filter(name=CONSULTATION).first()
    review = AppointmentType.objects.filter(name=REVIEW).first()
    olivia = Patient.objects.filter(user__email=PORTAL_EMAIL).first()
    upcoming = Appointment.objects.filter(
        appointment_type=consultation,
        status=AppointmentStatus.BOOKED,
        starts_at__gte=now + dt.timedelta(days=1),
        starts_at__lte=now + dt.timedelta(weeks=3),
    ).order_by("starts_at")
    to_cancel = upcoming.exclude(patient=olivia).first()
    busy = set(upcoming.values_list("patient_id", flat=True))
    waiting = (
        Patient.objects.filter(archived_at__isnull=True, email__gt="")
        .exclude(pk__in=busy)
        .exclude(pk=olivia.pk if olivia else None)
        .order_by("pk")[:3]
    )
    entries = []
    for days_ago, patient in zip((6, 4, 1), waiting, strict=False):
        entry = _join(
            patient,
            consultation,
            desk=desk,
            clinic=clinic,
            joined_at=now - dt.timedelta(days=days_ago, hours=2),
            stdout=stdout,
        )
        if entry is not None:
            entries.append(entry)
    if olivia is not None and review is not None:
        entry = _join(
            olivia,
            review,
            desk=desk,
            clinic=clinic,
            joined_at=now - dt.timedelta(days=2),
            stdout=stdout,
        )
        if entry is not None:
            times, _ = waitlist.hand_offer_times(entry, clinic=clinic, now=now)
            if times:
                room_id = times[0].room_id
                waitlist.waitlist_offer_by_hand(
                    entry=entry,
                    starts_at=times[0].start,
                    practitioner=StaffProfile.objects.get(pk=times[0].practitioner_id),
                    room=Room.objects.get(pk=room_id),
                    by=desk,
                    clinic=clinic,
                    now=now,
                )
                stdout.write(
                    "  waitlist: Olivia Bennett has a live offer of a follow-up review "
                    f"(open {clinic.waitlist_hold_minutes} minutes)."
                )
    if to_cancel is not None and entries:
        scheduling.appointment_cancel(
            appointment=to_cancel,
            reason="The patient phoned: away with work that week.",
            by=desk,
            now=now,
        )
        slot = FreedSlot.objects.filter(appointment=to_cancel).first()
        if slot is not None:
            offers = waitlist.waitlist_offer_slot(slot_id=slot.pk, now=now)
            stdout.write(f"  waitlist: a cancelled consultation was offered to {len(offers)}.")
    stdout.write(f"Waitlist demo: {len(entries) + (1 if olivia else 0)} patients waiting.")
