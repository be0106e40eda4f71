"""The waitlist: joining it, offering freed times, accepting an offer, and telling the patients.

Which time suits which entry is clinic/lib/waitlist.py (docs/clinical-rules.md §Waitlist); who
may wait for what is treatments.services.eligibility, as for any booking; a course entry is
offered only days its plan's interval allows (treatments.services.intervals); the booking itself
is treatments.services.scheduling's, race-safe as every booking is.

Nothing is lost. Cancelling or moving an appointment records the freed time (``slot_freed``) in
the same transaction, and hands the ``offer_freed_slot`` task to the worker once it commits;
``recover_unoffered`` finds any freed time whose task never ran.

Exactly once. Each entry is offered one freed time once (a unique (slot, entry) key), and each
offer is told once per channel (a unique (offer, channel) key, and a claim by one conditional
UPDATE before sending, as the appointment messages are): two workers running the same task send
one email.

First come, first served. The offers of one time go to every matching entry in the order they
joined. Accepting locks the freed time's row: the first patient books it, and every later one is
told that it has gone.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.lib import waitlist as rule
from clinic.lib.slots.choices import patient_choices
from clinic.models import AppointmentType, ClinicSettings, Role, Room, StaffProfile, User
from patients.models import Patient
from treatments.models import (
    ENTRY_STATES,
    LIVE_ENTRY_STATUSES,
    OFFER_STATES,
    Appointment,
    EntryStatus,
    FreedSlot,
    MessageChannel,
    MessageStatus,
    OfferStatus,
    TreatmentPlan,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistOfferMessage,
    Workflow,
)
from treatments.models.messages import MESSAGE_STATES
from treatments.services import eligibility, intervals

log = logging.getLogger(__name__)

VIA = Workflow.WAITLIST
#: The message kind whose channels the patient chose (everything but reminders).
OFFER_KIND = "waitlist_offer"
#: How far ahead a patient may wait.
LONGEST_WAIT = dt.timedelta(weeks=26)
#: A freed time this close to its start is not offered: nobody could take it in time.
TOO_CLOSE = dt.timedelta(hours=2)
#: Most times the desk is shown to offer by hand.
HAND_OFFER_TIMES = 30

GONE = "Sorry, someone else took this time first. You are still on the waitlist for the next one."
ENDED = "This offer has ended. You are still on the waitlist for the next time that suits."
ALREADY = "You have already answered this offer."
NOT_YOURS = "This offer is not yours."


def hold(clinic: ClinicSettings) -> dt.timedelta:
    """How long an offer's link books the time (``ClinicSettings.waitlist_hold_minutes``)."""
    return dt.timedelta(minutes=clinic.waitlist_hold_minutes)


# --- The rule, read from the records -------------------------------------------------------------


def wish_of(entry: WaitlistEntry) -> rule.Wish:
    return rule.Wish(
        appointment_type_id=entry.appointment_type_id,
        practitioner_id=entry.practitioner_id,
        earliest=entry.earliest,
        latest=entry.latest,
        weekdays=entry.weekday_set,
        time_from=entry.time_from,
        time_to=entry.time_to,
    )


def slot_of(
    *, appointment_type: AppointmentType, practitioner_id: int, starts_at: dt.datetime, tz
) -> rule.Slot:
    local = timezone.localtime(starts_at, tz)
    ends = local + dt.timedelta(minutes=appointment_type.duration_minutes)
    return rule.Slot(
        appointment_type_id=appointment_type.pk,
        practitioner_id=practitioner_id,
        day=local.date(),
        starts=local.time(),
        ends=ends.time() if ends.date() == local.date() else dt.time(0),
    )


def _interval_allows(entry: WaitlistEntry, starts_at: dt.datetime, *, clinic) -> bool:
    """A course entry's plan's interval (the plan's rule; never sooner from the waitlist)."""
    if not intervals.applies(entry.plan, entry.appointment_type):
        return True
    return intervals.interval_rule(plan=entry.plan, tz=clinic.zone).clash(starts_at) is None


def refusals_for(entry_or_fields, *, clinic: ClinicSettings, today: dt.date) -> list:
    return eligibility.booking_refusals(
        patient=entry_or_fields.patient,
        appointment_type=entry_or_fields.appointment_type,
        plan=entry_or_fields.plan,
        clinic=clinic,
        today=today,
    )


# --- Joining and leaving -------------------------------------------------------------------------


