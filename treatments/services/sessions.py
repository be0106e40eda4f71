"""The treatment session on the day, adverse events and aftercare (issue 6).

DOMAIN.md "A treatment session": on the day, check-in; the "anything changed?" screen; skin
preparation (gentle cleansing); application (route, product lot, amount, areas, device and needle
depth for microneedling, laser settings for laser-assisted); immediate reactions; post-treatment
care given; aftercare issued. Anything beyond the expected effects is an adverse event.

The steps are services here, each atomic and keyword-only, each refusing a locked session:

- ``session_start``: a checked-in treatment appointment with a plan opens (or resumes) a session.
- ``session_prescreen``: the day's screen, a new dated ``Screen`` (kind pre-session). Its findings
  are re-run for the plan's route and areas. A block that covers the whole route (or every planned
  area) stops the session: only ``session_close_untreated`` is left. A block confined to some
  areas closes those areas only. A caution needs a written justification, kept with the screen,
  unless the plan was saved with that same caution and a justification.
- ``session_prepare``: gentle cleansing done.
- ``session_application``: lot, amount, areas, device and depths or laser settings, checked.
- ``session_complete``: everything again under row locks, then in one transaction: the lot's
  remaining quantity goes down, the aftercare is computed from the end time and kept, the record is
  locked, the appointment completed, a planned plan moves to "in treatment" (the only way either
  happens: nobody completes a treatment appointment or starts a course from a button), and the
  aftercare email is queued (sent by the worker once the transaction has committed).
- ``addendum_add``: a correction to a locked session, with its author and time; the original stays.
- ``adverse_event_record``: an adverse event, at the session or later.

The aftercare kept on ``TreatmentSession.aftercare`` (a snapshot, never recomputed) is::

    {"route": "microneedling", "route_label": "Microneedling",
     "zone": "Europe/London",
     "ended_at": "2026-03-09T14:30:00+00:00",       # ISO, on the clinic's clock
     "ended_text": "Monday 9 March 2026, 14:30",
     "instructions": [{"key": "no_makeup",
                       "text": "No makeup until Thursday 12 March, 14:30 (72 hours)",
                       "until": "2026-03-12T14:30:00+00:00",   # or null: ongoing advice
                       "until_text": "Thursday 12 March, 14:30"}, ...],
     "expected_effects": ["mild redness", ...], "call_clinic_if": "Call the clinic if ...",
     "soothing": ["ceramides", "hyaluronic acid"], "avoid": ["vitamin C", ...],
     "text_version": 2}                                # the manager's AftercareText version

and ``TreatmentSession.aftercare_text`` keeps the manager's wording of that version.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clinic.lib.aftercare import Aftercare, aftercare_for, format_until
from clinic.lib.routes import DepthRange, depth_range
from clinic.lib.screening import (
    ClinicPolicy,
    Finding,
    Level,
    area_names,
    findings_for,
    phototype_findings,
    product_findings,
    product_route_findings,
    screen_findings,
)
from clinic.lib.vocabulary import NEEDLING_ROUTES, Area, Route
from clinic.models import AppointmentType, ClinicSettings
from patients.models import Patient, Screen
from treatments.models import (
    AdverseEvent,
    AftercareText,
    Appointment,
    AppointmentStatus,
    Lot,
    LotStatus,
    MessageKind,
    PlanState,
    SessionAddendum,
    SessionStatus,
    TreatmentPlan,
    TreatmentSession,
    Workflow,
)
from treatments.services import plans as plan_services
from treatments.services import scheduling
from treatments.services.recommendation import assessment_facts

#: DOMAIN.md "A treatment session": the expected short-term effects [skin]. Anything else is an
#: adverse event.
REACTIONS: dict[str, str] = {
    "redness": "Mild redness",
    "warmth": "Warmth or heat",
    "swelling": "Swelling",
    "itching": "Itching",
    "tenderness": "Tenderness",
}
#: DOMAIN.md "The workflow", step 5: "Post-treatment care: sun protection, a calming product".
POST_CARE: dict[str, str] = {
    "sun_protection": "Sun protection applied (broad-spectrum SPF 30+)",
    "calming_product": "Calming product applied",
}

LOCKED = "This session is locked: add an addendum."
#: Plans on which a session may be recorded: the same states in which one may be booked.
TREATABLE_PLAN_STATES = scheduling.BOOKABLE_PLAN_STATES


class SessionLocked(ValidationError):
    """The session is completed or closed: corrections are addenda."""

    def __init__(self):
        super().__init__(LOCKED, code="locked")


# --- The day's screen ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayCheck:
    """What the day's screen says about the plan's route in the plan's areas.

    DOMAIN.md "Contraindication screen": asked again on the day of every session. "Blocks" is
    absolute; "caution" is allowed with a written justification, kept. A block confined to some
    areas (an infection, a flare, a lesion "in the area") closes only those areas.
    """

    route: Route
    findings: tuple[Finding, ...]
    planned_areas: tuple[str, ...]
    closed_areas: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    #: The cautions the plan was saved with, and justified ("a written justification, kept").
    planned_cautions: frozenset[str] = frozenset()

    @property
    def blocks(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.BLOCKED]

    @property
    def cautions(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.CAUTION]

    @property
    def new_cautions(self) -> list[Finding]:
        """Cautions the plan's justification does not cover: they need one written today."""
        return [f for f in self.cautions if f.reason not in self.planned_cautions]

    @property
    def open_areas(self) -> tuple[str, ...]:
        return tuple(a for a in self.planned_areas if a not in self.closed_areas)

    @property
    def route_blocked(self) -> bool:
        """True when nothing can be treated today: a block on the route whatever the area, or
        blocks on every planned area."""
        everywhere = any(f.level == Level.BLOCKED and not f.areas for f in self.findings)
        return everywhere or not self.open_areas

    @property
    def reason(self) -> str:
        """The blocks in words, for the page and for the not-treated reason."""
        return "; ".join(f.reason for f in self.blocks)

    @property
    def closed_area_names(self) -> str:
        return area_names(Area(a) for a in self.closed_areas)

    @property
    def open_area_names(self) -> str:
        return area_names(Area(a) for a in self.open_areas)


