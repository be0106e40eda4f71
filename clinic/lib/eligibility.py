"""Who may book what (docs/clinical-rules.md §Who may book what): data in, refusals out.

The same rule holds for the front desk, a dermatologist and the patient in the portal; the
service that feeds it from the database is treatments.services.eligibility. Plain Python: no
database, no models.
"""

import datetime as dt
from dataclasses import dataclass, field

from clinic.lib.screening import RULES_DOC

RULE = RULES_DOC + "Who may book what"

CONSULTATION = "consultation"
TREATMENT = "treatment"
FOLLOW_UP = "follow_up"

#: The plan states in which sessions may be booked (treatments.models.plans.BOOKABLE_STATES).
BOOKABLE_PLAN_STATES = frozenset({"planned", "in_treatment", "follow_up"})
#: How long a screen stays current unless the clinic sets another (ClinicSettings).
DEFAULT_SCREEN_VALID_DAYS = 90


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a booking may not be made: the field it is about, a stable code and plain words."""

    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanFacts:
    """The plan a treatment session is booked from."""

    state: str
    state_label: str  # "draft", "completed": as the sentence names it
    route: str
    route_label: str
    own: bool  # the patient's own plan


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingFacts:
    """What the rule needs to know about one booking asked for."""

    kind: str  # CONSULTATION, TREATMENT or FOLLOW_UP
    route: str = ""  # the appointment type's route (treatment sessions)
    route_label: str = ""
    #: Never seen: no assessment, and no consultation booked or done.
    new_patient: bool = False
    plan: PlanFacts | None = None
    treatment_consent: bool = False
    #: The latest screen's date, or None when the patient was never screened.
    screened_on: dt.date | None = None
    #: The routes the latest screen blocks today in the plan's areas.
    blocked_routes: frozenset[str] = field(default_factory=frozenset)
    today: dt.date
    screen_valid_days: int = DEFAULT_SCREEN_VALID_DAYS


def screen_is_current(screened_on: dt.date | None, *, today: dt.date, valid_days: int) -> bool:
    """A screen is current for ``valid_days`` days after the day it was taken: a 90-day screen
    of 1 March is current up to and including 30 May."""
    return screened_on is not None and (today - screened_on).days < valid_days


def booking_refusals(facts: BookingFacts) -> list[Refusal]:
    """Every reason this booking may not be made, most basic first; empty: it may."""
    if facts.kind == CONSULTATION:
        return []
    if facts.kind != TREATMENT:
        if facts.plan is not None and not facts.plan.own:
            return [Refusal("plan", "other_patients_plan", "This plan is another patient's.")]
        if facts.new_patient:
            return [
                Refusal(
                    "appointment_type",
                    "consultation_first",
                    "A new patient's first visit is a consultation: book that first.",
                )
            ]
        return []
    plan = facts.plan
    if plan is None:
        return [
            Refusal(
                "plan",
                "no_plan",
                "A treatment session is booked from the patient's treatment plan.",
            )
        ]
    if not plan.own:
        return [Refusal("plan", "other_patients_plan", "This plan is another patient's.")]
    if plan.state not in BOOKABLE_PLAN_STATES:
        return [
            Refusal(
                "plan",
                "plan_not_bookable",
                f"The plan is {plan.state_label}: sessions can be booked once it is planned.",
            )
        ]
    if plan.route != facts.route:
        return [
            Refusal(
                "appointment_type",
                "other_route",
                f"The plan's route is {plan.route_label}, not {facts.route_label}.",
            )
        ]
    refusals = []
    if not facts.treatment_consent:
        refusals.append(
            Refusal(
                "plan",
                "no_consent",
                "The patient has no valid treatment consent. Take consent before booking.",
            )
        )
    if not screen_is_current(
        facts.screened_on, today=facts.today, valid_days=facts.screen_valid_days
    ):
        when = (
            "has never been screened"
            if facts.screened_on is None
            else f"was last screened on {facts.screened_on:%-d %B %Y}"
        )
        refusals.append(
            Refusal(
                "plan",
                "screen_out_of_date",
                f"The patient {when}: a treatment session needs a contraindication screen from "
                f"the last {facts.screen_valid_days} days. Ask a dermatologist to screen them.",
            )
        )
    if plan.route in facts.blocked_routes:
        refusals.append(
            Refusal(
                "plan",
                "route_blocked",
                f"The latest screen blocks {plan.route_label} today: a dermatologist must see the "
                "patient before another session is booked.",
            )
        )
    return refusals