def _may_act_for(patient: Patient, by: User) -> None:
    if by.has_role(Role.PATIENT) and patient.user_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    if not by.has_role(Role.PATIENT, Role.FRONT_DESK, Role.DERMATOLOGIST):
        raise ValidationError("Your role cannot put patients on the waitlist.", code="role")


@transaction.atomic
def waitlist_join(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    earliest: dt.date,
    latest: dt.date,
    weekdays: frozenset[int] | set[int],
    time_from: dt.time,
    time_to: dt.time,
    by: User,
    practitioner: StaffProfile | None = None,
    plan: TreatmentPlan | None = None,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Put ``patient`` on the waitlist for ``appointment_type``; refused with the field it is
    about when the dates, days or hours make no sense, or the patient may not book it."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    today = timezone.localdate(now, clinic.zone)
    _may_act_for(patient, by)
    if patient.is_archived:
        raise ValidationError({"patient": "This patient is archived."})
    if not appointment_type.active:
        raise ValidationError({"appointment_type": "This appointment type is no longer offered."})
    if plan is not None and plan.patient_id != patient.pk:
        raise ValidationError({"plan": "This is another patient's plan."})
    if appointment_type.kind == AppointmentType.Kind.TREATMENT:
        if plan is None or plan.route != appointment_type.route:
            raise ValidationError(
                {"appointment_type": "A treatment session waits within a plan of its route."}
            )
    else:
        plan = None
    if earliest < today:
        raise ValidationError({"earliest": "Choose today or a later date."})
    if latest < earliest:
        raise ValidationError({"latest": "The last date comes on or after the first."})
    if latest > today + LONGEST_WAIT:
        raise ValidationError({"latest": "The waitlist runs up to 26 weeks ahead."})
    if not weekdays:
        raise ValidationError({"weekdays": "Choose at least one day."})
    if time_to <= time_from:
        raise ValidationError({"time_to": "The latest time comes after the earliest."})
    refusals = eligibility.booking_refusals(
        patient=patient, appointment_type=appointment_type, plan=plan, clinic=clinic, today=today
    )
    if refusals:
        raise ValidationError({"appointment_type": refusals})
    if (
        WaitlistEntry.objects.live()
        .filter(patient=patient, appointment_type=appointment_type)
        .exists()
    ):
        raise ValidationError(
            {"appointment_type": "Already on the waitlist for this: change or leave that entry."}
        )
    entry = WaitlistEntry(
        patient=patient,
        appointment_type=appointment_type,
        plan=plan,
        practitioner=practitioner,
        earliest=earliest,
        latest=latest,
        weekdays="".join(str(d) for d in sorted(set(weekdays))),
        time_from=time_from,
        time_to=time_to,
        joined_at=now,
        created_by=by,
        status_changed_at=now,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(
            {"appointment_type": "Already on the waitlist for this: change or leave that entry."}
        ) from None
    return entry


@transaction.atomic
def waitlist_withdraw(*, entry: WaitlistEntry, by: User, now: dt.datetime | None = None):
    """Leave the waitlist (the patient, or the desk for them); open offers end."""
    now = now or timezone.now()
    _may_act_for(entry.patient, by)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    entry.transition_to(EntryStatus.WITHDRAWN, by=by)
    entry.status_changed_at = now
    entry.save(update_fields=["status", "status_changed_at"])
    OFFER_STATES.update(
        entry.offers.all(), OfferStatus.EXPIRED, via=VIA, source=OfferStatus.OPEN, answered_at=now
    )
    return entry


# --- A time is freed -----------------------------------------------------------------------------


def slot_freed(
    *,
    appointment: Appointment,
    cause: str,
    starts_at: dt.datetime,
    practitioner_id: int,
    room_id: int,
    schedule_version: int,
    now: dt.datetime | None = None,
) -> FreedSlot | None:
    """Record that ``appointment`` no longer holds ``starts_at``, inside the transaction that
    freed it, and hand the offers to the worker once that commits. Past (or nearly past) times
    are not offered."""
    now = now or timezone.now()
    if starts_at - now < TOO_CLOSE:
        return None
    slot, created = FreedSlot.objects.get_or_create(
        appointment=appointment,
        schedule_version=schedule_version,
        defaults={
            "cause": cause,
            "appointment_type_id": appointment.appointment_type_id,
            "practitioner_id": practitioner_id,
            "room_id": room_id,
            "starts_at": starts_at,
            "freed_at": now,
        },
    )
    if created:
        transaction.on_commit(partial(enqueue_offers, slot.pk), robust=True)
    return slot


def enqueue_offers(slot_id: int) -> None:
    offer_freed_slot.enqueue(slot_id)


@task
def offer_freed_slot(slot_id: int) -> int:
    """The background task that offers a freed time to the waitlist; safe to run twice."""
    return len(waitlist_offer_slot(slot_id=slot_id))


def matching_entries(slot: FreedSlot, *, clinic: ClinicSettings, now: dt.datetime) -> list:
    """The live entries ``slot`` suits, in the order they joined (the rule, the plan's interval
    and who may book what)."""
    tz = clinic.zone
    today = timezone.localdate(now, tz)
    found = slot_of(
        appointment_type=slot.appointment_type,
        practitioner_id=slot.practitioner_id,
        starts_at=slot.starts_at,
        tz=tz,
    )
    candidates = (
        WaitlistEntry.objects.live()
        .filter(
            appointment_type=slot.appointment_type, earliest__lte=found.day, latest__gte=found.day
        )
        .filter(Q(practitioner__isnull=True) | Q(practitioner=slot.practitioner_id))
        .exclude(patient_id=slot.appointment.patient_id if slot.appointment_id else None)
        .select_related("patient", "appointment_type", "plan")
        .in_joining_order()
    )
    matches = []
    for entry in candidates:
        if not rule.suits(wish_of(entry), found):
            continue
        if not _interval_allows(entry, slot.starts_at, clinic=clinic):
            continue
        if refusals_for(entry, clinic=clinic, today=today):
            continue
        matches.append(entry)
    return matches


def waitlist_offer_slot(*, slot_id: int, now: dt.datetime | None = None) -> list[WaitlistOffer]:
    """Offer a freed time to every entry it suits, in joining order; return the new offers.
    Run outside a transaction (a task); each offer is its own."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    waitlist_tidy(now=now, clinic=clinic)
    slot = (
        FreedSlot.objects.select_related("appointment_type", "practitioner", "appointment")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None or slot.refilled_by_id is not None or slot.starts_at - now < TOO_CLOSE:
        return []
    offers = []
    for entry in matching_entries(slot, clinic=clinic, now=now):
        offer = _make_offer(entry=entry, slot=slot, by=None, clinic=clinic, now=now)
        if offer is not None:
            offers.append(offer)
    FreedSlot.objects.filter(pk=slot.pk).update(offered_at=now)
    return offers


@transaction.atomic
def _make_offer(*, entry, slot, by, clinic, now) -> WaitlistOffer | None:
    """One offer of ``slot`` to ``entry`` (None when it exists already) and its messages."""
    try:
        with transaction.atomic():
            offer = WaitlistOffer.objects.create(
                entry=entry,
                slot=slot,
                token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + hold(clinic),
                created_by=by,
            )
    except IntegrityError:
        return None  # another worker made it: it tells the patient, once
    ENTRY_STATES.update(
        WaitlistEntry.objects.filter(pk=entry.pk),
        EntryStatus.OFFERED,
        via=VIA,
        source=EntryStatus.WAITING,
        status_changed_at=now,
    )
    queue_offer_messages(offer)
    return offer


def recover_unoffered(*, now: dt.datetime | None = None, older_than=dt.timedelta(minutes=5)):
    """Queue again the freed times whose offering task never ran (a worker that stopped)."""
    now = now or timezone.now()
    lost = FreedSlot.objects.filter(
        offered_at__isnull=True,
        refilled_by__isnull=True,
        freed_at__lte=now - older_than,
        starts_at__gt=now + TOO_CLOSE,
    ).values_list("pk", flat=True)
    for slot_id in lost:
        enqueue_offers(slot_id)
    return len(lost)


# --- The desk offers a time by hand --------------------------------------------------------------


def hand_offer_times(entry: WaitlistEntry, *, clinic: ClinicSettings, now: dt.datetime):
    """Free times the desk may offer ``entry``: the finder's, within the entry's wish."""
    from treatments.services.availability import find_free_slots

    today = timezone.localdate(now, clinic.zone)
    start = max(entry.earliest, today)
    if entry.latest < start:
        return [], None
    found, resources = find_free_slots(
        clinic=clinic,
        patient=entry.patient,
        appointment_type=entry.appointment_type,
        start_date=start,
        end_date=min(entry.latest, start + dt.timedelta(days=27)),
        plan=entry.plan,
        now=now,
    )
    same, others = patient_choices(found, preferred=entry.practitioner_id)
    wish = wish_of(entry)
    times = []
    for choice in same if entry.practitioner_id else others:
        slot = slot_of(
            appointment_type=entry.appointment_type,
            practitioner_id=choice.practitioner_id,
            starts_at=choice.start,
            tz=clinic.zone,
        )
        if rule.suits(wish, slot) and choice.start - now >= TOO_CLOSE:
            times.append(choice)
        if len(times) >= HAND_OFFER_TIMES:
            break
    return times, resources


@transaction.atomic
def waitlist_offer_by_hand(
    *,
    entry: WaitlistEntry,
    starts_at: dt.datetime,
    practitioner: StaffProfile,
    room: Room,
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> WaitlistOffer:
    """The desk offers ``entry`` a free time: only one of the times the finder offers for it."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    if not by.has_role(Role.FRONT_DESK, Role.DERMATOLOGIST):
        raise ValidationError("Your role cannot offer times.", code="role")
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_live:
        raise ValidationError(f"This entry is {entry.get_status_display().lower()}.")
    times, _ = hand_offer_times(entry, clinic=clinic, now=now)
    wanted = (starts_at, practitioner.pk, room.pk)
    if not any((c.start, c.practitioner_id, c.room_id) == wanted for c in times):
        raise ValidationError(
            {"slot": "That time is no longer free or does not suit this entry: choose another."}
        )
    today = timezone.localdate(now, clinic.zone)
    refusals = refusals_for(entry, clinic=clinic, today=today)
    if refusals:
        raise ValidationError({"slot": refusals})
    slot = FreedSlot.objects.create(
        cause=FreedSlot.Cause.BY_HAND,
        appointment_type=entry.appointment_type,
        practitioner=practitioner,
        room=room,
        starts_at=starts_at,
        freed_at=now,
        offered_at=now,
    )
    return _make_offer(entry=entry, slot=slot, by=by, clinic=clinic, now=now)


# --- Accepting -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """What accepting an offer came to: the appointment booked, or why not."""

    appointment: Appointment | None = None
    refusal: str = ""
    code: str = ""


def offer_state(offer: WaitlistOffer, *, now: dt.datetime) -> str:
    """ "open", "accepted", "gone" or "expired" as the patient reads it now."""
    if offer.status == OfferStatus.OPEN and offer.expires_at <= now:
        return OfferStatus.EXPIRED
    return offer.status


@transaction.atomic
def waitlist_accept(
    *,
    offer: WaitlistOffer,
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Answer:
    """The patient takes the offered time: booked if nobody took it first and the rules still
    allow it. A refusal is returned, not raised, so that what it records (the offer has gone or
    ended) is kept."""
    from treatments.services import portal_booking, scheduling

    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    # The freed time's row is the lock every acceptance of it queues on.
    slot = FreedSlot.objects.select_for_update().get(pk=offer.slot_id)
    offer = (
        WaitlistOffer.objects.select_for_update(of=("self",))
        .select_related("entry__patient", "entry__appointment_type", "entry__plan")
        .get(pk=offer.pk)
    )
    entry = offer.entry
    if entry.patient.user_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    if offer.status != OfferStatus.OPEN:
        if offer.status == OfferStatus.GONE:
            return Answer(refusal=GONE, code="gone")
        if offer.status == OfferStatus.EXPIRED:
            return Answer(refusal=ENDED, code="expired")
        return Answer(refusal=ALREADY, code="answered")
    if slot.refilled_by_id is not None:
        _close(offer, OfferStatus.GONE, now=now)
        return Answer(refusal=GONE, code="gone")
    if offer.expires_at <= now or not entry.is_live:
        _close(offer, OfferStatus.EXPIRED, now=now)
        return Answer(refusal=ENDED, code="expired")
    try:
        appointment = scheduling.appointment_book(
            patient=entry.patient,
            appointment_type=entry.appointment_type,
            practitioner=slot.practitioner,
            room=slot.room,
            starts_at=slot.starts_at,
            plan=entry.plan,
            by=by,
            clinic=clinic,
            now=now,
        )
    except ValidationError as error:
        codes = {e.code for e in _errors(error)}
        taken = "slot_taken" in codes or _is_unavailable(error)
        if taken:
            _close(offer, OfferStatus.GONE, now=now)
            return Answer(refusal=GONE, code="gone")
        words = portal_booking.patient_error(error, clinic=clinic)
        return Answer(refusal=" ".join(words.messages), code="refused")
    slot.refilled_by = appointment
    slot.save(update_fields=["refilled_by"])
    _close(offer, OfferStatus.ACCEPTED, now=now)
    ENTRY_STATES.update(
        WaitlistEntry.objects.filter(pk=entry.pk),
        EntryStatus.BOOKED,
        via=VIA,
        status_changed_at=now,
        booked_appointment=appointment,
    )
    # Everyone else offered this time is told it has gone when they open the link; the booked
    # patient's other offers end.
    others = WaitlistOffer.objects.filter(status=OfferStatus.OPEN)
    closed = list(others.filter(slot=slot).values_list("entry_id", flat=True))
    OFFER_STATES.update(others.filter(slot=slot), OfferStatus.GONE, via=VIA, answered_at=now)
    OFFER_STATES.update(others.filter(entry=entry), OfferStatus.EXPIRED, via=VIA, answered_at=now)
    _back_to_waiting(closed, now=now)
    return Answer(appointment=appointment)


def _errors(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [e for group in error.error_dict.values() for e in group]
    return error.error_list


def _is_unavailable(error: ValidationError) -> bool:
    """The booking's own check found the time taken (another booking committed first)."""
    fields = set(getattr(error, "error_dict", {}))
    return bool(fields & {"practitioner", "room", "starts_at"}) and not any(
        e.code == "needs_dermatologist" for e in _errors(error)
    )


def _close(offer: WaitlistOffer, status: OfferStatus, *, now: dt.datetime) -> None:
    OFFER_STATES.update(
        WaitlistOffer.objects.filter(pk=offer.pk),
        status,
        via=VIA,
        source=OfferStatus.OPEN,
        answered_at=now,
    )
    offer.status = status
    if status != OfferStatus.ACCEPTED:
        _back_to_waiting([offer.entry_id], now=now)


def _back_to_waiting(entry_ids, *, now: dt.datetime) -> None:
    """Offered entries with no open offer left wait again."""
    ENTRY_STATES.update(
        WaitlistEntry.objects.filter(pk__in=entry_ids)
        .annotate(open_offers=Count("offers", filter=Q(offers__status=OfferStatus.OPEN)))
        .filter(open_offers=0),
        EntryStatus.WAITING,
        via=VIA,
        source=EntryStatus.OFFERED,
        status_changed_at=now,
    )


def waitlist_tidy(*, now: dt.datetime | None = None, clinic: ClinicSettings | None = None) -> int:
    """End offers past their hold and entries past their last date; return how many changed."""
    now = now or timezone.now()
    clinic = clinic or ClinicSettings.load()
    stale = WaitlistOffer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=now)
    entry_ids = list(stale.values_list("entry_id", flat=True))
    ended = OFFER_STATES.update(stale, OfferStatus.EXPIRED, via=VIA, answered_at=now)
    _back_to_waiting(entry_ids, now=now)
    today = timezone.localdate(now, clinic.zone)
    past = ENTRY_STATES.update(
        WaitlistEntry.objects.filter(status__in=LIVE_ENTRY_STATUSES, latest__lt=today),
        EntryStatus.EXPIRED,
        via=VIA,
        status_changed_at=now,
    )
    return ended + past


# --- Telling the patients ------------------------------------------------------------------------


def queue_offer_messages(offer: WaitlistOffer) -> list[WaitlistOfferMessage]:
    """One message per channel the patient chose (email, and text where they allow it)."""
    from treatments.services.contact import chosen_channels

    patient = offer.entry.patient
    queued = []
    for channel in sorted(chosen_channels(patient, OFFER_KIND)):
        if not (patient.mobile if channel == MessageChannel.SMS else patient.email):
            continue
        message, created = WaitlistOfferMessage.objects.get_or_create(offer=offer, channel=channel)
        if created:
            transaction.on_commit(partial(enqueue_message, message.pk), robust=True)
        queued.append(message)
    return queued


def enqueue_message(message_id: int) -> None:
    send_offer_message.enqueue(message_id)


@task
def send_offer_message(message_id: int) -> str:
    """The background task that tells a patient of an offer; however often it runs, once."""
    return deliver_offer_message(message_id)


def offer_url(offer: WaitlistOffer) -> str:
    return settings.SITE_URL + reverse("treatments:waitlist_offer", kwargs={"token": offer.token})


def deliver_offer_message(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Claim, check and send one offer message: "sent", "skipped", "failed" or "taken"."""
    now = now or timezone.now()
    claimed = MESSAGE_STATES.update(
        WaitlistOfferMessage.objects.filter(pk=message_id),
        MessageStatus.SENDING,
        via=Workflow.MESSAGING,
        source=MessageStatus.PENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "taken"
    message = WaitlistOfferMessage.objects.select_related(
        "offer__entry__patient",
        "offer__slot__appointment_type",
        "offer__slot__practitioner__user",
    ).get(pk=message_id)
    clinic = ClinicSettings.load()
    offer = message.offer
    reason = ""
    if offer_state(offer, now=now) != OfferStatus.OPEN:
        reason = "The offer had ended before it could be sent."
    if reason:
        _finish(message_id, MessageStatus.SKIPPED, last_error=reason)
        return "skipped"
    try:
        if message.channel == MessageChannel.SMS:
            sent_to = _send_text(offer, clinic=clinic, now=now)
        else:
            sent_to = offer.entry.patient.email
            build_offer_email(offer, clinic=clinic).send()
    except Exception as error:
        log.exception("Waitlist offer message %s could not be sent", message_id)
        _finish(message_id, MessageStatus.FAILED, last_error=f"{type(error).__name__}: {error}")
        return "failed"
    if not sent_to:
        _finish(message_id, MessageStatus.SKIPPED, last_error="Quiet hours: not texted.")
        return "skipped"
    _finish(message_id, MessageStatus.SENT, sent_at=timezone.now(), sent_to=sent_to)
    return "sent"


def _finish(message_id: int, status: MessageStatus, **fields) -> None:
    MESSAGE_STATES.update(
        WaitlistOfferMessage.objects.filter(pk=message_id, sent_at__isnull=True),
        status,
        via=Workflow.MESSAGING,
        **fields,
    )


def offer_context(offer: WaitlistOffer, *, clinic: ClinicSettings) -> dict:
    slot = offer.slot
    return {
        "offer": offer,
        "patient": offer.entry.patient,
        "slot": slot,
        "clinic": clinic,
        "url": offer_url(offer),
        "hold_minutes": clinic.waitlist_hold_minutes,
    }


def build_offer_email(offer: WaitlistOffer, *, clinic: ClinicSettings) -> EmailMultiAlternatives:
    context = offer_context(offer, clinic=clinic)
    with timezone.override(clinic.zone):
        subject = " ".join(render_to_string("emails/waitlist_offer-subject.txt", context).split())
        text = render_to_string("emails/waitlist_offer-body.txt", context)
        html = render_to_string("emails/waitlist_offer-body.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[offer.entry.patient.email],
        reply_to=[clinic.email] if clinic.email else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email


def offer_text(offer: WaitlistOffer, *, clinic: ClinicSettings) -> str:
    """No clinical detail: the clinic, the time and the link."""
    from treatments.services import texting

    return texting.OTHER_TEXTS[OFFER_KIND].format(
        clinic=clinic.name,
        when=texting.when_text(offer.slot.starts_at, clinic),
        minutes=clinic.waitlist_hold_minutes,
        link=offer_url(offer),
    )


def _send_text(offer: WaitlistOffer, *, clinic: ClinicSettings, now: dt.datetime) -> str:
    """Text the offer unless it is quiet hours (the offer would end before they are over)."""
    from treatments.services import sms, texting

    if texting.outside_quiet_hours(now, clinic=clinic) > now:
        return ""
    to = offer.entry.patient.mobile.as_e164
    sms.get_backend().send(
        to=to, body=offer_text(offer, clinic=clinic), reference=f"waitlist-offer-{offer.pk}"
    )
    return to


# --- Figures -------------------------------------------------------------------------------------


def refill_counts(*, start: dt.datetime, end: dt.datetime, condition: Q | None = None):
    """Freed times (cancelled or moved) starting in [start, end) and how many of them the
    waitlist refilled: (freed, refilled), in one query. ``condition`` narrows the freed times."""
    slots = FreedSlot.objects.filter(
        condition or Q(),
        cause__in=[FreedSlot.Cause.CANCELLED, FreedSlot.Cause.MOVED],
        starts_at__gte=start,
        starts_at__lt=end,
    )
    counts = slots.aggregate(
        freed=Count("pk"), refilled=Count("pk", filter=Q(refilled_by__isnull=False))
    )
    return counts["freed"], counts["refilled"]
