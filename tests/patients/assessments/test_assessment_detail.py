"""Reading a skin assessment: patients:assessment_detail."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import AssessmentConcernFactory, AssessmentFactory, PatientFactory
from tests.helpers import assert_queries_do_not_grow
from tests.patients.assessments.helpers import give_photo_consent, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    return AssessmentFactory(
        fitzpatrick=5,
        skin_type="combination",
        goals="Even out my cheeks",
        notes="Malar melasma",
        glogau=2,
        iga=0,
        masi="10.7",
        masi_regions={
            "forehead": {"area": 2, "darkness": 2, "homogeneity": 2},
            "right_malar": {"area": 3, "darkness": 3, "homogeneity": 2},
            "left_malar": {"area": 3, "darkness": 2, "homogeneity": 2},
            "chin": {"area": 1, "darkness": 1, "homogeneity": 1},
        },
    )


def url(assessment):
    return reverse("patients:assessment_detail", args=[assessment.patient_id, assessment.pk])


@pytest.fixture
def derm_client(client, derm):
    client.force_login(derm)
    return client


def test_dermatologist_reads_everything(derm_client, assessment):
    AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3, areas=["face"])
    response = derm_client.get(url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for text in (
        "V",
        "Combination",
        "Even out my cheeks",
        "Malar melasma",
        "Melasma",
        "3 – moderate",
        "Face",
        "II – wrinkles in motion",
        "0 – clear",
        "10.7 of 48",
        "Right malar",
    ):
        assert text in html, text
    assert reverse("record_history", args=["assessment", assessment.pk]) in html
    assert reverse("patients:assessment_edit", args=[assessment.patient_id, assessment.pk]) in html


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_get_403(client_for, assessment, role):
    assert client_for(role).get(url(assessment)).status_code == 403


def test_assessment_of_another_patient_is_404(derm_client, assessment):
    other = PatientFactory()
    response = derm_client.get(
        reverse("patients:assessment_detail", args=[other.pk, assessment.pk])
    )
    assert response.status_code == 404


def test_post_is_405(derm_client, assessment):
    assert derm_client.post(url(assessment)).status_code == 405


def test_without_photo_consent_there_is_a_notice_and_no_add_link(derm_client, assessment):
    html = derm_client.get(url(assessment)).content.decode()
    upload = reverse("patients:photo_upload", args=[assessment.patient_id, assessment.pk])
    assert upload not in html
    assert "no valid photo consent" in html
    assert reverse("patients:detail", args=[assessment.patient_id]) in html


def test_with_photo_consent_photos_can_be_added(derm_client, assessment):
    give_photo_consent(assessment.patient)
    html = derm_client.get(url(assessment)).content.decode()
    assert reverse("patients:photo_upload", args=[assessment.patient_id, assessment.pk]) in html
    assert "no valid photo consent" not in html


def test_photos_show_as_thumbnails_linking_to_the_full_image(derm_client, assessment):
    photo = make_photo(assessment=assessment, view="left_45", area="face")
    photo.taken_on = dt.date(2026, 11, 23)
    photo.save()
    html = derm_client.get(url(assessment)).content.decode()
    assert f'src="{reverse("patients:photo_thumb", args=[photo.pk])}"' in html
    assert f'href="{reverse("patients:photo", args=[photo.pk])}"' in html
    assert 'alt="Left 45° view of face, 23 Nov 2026"' in html


def test_the_page_does_not_query_per_photo_or_concern(derm_client, assessment):
    concerns = iter(["acne", "eczema", "redness", "texture"])

    def grow():
        make_photo(assessment=assessment)
        make_photo(assessment=assessment, view="right_45")
        AssessmentConcernFactory(assessment=assessment, concern=next(concerns))
        AssessmentConcernFactory(assessment=assessment, concern=next(concerns))

    make_photo(assessment=assessment)
    assert_queries_do_not_grow(lambda: derm_client.get(url(assessment)), grow, limit=15)
