"""A first consultation booked online at /book/, and the desk's check of who booked it.

The visitor chooses a free consultation time within the next ``HORIZON_WEEKS`` weeks and gives
their name, date of birth, mobile and email. ``hold_create`` holds the time (a ``BookingHold``:
the slot finder and the booking check treat it as taken) and emails a 6-digit code, valid for
``HOLD_MINUTES`` minutes and ``CODE_TRIES`` wrong tries. ``hold_confirm`` takes the code: the
hold gives way to an appointment booked by the same service as every booking
(treatments.services.scheduling, race-safe), a new patient record and a portal invitation.

Nothing here tells the visitor whether the clinic already knows them: a record is always made
from what they typed, and when the duplicate rules (patients.services.merges) find a likely
match it is only flagged. The desk checks every online booking (``identity_confirm``): a new
patient, or linked to the record the clinic already has (a merge, never done by the page).

Docs: docs/clinical-rules.md §Who may book what (a new patient's first visit is a consultation).
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from clinic import throttle
from clinic.lib.slots.choices import Choice, patient_choices
from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile, User
from patients.models import Patient
from patients.services import merges
from patients.services.portal import portal_invite
from treatments.models import (
    CODE_TRIES,
    HOLD_MINUTES,
    BookingHold,
    IdentityCheck,
    OnlineBooking,
)
from treatments.services import scheduling
from treatments.services.availability import (
    Resources,
    find_free_slots,
    load_resources,
    unavailable_reason,
)

log = logging.getLogger(__name__)

#: How far ahead a first consultation can be booked online.
HORIZON_WEEKS = 4

CHOOSE_TIME = "Choose one of the times offered."
OUTSIDE_HORIZON = (
    f"Choose one of the times offered: online booking is open for the next {HORIZON_WEEKS} "
    "weeks only."
)
TIME_GONE = "Someone has just booked that time. Choose another one."
HOLD_GONE = (
    "This booking is no longer waiting for a code: the time was released after "
    f"{HOLD_MINUTES} minutes or too many wrong codes. Choose a time again."
)
WRONG_CODE = "That code is not right. Check the email we sent you: {left} left."
TOO_MANY_WRONG = (
    "That code is not right either, and that was the last try: the time has been released. "
    "Choose a time again."
)
CODE_FORMAT = "Enter the 6 digits from the email we sent you."
SLOWED_DOWN = (
    "Too many booking codes have been asked for in the last hour. Please try again later{call}."
)


def _refusal(field: str, message: str, code: str) -> ValidationError:
    """A refusal at ``field`` whose code the page can ask for."""
    return ValidationError({field: ValidationError(message, code=code)})


def booking_open(clinic: ClinicSettings) -> bool:
    """Whether the clinic takes first consultations online (and has one to offer)."""
    return clinic.online_booking and consultation_type() is not None


def consultation_type() -> AppointmentType | None:
    """What a new patient books online: the clinic's first active consultation."""
    return (
        AppointmentType.objects.filter(kind=AppointmentType.Kind.CONSULTATION, active=True)
        .order_by("pk")
        .first()
    )


def practitioners() -> list[StaffProfile]:
    return list(StaffProfile.objects.bookable())


