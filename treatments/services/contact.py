"""Patients' choice of email or text, STOP and START replies, and C to confirm by text.

The choice is the patient's consent to texts, so each change is kept (``ContactPreferenceChange``:
what, when, by whom and how). The patient changes it in the portal, the desk on the record, and a
reply to a text stops or resumes texts; a STOP is shown on the record until START.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from patients.models import Patient
from treatments.models import (
    CHANNELS_OF,
    DEFAULT_PREFERENCE,
    Appointment,
    AppointmentConfirmation,
    AppointmentStatus,
    ChangedVia,
    Channels,
    ContactPreference,
    ContactPreferenceChange,
    MessageChannel,
    MessageKind,
    MessageStatus,
    OutboundMessage,
)

#: Replies that stop and resume texts: the provider's standard opt-out and opt-in keywords.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES", "OPTIN"})
CONFIRM_WORDS = frozenset({"C", "CONFIRM"})

NEEDS_MOBILE = "Add a mobile number to the record before choosing texts."
TEXTS_STOPPED = "Texts are stopped: the patient replied STOP. They can reply START to resume."


def preference_of(patient: Patient) -> ContactPreference:
    """The patient's ContactPreference, or the default (email only) when they never chose."""
    try:
        return patient.contact_preference
    except ContactPreference.DoesNotExist:
        return DEFAULT_PREFERENCE


def chosen_channels(patient: Patient, kind: str) -> frozenset:
    """The channels ``patient`` hears about messages of ``kind`` by, now.

    A kind that has no text (aftercare: too detailed for one) goes by email to a patient who
    chose text only; "neither" is neither. A STOP reply stops every text.
    """
    from treatments.services import texting

    preference = preference_of(patient)
    channels = preference.channels(kind)
    if kind not in texting.TEXTS and kind not in texting.OTHER_TEXTS and channels:
        channels = CHANNELS_OF[Channels.EMAIL]
    if preference.texts_stopped_at is not None:
        channels = channels - {MessageChannel.SMS}
    return channels


def _record(preference: ContactPreference, *, via: ChangedVia, by, note: str = "") -> None:
    ContactPreferenceChange.objects.create(
        patient_id=preference.patient_id,
        via=via,
        by=by,
        reminders=preference.reminders,
        other=preference.other,
        texts_stopped=preference.texts_stopped_at is not None,
        note=note,
    )


def _locked(patient: Patient) -> ContactPreference:
    preference, _ = ContactPreference.objects.select_for_update().get_or_create(patient=patient)
    return preference


@transaction.atomic
def contact_preference_set(
    *, patient: Patient, reminders: str, other: str, by, via: ChangedVia
) -> ContactPreference:
    """Record the patient's choice per topic; reminders already queued follow it.

    Choosing texts needs a mobile number on the record.
    """
    errors = {}
    for field, value in (("reminders", reminders), ("other", other)):
        if value not in Channels.values:
            errors[field] = "Choose one of the options."
        elif MessageChannel.SMS in CHANNELS_OF[Channels(value)] and not patient.mobile:
            errors[field] = NEEDS_MOBILE
    if errors:
        raise ValidationError(errors)
    preference = _locked(patient)
    if (preference.reminders, preference.other) == (reminders, other):
        return preference
    preference.reminders, preference.other = reminders, other
    preference.save()
    _record(preference, via=via, by=by)
    patient.contact_preference = preference
    transaction.on_commit(lambda: _queue_upcoming_reminders(patient.pk))
    return preference


def _queue_upcoming_reminders(patient_id: int) -> None:
    """Queue the reminders of the patient's coming appointments on a newly chosen channel."""
    from treatments.services import messaging

    now = timezone.now()
    upcoming = Appointment.objects.select_related("patient__contact_preference").filter(
        patient_id=patient_id, status=AppointmentStatus.BOOKED, starts_at__gt=now
    )
    for appointment in upcoming:
        when = messaging.reminder_time(appointment.starts_at)
        if when > now:
            with transaction.atomic():
                messaging.queue_for_patient(
                    appointment=appointment, kind=MessageKind.REMINDER, send_after=when
                )


def _patients_with_mobile(number: str):
    return Patient.objects.filter(mobile=number, archived_at__isnull=True)


