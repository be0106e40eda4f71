"""The readable history page of an assessment (record_history kind "assessment")."""

import pytest
from django.urls import reverse

from clinic.models import Role
from patients.services import assessments as assessment_services
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def url(assessment):
    return reverse("record_history", args=["assessment", assessment.pk])


def test_dermatologist_reads_the_change_history(client_for):
    assessment = AssessmentFactory(fitzpatrick=3)
    assessment_services.assessment_update(
        assessment=assessment,
        loaded_version=1,
        fitzpatrick=4,
        skin_type="normal",
        concerns=[],
        assessed_on=assessment.assessed_on,
    )
    response = client_for(Role.DERMATOLOGIST).get(url(assessment))
    assert response.status_code == 200
    assert "Fitzpatrick phototype" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FRONT_DESK, Role.PATIENT])
def test_no_one_else_reads_it(client_for, role):
    assert client_for(role).get(url(AssessmentFactory())).status_code == 403


def test_unknown_assessment_is_404(client_for):
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("record_history", args=["assessment", 999_999])
    )
    assert response.status_code == 404
