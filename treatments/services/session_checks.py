"""The checks of each step of a treatment session: what the rules allow, and in words why not.

docs/clinical-rules.md §Treatment session. The day's screen re-run for the plan's route and areas
(``day_check``), the order of the steps (``ready_for``), the application field by field
(``application_errors``: lot, amount, areas, device, needle depths, laser settings), what is left
before completion (``completion_problems``) and the session's own times (``time_errors``).

These functions read the records they are given and never write; the workflow in
treatments/services/sessions.py calls them under its row locks, and the session page calls them
to say everything wrong at once.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.lib.courses import DepthRange, depth_range
from clinic.lib.product_screening import product_findings, product_route_findings
from clinic.lib.screening import (
    ClinicPolicy,
    Finding,
    Level,
    area_names,
    findings_for,
    phototype_findings,
    screen_findings,
)
from clinic.lib.vocabulary import NEEDLING_ROUTES, Area, Route
from clinic.lib.zones import Zone, area_of
from patients.models import Screen
from treatments.models import (
    Appointment,
    AppointmentStatus,
    Lot,
    LotStatus,
    TreatmentPlan,
    TreatmentSession,
)
from treatments.services import scheduling
from treatments.services.recommendation import assessment_facts

#: Plans on which a session may be recorded: the same states in which one may be booked.
TREATABLE_PLAN_STATES = scheduling.BOOKABLE_PLAN_STATES


# --- The day's screen ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayCheck:
    """What the day's screen says about the plan's route in the plan's areas.

    docs/clinical-rules.md §Contraindication screen: asked again on the day of every session.
    "Blocks" is absolute; "caution" is allowed with a written justification, kept. A block confined
    to some areas (an infection, a flare, a lesion "in the area") closes only those areas.
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


def ready_for(session: TreatmentSession, check: DayCheck | None, *, prepared: bool) -> None:
    """Refuse a step whose earlier steps are not done (the day's screen first, then cleansing)."""
    if check is None:
        raise ValidationError(NO_PRESCREEN)
    if check.route_blocked:
        raise ValidationError(_blocked(check))
    if prepared and not session.skin_prepared:
        raise ValidationError(NOT_PREPARED)


def lot_problem(lot: Lot, *, plan: TreatmentPlan, on: dt.date, policy: ClinicPolicy) -> str:
    """Why this lot may not be used for this plan's session on ``on``, or "".

    docs/clinical-rules.md §Lots: an expired lot cannot be used; a withdrawn (recalled) or empty lot
    neither; and the lot must be of the plan's product.
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
        return f"Only {lot.remaining_text} left in lot {lot.lot_number}: the amount cannot be more."
    return ""


def depth_ranges(plan: TreatmentPlan) -> dict[str, DepthRange]:
    """The allowed needle depth of each planned area, from the plan's assessment: the same range
    the plan's own depths were checked against (docs/clinical-rules.md §Administration routes)."""
    concerns = assessment_facts(plan.assessment).concerns
    return {a: depth_range(Area(a), concerns=concerns) for a in plan.areas}


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneApplication:
    """What was applied on one treated zone (docs/clinical-rules.md §Treated zones > Zones)."""

    zone: str
    amount: Decimal | None
    depth: Decimal | None = None
    laser_settings: str = ""


def zone_field(zone: str, part: str) -> str:
    """The field of one zone's amount, depth or laser settings: ``zone_forehead_depth``."""
    return f"zone_{zone}_{part}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Application:
    """What the clinician applied, parsed into Python types."""

    lot: Lot | None
    amount: Decimal | None
    areas: tuple[str, ...]
    device: str = ""
    depths: dict[str, Decimal] = field(default_factory=dict)
    laser_settings: str = ""
    zones: tuple[ZoneApplication, ...] = ()


def with_zones(application: Application) -> Application:
    """The application's areas, amount and depths completed from its zones.

    Each zone adds its area; the amount, when not given, is the zones' sum (when every zone has
    one); an area with zone depths takes the deepest of them. Unknown zones add nothing
    (``application_errors`` refuses them).
    """
    known = [z for z in application.zones if z.zone in Zone.values]
    if not known:
        return application
    areas = tuple(dict.fromkeys([*application.areas, *(area_of(z.zone).value for z in known)]))
    amount = application.amount
    amounts = [z.amount for z in known if z.amount is not None]
    if amount is None and amounts and len(amounts) == len(known):
        amount = sum(amounts, Decimal(0))
    depths = dict(application.depths)
    zone_depths: dict[str, Decimal] = {}
    for z in known:
        area = area_of(z.zone).value
        if z.depth is not None:
            zone_depths[area] = max(zone_depths.get(area, z.depth), z.depth)
    depths |= zone_depths
    return replace(application, areas=areas, amount=amount, depths=depths)


