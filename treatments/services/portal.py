"""The patient portal's workflows: skin reports, the dermatologist's worklist, change requests and
the patient's own rating of a course.

docs/clinical-rules.md §Treatment session: the expected short-term effects are mild redness, warmth
or heat, swelling, itching and tenderness. docs/clinical-rules.md §Aftercare: the patient calls the
clinic for "anything beyond them, or lasting over 72 hours". ``beyond_expected`` is that rule as
plain Python; the services below are atomic and keyword-only, and check again whatever the form did.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.lib.aftercare import CALL_IF_LASTING_HOURS, format_until
from clinic.lib.screening import join_and
from clinic.lib.vocabulary import Route
from treatments.models import (
    GAIS,
    AlertSource,
    Appointment,
    AppointmentStatus,
    ChangeRequest,
    Intensity,
    PatientRating,
    PlanState,
    RequestState,
    SessionStatus,
    SkinReport,
    TreatmentPlan,
    TreatmentSession,
    WorklistItem,
    WorklistItemState,
)

#: The five expected effects a skin report asks about, as (field, words) (docs/clinical-rules.md "A
#: treatment session": "mild redness, warmth or heat, swelling, itching, tenderness").
SYMPTOMS: tuple[tuple[str, str], ...] = (
    ("redness", "redness"),
    ("warmth", "warmth or heat"),
    ("swelling", "swelling"),
    ("itching", "itching"),
    ("tenderness", "tenderness"),
)
#: "A skin report form, offered for 7 days after each session".
SKIN_REPORT_DAYS = 7
SKIN_REPORT_WINDOW = dt.timedelta(days=SKIN_REPORT_DAYS)

ALREADY_ASKED = "You already asked about this appointment; the clinic will contact you."
NOT_YOURS = "This is not one of your sessions."
NOT_CHANGEABLE = (
    "This appointment can no longer be changed here: it has passed or is cancelled. "
    "Call the clinic if you need to talk about it."
)
SATISFACTION_RANGE = "Choose a number from 1 (very dissatisfied) to 5 (very satisfied)."
RATING_NOT_YET = (
    "You can rate your results once your last session is done or your course has reached "
    "its follow-up."
)


# --- The clinical rule: is a skin report beyond the expected? -------------------------------------


def beyond_expected(
    answers: Mapping[str, str], *, hours_since_session: float
) -> tuple[bool, list[str]]:
    """Whether a skin report's answers go beyond the expected effects, and why, in plain words.

    ``answers`` maps each of SYMPTOMS' fields to an Intensity value ("none" to "severe") and
    may carry "anything_else" (free text). docs/clinical-rules.md §Treatment session and
    "Aftercare":

    - any effect reported as severe is beyond the expected (the expected effects are mild);
    - any effect still present (not "none") more than 72 hours after the session is beyond the
      expected ("lasting over 72 hours");
    - anything else the patient reports is beyond the expected ("anything beyond them").

    No database access. Raises ValueError for an answer that is not an Intensity.
    """
    lasting = hours_since_session > CALL_IF_LASTING_HOURS
    reasons = []
    for field, words in SYMPTOMS:
        level = Intensity(answers[field])
        if level == Intensity.SEVERE:
            reason = f"severe {words}"
        elif lasting and level != Intensity.NONE:
            reason = f"{level.label.lower()} {words}"
        else:
            continue
        if lasting:
            reason += f" lasting over {CALL_IF_LASTING_HOURS} hours"
        reasons.append(reason)
    other = (answers.get("anything_else") or "").strip()
    if other:
        reasons.append(f"something else: {other}")
    return bool(reasons), reasons


def since_text(hours: float) -> str:
    """'3 hours', '1 day', '2 days': how long after the session, in the worklist item's title."""
    if hours < 1:
        return "less than an hour"
    if hours < 24:
        whole = int(hours)
        return f"{whole} hour{'s' if whole != 1 else ''}"
    days = int(hours // 24)
    return f"{days} day{'s' if days != 1 else ''}"


def worklist_item_title(*, patient_name: str, reasons: list[str], hours: float, route: str) -> str:
    """'Olivia Bennett reports severe swelling 2 days after the microneedling session'.

    Severe effects come first; "lasting over 72 hours" is left to the time after the session, and
    the patient's free text to the skin report itself ("something else").
    """
    lasting = f" lasting over {CALL_IF_LASTING_HOURS} hours"
    short = [
        "something else" if r.startswith("something else") else r.removesuffix(lasting)
        for r in reasons
    ]
    short.sort(key=lambda r: not r.startswith("severe"))
    route_words = Route(route).label.lower()
    title = (
        f"{patient_name} reports {join_and(short)} {since_text(hours)} after the "
        f"{route_words} session"
    )
    limit = WorklistItem._meta.get_field("title").max_length
    return title if len(title) <= limit else title[: limit - 1] + "…"


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


# --- Skin reports ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """When a session's skin report is offered: from its end until 7 days later."""

    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    open: bool


def skin_report_window(session: TreatmentSession, *, now: dt.datetime) -> Window:
    if session.status != SessionStatus.COMPLETED or session.ended_at is None:
        return Window(opens_at=None, closes_at=None, open=False)
    closes_at = session.ended_at + SKIN_REPORT_WINDOW
    return Window(
        opens_at=session.ended_at,
        closes_at=closes_at,
        open=session.ended_at <= now <= closes_at,
    )


def window_closed_message(window: Window, *, zone) -> str:
    if window.closes_at is None:
        return "You can tell us how your skin is doing once this session is over."
    closed = timezone.localtime(window.closes_at, zone)
    return (
        f"Skin reports for this session closed on {format_until(closed)} "
        f"({SKIN_REPORT_DAYS} days after it)."
    )


@dataclass(frozen=True, slots=True)
class SkinReportResult:
    skin_report: SkinReport
    worklist_item: WorklistItem | None
    reasons: list[str]

    @property
    def beyond_expected(self) -> bool:
        return self.worklist_item is not None


@transaction.atomic
def skin_report_submit(
    *,
    session: TreatmentSession,
    patient,
    answers: Mapping[str, str],
    now: dt.datetime | None = None,
    zone=None,
) -> SkinReportResult:
    """Record a skin report; when it is beyond the expected, put an item on the dermatologist's
    worklist in the same transaction (assigned to the clinician who gave the session).

    Raises ValidationError when the session is not the patient's, or outside its 7-day window.
    """
    now = now or timezone.now()
    if session.patient_id != patient.pk:
        raise ValidationError({NON_FIELD_ERRORS: NOT_YOURS})
    window = skin_report_window(session, now=now)
    if not window.open:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: window_closed_message(
                    window, zone=zone or timezone.get_current_timezone()
                )
            }
        )
    hours = hours_between(session.ended_at, now)
    beyond, reasons = beyond_expected(answers, hours_since_session=hours)
    skin_report = SkinReport.objects.create(
        session=session,
        patient=patient,
        submitted_at=now,
        anything_else=(answers.get("anything_else") or "").strip(),
        beyond_expected=beyond,
        **{field: Intensity(answers[field]) for field, _ in SYMPTOMS},
    )
    worklist_item = None
    if beyond:
        worklist_item = WorklistItem.objects.create(
            patient=patient,
            assigned_to_id=session.clinician_id,
            kind=WorklistItem.Kind.SKIN_REPORT,
            title=worklist_item_title(
                patient_name=patient.full_name,
                reasons=reasons,
                hours=hours,
                route=session.plan.route,
            ),
            skin_report=skin_report,
        )
        from treatments.services import alerts

        alerts.alert_raise(
            patient=patient,
            reason=worklist_item.title,
            urgency=alerts.urgency_of_skin_report(reasons),
            source=AlertSource.SKIN_REPORT,
            by=patient.user,
            responsible=session.clinician,
            skin_report=skin_report,
        )
    return SkinReportResult(skin_report=skin_report, worklist_item=worklist_item, reasons=reasons)