def bookable_days(*, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a visitor may choose: today and the next four weeks."""
    return today, today + dt.timedelta(days=7 * HORIZON_WEEKS - 1)


# --- The week of times ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Week:
    start: dt.date
    choices: list[Choice]
    resources: Resources
    previous: dt.date | None
    next: dt.date | None


def week_of_times(
    *,
    clinic: ClinicSettings,
    now: dt.datetime,
    practitioner: StaffProfile | None,
    week_start: dt.date | None,
) -> Week:
    """The free consultation times of one week (from ``week_start``, kept within the bookable
    days), with ``practitioner`` or anyone."""
    first, last = bookable_days(today=timezone.localdate(now, clinic.zone))
    # Weeks run from today: a day asked for shows the week it falls in, within the four.
    index = 0 if week_start is None else (week_start - first).days // 7
    start = first + dt.timedelta(days=7 * min(max(index, 0), HORIZON_WEEKS - 1))
    end = min(start + dt.timedelta(days=6), last)
    found, resources = find_free_slots(
        clinic=clinic,
        patient=None,
        appointment_type=consultation_type(),
        start_date=start,
        end_date=end,
        practitioner=practitioner,
        now=now,
    )
    _same, choices = patient_choices(found)
    previous = max(start - dt.timedelta(days=7), first) if start > first else None
    following = end + dt.timedelta(days=1) if end < last else None
    return Week(
        start=start, choices=choices, resources=resources, previous=previous, next=following
    )


# --- Holding a time while the code is pending -----------------------------------------------


def _code_hash(token: str, code: str) -> str:
    return salted_hmac(
        "treatments.online_booking.code", f"{token}:{code}", algorithm="sha256"
    ).hexdigest()


def holds_release_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the holds whose code was never entered in time; how many went."""
    deleted, _ = BookingHold.objects.expired(now or timezone.now()).delete()
    return deleted


def _check_open(clinic: ClinicSettings) -> AppointmentType:
    appointment_type = consultation_type()
    if not clinic.online_booking or appointment_type is None:
        raise ValidationError(
            "The clinic does not take bookings online at the moment.", code="closed"
        )
    return appointment_type


def _within_horizon(starts_at: dt.datetime, *, clinic: ClinicSettings, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": CHOOSE_TIME})
    first, last = bookable_days(today=timezone.localdate(now, clinic.zone))
    if not first <= timezone.localtime(starts_at, clinic.zone).date() <= last:
        raise _refusal("starts_at", OUTSIDE_HORIZON, "outside_horizon")
    if starts_at <= now:
        raise _refusal("starts_at", CHOOSE_TIME, "past")


def _slowed_down(clinic: ClinicSettings) -> ValidationError:
    call = f", or call us on {clinic.phone}" if clinic.phone else ""
    return ValidationError(SLOWED_DOWN.format(call=call), code="throttled")


@transaction.atomic
def hold_create(
    *,
    starts_at: dt.datetime,
    practitioner: StaffProfile,
    room: Room,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    mobile,
    email: str,
    address: str | None,
    replacing: str = "",
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> BookingHold:
    """Hold the chosen time for ``HOLD_MINUTES`` minutes and email a 6-digit code to ``email``.

    Refused (and nothing kept) when online booking is off, the time is outside the next four
    weeks, it is not free (an appointment or another live hold), or too many codes were asked for
    this hour from ``address`` (the client's IP address) or to ``email``. ``replacing``: the token
    of the visitor's earlier hold, released when they choose again, so one visitor holds one time.
    """
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    appointment_type = _check_open(clinic)
    _within_horizon(starts_at, clinic=clinic, now=now)
    email = email.strip().lower()
    holds_release_expired(now=now)
    if replacing:
        BookingHold.objects.filter(token=replacing).delete()
    ends_at = starts_at + dt.timedelta(minutes=appointment_type.duration_minutes)
    room_free_at = ends_at + dt.timedelta(minutes=appointment_type.buffer_minutes)
    resources = load_resources(
        clinic=clinic,
        patient=None,
        window_start=starts_at - dt.timedelta(days=1),
        window_end=room_free_at + dt.timedelta(days=1),
    )
    problem = unavailable_reason(
        resources=resources,
        appointment_type=appointment_type,
        practitioner=practitioner,
        room=room,
        starts_at=starts_at,
    )
    if problem is not None:
        raise _refusal("starts_at", TIME_GONE, "slot_taken")
    if not throttle.booking_code_allowed(email=email, address=address, now=now):
        raise _slowed_down(clinic)
    code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_urlsafe(32)
    hold = BookingHold(
        token=token,
        appointment_type=appointment_type,
        practitioner=practitioner,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        room_free_at=room_free_at,
        expires_at=now + dt.timedelta(minutes=HOLD_MINUTES),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        mobile=mobile,
        email=email,
        code_hash=_code_hash(token, code),
    )
    try:
        with transaction.atomic():
            hold.save()
    except IntegrityError as error:
        if "no_overlap" in str(error):  # PostgreSQL: another visitor held it a moment before
            raise _refusal("starts_at", TIME_GONE, "slot_taken") from None
        raise
    _send_code(hold, code=code, clinic=clinic)
    return hold


def _send_code(hold: BookingHold, *, code: str, clinic: ClinicSettings) -> None:
    """The same email, in the same words, whoever asks: it says nothing of a patient record."""
    context = {
        "code": code,
        "minutes": HOLD_MINUTES,
        "clinic_name": clinic.name,
        "when": timezone.localtime(hold.starts_at, clinic.zone),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/online_booking_code-subject.txt", context).strip(),
        body=render_to_string("emails/online_booking_code-body.txt", context),
        to=[hold.email],
    )
    message.attach_alternative(
        render_to_string("emails/online_booking_code-body.html", context), "text/html"
    )
    transaction.on_commit(message.send)


def hold_for(token: str, *, now: dt.datetime | None = None) -> BookingHold | None:
    """The visitor's live hold, or None (expired, used, released, or never theirs)."""
    if not token:
        return None
    hold = (
        BookingHold.objects.filter(token=token)
        .select_related("practitioner__user", "room", "appointment_type")
        .first()
    )
    if hold is None or not hold.is_live(now):
        return None
    return hold


# --- The code: booking the held time --------------------------------------------------------


def hold_confirm(
    *,
    token: str,
    code: str,
    base_url: str = "",
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> OnlineBooking:
    """Book the held time if ``code`` is the one emailed for the hold ``token``.

    A wrong code is counted (kept, although the refusal is raised); the last allowed wrong one,
    an expired hold, or a time somebody else took meanwhile releases the hold. Refusals are keyed
    ``code`` (the code field) or ``starts_at`` (choose again).
    """
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():
        hold = (
            BookingHold.objects.select_for_update().filter(token=token).first() if token else None
        )
        if hold is None or not hold.is_live(now):
            if hold is not None:
                hold.delete()
            refusal = _refusal("starts_at", HOLD_GONE, "hold_gone")
        elif not (code.isdigit() and len(code) == 6):
            refusal = _refusal("code", CODE_FORMAT, "code_format")
        elif not constant_time_compare(_code_hash(hold.token, code), hold.code_hash):
            hold.wrong_codes += 1
            if hold.wrong_codes >= CODE_TRIES:
                hold.delete()
                refusal = _refusal("code", TOO_MANY_WRONG, "too_many_wrong")
            else:
                hold.save(update_fields=["wrong_codes"])
                left = hold.tries_left
                tries = f"{left} {'try' if left == 1 else 'tries'}"
                refusal = _refusal("code", WRONG_CODE.format(left=tries), "wrong_code")
        else:
            try:
                with transaction.atomic():
                    return _book(hold, base_url=base_url, clinic=clinic, now=now)
            except ValidationError:
                # Taken meanwhile (the desk, say, in the moment before the hold was made): the
                # hold is of no more use, and the visitor chooses again.
                hold.delete()
                refusal = _refusal("starts_at", TIME_GONE, "slot_taken")
    raise refusal


def _book(
    hold: BookingHold, *, base_url: str, clinic: ClinicSettings, now: dt.datetime
) -> OnlineBooking:
    matches = merges.possible_duplicates(
        first_name=hold.first_name,
        last_name=hold.last_name,
        date_of_birth=hold.date_of_birth,
        email=hold.email,
        mobile=hold.mobile,
    )
    patient = Patient.objects.create(
        first_name=hold.first_name,
        last_name=hold.last_name,
        date_of_birth=hold.date_of_birth,
        # Not asked online: the desk or the consultation records it.
        sex=Patient.Sex.UNDISCLOSED,
        email=hold.email,
        mobile=hold.mobile,
        desk_notes="Booked a first consultation online: identity to check at the desk.",
    )
    slot = {
        "appointment_type": hold.appointment_type,
        "practitioner": hold.practitioner,
        "room": hold.room,
        "starts_at": hold.starts_at,
    }
    hold.delete()  # the hold gives way to the appointment, in the same transaction
    appointment = scheduling.appointment_book(
        patient=patient, by=None, clinic=clinic, now=now, **slot
    )
    booking = OnlineBooking.objects.create(
        appointment=appointment, patient=patient, likely_existing=bool(matches)
    )
    _invite(patient, base_url=base_url, clinic=clinic)
    return booking


def _invite(patient: Patient, *, base_url: str, clinic: ClinicSettings) -> None:
    """The portal invitation; an address that already has a portal login gets none (its owner
    signs in as before, and sees this booking once the desk links the records)."""
    try:
        with transaction.atomic():
            portal_invite(
                patient=patient, base_url=base_url or settings.SITE_URL, clinic_name=clinic.name
            )
    except ValidationError as error:
        log.info(
            "No portal invitation for online booking of patient %s: %s",
            patient.pk,
            " ".join(error.messages),
        )


# --- The desk's identity check --------------------------------------------------------------


def to_check():
    """Online bookings the desk has not checked yet, soonest appointment first."""
    return (
        OnlineBooking.objects.to_check()
        .select_related(
            "patient", "appointment__appointment_type", "appointment__practitioner__user"
        )
        .order_by("appointment__starts_at", "pk")
    )


def candidates(booking: OnlineBooking) -> list[Patient]:
    """Records that may be the person who booked (the duplicate rules), for the desk to compare."""
    if booking.identity != IdentityCheck.TO_CHECK:
        return []
    return merges.duplicates_of(booking.patient)


@dataclass(frozen=True, slots=True)
class Checked:
    booking: OnlineBooking
    #: When linked: the merge, done, or waiting for a dermatologist.
    merge: object | None = None


@transaction.atomic
def identity_confirm(
    *, booking: OnlineBooking, by: User, existing: Patient | None = None
) -> Checked:
    """The desk says who booked: a new patient (``existing`` None), or ``existing``, one of the
    records the duplicate rules offer, which the booked record is merged into."""
    booking = OnlineBooking.objects.select_for_update().select_related("patient").get(pk=booking.pk)
    target = IdentityCheck.NEW if existing is None else IdentityCheck.LINKED
    booking.transition_to(target, by=by)
    merge = None
    if existing is not None:
        if existing.pk not in {p.pk for p in merges.duplicates_of(booking.patient)}:
            raise ValidationError({"existing": "Choose one of the records offered."})
        merge = merges.merge_request(survivor=existing, merged=booking.patient, by=by)
        booking.linked_to = existing
    booking.checked_by, booking.checked_at = by, timezone.now()
    booking.save()
    return Checked(booking=booking, merge=merge)