def _zone_errors(*, plan: TreatmentPlan, check: DayCheck, application: Application, add) -> None:
    """Zone by zone: a known zone, of a treated and open area, its amount, and its needle depth
    within its area's range (``depth_ranges``, the same rule as the areas')."""
    route = Route(plan.route)
    ranges = depth_ranges(plan) if route == Route.MICRONEEDLING else {}
    seen: set[str] = set()
    for z in application.zones:
        if z.zone not in Zone.values:
            add("zones", "Choose zones from the chart.")
            continue
        if z.zone in seen:
            add("zones", f"{Zone(z.zone).label} is given twice.")
            continue
        seen.add(z.zone)
        name = Zone(z.zone).label.lower()
        area = area_of(z.zone)
        if area.value not in plan.areas:
            add("zones", f"The plan does not treat the {area.label.lower()}: not the {name}.")
            continue
        if area.value in check.closed_areas:
            add("zones", f"The day's screen blocks the {area.label.lower()}: not the {name}.")
        if z.amount is None:
            add(zone_field(z.zone, "amount"), f"Give the amount applied on the {name}.")
        elif z.amount <= 0:
            add(zone_field(z.zone, "amount"), "The amount must be more than 0.")
        if route == Route.MICRONEEDLING:
            limit = ranges[area.value]
            if z.depth is None:
                add(zone_field(z.zone, "depth"), f"Give the needle depth used on the {name}.")
            elif not limit.contains(z.depth):
                add(
                    zone_field(z.zone, "depth"),
                    f"{z.depth} mm is outside the range allowed for the {name} "
                    f"({area.label.lower()}: {limit.min_mm}\u2013{limit.max_mm} mm).",
                )
    amounts = [z.amount for z in application.zones if z.amount is not None]
    if (
        application.amount is not None
        and amounts
        and len(amounts) == len(application.zones)
        and sum(amounts, Decimal(0)) != application.amount
    ):
        add(
            "amount",
            f"The zones' amounts add up to {sum(amounts, Decimal(0))}, not the "
            f"{application.amount} used: correct one or the other.",
        )


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

    application = with_zones(application)
    _zone_errors(plan=plan, check=check, application=application, add=add)
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
        # An area treated zone by zone has each zone's depth checked, at the zone's field.
        by_zone = {area_of(z.zone).value for z in application.zones if z.zone in Zone.values}
        for area in application.areas:
            if area not in ranges or area in by_zone:
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


# --- The session's times -------------------------------------------------------------------------


def session_day(appointment: Appointment, zone: ZoneInfo) -> dt.date:
    """The day of the appointment on the clinic's clock: the day the session took place."""
    return timezone.localtime(appointment.starts_at, zone).date()


def default_start(appointment: Appointment, *, now: dt.datetime) -> dt.datetime:
    """When the session started unless the dermatologist says otherwise: the appointment's
    start, or the check-in when the patient came late; never later than ``now``."""
    start = appointment.starts_at
    if appointment.checked_in_at is not None and appointment.checked_in_at > start:
        start = appointment.checked_in_at
    return min(start, now)


def default_end(
    appointment: Appointment, *, started_at: dt.datetime, now: dt.datetime
) -> dt.datetime:
    """When the session ended unless the dermatologist says otherwise: the appointment's end,
    or ``now`` when that is earlier (completed before the booked end); never before the start.

    A session recorded hours after the appointment thus keeps the appointment's end, not the
    time it was typed in, and its aftercare counts from there.
    """
    return max(started_at, min(appointment.ends_at, now))


def time_errors(
    *,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    day: dt.date,
    zone: ZoneInfo,
    now: dt.datetime,
) -> dict[str, list[str]]:
    """What is wrong with a session's start and end, by field (empty when they may be kept).

    Both are on ``day`` (the appointment's day on the clinic's clock), neither in the future,
    and the end is not before the start.
    """
    errors: dict[str, list[str]] = {}
    for name, moment, what in (("started_at", started_at, "start"), ("ended_at", ended_at, "end")):
        if timezone.localtime(moment, zone).date() != day:
            errors[name] = [
                f"The session's {what} must be on the day of the appointment, "
                f"{day:%A} {day.day} {day:%B %Y}."
            ]
        elif moment > now:
            errors[name] = [f"The session's {what} cannot be in the future."]
    if not errors and ended_at < started_at:
        errors["ended_at"] = ["The session cannot end before it started."]
    return errors
