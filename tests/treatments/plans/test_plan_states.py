"""The plan's state machine (treatments/plans.py): every from -> to pair, allowed or refused.

DOMAIN.md "The workflow": draft -> planned -> in treatment -> follow-up -> completed; or
cancelled at any point, with a reason. The choices where DOMAIN.md is silent are in plans.py.
"""

import itertools

import pytest

from clinic.models import ClinicSettings, Role
from tests.factories import ScreenFactory, UserFactory
from tests.treatments.factories import PlanFactory
from treatments.models import PlanState, plans
from treatments.services import plans as plan_services

S = PlanState
EXPECTED_ALLOWED = {
    (S.DRAFT, S.PLANNED),
    (S.DRAFT, S.CANCELLED),
    (S.PLANNED, S.DRAFT),
    (S.PLANNED, S.IN_TREATMENT),
    (S.PLANNED, S.CANCELLED),
    (S.IN_TREATMENT, S.FOLLOW_UP),
    (S.IN_TREATMENT, S.CANCELLED),
    (S.FOLLOW_UP, S.IN_TREATMENT),
    (S.FOLLOW_UP, S.COMPLETED),
    (S.FOLLOW_UP, S.CANCELLED),
}
PAIRS = list(itertools.product(PlanState, repeat=2))


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_the_table_allows_exactly_the_workflow(current, to):
    assert plans.is_allowed(current, to) == ((current, to) in EXPECTED_ALLOWED)
    if (current, to) in EXPECTED_ALLOWED:
        plans.check(current, to)
    else:
        with pytest.raises(plans.TransitionRefused):
            plans.check(current, to)


def test_every_state_but_the_final_ones_can_be_cancelled():
    for state in PlanState:
        final = state in (S.COMPLETED, S.CANCELLED)
        assert plans.is_allowed(state, S.CANCELLED) is not final


def test_every_allowed_transition_but_cancel_has_a_button_label():
    for current, to in EXPECTED_ALLOWED:
        if to != S.CANCELLED:
            assert plans.ACTION_LABELS[(current, to)]


def test_refusal_says_what_the_plan_can_become():
    with pytest.raises(plans.TransitionRefused) as refused:
        plans.check(S.DRAFT, S.COMPLETED)
    assert refused.value.message == (
        "A draft plan cannot become completed (it can become: cancelled, planned)."
    )
    with pytest.raises(plans.TransitionRefused, match="A completed plan cannot change state"):
        plans.check(S.COMPLETED, S.IN_TREATMENT)


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_the_service_enforces_the_table(current, to):
    plan = PlanFactory(state=current, cancel_reason="Moved away." if current == S.CANCELLED else "")
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    if (current, to) in EXPECTED_ALLOWED:
        plan = plan_services.plan_transition(
            plan=plan, to=to, by=derm, reason="Patient's choice.", policy=policy
        )
        plan.refresh_from_db()
        assert plan.state == to
        assert plan.state_changed_by == derm
    else:
        with pytest.raises(plans.TransitionRefused):
            plan_services.plan_transition(plan=plan, to=to, by=derm, reason="x", policy=policy)
        plan.refresh_from_db()
        assert plan.state == current


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_keeps_it():
    plan = PlanFactory(state=S.PLANNED)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    with pytest.raises(plans.TransitionRefused, match="Say why the plan is cancelled") as refused:
        plan_services.plan_transition(
            plan=plan, to=S.CANCELLED, by=derm, reason="  ", policy=policy
        )
    assert refused.value.field == "reason"
    plan_services.plan_transition(
        plan=plan, to=S.CANCELLED, by=derm, reason="Moved.", policy=policy
    )
    plan.refresh_from_db()
    assert (plan.state, plan.cancel_reason) == (S.CANCELLED, "Moved.")
    latest = plan.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Cancelled: Moved."
    assert latest.history_user == derm


@pytest.mark.django_db
def test_planning_rechecks_the_latest_screen_on_the_day():
    plan = PlanFactory(state=S.DRAFT)
    ScreenFactory(patient=plan.patient, active_infection_areas=["face"])
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with pytest.raises(plans.TransitionRefused, match="Microneedling is blocked: Active skin"):
        plan_services.plan_transition(
            plan=plan, to=S.PLANNED, by=derm, policy=ClinicSettings.load().policy
        )
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


@pytest.mark.django_db
def test_planning_needs_a_product_and_keeps_the_day_s_recommendation():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    plan = PlanFactory(state=S.DRAFT, product=None)
    with pytest.raises(plans.TransitionRefused, match="Choose a product"):
        plan_services.plan_transition(plan=plan, to=S.PLANNED, by=derm, policy=policy)
    plan = PlanFactory(state=S.DRAFT)
    plan = plan_services.plan_transition(plan=plan, to=S.PLANNED, by=derm, policy=policy)
    assert plan.recommendation["routes"][0]["route"] == "microneedling"
    assert plan.screen == plan.patient.screens.get()


@pytest.mark.django_db
def test_planning_a_new_caution_without_justification_asks_to_edit_the_plan():
    plan = PlanFactory(state=S.DRAFT)
    ScreenFactory(patient=plan.patient, antiplatelet=True)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with pytest.raises(plans.TransitionRefused) as refused:
        plan_services.plan_transition(
            plan=plan, to=S.PLANNED, by=derm, policy=ClinicSettings.load().policy
        )
    assert refused.value.message == (
        "Microneedling has cautions: explain why it is safe to go ahead. "
        "Edit the plan to add a justification."
    )


@pytest.mark.django_db
def test_a_stale_transition_is_refused_against_the_stored_state():
    plan = PlanFactory(state=S.PLANNED)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    stale_copy = type(plan).objects.get(pk=plan.pk)
    plan_services.plan_transition(
        plan=plan, to=S.CANCELLED, by=derm, reason="Moved.", policy=policy
    )
    with pytest.raises(plans.TransitionRefused):
        plan_services.plan_transition(plan=stale_copy, to=S.IN_TREATMENT, by=derm, policy=policy)