@transaction.atomic
def texts_stop(*, patient: Patient, note: str) -> ContactPreference:
    """No more texts to ``patient`` (a STOP reply) until they reply START."""
    preference = _locked(patient)
    if preference.texts_stopped_at is None:
        preference.texts_stopped_at = timezone.now()
        preference.save()
        _record(preference, via=ChangedVia.REPLY, by=None, note=note)
    return preference


@transaction.atomic
def texts_start(*, patient: Patient, note: str) -> ContactPreference:
    """Texts resume for ``patient`` (a START reply), on the topics they chose texts for."""
    preference = _locked(patient)
    if preference.texts_stopped_at is not None:
        preference.texts_stopped_at = None
        preference.save()
        _record(preference, via=ChangedVia.REPLY, by=None, note=note)
    return preference


def appointment_to_confirm(patient: Patient, *, now: dt.datetime) -> Appointment | None:
    """The patient's next booked appointment that a text told them about, if any."""
    return (
        Appointment.objects.filter(
            patient=patient,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
            messages__channel=MessageChannel.SMS,
            messages__status=MessageStatus.SENT,
        )
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def appointment_confirm_by_text(*, appointment: Appointment) -> AppointmentConfirmation:
    """The patient replied C: their appointment at its present time is confirmed."""
    confirmation, _ = AppointmentConfirmation.objects.update_or_create(
        appointment=appointment,
        defaults={
            "schedule_version": appointment.schedule_version,
            "confirmed_at": timezone.now(),
        },
    )
    return confirmation


def confirmed_by_text_flag() -> Exists:
    """Whether an appointment's present time was confirmed by text, as a column."""
    return Exists(
        AppointmentConfirmation.objects.filter(
            appointment=OuterRef("pk"), schedule_version=OuterRef("schedule_version")
        )
    )


def _keyword(body: str) -> str:
    words = re.findall(r"[A-Za-z]+", body or "")
    return words[0].upper() if words else ""


def inbound_text(*, from_number: str, body: str) -> str:
    """Act on a patient's reply; what was done, for the log ("stopped", "started",
    "confirmed", "nothing to confirm", "unknown sender" or "ignored").

    One mobile may be on several records (a parent and child): STOP and START apply to each.
    """
    patients = list(_patients_with_mobile(from_number))
    if not patients:
        return "unknown sender"
    word = _keyword(body)
    note = f"Replied {word} from {from_number}"
    if word in STOP_WORDS:
        for patient in patients:
            texts_stop(patient=patient, note=note)
        return "stopped"
    if word in START_WORDS:
        for patient in patients:
            texts_start(patient=patient, note=note)
        return "started"
    if word in CONFIRM_WORDS:
        now = timezone.now()
        found = [a for p in patients if (a := appointment_to_confirm(p, now=now)) is not None]
        if not found:
            return "nothing to confirm"
        appointment_confirm_by_text(appointment=min(found, key=lambda a: a.starts_at))
        return "confirmed"
    return "ignored"


def contact_panel(patient: Patient, role):
    """patients.panels provider for the desk's view of the record: how the patient hears from
    us, a STOP, and how many messages failed (one query)."""
    from clinic.models import Role
    from patients import panels

    if role != Role.FRONT_DESK:
        return None
    preference = ContactPreference.objects.filter(patient=patient)
    row = (
        Patient.objects.filter(pk=patient.pk)
        .annotate(
            reminders=Subquery(preference.values("reminders")[:1]),
            other=Subquery(preference.values("other")[:1]),
            texts_stopped_at=Subquery(preference.values("texts_stopped_at")[:1]),
            failed=Subquery(
                OutboundMessage.objects.filter(
                    appointment__patient=OuterRef("pk"), status=MessageStatus.FAILED
                )
                .values("appointment__patient")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .values("reminders", "other", "texts_stopped_at", "failed")
        .get()
    )
    shown = ContactPreference(
        patient=patient,
        reminders=row["reminders"] or Channels.EMAIL,
        other=row["other"] or Channels.EMAIL,
        texts_stopped_at=row["texts_stopped_at"],
    )
    return panels.Panel(
        key="contact",
        title="Texts and emails",
        template="treatments/contact/_contact_panel.html",
        context={"preference": shown, "failed": row["failed"] or 0, "patient": patient},
    )
