"""Marking an assessment's concerns on the face chart's zones (docs/clinical-rules.md §Treated
zones > Zones: "a marked zone adds its area to the concern's areas")."""

import pytest
from django.urls import reverse

from clinic.models import Role
from patients.models import Assessment, AssessmentConcern
from tests.factories import AssessmentConcernFactory, AssessmentFactory, PatientFactory
from tests.patients.assessments.helpers import assessment_data

pytestmark = pytest.mark.django_db


def new_url(patient):
    return reverse("patients:assessment_new", args=[patient.pk])


def test_the_form_offers_every_zone_on_a_chart_with_its_checkbox_list(client, derm):
    client.force_login(derm)
    html = client.get(new_url(PatientFactory())).text
    assert 'name="zones_melasma" value="cheek_left"' in html
    assert 'name="zones_dark_circles" value="periorbital_right"' in html
    assert 'data-zone-field="zones_melasma"' in html
    assert "js/zone-chart.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_zones_are_saved_and_add_their_areas(client, derm):
    patient = PatientFactory()
    client.force_login(derm)
    response = client.post(
        new_url(patient),
        assessment_data(
            areas_melasma=[],
            zones_melasma=["cheek_right", "cheek_left"],
            severity_dark_circles="2",
            areas_dark_circles=["periorbital"],
            zones_dark_circles=["periorbital_left", "neck_anterior"],
        ),
    )
    assert response.status_code == 302
    melasma = AssessmentConcern.objects.get(concern="melasma")
    assert (melasma.areas, melasma.zones) == (["face"], ["cheek_left", "cheek_right"])
    circles = AssessmentConcern.objects.get(concern="dark_circles")
    assert circles.areas == ["periorbital", "neck"]
    assert circles.zones == ["periorbital_left", "neck_anterior"]


@pytest.mark.parametrize("forged", ["ear", "cheek_left' onmouseover='x", "FACE"])
def test_a_forged_zone_is_refused_at_its_field_and_nothing_is_saved(client, derm, forged):
    patient = PatientFactory()
    client.force_login(derm)
    response = client.post(new_url(patient), assessment_data(zones_melasma=["chin", forged]))
    assert response.status_code == 200
    assert "Choose zones from the chart." in response.text
    assert 'id="id_zones_melasma_error"' in response.text
    assert not Assessment.objects.exists()


def test_editing_keeps_the_zones_and_a_forged_zone_changes_nothing(client, derm):
    assessment = AssessmentFactory()
    concern = AssessmentConcernFactory(
        assessment=assessment, concern="melasma", severity=3, areas=["face"], zones=["chin"]
    )
    url = reverse("patients:assessment_edit", args=[assessment.patient_id, assessment.pk])
    client.force_login(derm)
    form = client.get(url).context["form"]
    assert form["zones_melasma"].value() == ["chin"]

    refused = client.post(url, assessment_data(version="1", zones_melasma=["moon"]))
    assert refused.status_code == 200
    concern.refresh_from_db()
    assert concern.zones == ["chin"]

    client.post(url, assessment_data(version="1", zones_melasma=["forehead", "chin"]))
    concern.refresh_from_db()
    assert concern.zones == ["forehead", "chin"]


def test_the_assessment_page_shows_the_zones_in_its_table_and_on_the_chart(client, derm):
    assessment = AssessmentFactory()
    AssessmentConcernFactory(
        assessment=assessment, concern="melasma", severity=3, areas=["face"], zones=["chin"]
    )
    client.force_login(derm)
    html = client.get(
        reverse("patients:assessment_detail", args=[assessment.patient_id, assessment.pk])
    ).text
    assert "<td>Chin</td>" in html
    assert 'aria-label="Zones marked on the concerns: Chin"' in html


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_cannot_post_zones(client_for, role):
    patient = PatientFactory()
    response = client_for(role).post(new_url(patient), assessment_data(zones_melasma=["chin"]))
    assert response.status_code == 403
    assert not Assessment.objects.exists()
