"""Editing a skin assessment, and two clinicians editing it at once (optimistic locking)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from patients.models import Assessment, AssessmentConcern
from tests.factories import AssessmentConcernFactory, AssessmentFactory, UserFactory
from tests.patients.assessments.helpers import MASI_TOTAL, assessment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    assessment = AssessmentFactory(fitzpatrick=4, skin_type="dry", goals="Fewer lines")
    AssessmentConcernFactory(
        assessment=assessment, concern="fine_lines", severity=2, areas=["face"]
    )
    return assessment


def url(assessment):
    return reverse("patients:assessment_edit", args=[assessment.patient_id, assessment.pk])


def signed_in_derm(**names) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.DERMATOLOGIST, **names))
    return client


def test_the_form_opens_with_the_stored_answers(assessment):
    form = signed_in_derm().get(url(assessment)).context["form"]
    assert form["fitzpatrick"].value() == 4
    assert form["severity_fine_lines"].value() == 2
    assert form["areas_fine_lines"].value() == ["face"]
    assert form["version"].value() == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_get_403(client_for, assessment, role):
    assert client_for(role).get(url(assessment)).status_code == 403
    response = client_for(role).post(url(assessment), assessment_data(version="1"))
    assert response.status_code == 403
    assert Assessment.objects.get().fitzpatrick == 4


def test_saving_replaces_concerns_and_computes_masi(assessment):
    response = signed_in_derm().post(url(assessment), assessment_data(version="1"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.fitzpatrick == 5
    assert assessment.version == 2
    assert assessment.masi == Decimal(MASI_TOTAL)
    assert list(AssessmentConcern.objects.values_list("concern", flat=True)) == ["melasma"]


def test_severity_seven_is_refused_and_nothing_changes(assessment):
    response = signed_in_derm().post(
        url(assessment), assessment_data(version="1", severity_fine_lines="7")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["severity_fine_lines"] == [
        "Severity is 0 (none) to 4 (severe)."
    ]
    assessment.refresh_from_db()
    assert (assessment.fitzpatrick, assessment.version) == (4, 1)
    assert AssessmentConcern.objects.get().concern == "fine_lines"


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(assessment):
    derm_a = signed_in_derm(first_name="Amelia", last_name="Hart")
    derm_b = signed_in_derm(first_name="Rohan", last_name="Mehta")
    # Both open the form at version 1.
    loaded_a = derm_a.get(url(assessment)).context["form"]["version"].value()
    loaded_b = derm_b.get(url(assessment)).context["form"]["version"].value()

    saved = derm_b.post(
        url(assessment), assessment_data(version=loaded_b, notes="B: lines around the eyes")
    )
    assert saved.status_code == 302

    refused = derm_a.post(
        url(assessment), assessment_data(version=loaded_a, notes="A: my careful notes")
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Rohan Mehta saved changes to this record while you were editing" in html
    assert "Your changes were not saved" in html
    assert "A: my careful notes" in html  # A's input is still in the form
    assessment.refresh_from_db()
    assert assessment.notes == "B: lines around the eyes"
    assert assessment.version == 2


def test_a_missing_version_is_refused_with_a_visible_message(assessment):
    response = signed_in_derm().post(url(assessment), assessment_data())
    assert "lost track of the version" in response.context["form"].non_field_errors()[0]
    assert "lost track of the version" in response.content.decode()
    assert Assessment.objects.get().version == 1


def test_delete_is_405(assessment):
    assert signed_in_derm().delete(url(assessment)).status_code == 405
