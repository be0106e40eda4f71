"""The "Start a treatment plan" link on the assessment page (treatments/_assessment_actions)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from clinic.models import Role
from tests.factories import PlanFactory, UserFactory, melasma_v

pytestmark = pytest.mark.django_db


def test_dermatologist_gets_the_link_and_the_assessment_s_plans():
    assessment = melasma_v()
    plan = PlanFactory(assessment=assessment)
    html = render_to_string(
        "treatments/_assessment_actions.html",
        {"assessment": assessment, "user": UserFactory(role=Role.DERMATOLOGIST)},
    )
    assert reverse("treatments:plan_new", kwargs={"assessment_pk": assessment.pk}) in html
    assert "Start a treatment plan" in html
    assert reverse("treatments:plan_detail", kwargs={"pk": plan.pk}) in html


def test_no_link_for_anyone_else():
    html = render_to_string(
        "treatments/_assessment_actions.html",
        {"assessment": melasma_v(), "user": UserFactory(role=Role.MANAGER)},
    )
    assert html.strip() == ""


def test_the_assessment_page_links_to_a_new_plan(client_for):
    assessment = melasma_v()
    url = reverse(
        "patients:assessment_detail",
        kwargs={"patient_pk": assessment.patient_id, "pk": assessment.pk},
    )
    response = client_for(Role.DERMATOLOGIST).get(url)
    assert response.status_code == 200
    assert "Start a treatment plan" in response.text