def skin_report_reasons(skin_report: SkinReport, *, ended_at: dt.datetime) -> list[str]:
    """Why a stored skin report was beyond the expected, from its answers (no database access)."""
    answers = {field: getattr(skin_report, field) for field, _ in SYMPTOMS}
    answers["anything_else"] = skin_report.anything_else
    return beyond_expected(
        answers, hours_since_session=hours_between(ended_at, skin_report.submitted_at)
    )[1]


def answers_text(skin_report: SkinReport) -> str:
    """'Severe swelling, mild redness; anything else: a rash on the neck' (for staff)."""
    present = [
        f"{Intensity(getattr(skin_report, field)).label.lower()} {words}"
        for field, words in SYMPTOMS
        if getattr(skin_report, field) != Intensity.NONE
    ]
    text = ", ".join(present) or "no redness, warmth, swelling, itching or tenderness"
    if skin_report.anything_else:
        text += f"; anything else: {skin_report.anything_else}"
    return text[:1].upper() + text[1:]


# --- The dermatologist's worklist ---------------------------------------------------------------

OUTCOME_NEEDED = "Say what was done about this report before closing it."


@transaction.atomic
def worklist_item_done(*, worklist_item: WorklistItem, by, outcome: str = "") -> WorklistItem:
    """Mark a worklist item done with a note of what was done (needed where
    ``worklist_item.outcome_required``, optional otherwise). Done once only (its state machine
    refuses the second time)."""
    locked = WorklistItem.objects.select_for_update().get(pk=worklist_item.pk)
    locked.transition_to(WorklistItemState.DONE, by=by)
    outcome = outcome.strip()
    if locked.outcome_required and not outcome:
        raise ValidationError({"outcome": OUTCOME_NEEDED}, code="outcome_required")
    locked.outcome = outcome
    locked.save(update_fields=["done_at", "done_by", "outcome"])
    if locked.skin_report_id is not None:  # the skin report's alert is answered by the same note
        from treatments.services import alerts

        alerts.handle_for_skin_report(skin_report_id=locked.skin_report_id, by=by, outcome=outcome)
    return locked