def day_check(
    *, plan: TreatmentPlan, screen: Screen, policy: ClinicPolicy, on: dt.date
) -> DayCheck:
    """Re-run the contraindication rules for the plan's route and areas on the day (no queries
    when the plan's product and assessment are loaded)."""
    facts = screen.facts()
    findings = screen_findings(facts, policy=policy, on=on)
    if plan.product is not None:
        product = plan.product.facts()
        findings += product_findings(product, facts=facts, policy=policy)
        findings += product_route_findings(product)
    findings += phototype_findings(plan.assessment.fitzpatrick)
    route = Route(plan.route)
    planned = tuple(a.value for a in Area if a.value in plan.areas)
    applicable = findings_for(findings, route=route, areas=[Area(a) for a in planned])
    closed: dict[str, tuple[Finding, ...]] = {}
    for finding in applicable:
        if finding.level == Level.BLOCKED and finding.areas:
            for area in planned:
                if Area(area) in finding.areas:
                    closed[area] = (*closed.get(area, ()), finding)
    return DayCheck(
        route=route,
        findings=tuple(applicable),
        planned_areas=planned,
        closed_areas=closed,
        planned_cautions=_justified_in_plan(plan),
    )


def _justified_in_plan(plan: TreatmentPlan) -> frozenset[str]:
    """The cautions of the plan's route as the plan was saved, when it carries a justification."""
    if not plan.justification.strip():
        return frozenset()
    return frozenset(
        reason["text"]
        for advice in plan.recommendation.get("routes", [])
        if advice.get("route") == plan.route
        for reason in advice.get("reasons", [])
        if reason.get("level") == Level.CAUTION
    )


def session_day_check(session: TreatmentSession, *, policy: ClinicPolicy) -> DayCheck | None:
    """The check of the session's recorded day screen, or None before it is recorded."""
    if session.prescreen is None:
        return None
    return day_check(
        plan=session.plan,
        screen=session.prescreen,
        policy=policy,
        on=session.prescreen.screened_on,
    )


# --- Checks of each step -----------------------------------------------------------------------

NO_PRESCREEN = "Record the day's screen (\u201canything changed?\u201d) first."
NOT_PREPARED = "Confirm the skin preparation (gentle cleansing) first."
NO_APPLICATION = "Record the application: lot, amount and treated areas."


def _blocked(check: DayCheck) -> str:
    return f"The day's screen blocks {check.route.label.lower()} today: {check.reason}."


def _ready_for(session: TreatmentSession, check: DayCheck | None, *, prepared: bool) -> None:
    """Refuse a step whose earlier steps are not done (the day's screen first, then cleansing)."""
    if check is None:
        raise ValidationError(NO_PRESCREEN)
    if check.route_blocked:
        raise ValidationError(_blocked(check))
    if prepared and not session.skin_prepared:
        raise ValidationError(NOT_PREPARED)


