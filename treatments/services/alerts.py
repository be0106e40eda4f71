"""Clinical alerts: raised by what a patient reports, they reach a dermatologist at once.

- ``alert_raise`` records the alert and, once the transaction commits, emails (and texts, when
  they chose it: ``AlertTexts``) the responsible dermatologist (the one who gave the patient's
  latest session; nobody named: every dermatologist). Any concern may raise one: the portal's
  skin report, the patient's report of a reaction, an intake answer that blocks treatment.
- The chart shows a banner and the dermatologist's home a line, by urgency, until a
  dermatologist marks it handled with an outcome note, which the patient then reads in the
  portal (with when the clinic read it).
- An urgent alert still unhandled ``ALERT_ESCALATE_HOURS`` after it was raised is emailed to
  the other dermatologists. A task with ``run_after`` does it on time where the task backend can
  wait (the database backend can); ``manage.py process_alerts``, run every few minutes beside
  ``recover_messages``, does whatever a lost task or a backend that cannot wait left behind.

Emails go once: each is claimed by a conditional UPDATE of ``notified_at`` or ``escalated_at``
before it is sent; an email the mail server refused gives the claim back for the next run. The
emails name no patient and no clinical detail (email is not a private channel): they link to
the alert.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role, User
from treatments.models import (
    AlertSource,
    AlertStatus,
    AlertTexts,
    AlertUrgency,
    ClinicalAlert,
    TreatmentSession,
)
from treatments.services import sms

log = logging.getLogger(__name__)

OUTCOME_NEEDED = "Say what was done: the patient reads this note."
REASON_NEEDED = "Say what the alert is about."
#: Alerts ``process_alerts`` handles in one run.
BATCH = 100


def _dermatologists() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.DERMATOLOGIST.value, is_active=True)


def responsible_for(patient) -> User | None:
    """The dermatologist who gave the patient's latest session, while they can still log in."""
    session = (
        TreatmentSession.objects.filter(patient=patient, clinician__is_active=True)
        .order_by("-started_at", "-pk")
        .select_related("clinician")
        .first()
    )
    return session.clinician if session is not None else None


def escalation_due(alert: ClinicalAlert) -> dt.datetime:
    return alert.raised_at + dt.timedelta(hours=settings.ALERT_ESCALATE_HOURS)


@transaction.atomic
def alert_raise(
    *,
    patient,
    reason: str,
    urgency: str,
    source: str,
    by: User | None,
    responsible: User | None = None,
    skin_report=None,
) -> ClinicalAlert:
    """Raise an alert about ``patient``; the dermatologist is emailed once this commits.

    ``by`` is who raised it (the patient, a member of staff, or None for the system);
    ``responsible`` defaults to ``responsible_for(patient)``.
    """
    errors = {}
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = REASON_NEEDED
    if urgency not in AlertUrgency.values:
        errors["urgency"] = "Choose urgent or soon."
    if source not in AlertSource.values:
        errors["source"] = "Unknown source of alert."
    if errors:
        raise ValidationError(errors)
    limit = ClinicalAlert._meta.get_field("reason").max_length
    alert = ClinicalAlert.objects.create(
        patient=patient,
        reason=reason if len(reason) <= limit else reason[: limit - 1] + "…",
        urgency=urgency,
        source=source,
        skin_report=skin_report,
        responsible=responsible if responsible is not None else responsible_for(patient),
        raised_by=by,
        raised_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(alert))
    return alert


def _enqueue(alert: ClinicalAlert) -> None:
    notify_alert.enqueue(alert.pk)
    if alert.urgency == AlertUrgency.URGENT and escalate_alert.get_backend().supports_defer:
        escalate_alert.using(run_after=escalation_due(alert)).enqueue(alert.pk)


def _alert_url(alert: ClinicalAlert) -> str:
    return settings.SITE_URL + reverse("treatments:alert_detail", args=[alert.pk])


def _send(alert: ClinicalAlert, recipients: list[User], *, escalated: bool) -> None:
    urgency = alert.get_urgency_display()
    subject = f"{urgency} patient alert" + (" not yet handled" if escalated else "")
    lines = [
        f"A patient's report needs a dermatologist ({urgency.lower()}): "
        f"{alert.get_source_display().lower()}.",
    ]
    if escalated:
        lines.append(
            f"It was raised {settings.ALERT_ESCALATE_HOURS} hours ago and nobody has handled it "
            "yet, so it now comes to every dermatologist."
        )
    lines += ["", f"Open it: {_alert_url(alert)}", "", "The details are in Exoclinic, not here."]
    emails = sorted({user.email for user in recipients if user.email})
    EmailMessage(subject=subject, body="\n".join(lines), to=emails).send()


def _text(alert: ClinicalAlert, recipients: list[User], *, escalated: bool) -> int:
    """Text the recipients who chose alert texts (at any hour: an alert cannot wait for the
    morning); a text that fails is logged, the email has gone."""
    chosen = AlertTexts.objects.filter(
        user__in=recipients, enabled=True, user__is_active=True
    ).exclude(mobile="")
    late = " and is not yet handled" if escalated else ""
    body = (
        f"Exoclinic: a {alert.get_urgency_display().lower()} patient alert needs a "
        f"dermatologist{late}. {_alert_url(alert)}"
    )
    sent = 0
    for choice in chosen:
        try:
            sms.get_backend().send(
                to=choice.mobile.as_e164, body=body, reference=f"alert-{alert.pk}-{choice.user_id}"
            )
        except Exception:
            log.exception("Alert %s: the text to user %s failed", alert.pk, choice.user_id)
        else:
            sent += 1
    return sent