# --- Change requests ----------------------------------------------------------------------------


def can_request_change(appointment: Appointment, *, now: dt.datetime) -> bool:
    """A patient may ask to move or cancel an appointment that is booked and still to come."""
    return appointment.status == AppointmentStatus.BOOKED and appointment.starts_at > now


@transaction.atomic
def change_request_create(
    *, appointment: Appointment, patient, kind: str, message: str = "", now=None
) -> ChangeRequest:
    """The patient asks to move or cancel one of their appointments; the desk handles it.

    One open request per appointment (a UniqueConstraint): a second is refused with a message.
    """
    now = now or timezone.now()
    if appointment.patient_id != patient.pk:
        raise ValidationError({NON_FIELD_ERRORS: "This is not one of your appointments."})
    if not can_request_change(appointment, now=now):
        raise ValidationError({NON_FIELD_ERRORS: NOT_CHANGEABLE})
    kind = ChangeRequest.Kind(kind)
    if ChangeRequest.objects.filter(appointment=appointment, handled_at__isnull=True).exists():
        raise ValidationError({NON_FIELD_ERRORS: ALREADY_ASKED}, code="already_asked")
    try:
        with transaction.atomic():
            return ChangeRequest.objects.create(
                appointment=appointment, kind=kind, message=message.strip()
            )
    except IntegrityError:
        # Two tabs sent it at once: the database's constraint let one through.
        raise ValidationError({NON_FIELD_ERRORS: ALREADY_ASKED}, code="already_asked") from None


@transaction.atomic
def change_request_handle(*, change_request: ChangeRequest, by, outcome: str) -> ChangeRequest:
    """The desk (or a dermatologist) says what was done about a patient's request."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Say what was done, e.g. “Moved to Tuesday 10:00”."})
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    locked.transition_to(RequestState.HANDLED, by=by)
    locked.outcome = outcome
    locked.save(update_fields=["handled_at", "handled_by", "outcome"])
    return locked


# --- The patient's rating of a course -----------------------------------------------------------

#: Plans whose results a patient may rate: at follow-up or completed (docs/clinical-rules.md
#: "Follow-up and outcomes": GAIS "rated by clinician and by patient", and patient satisfaction
#: 1-5).
RATED_STATES = frozenset({PlanState.FOLLOW_UP, PlanState.COMPLETED})


def rating_offered(plan: TreatmentPlan, *, sessions_done: int) -> bool:
    """Offered at follow-up, when completed, or once the planned number of sessions is done."""
    if plan.state in RATED_STATES:
        return True
    return plan.state == PlanState.IN_TREATMENT and sessions_done >= plan.sessions


def sessions_done(plan: TreatmentPlan) -> int:
    return plan.sessions_done.filter(status=SessionStatus.COMPLETED).count()


@transaction.atomic
def rating_submit(
    *, plan: TreatmentPlan, patient, gais: int, satisfaction: int, comment: str = ""
) -> PatientRating:
    """The patient's own GAIS and satisfaction (1-5) for a course."""
    if plan.patient_id != patient.pk:
        raise ValidationError({NON_FIELD_ERRORS: "This is not one of your treatment courses."})
    if not rating_offered(plan, sessions_done=sessions_done(plan)):
        raise ValidationError({NON_FIELD_ERRORS: RATING_NOT_YET})
    errors = {}
    if gais not in GAIS.values:
        errors["gais"] = "Choose how your skin looks now."
    if satisfaction not in range(1, 6):
        errors["satisfaction"] = SATISFACTION_RANGE
    if errors:
        raise ValidationError(errors)
    return PatientRating.objects.create(
        plan=plan, gais=gais, satisfaction=satisfaction, comment=comment.strip()
    )
