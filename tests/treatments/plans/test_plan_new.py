"""The plan page (treatments:plan_new): recommendation, choices, and what it refuses.

The reference scenarios are the first tests; docs/clinical-rules.md §Contraindication
screen and "Administration routes" are the rules they check.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import ClinicSettings
from tests.factories import (
    LotFactory,
    ProductFactory,
    ScreenFactory,
    human_product,
    melasma_v,
    salmon_product,
)
from treatments.models import PlanState, TreatmentPlan

pytestmark = pytest.mark.django_db


def url(assessment):
    return reverse("treatments:plan_new", kwargs={"assessment_pk": assessment.pk})


def plan_data(product=None, /, **overrides):
    data = {
        "route": "microneedling",
        "product": product.pk if product else "",
        "areas": ["face"],
        "sessions": "4",
        "interval_days": "42",
        "depth_face": "1.0",
        "justification": "",
        "notes": "",
        "state": "planned",
    }
    data.update(overrides)
    return data


@pytest.fixture
def derm_client(client_for):
    from clinic.models import Role

    return client_for(Role.DERMATOLOGIST)


def advice(response, route):
    return response.context["rec"].for_route(route)


# --- Done when: Fitzpatrick V melasma, then cold sores ------------------------------------------


def test_fitzpatrick_v_melasma_ranks_microneedling_first_with_reason_and_depth(derm_client):
    assessment = melasma_v()
    response = derm_client.get(url(assessment))
    assert response.status_code == 200
    rec = response.context["rec"]
    assert rec.top.route == "microneedling"
    html = response.text
    assert "1. Microneedling" in html
    assert "Melasma (3): deeper delivery needed; microneedling allows deeper penetration" in html
    assert "Needle depth: face 0.5-1.5 mm" in html
    laser = advice(response, "laser_assisted")
    assert laser.suitability == "caution"
    assert "Fitzpatrick V: higher risk of post-inflammatory hyperpigmentation" in html
    # The form starts from the recommendation: microneedling, its typical course, the face.
    form = response.context["form"]
    assert form.initial["route"] == "microneedling"
    assert form.initial["areas"] == ["face"]
    assert 'value="microneedling"  id="id_route_2" required checked' in html


def test_cold_sores_in_a_new_screen_block_needling_and_saving_them(derm_client):
    assessment = melasma_v()
    product = ProductFactory()
    ScreenFactory(patient=assessment.patient, active_infection_areas=["face"])
    response = derm_client.get(url(assessment))
    for route in ("microneedling", "laser_assisted"):
        assert advice(response, route).suitability == "blocked"
    assert "Active skin infection (bacterial, viral such as cold sores, or fungal)" in response.text
    # The blocked routes' buttons are disabled on the page.
    assert response.text.count("disabled") >= 2

    for route, extra in (("microneedling", {}), ("laser_assisted", {"justification": "Sure."})):
        response = derm_client.post(url(assessment), plan_data(product, route=route, **extra))
        assert response.status_code == 200
        errors = response.context["form"].errors["route"]
        assert errors[0].startswith(f"{'Microneedling' if route == 'microneedling' else 'Laser'}")
        assert "is blocked: Active skin infection" in errors[0]
    for state in ("planned", "draft"):
        derm_client.post(url(assessment), plan_data(product, state=state))
    assert not TreatmentPlan.objects.exists()


# --- Products: allergy, policy, lots -----------------------------------------------------------


def test_salmon_product_is_not_offered_to_a_patient_allergic_to_fish(derm_client):
    assessment = melasma_v(screen={"allergens": ["fish"]})
    salmon = salmon_product()
    plant = ProductFactory(name="Rose serum")
    response = derm_client.get(url(assessment))
    assert "Rose serum" in response.text
    assert "SalmoGen" not in response.text

    response = derm_client.post(url(assessment), plan_data(salmon))
    assert response.status_code == 200
    [error] = response.context["form"].errors["product"]
    assert error.startswith("Allergic to fish (e.g. salmon-derived), which SalmoGen E-50")
    assert not TreatmentPlan.objects.exists()
    assert plant.pk  # the plant product stays available


def test_human_derived_product_is_refused_while_the_policy_forbids_it(derm_client):
    assessment = melasma_v()
    human = human_product()
    response = derm_client.get(url(assessment))
    assert "MSC-Exo" not in response.text
    response = derm_client.post(url(assessment), plan_data(human))
    [error] = response.context["form"].errors["product"]
    assert "is human-derived, and the clinic's setting does not allow human-derived" in error
    assert not TreatmentPlan.objects.exists()


def test_human_derived_product_is_offered_when_the_policy_allows_it(derm_client):
    clinic = ClinicSettings.load()
    clinic.human_derived_allowed = True
    clinic.save()
    assessment = melasma_v()
    human = human_product()
    assert "MSC-Exo" in derm_client.get(url(assessment)).text
    response = derm_client.post(url(assessment), plan_data(human))
    assert response.status_code == 302
    assert TreatmentPlan.objects.get().product == human


def test_product_not_made_for_the_route_is_refused_at_the_product(derm_client):
    assessment = melasma_v()
    cream = ProductFactory(name="Barrier cream", form="cream", routes=["topical"])
    response = derm_client.post(url(assessment), plan_data(cream))
    [error] = response.context["form"].errors["product"]
    assert error == "Barrier cream is not made for microneedling (made for topical)."
    assert "route" not in response.context["form"].errors


def test_an_expired_lot_is_never_offered(derm_client):
    assessment = melasma_v()
    product = ProductFactory()
    today = timezone.localdate()
    LotFactory(product=product, lot_number="GOOD-1")
    LotFactory(product=product, lot_number="OLD-1", expiry_date=today - dt.timedelta(days=365))
    LotFactory(product=product, lot_number="EMPTY-1", quantity_remaining=0)
    response = derm_client.post(
        reverse("treatments:plan_recommendation", kwargs={"assessment_pk": assessment.pk}),
        plan_data(product),
    )
    assert "GOOD-1" in response.text
    assert "OLD-1" not in response.text
    assert "EMPTY-1" not in response.text


# --- Bad input: a clear message at the field, nothing saved ------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"sessions": "0"}, "sessions", "A course has at least 1 session.", id="0-sessions"
        ),
        pytest.param({"sessions": "13"}, "sessions", "A course has at most 12 sessions.", id="13"),
        pytest.param(
            {"interval_days": "0"},
            "interval_days",
            "The interval between sessions must be at least 1 day.",
            id="0-day-interval",
        ),
        pytest.param(
            {"depth_face": "5"}, "depth_face", "Needle depth for face is 0.5–1.5 mm.", id="5mm"
        ),
        pytest.param(
            {"depth_face": ""}, "depth_face", "Give the needle depth for the face.", id="no-depth"
        ),
        pytest.param({"areas": []}, "areas", "Choose at least one treated area.", id="no-area"),
        pytest.param(
            {"route": "laser_assisted"},
            "justification",
            "Laser-assisted infusion has cautions: explain why it is safe to go ahead.",
            id="caution-needs-justification",
        ),
        pytest.param(
            {"route": "transdermal", "justification": "   "},
            "justification",
            "Explain why you chose transdermal over the recommended microneedling.",
            id="not-top-needs-justification",
        ),
        pytest.param({"route": "injection"}, "route", "Choose a route.", id="no-injection-route"),
        pytest.param({"product": "999999"}, "product", "Choose a product from the list.", id="pk"),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_saves_nothing(
    derm_client, overrides, field, message
):
    assessment = melasma_v()
    product = ProductFactory()
    response = derm_client.post(url(assessment), plan_data(product, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.text
    assert not TreatmentPlan.objects.exists()


def test_planned_needs_a_product(derm_client):
    assessment = melasma_v()
    response = derm_client.post(url(assessment), plan_data(None))
    assert response.context["form"].errors["product"] == [
        "Choose a product before saving the plan as planned."
    ]
    assert not TreatmentPlan.objects.exists()


def test_without_a_screen_the_page_says_so_and_only_a_draft_can_be_saved(derm_client):
    assessment = melasma_v(screen=False)
    product = ProductFactory()
    response = derm_client.get(url(assessment))
    assert "Record a contraindication screen first" in response.text
    response = derm_client.post(url(assessment), plan_data(product))
    assert (
        "Record a contraindication screen first" in response.context["form"].non_field_errors()[0]
    )
    assert not TreatmentPlan.objects.exists()
    response = derm_client.post(url(assessment), plan_data(product, state="draft"))
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert plan.state == PlanState.DRAFT
    assert plan.screen is None
    assert plan.recommendation["screen_id"] is None


# --- Saving ------------------------------------------------------------------------------------


def test_saving_as_planned_keeps_the_choice_and_the_recommendation(derm_client):
    assessment = melasma_v()
    product = ProductFactory()
    response = derm_client.post(url(assessment), plan_data(product, notes="Start in autumn."))
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("treatments:plan_detail", kwargs={"pk": plan.pk})
    assert plan.state == PlanState.PLANNED
    assert (plan.route, plan.product, plan.areas) == ("microneedling", product, ["face"])
    assert (plan.sessions, plan.interval_days, plan.depths) == (4, 42, {"face": "1.0"})
    assert plan.patient == assessment.patient
    assert plan.notes == "Start in autumn."
    assert plan.screen == assessment.patient.screens.get()
    routes = {r["route"]: r for r in plan.recommendation["routes"]}
    assert routes["microneedling"]["rank"] == 1
    assert routes["laser_assisted"]["suitability"] == "caution"
    assert any("Fitzpatrick V" in r["text"] for r in routes["laser_assisted"]["reasons"])
    assert plan.history.get().history_user is not None


def test_a_caution_route_is_saved_with_its_justification(derm_client):
    assessment = melasma_v()
    product = ProductFactory()
    why = "Resurfacing needed for texture; test patch tolerated without pigment change."
    response = derm_client.post(
        url(assessment),
        plan_data(product, route="laser_assisted", justification=why, laser_settings="1550 nm"),
    )
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert (plan.route, plan.justification, plan.laser_settings) == (
        "laser_assisted",
        why,
        "1550 nm",
    )
    assert plan.depths == {}  # depths are kept for microneedling only


def test_acne_scars_on_the_face_allow_a_deeper_needle(derm_client):
    from tests.factories import AssessmentConcernFactory

    assessment = melasma_v()
    AssessmentConcernFactory(assessment=assessment, concern="acne_scars", severity=2)
    product = ProductFactory()
    response = derm_client.post(url(assessment), plan_data(product, depth_face="2.0"))
    assert response.status_code == 302


def test_archived_patient_cannot_get_a_new_plan(derm_client):
    assessment = melasma_v()
    patient = assessment.patient
    patient.archived_at = timezone.now()
    patient.save()
    assert derm_client.get(url(assessment)).status_code == 404


def test_unknown_assessment_is_404(derm_client):
    response = derm_client.get(reverse("treatments:plan_new", kwargs={"assessment_pk": 999999}))
    assert response.status_code == 404


def test_wrong_method_is_405(derm_client):
    assert derm_client.delete(url(melasma_v())).status_code == 405
