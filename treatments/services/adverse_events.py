"""Adverse events: anything beyond the expected effects of a session.

docs/clinical-rules.md §Adverse events: recorded with severity and outcome, and shown on the
patient's chart and the product lot. An event is recorded at the session or later; linked to a
session, it carries the session's lot, so that the lot's recall finds it. It is edited while
ongoing, closed when resolved (with the date and the outcome), and, when serious
(§Serious adverse events), waits on the homes until it is marked reported with the regulator's
reference.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.lib.adverse_events import SeriousCriterion
from clinic.models import ClinicSettings
from patients.models import Patient
from treatments.models import AdverseEvent, TreatmentSession

#: What a dermatologist may change while the event is ongoing.
EDITABLE_FIELDS = (
    "kind",
    "severity",
    "onset_on",
    "description",
    "action_taken",
    "serious_criteria",
    "other_products",
)


def _criteria(values) -> list[str]:
    try:
        chosen = {SeriousCriterion(value) for value in values}
    except ValueError:
        raise ValidationError({"serious_criteria": "Unknown criterion."}) from None
    return [c.value for c in SeriousCriterion if c in chosen]


def _onset_errors(onset_on: dt.date, session: TreatmentSession | None, today, zone) -> dict:
    if onset_on > today:
        return {"onset_on": "The onset cannot be in the future."}
    if session is not None:
        session_day = timezone.localdate(session.started_at, zone)
        if onset_on < session_day:
            return {"onset_on": f"The onset is before the session of {session_day:%-d %B %Y}."}
    return {}


def _resolution_errors(outcome: str, resolved_on, onset_on, today) -> dict:
    if outcome == AdverseEvent.Outcome.ONGOING:
        return {"resolved_on": "An ongoing event has no resolution date."} if resolved_on else {}
    if resolved_on is None:
        return {"resolved_on": "Give the date it resolved."}
    if resolved_on > today:
        return {"resolved_on": "The resolution cannot be in the future."}
    if resolved_on < onset_on:
        return {"resolved_on": "It cannot resolve before its onset."}
    return {}


def _save(event: AdverseEvent, by) -> AdverseEvent:
    event.full_clean()
    event._history_user = by
    event.save()
    return event


@transaction.atomic
def adverse_event_record(
    *,
    patient: Patient,
    by,
    session: TreatmentSession | None,
    kind: str,
    description: str,
    severity: str,
    onset_on: dt.date,
    action_taken: str = "",
    outcome: str = AdverseEvent.Outcome.ONGOING,
    resolved_on: dt.date | None = None,
    serious_criteria=(),
    other_products: str = "",
    today: dt.date | None = None,
) -> AdverseEvent:
    """An adverse event, linked to the session and its lot when known. ``today`` is the
    clinic's today unless given; the onset is a date on the clinic's clock."""
    clinic = ClinicSettings.load()
    today = today or clinic.today()
    errors: dict[str, str] = {}
    if session is not None and session.patient_id != patient.pk:
        errors["session"] = "This session is another patient's."
    if not description.strip():
        errors["description"] = "Describe what happened."
    errors |= _onset_errors(onset_on, session, today, clinic.zone)
    if "onset_on" not in errors:
        errors |= _resolution_errors(outcome, resolved_on, onset_on, today)
    criteria = _criteria(serious_criteria)
    if errors:
        raise ValidationError(errors)
    event = AdverseEvent(
        patient=patient,
        session=session,
        lot_id=session.lot_id if session is not None else None,
        kind=kind,
        description=description.strip(),
        severity=severity,
        onset_on=onset_on,
        action_taken=action_taken.strip(),
        outcome=outcome,
        resolved_on=resolved_on if outcome != AdverseEvent.Outcome.ONGOING else None,
        serious_criteria=criteria,
        serious_on=today if criteria else None,
        other_products=other_products.strip(),
        reported_by=by,
    )
    return _save(event, by)


def _require_open(event: AdverseEvent) -> None:
    if not event.is_open:
        raise ValidationError(
            f"This adverse event was {event.get_outcome_display().lower()} on "
            f"{event.resolved_on:%-d %B %Y}: its record is closed."
        )


@transaction.atomic
def adverse_event_update(
    *, event: AdverseEvent, by, today: dt.date | None = None, **changes
) -> AdverseEvent:
    """Correct or complete an ongoing event (what happened, how severe, serious or not, what was
    done). A resolved event is closed; an event already reported stays serious."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    clinic = ClinicSettings.load()
    today = today or clinic.today()
    errors: dict[str, str] = {}
    if "description" in changes and not changes["description"].strip():
        errors["description"] = "Describe what happened."
    if "onset_on" in changes:
        errors |= _onset_errors(changes["onset_on"], event.session, today, clinic.zone)
    criteria = _criteria(changes.get("serious_criteria", event.serious_criteria))
    if not criteria and event.reported_on:
        errors["serious_criteria"] = (
            "This event was reported to the regulator as serious: keep its criteria."
        )
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    event.serious_criteria = criteria
    if criteria and event.serious_on is None:
        event.serious_on = today
    elif not criteria:
        event.serious_on = None
    return _save(event, by)


@transaction.atomic
def adverse_event_resolve(
    *,
    event: AdverseEvent,
    by,
    outcome: str,
    resolved_on: dt.date | None,
    action_taken: str | None = None,
    today: dt.date | None = None,
) -> AdverseEvent:
    """Close an ongoing event with the date it resolved and how it ended."""
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    today = today or ClinicSettings.load().today()
    if outcome == AdverseEvent.Outcome.ONGOING:
        raise ValidationError({"outcome": "Choose how it ended."})
    errors = _resolution_errors(outcome, resolved_on, event.onset_on, today)
    if errors:
        raise ValidationError(errors)
    event.transition_to(outcome, by=by)
    event.resolved_on = resolved_on
    if action_taken is not None and action_taken.strip():
        event.action_taken = action_taken.strip()
    return _save(event, by)


@transaction.atomic
def adverse_event_mark_reported(
    *,
    event: AdverseEvent,
    by,
    reference: str,
    reported_on: dt.date,
    today: dt.date | None = None,
) -> AdverseEvent:
    """Record that a serious event was reported to the regulator, with its reference; it then
    leaves the homes' list of events to report."""
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    today = today or ClinicSettings.load().today()
    errors: dict[str, str] = {}
    if not event.is_serious:
        raise ValidationError("Only a serious adverse event is reported to the regulator.")
    if event.reported_on is not None:
        raise ValidationError(
            f"This event was marked reported on {event.reported_on:%-d %B %Y} "
            f"(reference {event.report_reference})."
        )
    if not reference.strip():
        errors["reference"] = "Give the reference the regulator or manufacturer gave the report."
    if reported_on > today:
        errors["reported_on"] = "The report date cannot be in the future."
    elif reported_on < event.onset_on:
        errors["reported_on"] = "The report date is before the event's onset."
    if errors:
        raise ValidationError(errors)
    event.reported_on = reported_on
    event.report_reference = reference.strip()
    event.report_recorded_by = by
    return _save(event, by)
