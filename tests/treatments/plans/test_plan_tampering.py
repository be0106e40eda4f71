"""A plan page posted with hidden values it never offered gets a message, never a 500 or silence."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PlanFactory
from tests.treatments.plans.test_plan_detail import edit, edit_data, transition
from treatments.forms.plans import PLAN_VERSION_LOST, UNKNOWN_STATE
from treatments.models import PlanState, TreatmentPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


@pytest.mark.parametrize("to", ["bogus", "", "injection"])
def test_an_unknown_state_is_said_on_the_page(derm_client, to):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = transition(derm_client, plan, to)
    assert response.status_code == 200
    assert UNKNOWN_STATE in response.text
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_a_transition_the_state_machine_refuses_is_said_on_the_page(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = transition(derm_client, plan, PlanState.COMPLETED)
    assert response.status_code == 200
    assert "A draft plan cannot become completed" in response.text
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


@pytest.mark.parametrize("version", ["abc", "1e3", "--"])
def test_a_tampered_version_stamp_is_said_and_nothing_saved(derm_client, version):
    plan = PlanFactory(state=PlanState.DRAFT, notes="Original.")
    response = derm_client.post(edit(plan), edit_data(plan, version=version))
    assert response.status_code == 200
    assert PLAN_VERSION_LOST in response.text
    assert TreatmentPlan.objects.get(pk=plan.pk).notes == "Original."


def test_a_missing_version_stamp_is_a_stale_edit_not_a_silent_save(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT, notes="Original.")
    data = edit_data(plan)
    del data["version"]
    response = derm_client.post(edit(plan), data)
    assert response.status_code == 200
    assert "Your changes were not saved" in response.text
    assert TreatmentPlan.objects.get(pk=plan.pk).notes == "Original."


@pytest.mark.parametrize("state", ["completed", "in_treatment", "nonsense"])
def test_saving_in_a_state_the_page_does_not_offer_is_said(derm_client, state):
    plan = PlanFactory(state=PlanState.DRAFT, notes="Original.")
    response = derm_client.post(edit(plan), edit_data(plan, state=state))
    assert response.status_code == 200
    assert "A plan is saved as a draft or as planned." in response.text
    assert TreatmentPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_a_new_plan_in_a_state_the_page_does_not_offer_is_said(derm_client):
    from tests.factories import LotFactory, ProductFactory, melasma_v

    assessment = melasma_v()
    product = ProductFactory()
    LotFactory(product=product)
    url = reverse("treatments:plan_new", kwargs={"assessment_pk": assessment.pk})
    data = {
        "route": "microneedling",
        "product": product.pk,
        "areas": ["face"],
        "sessions": "4",
        "interval_days": "42",
        "depth_face": "1.0",
        "state": "completed",
    }
    response = derm_client.post(url, data)
    assert response.status_code == 200
    assert "A plan is saved as a draft or as planned." in response.text
    assert not TreatmentPlan.objects.filter(assessment=assessment).exists()