def _claimed_send(alert_id: int, field: str, recipients_of, *, escalated: bool, **where) -> bool:
    """Claim ``field`` of the alert (one UPDATE), email (and text those who chose it), and give
    the claim back when the email fails."""
    now = timezone.now()
    claimed = ClinicalAlert.objects.filter(pk=alert_id, **{f"{field}__isnull": True}, **where)
    if not claimed.update(**{field: now}):
        return False
    alert = ClinicalAlert.objects.select_related("responsible").get(pk=alert_id)
    recipients = list(recipients_of(alert))
    if not any(user.email for user in recipients):
        log.error("Alert %s: no dermatologist has an email address", alert_id)
        return False
    try:
        _send(alert, recipients, escalated=escalated)
    except Exception:
        log.exception("Alert %s: the email could not be sent; it is tried again", alert_id)
        ClinicalAlert.objects.filter(pk=alert_id, **{field: now}).update(**{field: None})
        return False
    _text(alert, recipients, escalated=escalated)
    return True


def _first_recipients(alert: ClinicalAlert) -> list[User]:
    if alert.responsible is not None and alert.responsible.is_active:
        return [alert.responsible]
    return list(_dermatologists())


def _other_dermatologists(alert: ClinicalAlert) -> list[User]:
    others = _dermatologists()
    if alert.responsible_id is not None:
        others = others.exclude(pk=alert.responsible_id)
    return list(others)


def notify(alert_id: int) -> bool:
    """Email the responsible dermatologist about the alert, once."""
    return _claimed_send(alert_id, "notified_at", _first_recipients, escalated=False)


def escalate(alert_id: int, *, now: dt.datetime | None = None) -> bool:
    """Email the other dermatologists about an urgent alert still unhandled after
    ``ALERT_ESCALATE_HOURS``, once. False when it is not due, handled, or done already."""
    now = now or timezone.now()
    return _claimed_send(
        alert_id,
        "escalated_at",
        _other_dermatologists,
        escalated=True,
        urgency=AlertUrgency.URGENT,
        status__in=[AlertStatus.OPEN, AlertStatus.READ],
        raised_at__lte=now - dt.timedelta(hours=settings.ALERT_ESCALATE_HOURS),
    )


@task
def notify_alert(alert_id: int) -> bool:
    return notify(alert_id)


@task
def escalate_alert(alert_id: int) -> bool:
    return escalate(alert_id)


def process_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send what lost tasks left: (alerts notified, alerts escalated)."""
    now = now or timezone.now()
    waiting = ClinicalAlert.objects.filter(notified_at__isnull=True).values_list("pk", flat=True)
    notified = sum(notify(pk) for pk in list(waiting[:BATCH]))
    due = ClinicalAlert.objects.filter(
        urgency=AlertUrgency.URGENT,
        status__in=[AlertStatus.OPEN, AlertStatus.READ],
        escalated_at__isnull=True,
        raised_at__lte=now - dt.timedelta(hours=settings.ALERT_ESCALATE_HOURS),
    ).values_list("pk", flat=True)
    escalated = sum(escalate(pk, now=now) for pk in list(due[:BATCH]))
    return notified, escalated


@transaction.atomic
def alert_read(*, alert: ClinicalAlert, by: User) -> ClinicalAlert:
    locked = ClinicalAlert.objects.select_for_update().get(pk=alert.pk)
    locked.state_machine.check(locked, AlertStatus.READ, by=by)
    locked.status = AlertStatus.READ
    locked.read_at = timezone.now()
    locked.save(update_fields=["status", "read_at"])
    return locked


@transaction.atomic
def alert_handle(*, alert: ClinicalAlert, by: User, outcome: str) -> ClinicalAlert:
    """Close the alert with what was done; the patient reads the note in the portal."""
    locked = ClinicalAlert.objects.select_for_update().get(pk=alert.pk)
    locked.state_machine.check(locked, AlertStatus.HANDLED, by=by)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    now = timezone.now()
    locked.status = AlertStatus.HANDLED
    locked.read_at = locked.read_at or now
    locked.handled_at, locked.handled_by, locked.outcome = now, by, outcome
    locked.save(update_fields=["status", "read_at", "handled_at", "handled_by", "outcome"])
    return locked


def urgency_of_skin_report(reasons: list[str]) -> AlertUrgency:
    """A severe effect is urgent (docs/clinical-rules.md §Adverse events: severe swelling is
    beyond the expected); an effect lasting past 72 hours or "something else" is for today."""
    if any(reason.startswith("severe") for reason in reasons):
        return AlertUrgency.URGENT
    return AlertUrgency.SOON


def handle_for_skin_report(*, skin_report_id: int, by: User, outcome: str) -> int:
    """Handle the open alerts of a skin report whose worklist item was closed with ``outcome``."""
    handled = 0
    for alert in ClinicalAlert.objects.filter(skin_report_id=skin_report_id).exclude(
        status=AlertStatus.HANDLED
    ):
        alert_handle(alert=alert, by=by, outcome=outcome or "Handled from the worklist.")
        handled += 1
    return handled


def open_alerts() -> QuerySet[ClinicalAlert]:
    """Unhandled alerts, urgent first, oldest first within an urgency."""
    return (
        ClinicalAlert.objects.exclude(status=AlertStatus.HANDLED)
        .select_related("patient", "responsible")
        .order_by("-urgency", "raised_at", "pk")
    )


@transaction.atomic
def alert_texts_set(*, user: User, enabled: bool, mobile) -> AlertTexts:
    """A dermatologist's choice of alert texts; texts need a mobile number."""
    if enabled and not mobile:
        raise ValidationError({"mobile": "Give the mobile number alerts should be texted to."})
    choice, _ = AlertTexts.objects.select_for_update().get_or_create(user=user)
    choice.enabled, choice.mobile = enabled, mobile or ""
    choice.save()
    return choice
