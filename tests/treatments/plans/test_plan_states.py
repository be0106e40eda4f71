"""The plan's state machine (treatments/models/plans.py PLAN_STATES): every from -> to pair,
allowed or refused, and who makes each.

docs/clinical-rules.md §Workflow: draft -> planned -> in treatment -> follow-up -> completed; or
cancelled at any point, with a reason. The choices where docs/clinical-rules.md is silent are in
plans.py. Planned -> in treatment is made only by completing the first session record, never by
hand.
"""

import itertools

import pytest

from clinic.models import ClinicSettings, Role
from tests.factories import PlanFactory, ScreenFactory, UserFactory
from treatments.models import PlanState, TransitionRefused, Workflow, plans
from treatments.services import plans as plan_services

S = PlanState
MACHINE = plans.PLAN_STATES
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
#: Made only by the completion of the first session record.
BY_SESSION_COMPLETION = {(S.PLANNED, S.IN_TREATMENT)}
BY_HAND = EXPECTED_ALLOWED - BY_SESSION_COMPLETION
PAIRS = list(itertools.product(PlanState, repeat=2))


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_the_table_allows_exactly_the_workflow(current, to):
    assert MACHINE.is_allowed(current, to) == ((current, to) in EXPECTED_ALLOWED)
    if (current, to) in EXPECTED_ALLOWED:
        MACHINE.require(current, to)
    else:
        with pytest.raises(TransitionRefused):
            MACHINE.require(current, to)


def test_who_makes_each_transition():
    for row in MACHINE.transitions():
        pair = (row.source, row.target)
        if pair in BY_HAND:
            assert row.roles == {Role.DERMATOLOGIST}, pair
            assert not row.via, pair
        else:
            assert not row.roles, pair
            assert row.via == {Workflow.SESSION_COMPLETION}, pair


def test_every_state_but_the_final_ones_can_be_cancelled():
    for state in PlanState:
        final = state in (S.COMPLETED, S.CANCELLED)
        assert MACHINE.is_allowed(state, S.CANCELLED) is not final


def test_every_transition_made_by_hand_has_a_button_label():
    for current, to in BY_HAND:
        assert MACHINE.get(current, to).label


def test_refusal_says_what_the_plan_can_become():
    with pytest.raises(TransitionRefused) as refused:
        MACHINE.require(S.DRAFT, S.COMPLETED)
    assert refused.value.message == (
        "A draft plan cannot become completed (it can become: cancelled, planned)."
    )
    with pytest.raises(TransitionRefused, match="A completed plan cannot change state"):
        MACHINE.require(S.COMPLETED, S.IN_TREATMENT)
    with pytest.raises(TransitionRefused, match="Unknown plan state"):
        MACHINE.require(S.DRAFT, "bogus")


def test_the_refusal_is_a_validation_error_with_the_field_it_is_about():
    from django.core.exceptions import ValidationError

    refused = TransitionRefused("Say why.", field="reason")
    assert isinstance(refused, ValidationError)
    assert (refused.messages, refused.field) == (["Say why."], "reason")


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_the_service_enforces_the_table_by_hand(current, to):
    plan = PlanFactory(state=current, cancel_reason="Moved away." if current == S.CANCELLED else "")
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    if (current, to) in BY_HAND:
        plan = plan_services.plan_transition(
            plan=plan, to=to, by=derm, reason="Patient's choice.", policy=policy
        )
        plan.refresh_from_db()
        assert plan.state == to
        assert plan.state_changed_by == derm
    else:
        with pytest.raises(TransitionRefused):
            plan_services.plan_transition(plan=plan, to=to, by=derm, reason="x", policy=policy)
        plan.refresh_from_db()
        assert plan.state == current


@pytest.mark.django_db
def test_only_the_session_completion_starts_the_treatment():
    plan = PlanFactory(state=S.PLANNED)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    with pytest.raises(TransitionRefused) as refused:
        plan_services.plan_transition(plan=plan, to=S.IN_TREATMENT, by=derm, policy=policy)
    assert refused.value.message == plans.FIRST_SESSION_STARTS_TREATMENT
    plan.refresh_from_db()
    assert plan.state == S.PLANNED
    plan = plan_services.plan_transition(
        plan=plan, to=S.IN_TREATMENT, by=derm, policy=policy, via=Workflow.SESSION_COMPLETION
    )
    assert plan.state == S.IN_TREATMENT


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_move_no_plan(role):
    plan = PlanFactory(state=S.DRAFT)
    with pytest.raises(TransitionRefused, match="Your role cannot make this change"):
        plan_services.plan_transition(
            plan=plan,
            to=S.CANCELLED,
            by=UserFactory(role=role),
            reason="x",
            policy=ClinicSettings.load().policy,
        )
    assert plan.allowed_transitions(by=UserFactory(role=role)) == []
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


@pytest.mark.django_db
def test_cancelling_needs_a_reason_and_keeps_it():
    plan = PlanFactory(state=S.PLANNED)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    policy = ClinicSettings.load().policy
    with pytest.raises(TransitionRefused, match="Say why the plan is cancelled") as refused:
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
    with pytest.raises(TransitionRefused, match="Microneedling is blocked: Active skin"):
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
    with pytest.raises(TransitionRefused, match="Choose a product"):
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
    with pytest.raises(TransitionRefused) as refused:
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
    with pytest.raises(TransitionRefused):
        plan_services.plan_transition(plan=stale_copy, to=S.DRAFT, by=derm, policy=policy)
