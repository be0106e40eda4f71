"""plan_services.plan_create and plan_update: the last line before the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.concurrency import StaleEdit
from clinic.models import ClinicSettings, Role
from tests.factories import PlanFactory, ProductFactory, UserFactory, melasma_v, salmon_product
from treatments.models import PlanState, TreatmentPlan, plans
from treatments.services import plans as plan_services
from treatments.services.recommendation import Choice, plan_context

pytestmark = pytest.mark.django_db


def context(assessment):
    return plan_context(assessment, policy=ClinicSettings.load().policy, on=timezone.localdate())


def choice(product, /, **overrides):
    fields = {
        "route": "microneedling",
        "product": product,
        "areas": ("face",),
        "depths": {"face": Decimal("1.0")},
        "justification": "",
        "state": PlanState.PLANNED,
    }
    fields.update(overrides)
    return Choice(**fields)


def test_plan_create_saves_a_planned_plan_with_who_wrote_it():
    assessment = melasma_v()
    derm = UserFactory(role=Role.DERMATOLOGIST)
    plan = plan_services.plan_create(
        ctx=context(assessment),
        author=derm,
        choice=choice(ProductFactory()),
        sessions=4,
        interval_days=42,
    )
    assert plan.state == PlanState.PLANNED
    assert plan.state_changed_by == derm
    record = plan.history.get()
    assert (record.history_user, record.history_change_reason) == (derm, "Created as planned")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"route": "laser_assisted"}, "justification"),
        ({"depths": {"face": Decimal("5")}}, "depth_face"),
        ({"product": None}, "product"),
        ({"state": PlanState.IN_TREATMENT}, "__all__"),
    ],
)
def test_plan_create_refuses_what_the_rules_refuse(overrides, field):
    assessment = melasma_v()
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_create(
            ctx=context(assessment),
            author=assessment.author,
            choice=choice(ProductFactory(), **overrides),
            sessions=4,
            interval_days=42,
        )
    assert field in refused.value.message_dict
    assert not TreatmentPlan.objects.exists()


def test_plan_create_refuses_an_allergic_product_even_without_the_form():
    assessment = melasma_v(screen={"allergens": ["fish"]})
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_create(
            ctx=context(assessment),
            author=assessment.author,
            choice=choice(salmon_product()),
            sessions=4,
            interval_days=42,
        )
    assert "Allergic to fish" in refused.value.message_dict["product"][0]


def test_plan_create_checks_the_model_limits_too():
    assessment = melasma_v()
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_create(
            ctx=context(assessment),
            author=assessment.author,
            choice=choice(ProductFactory()),
            sessions=0,
            interval_days=0,
        )
    assert {"sessions", "interval_days"} <= set(refused.value.message_dict)


@pytest.mark.parametrize(
    "fields",
    [
        {"sessions": 0},
        {"sessions": 13},
        {"interval_days": 0},
        {"state": PlanState.CANCELLED, "cancel_reason": ""},
        {"state": PlanState.PLANNED, "product": None},
        {"route": "injection"},
    ],
    ids=["0-sessions", "13-sessions", "0-interval", "cancel-no-reason", "planned-no-product",
         "injection"],
)  # fmt: skip
def test_the_database_refuses_an_impossible_plan(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(**fields)


def test_plan_update_edits_a_draft_and_plans_it():
    plan = PlanFactory(state=PlanState.DRAFT)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    plan_services.plan_update(
        plan=plan,
        loaded_version=plan.version,
        ctx=context(plan.assessment),
        by=derm,
        choice=choice(plan.product, depths={"face": Decimal("1.25")}),
        sessions=5,
        interval_days=35,
    )
    plan.refresh_from_db()
    assert (plan.state, plan.sessions, plan.depths) == (PlanState.PLANNED, 5, {"face": "1.25"})
    assert plan.version == 2
    assert plan.state_changed_by == derm


def test_plan_update_refuses_a_stale_edit():
    plan = PlanFactory(state=PlanState.DRAFT)
    TreatmentPlan.objects.filter(pk=plan.pk).update(version=5)
    with pytest.raises(StaleEdit):
        plan_services.plan_update(
            plan=plan,
            loaded_version=1,
            ctx=context(plan.assessment),
            by=plan.author,
            choice=choice(plan.product),
            sessions=4,
            interval_days=42,
        )


def test_plan_update_refuses_a_plan_already_in_treatment():
    plan = PlanFactory(state=PlanState.IN_TREATMENT)
    with pytest.raises(plans.TransitionRefused, match="can no longer be edited"):
        plan_services.plan_update(
            plan=plan,
            loaded_version=plan.version,
            ctx=context(plan.assessment),
            by=plan.author,
            choice=choice(plan.product),
            sessions=4,
            interval_days=42,
        )
