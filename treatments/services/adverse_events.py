"""Adverse events: anything beyond the expected effects of a session.

docs/clinical-rules.md §Adverse events: recorded with severity and outcome, and shown on the
patient's chart and the product lot. An event is recorded at the session or later; linked to a
session, it carries the session's lot, so that the lot's recall finds it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import ClinicSettings
from patients.models import Patient
from treatments.models import AdverseEvent, TreatmentSession


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
    today: dt.date | None = None,
) -> AdverseEvent:
    """An adverse event, linked to the session and its lot when known. ``today`` is the
    clinic's today unless given; the onset is a date on the clinic's clock."""
    clinic = ClinicSettings.load()
    today = today or clinic.today()
    session_day = timezone.localdate(session.started_at, clinic.zone) if session else None
    errors: dict[str, str] = {}
    if session is not None and session.patient_id != patient.pk:
        errors["session"] = "This session is another patient's."
    if not description.strip():
        errors["description"] = "Describe what happened."
    if onset_on > today:
        errors["onset_on"] = "The onset cannot be in the future."
    elif session_day is not None and onset_on < session_day:
        errors["onset_on"] = f"The onset is before the session of {session_day:%-d %B %Y}."
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
        reported_by=by,
    )
    event.full_clean()
    event._history_user = by
    event.save()
    return event
