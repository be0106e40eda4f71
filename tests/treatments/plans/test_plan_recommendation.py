"""treatments:plan_recommendation: the htmx refresh of the recommendation as the choices change."""

import re

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import AssessmentConcernFactory, ProductFactory, ScreenFactory, melasma_v

pytestmark = pytest.mark.django_db


def refresh(client, assessment, data):
    url = reverse("treatments:plan_recommendation", kwargs={"assessment_pk": assessment.pk})
    return client.post(url, data, HTTP_HX_REQUEST="true")


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


INPUT = re.compile(r"<(input|textarea|select|button)\b")


def test_refresh_returns_the_panel_and_no_input_at_all(derm_client):
    assessment = melasma_v()
    response = refresh(
        derm_client, assessment, {"route": "microneedling", "areas": ["face"], "depth_face": "0.5"}
    )
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html  # a fragment, not a page
    assert "1. Microneedling" in html
    # Nothing the user may be typing in comes back: a refresh never overwrites an input.
    assert not INPUT.search(html)
    assert 'id="route-details"' not in html
    assert 'id="route-field"' not in html
    assert 'hx-swap-oob="innerHTML">Recommended first: Microneedling.' in html
    assert '<div id="id_justification_helptext" hx-swap-oob="innerHTML">' in html


def test_a_product_not_made_for_a_route_blocks_that_route_in_the_panel(derm_client):
    assessment = melasma_v()
    cream = ProductFactory(name="Barrier cream", routes=["topical", "transdermal"])
    response = refresh(
        derm_client, assessment, {"route": "microneedling", "areas": ["face"], "product": cream.pk}
    )
    rec = response.context["rec"]
    assert rec.for_route("microneedling").suitability == "blocked"
    assert "Barrier cream is not made for this route" in response.text
    # The route buttons take their labels and blocked state from the panel.
    assert (
        '<li data-route="microneedling" data-label="Microneedling (blocked)" data-blocked></li>'
        in response.text
    )
    assert '<li data-route="topical" data-label="Topical (suitable, ranked 1)"></li>' in (
        response.text
    )
    assert "Microneedling is blocked for these choices, so it is no longer chosen." in (
        response.text
    )


def test_changing_the_areas_changes_the_depths_and_what_counts(derm_client):
    assessment = melasma_v()
    AssessmentConcernFactory(
        assessment=assessment, concern="hair_thinning", severity=2, areas=["scalp"]
    )
    ScreenFactory(patient=assessment.patient, active_infection_areas=["face"])
    response = refresh(derm_client, assessment, {"route": "microneedling", "areas": ["scalp"]})
    # Cold sores on the face do not block needling the scalp (docs/clinical-rules.md "in the area").
    assert response.context["rec"].top.route == "microneedling"
    assert "scalp 0.5-1.5 mm" in response.text


def test_the_course_the_plan_implies_is_shown(derm_client):
    assessment = melasma_v()
    response = refresh(
        derm_client,
        assessment,
        {"route": "microneedling", "areas": ["face"], "sessions": "4", "interval_days": "42"},
    )
    assert "4 sessions, every 42 days (6 weeks): 18 weeks from the first session to the last" in (
        response.text
    )
    assert "Typical microneedling course: 3-6 sessions, 4-6 weeks apart." in response.text


def test_nonsense_values_are_ignored_not_an_error(derm_client):
    assessment = melasma_v()
    response = refresh(
        derm_client,
        assessment,
        {"route": "injection", "areas": ["elbow"], "sessions": "many", "product": "x"},
    )
    assert response.status_code == 200
    assert "The course this plan implies" not in response.text


def test_get_is_405(derm_client):
    url = reverse("treatments:plan_recommendation", kwargs={"assessment_pk": melasma_v().pk})
    assert derm_client.get(url).status_code == 405


def test_front_desk_gets_no_recommendation(client_for):
    response = refresh(client_for(Role.FRONT_DESK), melasma_v(), {})
    assert response.status_code == 403


def test_the_page_carries_every_route_field_and_shows_those_of_the_choice(derm_client):
    assessment = melasma_v()
    url = reverse("treatments:plan_new", kwargs={"assessment_pk": assessment.pk})
    html = derm_client.get(url).text
    # The recommendation starts on microneedling for the face: the face's depth shows, the
    # other areas' depths and the laser settings are on the page, hidden until chosen.
    assert '<div data-area-only="face">' in html
    assert '<div data-area-only="neck" hidden>' in html
    assert 'id="id_depth_scalp"' in html
    assert '<fieldset class="mb-3" data-route-only="microneedling">' in html
    assert '<div data-route-only="laser_assisted" hidden>' in html
    assert "js/plan-form.js" in html
    assert 'hx-target="#recommendation"' in html
