"""Emails and texts to patients about their appointments, each sent exactly once per channel.

What goes out:

- booked: a confirmation now, and a reminder ``REMINDER_HOURS_BEFORE`` hours (elapsed time)
  before the start when that is still ahead; and, when the clinic turned it on, a same-day
  reminder at its time that morning (``clinic.lib.same_day``);
- moved: a notice now, and the reminders for the new time;
- cancelled: a notice now, only to a patient who was told about the appointment;
- aftercare (queued by the session code when a session is completed);
- a consultation's intake request, when it is booked (``treatments.services.intake``).

Confirmations, reminders and notices carry an .ics file (METHOD:REQUEST, or METHOD:CANCEL with
the same UID and a higher SEQUENCE) so that the patient's calendar follows the appointment.

Each patient chooses, per topic (reminders, everything else), email, text, both or neither
(``ContactPreference``; email only until they choose); a reply of STOP stops every text. The
choice is read when a message is queued and again just before it is sent. Texts are sent by
``treatments.services.texting``: never in quiet hours, and retried with backoff while the provider
is busy or down.

Exactly once. A message is a row of ``OutboundMessage``, unique per (appointment, kind,
schedule_version, channel): queueing the same thing twice finds the row that is there. A worker
sends a message only after claiming it with one conditional UPDATE (pending -> sending); the
database lets exactly one UPDATE through, so two workers, or a task delivered twice, send one
message. Before
sending, the worker reads the appointment again: a reminder or notice for an older
``schedule_version`` (the appointment moved or was cancelled since) is skipped, never sent.

A worker that stops between its claim and its confirmation (killed mid-send) leaves the message
"sending": nobody can know whether the mail server took it. ``recover_stale`` (run after every
delivery, and callable on its own) puts such a message back after ``STALE_AFTER`` so that it is
sent after all, up to ``MAX_ATTEMPTS`` claims; then it is marked failed, for a person to check.
We chose a possible repeat over a silent loss: a missed reminder costs a missed session. A repeat
can only happen when a worker dies in the instant between the mail server accepting the email and
the next statement recording it; it carries the first attempt's Message-ID, so mail systems can
recognise it. A worker that dies before claiming leaves the message pending (its task is never run
again by the database worker); ``recover_stale`` queues it again.

Bounces. A mail server that refuses an address while we send (``SMTPRecipientsRefused``) leaves
the message failed with its answer. An email bounced after the server accepted it reaches only
the sender's mailbox, or the mail provider's own webhook (SES, Postmark, SendGrid, Mailgun each
have theirs, signed their own way; there is no common standard), and is not recorded here. A text
the provider took and could not deliver is marked bounced by its delivery report
(``texting.delivery_report``).

Queueing happens in the caller's transaction and the task is handed over once it commits, so a
booking that rolls back sends nothing.
"""

import datetime as dt
import logging
import smtplib
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.models import ClinicSettings
from treatments.models import (
    Appointment,
    AppointmentStatus,
    MessageChannel,
    MessageKind,
    MessageStatus,
    OutboundMessage,
    Workflow,
)
from treatments.presentation import ics

log = logging.getLogger(__name__)

#: The messages' state machine: each change below is one conditional UPDATE built from it.
STATES = OutboundMessage.state_machine
VIA = Workflow.MESSAGING

#: Messages about one version of an appointment's schedule: void once it moves or is cancelled.
SCHEDULE_KINDS = frozenset(
    {MessageKind.CONFIRMATION, MessageKind.REMINDER, MessageKind.SAME_DAY, MessageKind.MOVED}
)

#: What each change of an appointment queues.
EVENTS: dict[str, tuple[MessageKind, ...]] = {
    "booked": (MessageKind.CONFIRMATION, MessageKind.REMINDER, MessageKind.SAME_DAY),
    "moved": (MessageKind.MOVED, MessageKind.REMINDER, MessageKind.SAME_DAY),
    "cancelled": (MessageKind.CANCELLED,),
}

#: The calendar method of each message's .ics attachment; aftercare has none.
ICS_METHOD = {
    MessageKind.CONFIRMATION: ics.REQUEST,
    MessageKind.REMINDER: ics.REQUEST,
    MessageKind.SAME_DAY: ics.REQUEST,
    MessageKind.MOVED: ics.REQUEST,
    MessageKind.CANCELLED: ics.CANCEL,
}

