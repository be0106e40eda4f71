"""Who may book what (docs/clinical-rules.md §Who may book what), as a table. No database."""

import datetime as dt

import pytest

from clinic.lib.eligibility import (
    BookingFacts,
    PlanFacts,
    booking_refusals,
    screen_is_current,
)

TODAY = dt.date(2026, 12, 1)


def plan(state="planned", route="microneedling", own=True):
    return PlanFacts(
        state=state,
        state_label=state.replace("_", " "),
        route=route,
        route_label=route.replace("_", "-"),
        own=own,
    )


def treatment(**overrides):
    facts = {
        "kind": "treatment",
        "route": "microneedling",
        "route_label": "microneedling",
        "plan": plan(),
        "treatment_consent": True,
        "screened_on": TODAY - dt.timedelta(days=10),
        "today": TODAY,
    }
    facts.update(overrides)
    return BookingFacts(**facts)


@pytest.mark.parametrize(
    ("facts", "codes"),
    [
        # "consultation (assessment): always; it is a new patient's first visit"
        pytest.param(
            BookingFacts(kind="consultation", new_patient=True, today=TODAY),
            [],
            id="consultation: a new patient",
        ),
        pytest.param(
            BookingFacts(kind="consultation", today=TODAY), [], id="consultation: a known patient"
        ),
        # "follow-up review: the patient has been seen ...; a new patient books a consultation
        # first"
        pytest.param(
            BookingFacts(kind="follow_up", new_patient=True, today=TODAY),
            ["consultation_first"],
            id="review: a new patient books a consultation first",
        ),
        pytest.param(BookingFacts(kind="follow_up", today=TODAY), [], id="review: a seen patient"),
        pytest.param(
            BookingFacts(kind="follow_up", plan=plan(own=False), today=TODAY),
            ["other_patients_plan"],
            id="review: another patient's plan",
        ),
        # "treatment session: a plan of the patient's that is planned, in treatment or at
        # follow-up, of the session's route"
        pytest.param(treatment(), [], id="treatment: everything in order"),
        pytest.param(treatment(plan=plan("in_treatment")), [], id="treatment: plan in treatment"),
        pytest.param(treatment(plan=plan("follow_up")), [], id="treatment: plan at follow-up"),
        pytest.param(treatment(plan=None), ["no_plan"], id="treatment: no plan"),
        pytest.param(
            treatment(plan=plan(own=False)),
            ["other_patients_plan"],
            id="treatment: another patient's plan",
        ),
        pytest.param(
            treatment(plan=plan("draft")), ["plan_not_bookable"], id="treatment: draft plan"
        ),
        pytest.param(
            treatment(plan=plan("completed")), ["plan_not_bookable"], id="treatment: completed plan"
        ),
        pytest.param(
            treatment(plan=plan("cancelled")), ["plan_not_bookable"], id="treatment: cancelled plan"
        ),
        pytest.param(
            treatment(plan=plan(route="topical")),
            ["other_route"],
            id="treatment: the plan is of another route",
        ),
        # "valid treatment consent"
        pytest.param(
            treatment(treatment_consent=False), ["no_consent"], id="treatment: no valid consent"
        ),
        # "a contraindication screen no older than the clinic's screen validity (90 days ...)"
        pytest.param(
            treatment(screened_on=None), ["screen_out_of_date"], id="treatment: never screened"
        ),
        pytest.param(
            treatment(screened_on=TODAY - dt.timedelta(days=89)),
            [],
            id="treatment: screen 89 days old",
        ),
        pytest.param(
            treatment(screened_on=TODAY - dt.timedelta(days=90)),
            ["screen_out_of_date"],
            id="treatment: screen 90 days old",
        ),
        pytest.param(
            treatment(screened_on=TODAY - dt.timedelta(days=90), screen_valid_days=180),
            [],
            id="treatment: the clinic keeps screens for 180 days",
        ),
        # "the latest screen blocks the plan's route in none of its areas today"
        pytest.param(
            treatment(blocked_routes=frozenset({"microneedling"})),
            ["route_blocked"],
            id="treatment: the route is blocked today",
        ),
        pytest.param(
            treatment(blocked_routes=frozenset({"laser_assisted"})),
            [],
            id="treatment: another route is blocked",
        ),
        pytest.param(
            treatment(
                treatment_consent=False,
                screened_on=None,
                blocked_routes=frozenset({"microneedling"}),
            ),
            ["no_consent", "screen_out_of_date", "route_blocked"],
            id="treatment: every missing piece is said at once",
        ),
    ],
)
def test_who_may_book_what(facts, codes):
    assert [r.code for r in booking_refusals(facts)] == codes


def test_a_refusal_names_its_field_and_says_why():
    (refusal,) = booking_refusals(treatment(screened_on=dt.date(2026, 8, 1)))
    assert refusal.field == "plan"
    assert "last screened on 1 August 2026" in refusal.message
    assert "90 days" in refusal.message


@pytest.mark.parametrize(
    ("screened_on", "current"),
    [
        (None, False),
        (TODAY, True),
        (TODAY - dt.timedelta(days=89), True),
        (TODAY - dt.timedelta(days=90), False),
    ],
)
def test_screen_is_current_for_its_validity(screened_on, current):
    assert screen_is_current(screened_on, today=TODAY, valid_days=90) is current