def lot_problem(lot: Lot, *, plan: TreatmentPlan, on: dt.date, policy: ClinicPolicy) -> str:
    """Why this lot may not be used for this plan's session on ``on``, or "".

    DOMAIN.md "Lots": an expired lot cannot be used; a withdrawn (recalled) or empty lot neither;
    and the lot must be of the plan's product.
    """
    if lot.product_id != plan.product_id:
        planned = plan.product.name if plan.product else "none chosen"
        return (
            f"Lot {lot.lot_number} is of {lot.product.name}, not of the plan's product ({planned})."
        )
    status = lot.status(on=on, policy=policy)
    if status == LotStatus.RECALLED:
        return (
            f"This lot was withdrawn on {timezone.localdate(lot.recalled_at):%Y-%m-%d} "
            f"({lot.recall_reason}) and cannot be used."
        )
    if status == LotStatus.EXPIRED:
        return f"This lot is expired (expiry {lot.expiry_date.isoformat()}) and cannot be used."
    if status == LotStatus.EMPTY:
        return "This lot is empty and cannot be used."
    if status == LotStatus.FORBIDDEN:
        return f"{lot.product.policy_problem(policy)}: this lot cannot be used."
    return ""


def amount_problem(lot: Lot, amount: Decimal) -> str:
    if amount > lot.quantity_remaining:
        return (
            f"Only {lot.remaining_text} {lot.get_unit_display()} left in lot {lot.lot_number}: "
            "the amount cannot be more."
        )
    return ""


def depth_ranges(plan: TreatmentPlan) -> dict[str, DepthRange]:
    """The allowed needle depth of each planned area, from the plan's assessment: the same range
    the plan's own depths were checked against (DOMAIN.md "Administration routes")."""
    concerns = assessment_facts(plan.assessment).concerns
    return {a: depth_range(Area(a), concerns=concerns) for a in plan.areas}


@dataclass(frozen=True, slots=True, kw_only=True)
class Application:
    """What the clinician applied, parsed into Python types."""

    lot: Lot | None
    amount: Decimal | None
    areas: tuple[str, ...]
    device: str = ""
    depths: dict[str, Decimal] = field(default_factory=dict)
    laser_settings: str = ""


def application_errors(
    *,
    plan: TreatmentPlan,
    check: DayCheck,
    application: Application,
    on: dt.date,
    policy: ClinicPolicy,
) -> dict[str, list[str]]:
    """Field by field, what is wrong with the application (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    route = Route(plan.route)
    lot, amount = application.lot, application.amount
    if lot is None:
        add("lot", "Choose the lot you used.")
    else:
        problem = lot_problem(lot, plan=plan, on=on, policy=policy)
        if problem:
            add("lot", problem)
        elif amount is not None and (too_much := amount_problem(lot, amount)):
            add("amount", too_much)
    if amount is None:
        add("amount", "Give the amount used.")
    elif amount <= 0:
        add("amount", "The amount must be more than 0.")
    if not application.areas:
        add("areas", "Choose at least one treated area.")
    for area in application.areas:
        if area not in plan.areas:
            add("areas", f"The plan does not treat the {Area(area).label.lower()}.")
        elif area in check.closed_areas:
            reasons = "; ".join(f.reason for f in check.closed_areas[area])
            add("areas", f"The day's screen blocks the {Area(area).label.lower()}: {reasons}.")
    if route in NEEDLING_ROUTES and not application.device.strip():
        add("device", "Name the device used.")
    if route == Route.MICRONEEDLING:
        ranges = depth_ranges(plan)
        for area in application.areas:
            if area not in ranges:
                continue
            depth = application.depths.get(area)
            limit = ranges[area]
            name = Area(area).label.lower()
            if depth is None:
                add(f"depth_{area}", f"Give the needle depth used on the {name}.")
            elif not limit.contains(depth):
                add(
                    f"depth_{area}",
                    f"{depth} mm is outside the range allowed for the {name} "
                    f"({limit.min_mm}\u2013{limit.max_mm} mm).",
                )
    if route == Route.LASER_ASSISTED and not application.laser_settings.strip():
        add("laser_settings", "Give the laser settings (device, wavelength, energy, passes).")
    return errors


def completion_problems(session: TreatmentSession, check: DayCheck | None) -> list[str]:
    """What must still be done before the session can be completed."""
    if check is None:
        return [NO_PRESCREEN]
    if check.route_blocked:
        return [_blocked(check) + " Close the session as not treated."]
    problems = []
    if not session.skin_prepared:
        problems.append(NOT_PREPARED)
    if session.lot_id is None or session.amount is None or not session.areas:
        problems.append(NO_APPLICATION)
    appointment = session.appointment
    if appointment.status != AppointmentStatus.CHECKED_IN:
        problems.append(
            f"The appointment is {appointment.get_status_display().lower()}, not checked in."
        )
    if session.plan.state not in TREATABLE_PLAN_STATES:
        problems.append(
            f"The plan is {session.plan.get_state_display().lower()}: no session can be "
            "completed on it."
        )
    return problems


# --- Aftercare ---------------------------------------------------------------------------------


def _long(moment: dt.datetime) -> str:
    """'Monday 9 March 2026, 14:30' on the moment's own clock."""
    day, time = format_until(moment).rsplit(", ", 1)
    return f"{day} {moment.year}, {time}"


