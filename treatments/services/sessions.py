"""The treatment session on the day: its steps, from opening the record to locking it.

docs/clinical-rules.md §Treatment session: on the day, check-in; the "anything changed?" screen;
skin preparation (gentle cleansing); application (route, product lot, amount, areas, device and
needle depth for microneedling, laser settings for laser-assisted); immediate reactions;
post-treatment care given; aftercare issued. Anything beyond the expected effects is an adverse
event (treatments/services/adverse_events.py).

The steps are services here, each atomic and keyword-only, each refusing a locked session; what
each step checks is in treatments/services/session_checks.py:

- ``session_start``: a checked-in treatment appointment with a plan opens (or resumes) a session.
  It starts when the appointment does (or at a late check-in).
- ``session_prescreen``: the day's screen, a new dated ``Screen`` (kind pre-session). Its findings
  are re-run for the plan's route and areas. A block that covers the whole route (or every planned
  area) stops the session: only ``session_close_untreated`` is left. A block confined to some
  areas closes those areas only. A caution needs a written justification, kept with the screen,
  unless the plan was saved with that same caution and a justification.
- ``session_prepare``: gentle cleansing done.
- ``session_application``: lot, amount, areas, device and depths or laser settings, checked; and
  the treated zones, each with its amount and needle depth or laser settings (docs/clinical-rules.md
  §Treated zones > Zones), each depth checked against its area's range.
- ``session_complete``: everything again under row locks, then in one transaction: the session's
  start and end (as the dermatologist gives them, by default from the appointment) are kept, the
  lot's remaining quantity goes down, the aftercare is computed from the recorded end and kept
  (treatments/services/aftercare.py), the record is locked, the appointment completed, a planned
  plan moves to "in treatment" (the only way either happens: nobody completes a treatment
  appointment or starts a course from a button), and the aftercare email is queued (sent by the
  worker once the transaction has committed).
- ``addendum_add``: a correction to a locked session, with its author and time; the original stays.
  The times of a locked session are corrected this way too: the aftercare the patient was given
  stays as it was given.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clinic.lib.screening import ClinicPolicy
from clinic.lib.vocabulary import NEEDLING_ROUTES, Area, Route
from clinic.lib.zones import in_chart_order
from clinic.models import AppointmentType, ClinicSettings
from patients.models import Screen
from treatments.models import (
    Appointment,
    AppointmentStatus,
    Lot,
    PlanState,
    SessionAddendum,
    SessionStatus,
    TreatmentSession,
    Workflow,
)
from treatments.services import plans as plan_services
from treatments.services import scheduling
from treatments.services.aftercare import aftercare_keep, aftercare_queue
from treatments.services.session_checks import (
    TREATABLE_PLAN_STATES,
    Application,
    DayCheck,
    ZoneApplication,
    application_errors,
    completion_problems,
    day_check,
    default_end,
    default_start,
    ready_for,
    session_day,
    session_day_check,
    time_errors,
    with_zones,
)

#: docs/clinical-rules.md §Treatment session: the expected short-term effects [skin]. Anything else
#: is an adverse event.
REACTIONS: dict[str, str] = {
    "redness": "Mild redness",
    "warmth": "Warmth or heat",
    "swelling": "Swelling",
    "itching": "Itching",
    "tenderness": "Tenderness",
}
#: docs/clinical-rules.md §Workflow, step 5: "Post-treatment care: sun protection, a calming
#: product".
POST_CARE: dict[str, str] = {
    "sun_protection": "Sun protection applied (broad-spectrum SPF 30+)",
    "calming_product": "Calming product applied",
}

LOCKED = "This session is locked: add an addendum."


class SessionLocked(ValidationError):
    """The session is completed or closed: corrections are addenda."""

    def __init__(self):
        super().__init__(LOCKED, code="locked")


# --- Services ----------------------------------------------------------------------------------


def _locked_session(session: TreatmentSession) -> TreatmentSession:
    """The session row, locked for this transaction, with what the checks read."""
    locked = (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("plan__product", "plan__assessment", "prescreen", "appointment", "lot")
        .get(pk=session.pk)
    )
    if locked.is_locked:
        raise SessionLocked()
    return locked


def _save(session: TreatmentSession, *, by, reason: str) -> None:
    session.version += 1
    session._history_user = by
    session._change_reason = reason
    session.save()


@transaction.atomic
def session_start(
    *, appointment: Appointment, by, now: dt.datetime | None = None
) -> TreatmentSession:
    """Open the session record of a checked-in treatment appointment, or return the one open.

    The session starts when the appointment does (at the check-in when the patient came late,
    never later than ``now``); the dermatologist corrects it when completing.
    """
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("appointment_type", "plan", "patient")
        .get(pk=appointment.pk)
    )
    existing = TreatmentSession.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if appointment.appointment_type.kind != AppointmentType.Kind.TREATMENT:
        raise ValidationError(
            f"A {appointment.appointment_type.get_kind_display().lower()} has no treatment "
            "session record."
        )
    plan = appointment.plan
    if plan is None:
        raise ValidationError("This appointment has no treatment plan to record a session on.")
    if appointment.status != AppointmentStatus.CHECKED_IN:
        raise ValidationError(
            f"Check the patient in first: the appointment is "
            f"{appointment.get_status_display().lower()}."
        )
    if plan.state not in TREATABLE_PLAN_STATES:
        raise ValidationError(
            f"The plan is {plan.get_state_display().lower()}: no session can be recorded on it."
        )
    session = TreatmentSession(
        appointment=appointment,
        plan=plan,
        patient=appointment.patient,
        clinician=by,
        started_at=default_start(appointment, now=now),
        areas=list(plan.areas),
    )
    session._history_user = by
    session._change_reason = "Started"
    session.save()
    return session


@transaction.atomic
def session_prescreen(
    *,
    session: TreatmentSession,
    by,
    screen: Screen,
    justification: str = "",
    policy: ClinicPolicy,
    on: dt.date,
) -> DayCheck:
    """Record the day's screen (a new pre-session Screen) and re-run the rules on it.

    ``screen`` is unsaved: its answers, as the form took them. Raises ValidationError at
    ``caution_justification`` when a caution applies and no justification is written.
    """
    session = _locked_session(session)
    screen.patient = session.patient
    screen.author = by
    screen.kind = Screen.Kind.PRE_SESSION
    screen.screened_on = on
    check = day_check(plan=session.plan, screen=screen, policy=policy, on=on)
    justification = justification.strip()
    if check.new_cautions and not check.route_blocked:
        if not justification:
            reasons = "; ".join(f.reason for f in check.new_cautions)
            raise ValidationError(
                {
                    "caution_justification": (
                        f"Caution today: {reasons}. Write why it is safe to go ahead."
                    )
                }
            )
        accepted = "; ".join(f.reason for f in check.new_cautions)
        note = f"Going ahead despite the cautions ({accepted}): {justification}"
        screen.notes = f"{screen.notes.strip()}\n\n{note}".strip()
    screen.save()
    session.prescreen = screen
    _save(session, by=by, reason="Day's screen recorded")
    return check


@transaction.atomic
def session_prepare(*, session: TreatmentSession, by, policy: ClinicPolicy) -> TreatmentSession:
    """Skin preparation (gentle cleansing) done: docs/clinical-rules.md §Workflow, step 3."""
    session = _locked_session(session)
    ready_for(session, session_day_check(session, policy=policy), prepared=False)
    session.skin_prepared = True
    _save(session, by=by, reason="Skin prepared")
    return session


@transaction.atomic
def session_application(
    *,
    session: TreatmentSession,
    by,
    application: Application,
    policy: ClinicPolicy,
    on: dt.date,
) -> TreatmentSession:
    """Record what was applied; refused field by field when a rule says no.

    Raises ValidationError with field keys (lot, amount, areas, device, depth_<area>,
    laser_settings), or without, when an earlier step is missing.
    """
    session = _locked_session(session)
    check = session_day_check(session, policy=policy)
    ready_for(session, check, prepared=True)
    errors = application_errors(
        plan=session.plan, check=check, application=application, on=on, policy=policy
    )
    if errors:
        raise ValidationError(errors)
    application = with_zones(application)
    route = Route(session.plan.route)
    session.zones = _zone_rows(application, route=route)
    session.lot = application.lot
    session.amount = application.amount
    session.areas = [a.value for a in Area if a.value in application.areas]
    session.device = application.device.strip() if route in NEEDLING_ROUTES else ""
    session.depths = (
        {a: str(application.depths[a]) for a in session.areas}
        if route == Route.MICRONEEDLING
        else {}
    )
    session.laser_settings = (
        application.laser_settings.strip() if route == Route.LASER_ASSISTED else ""
    )
    _save(session, by=by, reason="Application recorded")
    return session


def _zone_rows(application: Application, *, route: Route) -> list[dict]:
    """The zones as the record keeps them, in chart order: the amount, and the needle depth
    (microneedling) or the laser settings (laser-assisted, the session's unless the zone's own)."""
    given = {z.zone: z for z in application.zones}
    return [
        {
            "zone": zone.value,
            "amount": str(given[zone.value].amount),
            "depth": str(given[zone.value].depth)
            if route == Route.MICRONEEDLING and given[zone.value].depth is not None
            else None,
            "laser_settings": (
                given[zone.value].laser_settings.strip() or application.laser_settings.strip()
            )
            if route == Route.LASER_ASSISTED
            else "",
        }
        for zone in in_chart_order(given)
    ]


def _zones_of(session: TreatmentSession) -> tuple[ZoneApplication, ...]:
    return tuple(
        ZoneApplication(
            zone=row["zone"],
            amount=Decimal(row["amount"]) if row.get("amount") is not None else None,
            depth=Decimal(row["depth"]) if row.get("depth") is not None else None,
            laser_settings=row.get("laser_settings") or "",
        )
        for row in session.zones
    )


@transaction.atomic
def session_complete(
    *,
    session: TreatmentSession,
    by,
    reactions: list[str],
    post_care: list[str],
    notes: str = "",
    clinic: ClinicSettings,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> TreatmentSession:
    """Complete and lock the session, all or nothing.

    ``started_at`` and ``ended_at`` are when the session really took place, as the dermatologist
    gives them: by default the start recorded when the session was opened and the appointment's
    end (or now, when that is earlier). Both must be on the appointment's day on the clinic's
    clock, not in the future, the end not before the start (ValidationError at ``started_at`` or
    ``ended_at``). The lot's remaining quantity goes down by the amount (row locked; the
    database's check constraint keeps it from going below 0); the aftercare is computed from the
    recorded end on the clinic's clock and kept with the manager's current text for the route;
    the appointment is completed; a planned plan moves to "in treatment" (its first session is
    done); the aftercare email is queued (``notify``; the demo's past sessions send none), to go
    once this commits.
    """
    now = now or timezone.now()
    policy = clinic.policy
    session = _locked_session(session)
    check = session_day_check(session, policy=policy)
    problems = completion_problems(session, check)
    unknown = [r for r in reactions if r not in REACTIONS] + [
        c for c in post_care if c not in POST_CARE
    ]
    if unknown:
        problems.append("Unknown reaction or care: " + ", ".join(unknown) + ".")
    if problems:
        raise ValidationError(problems)
    started_at = started_at or session.started_at
    ended_at = ended_at or default_end(session.appointment, started_at=started_at, now=now)
    times = time_errors(
        started_at=started_at,
        ended_at=ended_at,
        day=session_day(session.appointment, clinic.zone),
        zone=clinic.zone,
        now=now,
    )
    if times:
        raise ValidationError(times)
    session.transition_to(SessionStatus.COMPLETED, by=by)
    local_now = timezone.localtime(now, clinic.zone)
    lot = (
        Lot.objects.select_for_update(of=("self",)).select_related("product").get(pk=session.lot_id)
    )
    application = Application(
        lot=lot,
        amount=session.amount,
        areas=tuple(session.areas),
        device=session.device,
        depths={a: Decimal(d) for a, d in session.depths.items()},
        laser_settings=session.laser_settings,
        zones=_zones_of(session),
    )
    errors = application_errors(
        plan=session.plan, check=check, application=application, on=local_now.date(), policy=policy
    )
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise ValidationError([f"Check the application again: {m}" for m in messages])

    Lot.objects.filter(pk=lot.pk).update(
        quantity_remaining=F("quantity_remaining") - session.amount
    )
    lot.refresh_from_db(fields=["quantity_remaining"])
    lot._history_user = by
    lot._change_reason = f"{lot.amount_text(session.amount)} used at a treatment session"
    lot.save(update_fields=["quantity_remaining"])  # a history row: who used how much, when

    session.started_at = started_at
    session.ended_at = ended_at
    aftercare_keep(session, zone=clinic.zone)
    session.immediate_reactions = [r for r in REACTIONS if r in reactions]
    session.post_care = [c for c in POST_CARE if c in post_care]
    session.notes = notes.strip()
    session.locked_at = now
    _save(session, by=by, reason="Completed")

    # The one way a treatment appointment is completed, and a planned course starts.
    appointment = scheduling.appointment_complete(
        appointment=session.appointment, by=by, via=Workflow.SESSION_COMPLETION
    )
    if session.plan.state == PlanState.PLANNED:
        plan_services.plan_transition(
            plan=session.plan,
            to=PlanState.IN_TREATMENT,
            by=by,
            reason="First session done",
            policy=policy,
            on=local_now.date(),
            via=Workflow.SESSION_COMPLETION,
        )
    if notify and session.patient.email:
        # The message row commits with the session (all or nothing); messaging hands it to the
        # task worker once the transaction has committed.
        aftercare_queue(appointment)
    return session


@transaction.atomic
def session_close_untreated(
    *, session: TreatmentSession, by, reason: str, now: dt.datetime | None = None
) -> TreatmentSession:
    """Close the session as not treated, with a reason; the appointment is cancelled with it.

    The appointment's states allow checked in -> completed or cancelled; nothing was given, so it
    is cancelled ("Not treated: <reason>"), which also frees the plan's session to be booked
    again. The clinician's decision on the day is not a late cancellation by the patient.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the session did not go ahead."})
    now = now or timezone.now()
    session = _locked_session(session)
    session.transition_to(SessionStatus.NOT_TREATED, by=by)
    appointment = scheduling.appointment_cancel(
        appointment=session.appointment, reason=f"Not treated: {reason}", by=by, now=now
    )
    if appointment.late_cancellation:
        appointment.late_cancellation = False
        appointment._change_reason = "Not treated on the day: not a late cancellation"
        appointment.save(update_fields=["late_cancellation"])
    session.not_treated_reason = reason
    session.ended_at = default_end(session.appointment, started_at=session.started_at, now=now)
    session.locked_at = now
    _save(session, by=by, reason=f"Closed, not treated: {reason}")
    return session


@transaction.atomic
def addendum_add(*, session: TreatmentSession, by, text: str) -> SessionAddendum:
    """A correction or addition to a locked session; the locked record itself never changes."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the correction or addition."})
    locked = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if not locked.is_locked:
        raise ValidationError(
            {
                "text": "The session is still open: correct it in its steps. Addenda are for "
                "after it is completed."
            }
        )
    return SessionAddendum.objects.create(session=locked, author=by, text=text)