#: A claim older than this without a result means the worker stopped.
STALE_AFTER = dt.timedelta(minutes=10)
#: Claims of one message before it is left failed for a person to look at.
MAX_ATTEMPTS = 3
#: Messages recover_stale queues again in one run.
RECOVERY_BATCH = 100

VOIDED = "The appointment moved or was cancelled after this message was queued."
INTERRUPTED = "The worker stopped while sending this message; it was queued again."
GAVE_UP = (
    "The worker stopped while sending this message {attempts} times. It was not sent again: "
    "check the mail server's log, then tell the patient."
)


def reminder_time(starts_at: dt.datetime) -> dt.datetime:
    """``REMINDER_HOURS_BEFORE`` hours of elapsed time before the start, in UTC.

    Across a daylight-saving night that is 48 real hours, which the clock shows as 47 or 49.
    Python's ``aware - timedelta`` moves the wall clock instead, hence the trip through UTC.
    """
    return starts_at.astimezone(dt.UTC) - dt.timedelta(hours=settings.REMINDER_HOURS_BEFORE)


# --- Queueing --------------------------------------------------------------------------------


def appointment_changed(appointment_id: int, event: str) -> list[OutboundMessage]:
    """Queue what ``event`` ("booked", "moved" or "cancelled") means for the patient.

    Called by the scheduling services once their transaction has committed. Safe to call again:
    a message that exists for this version of the appointment is not queued twice.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown appointment event {event!r}: one of {', '.join(EVENTS)}.")
    with transaction.atomic():
        appointment = Appointment.objects.select_related("patient").get(pk=appointment_id)
        now = timezone.now()
        # Reminders and notices for the appointment's older times are dropped at once; the
        # sender checks again at the last moment (a worker may hold one already).
        STATES.update(
            appointment.messages.filter(
                kind__in=SCHEDULE_KINDS, schedule_version__lt=appointment.schedule_version
            ),
            MessageStatus.SKIPPED,
            via=VIA,
            source=MessageStatus.PENDING,
            last_error=VOIDED,
        )
        if event == "cancelled":
            still_true = appointment.status == AppointmentStatus.CANCELLED
        else:
            still_true = appointment.status == AppointmentStatus.BOOKED
        if not still_true or appointment.starts_at <= now:
            return []  # nothing to tell: it changed again since, or its time has passed
        queued = []
        for kind in EVENTS[event]:
            if kind == MessageKind.SAME_DAY:
                queued += queue_same_day(appointment, now=now)
                continue
            send_after = now
            if kind == MessageKind.REMINDER:
                send_after = reminder_time(appointment.starts_at)
                if send_after <= now:
                    continue  # booked at short notice: the confirmation says it all
            queued += queue_for_patient(appointment=appointment, kind=kind, send_after=send_after)
        if event == "booked":
            from treatments.services.intake import intake_request

            queued += intake_request(appointment)
        return queued


def queue_same_day(appointment: Appointment, *, now: dt.datetime) -> list[OutboundMessage]:
    """Queue the same-day reminder on each channel the patient chose for reminders, when the
    clinic sends one and its time suits this appointment (``clinic.lib.same_day``); a text's time
    keeps out of quiet hours."""
    from clinic.lib.same_day import same_day_reminder_time
    from treatments.services import texting
    from treatments.services.contact import chosen_channels

    clinic = ClinicSettings.load()
    if clinic.same_day_reminder_at is None:
        return []
    queued = []
    for channel in sorted(chosen_channels(appointment.patient, MessageKind.SAME_DAY)):
        quiet = texting.quiet_hours_of_clinic() if channel == MessageChannel.SMS else None
        when = same_day_reminder_time(
            appointment.starts_at,
            at=clinic.same_day_reminder_at,
            zone=clinic.zone,
            now=now,
            quiet=quiet,
        )
        if when is None:
            continue
        message = queue_message(
            appointment=appointment, kind=MessageKind.SAME_DAY, send_after=when, channel=channel
        )
        if message is not None:
            queued.append(message)
    return queued


def queue_for_patient(
    *, appointment: Appointment, kind: MessageKind, send_after: dt.datetime | None = None
) -> list[OutboundMessage]:
    """Queue ``kind`` about ``appointment`` on each channel its patient chose for it."""
    from treatments.services.contact import chosen_channels

    queued = []
    for channel in sorted(chosen_channels(appointment.patient, kind)):
        message = queue_message(
            appointment=appointment, kind=kind, send_after=send_after, channel=channel
        )
        if message is not None:
            queued.append(message)
    return queued


def queue_message(
    *,
    appointment: Appointment,
    kind: MessageKind,
    send_after: dt.datetime | None = None,
    channel: MessageChannel = MessageChannel.EMAIL,
) -> OutboundMessage | None:
    """Queue one email (or text) about ``appointment`` to its patient, to go at ``send_after``.

    Returns the message, or None when the patient has no email address (or mobile). The message
    exists once per (appointment, kind, schedule_version, channel): asking again returns the one
    there is. A text due in quiet hours waits for their end. The task is handed to the worker
    when the caller's transaction commits.
    """
    from treatments.services import texting

    patient = appointment.patient
    if not (patient.mobile if channel == MessageChannel.SMS else patient.email):
        return None
    send_after = send_after or timezone.now()
    if channel == MessageChannel.SMS:
        send_after = texting.outside_quiet_hours(send_after)
    message, created = OutboundMessage.objects.get_or_create(
        appointment=appointment,
        kind=kind,
        schedule_version=appointment.schedule_version,
        channel=channel,
        defaults={"send_after": send_after},
    )
    if created:
        transaction.on_commit(partial(enqueue, message.pk, message.send_after))
    return message


def enqueue(message_id: int, send_after: dt.datetime | None = None) -> None:
    """Hand a message to the task worker, to run at ``send_after`` where the backend can wait.

    Enqueueing a message twice is harmless: the second run finds it claimed.
    """
    job = send_message
    if send_after is not None and send_after > timezone.now() and job.get_backend().supports_defer:
        job = job.using(run_after=send_after)
    job.enqueue(message_id)


# --- Sending ---------------------------------------------------------------------------------


def deliver(message_id: int) -> str:
    """Send one message if it is due, unclaimed and still true; say what happened.

    Returns "sent", "skipped", "failed", "not due", "taken" (another worker has it, or it is
    done) or "missing". Must run outside a transaction (as task workers run tasks), so that the
    claim is committed before the email leaves.
    """
    now = timezone.now()
    claimed = STATES.update(
        OutboundMessage.objects.filter(pk=message_id, send_after__lte=now),
        MessageStatus.SENDING,
        via=VIA,
        source=MessageStatus.PENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return _not_claimed(message_id, now)
    outcome = _send_claimed(message_id, now)
    try:
        recover_stale()
    except Exception:  # the message is done; recovery runs again after the next one
        log.exception("Recovering stale messages failed")
    return outcome


@task
def send_message(message_id: int) -> str:
    """The background task that sends one queued message; however often it runs, it goes once.

    Django's tasks framework runs it (``manage.py db_worker`` in production and under
    ``make run``).
    """
    return deliver(message_id)


def _not_claimed(message_id: int, now: dt.datetime) -> str:
    row = OutboundMessage.objects.filter(pk=message_id).values("status", "send_after").first()
    if row is None:
        return "missing"
    if row["status"] == MessageStatus.PENDING and row["send_after"] > now:
        # Woken early (a backend that cannot wait): wait for the due time where possible;
        # otherwise recover_stale picks the message up once it is due.
        if send_message.get_backend().supports_defer:
            enqueue(message_id, row["send_after"])
        return "not due"
    return "taken"


def finish(message_id: int, status: MessageStatus, **fields) -> None:
    """Record the worker's result, from whatever state recovery may have left the message in
    meanwhile; a message recorded sent stays sent."""
    unsent = OutboundMessage.objects.filter(pk=message_id, sent_at__isnull=True)
    STATES.update(unsent, status, via=VIA, **fields)


def _send_claimed(message_id: int, now: dt.datetime) -> str:
    message = OutboundMessage.objects.select_related(
        "appointment__patient__contact_preference",
        "appointment__appointment_type",
        "appointment__practitioner__user",
        "appointment__room",
    ).get(pk=message_id)
    reason = skip_reason(message, now=now)
    if reason:
        finish(message_id, MessageStatus.SKIPPED, last_error=reason)
        log.info("Message %s skipped: %s", message_id, reason)
        return "skipped"
    if message.channel == MessageChannel.SMS:
        from treatments.services import texting

        return texting.send_claimed_text(message, clinic=ClinicSettings.load())
    try:
        email = build_email(message, clinic=ClinicSettings.load())
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        # The mail server said no to the address while we sent: the one bounce we hear of.
        log.warning("Message %s refused by the mail server: %s", message_id, error.recipients)
        finish(message_id, MessageStatus.FAILED, last_error=refusal_reason(error))
        return "failed"
    except Exception as error:
        log.exception("Message %s could not be sent", message_id)
        finish(message_id, MessageStatus.FAILED, last_error=f"{type(error).__name__}: {error}")
        return "failed"
    finish(
        message_id,
        MessageStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        sent_to=message.appointment.patient.email,
    )
    return "sent"


def refusal_reason(error: smtplib.SMTPRecipientsRefused) -> str:
    """The mail server's refusal of an address, in the desk's words with its own code and text
    ("550 5.1.1 User unknown")."""
    answers = []
    for address, (code, text) in error.recipients.items():
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        answers.append(f"{address}: {code} {' '.join(text.split())}")
    return "The mail server refused the address: " + "; ".join(answers) + "."


def skip_reason(message: OutboundMessage, *, now: dt.datetime) -> str:
    """Why ``message`` must not go out now, or "" when it should. Read just before sending."""
    from treatments.services.contact import chosen_channels, preference_of

    appointment = message.appointment
    status = AppointmentStatus(appointment.status)
    patient = appointment.patient
    if message.channel == MessageChannel.SMS:
        if not patient.mobile:
            return "The patient has no mobile number."
        if preference_of(patient).texts_stopped_at is not None:
            return "The patient replied STOP to texts."
    elif not patient.email:
        return "The patient has no email address."
    if message.channel not in chosen_channels(patient, message.kind):
        return f"The patient no longer wants these by {message.get_channel_display().lower()}."
    if message.kind in SCHEDULE_KINDS:
        if appointment.schedule_version != message.schedule_version:
            return VOIDED
        if status != AppointmentStatus.BOOKED:
            return f"The appointment is {status.label.lower()}."
        if appointment.starts_at <= now:
            return "The appointment has already started."
    elif message.kind == MessageKind.CANCELLED:
        if status != AppointmentStatus.CANCELLED:
            return "The appointment is not cancelled."
        if appointment.starts_at <= now:
            return "The appointment's time has passed."
        told = (
            appointment.messages.filter(
                status__in=[MessageStatus.SENT, MessageStatus.SENDING],
                kind__in=SCHEDULE_KINDS,
            )
            .exclude(pk=message.pk)
            .exists()
        )
        if not told:
            return "The patient was never sent this appointment, so there is nothing to cancel."
    elif message.kind == MessageKind.AFTERCARE and not _has_session(appointment):
        return "No session was recorded for this appointment."
    elif message.kind == MessageKind.INTAKE_REQUEST:
        from treatments.services.intake import request_skip_reason

        return request_skip_reason(appointment, now=now)
    return ""


def _has_session(appointment: Appointment) -> bool:
    from treatments.models import TreatmentSession

    return TreatmentSession.objects.filter(appointment=appointment).exists()


# --- The email -------------------------------------------------------------------------------


def _message_id(message: OutboundMessage) -> str:
    """The same Message-ID for every attempt at one message."""
    host = urlsplit(settings.SITE_URL).hostname or "exoclinic"
    return f"<exoclinic-message-{message.pk}@{host}>"


def _previous_when(appointment: Appointment, message: OutboundMessage, clinic) -> str:
    """For a 'moved' notice: when the appointment was before this move, from its history."""
    before = (
        appointment.history.filter(schedule_version=message.schedule_version - 1)
        .order_by("-history_date")
        .values_list("starts_at", flat=True)
        .first()
    )
    return ics.format_when(timezone.localtime(before, clinic.zone)) if before else ""


def email_context(message: OutboundMessage, *, clinic: ClinicSettings) -> dict:
    appointment = message.appointment
    patient = appointment.patient
    context = {
        "message": message,
        "appointment": appointment,
        "patient": patient,
        "clinic": clinic,
        "site_url": settings.SITE_URL,
        # The portal is where a patient with a login sees their sessions.
        "portal_url": settings.SITE_URL + reverse("home") if patient.user_id else "",
    }
    if message.kind == MessageKind.AFTERCARE:
        context["session"] = appointment.session
        return context
    if message.kind == MessageKind.INTAKE_REQUEST:
        context["intake_url"] = settings.SITE_URL + reverse(
            "treatments:portal_intake", args=[appointment.pk]
        )
    context["details"] = ics.details_for(appointment, clinic)
    if message.kind == MessageKind.MOVED:
        context["previous_when"] = _previous_when(appointment, message, clinic)
    return context


def template_names(kind: MessageKind) -> tuple[str, str, str]:
    """(subject, text body, HTML body) template names of a message kind."""
    stem = "emails/aftercare" if kind == MessageKind.AFTERCARE else f"emails/appointment_{kind}"
    return f"{stem}-subject.txt", f"{stem}-body.txt", f"{stem}-body.html"


def build_email(message: OutboundMessage, *, clinic: ClinicSettings) -> EmailMultiAlternatives:
    """The email for ``message``, with times on the clinic's clock, ready to send."""
    context = email_context(message, clinic=clinic)
    subject_name, text_name, html_name = template_names(MessageKind(message.kind))
    # Templates' date filters show the clinic's time, also in a worker outside any request.
    with timezone.override(clinic.zone):
        subject = " ".join(render_to_string(subject_name, context).split())
        text = render_to_string(text_name, context)
        html = render_to_string(html_name, context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[message.appointment.patient.email],
        reply_to=[clinic.email] if clinic.email else None,
        headers={"Message-ID": _message_id(message), "Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    method = ICS_METHOD.get(MessageKind(message.kind))
    if method is not None:
        calendar = ics.appointment_ics(message.appointment, method=method, clinic=clinic)
        email.attach("appointment.ics", calendar, f"text/calendar; method={method}")
    return email


# --- Recovery --------------------------------------------------------------------------------


def recover_stale(*, now: dt.datetime | None = None, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Put back what a stopped worker left behind; return how many messages were queued again.

    - "sending" for longer than ``older_than``: the worker stopped mid-send. Back to pending
      (sent again, same Message-ID), or failed after ``MAX_ATTEMPTS`` claims.
    - pending and overdue by ``older_than``, not queued again in that time: its task was lost
      (or the worker is behind; a second task for one message is harmless). Queued again.

    ``claimed_at`` of a pending message records when recovery last queued it, so a backlog is
    not queued again on every run.
    """
    now = now or timezone.now()
    cutoff = now - older_than
    stale = OutboundMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lte=cutoff)
    given_up = STATES.update(
        stale.filter(attempts__gte=MAX_ATTEMPTS),
        MessageStatus.FAILED,
        via=VIA,
        source=MessageStatus.SENDING,
        last_error=GAVE_UP.format(attempts=MAX_ATTEMPTS),
    )
    if given_up:
        log.error(
            "%s message(s) interrupted %s times while sending: left failed", given_up, MAX_ATTEMPTS
        )
    interrupted = list(stale.order_by("pk").values_list("pk", flat=True)[:RECOVERY_BATCH])
    overdue = list(
        OutboundMessage.objects.filter(status=MessageStatus.PENDING, send_after__lte=cutoff)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=cutoff))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:RECOVERY_BATCH]
    )
    # Everything is marked before anything is queued, so that a delivery the queueing runs at
    # once (and the recovery that follows it) does not queue the same messages again.
    STATES.update(
        OutboundMessage.objects.filter(pk__in=interrupted),
        MessageStatus.PENDING,
        via=VIA,
        source=MessageStatus.SENDING,
        last_error=INTERRUPTED,
        claimed_at=now,
    )
    OutboundMessage.objects.filter(pk__in=overdue, status=MessageStatus.PENDING).update(
        claimed_at=now
    )
    for message_id in (*interrupted, *overdue):
        enqueue(message_id)
    return len(interrupted) + len(overdue)