def aftercare_snapshot(care: Aftercare, *, text: AftercareText | None) -> dict:
    """The aftercare as it is kept with the session (see the module's docstring)."""
    return {
        "route": care.route.value,
        "route_label": care.route.label,
        "zone": str(care.ended_at.tzinfo),
        "ended_at": care.ended_at.isoformat(),
        "ended_text": _long(care.ended_at),
        "instructions": [
            {
                "key": item.key,
                "text": item.text,
                "until": item.until.isoformat() if item.until else None,
                "until_text": format_until(item.until) if item.until else "",
            }
            for item in care.instructions
        ],
        "expected_effects": list(care.expected_effects),
        "call_clinic_if": care.call_clinic_if,
        "soothing": list(care.soothing),
        "avoid": list(care.avoid),
        "text_version": text.version if text else None,
    }


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
    """Open the session record of a checked-in treatment appointment, or return the one open."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("kind", "plan", "patient")
        .get(pk=appointment.pk)
    )
    existing = TreatmentSession.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if appointment.kind.kind != AppointmentType.Kind.TREATMENT:
        raise ValidationError(
            f"A {appointment.kind.get_kind_display().lower()} has no treatment session record."
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
        started_at=now or timezone.now(),
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
    """Skin preparation (gentle cleansing) done: DOMAIN.md "The workflow", step 3."""
    session = _locked_session(session)
    _ready_for(session, session_day_check(session, policy=policy), prepared=False)
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
    _ready_for(session, check, prepared=True)
    errors = application_errors(
        plan=session.plan, check=check, application=application, on=on, policy=policy
    )
    if errors:
        raise ValidationError(errors)
    route = Route(session.plan.route)
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


def _queue_aftercare(appointment: Appointment) -> None:
    # treatments.services.messaging sends the patient's emails (issue 5); imported here, when needed.
    from treatments.services import messaging

    messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)


@transaction.atomic
def session_complete(
    *,
    session: TreatmentSession,
    by,
    reactions: list[str],
    post_care: list[str],
    notes: str = "",
    clinic: ClinicSettings,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> TreatmentSession:
    """Complete and lock the session, all or nothing.

    The lot's remaining quantity goes down by the amount (row locked; the database's check
    constraint keeps it from going below 0); the aftercare is computed from the end time on the
    clinic's clock and kept with the manager's current text for the route; the appointment is
    completed; a planned plan moves to "in treatment" (its first session is done); the aftercare
    email is queued (``notify``; the demo's past sessions send none), to go once this commits.
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
    lot._change_reason = f"{session.amount.normalize():f} used at a treatment session"
    lot.save(update_fields=["quantity_remaining"])  # a history row: who used how much, when

    route = Route(session.plan.route)
    text = AftercareText.current(route)
    session.aftercare = aftercare_snapshot(aftercare_for(route, ended_at=local_now), text=text)
    session.aftercare_text = text.text if text else ""
    session.immediate_reactions = [r for r in REACTIONS if r in reactions]
    session.post_care = [c for c in POST_CARE if c in post_care]
    session.notes = notes.strip()
    session.ended_at = max(now, session.started_at)
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
        _queue_aftercare(appointment)
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
    session.ended_at = max(now, session.started_at)
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
    """An adverse event (DOMAIN.md "A treatment session": anything beyond the expected effects,
    recorded with severity and outcome), linked to the session and its lot when known."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if session is not None and session.patient_id != patient.pk:
        errors["session"] = "This session is another patient's."
    if not description.strip():
        errors["description"] = "Describe what happened."
    if onset_on > today:
        errors["onset_on"] = "The onset cannot be in the future."
    elif session is not None and onset_on < timezone.localdate(session.started_at):
        errors["onset_on"] = (
            f"The onset is before the session of "
            f"{timezone.localdate(session.started_at):%-d %B %Y}."
        )
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
