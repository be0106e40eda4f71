"""Recording a skin assessment: patients:assessment_new (docs/clinical-rules.md §Skin
assessment)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from patients.models import Assessment, AssessmentConcern
from tests.factories import PatientFactory
from tests.patients.assessments.helpers import MASI_TOTAL, assessment_data, masi_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return PatientFactory()


@pytest.fixture
def derm_client(client, derm):
    client.force_login(derm)
    return client


def url(patient):
    return reverse("patients:assessment_new", args=[patient.pk])


def test_dermatologist_sees_every_concern_and_the_masi_calculator(derm_client, patient):
    response = derm_client.get(url(patient))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="severity_slow_healing_wound"' in html
    assert 'name="areas_melasma"' in html
    assert 'hx-post="' + reverse("patients:masi_preview", args=[patient.pk]) in html
    assert 'aria-live="polite"' in html


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_cannot_open_the_form(client_for, patient, role):
    assert client_for(role).get(url(patient)).status_code == 403


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_cannot_post_an_assessment(client_for, patient, role):
    response = client_for(role).post(url(patient), assessment_data())
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_unknown_patient_is_404(derm_client):
    assert derm_client.get(reverse("patients:assessment_new", args=[999_999])).status_code == 404


def test_put_is_405(derm_client, patient):
    assert derm_client.put(url(patient)).status_code == 405


def test_dermatologist_records_an_assessment_with_a_masi(derm_client, derm, patient):
    response = derm_client.post(url(patient), assessment_data())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "patients:assessment_detail", args=[patient.pk, assessment.pk]
    )
    assert assessment.patient == patient
    assert assessment.author == derm
    assert assessment.fitzpatrick == 5
    assert assessment.skin_type == "combination"
    assert assessment.glogau == 2
    assert assessment.iga is None
    assert assessment.masi == Decimal(MASI_TOTAL)
    assert assessment.masi_regions["forehead"] == {"area": 2, "darkness": 2, "homogeneity": 2}
    concern = AssessmentConcern.objects.get()
    assert (concern.concern, concern.severity, concern.areas) == ("melasma", 3, ["face"])


def test_only_concerns_above_zero_are_stored(derm_client, patient):
    data = assessment_data(severity_acne="2", areas_acne=["face", "neck"], areas_eczema=["hands"])
    derm_client.post(url(patient), data)
    stored = dict(AssessmentConcern.objects.values_list("concern", "severity"))
    assert stored == {"melasma": 3, "acne": 2}


def test_the_masi_total_posted_by_the_client_is_ignored(derm_client, patient):
    derm_client.post(url(patient), assessment_data(masi="48.0"))
    assert Assessment.objects.get().masi == Decimal(MASI_TOTAL)


def test_masi_is_computed_from_the_regions_on_the_server(derm_client, patient):
    only_forehead = {
        "forehead": (2, 2, 2),
        "right_malar": (0, 0, 0),
        "left_malar": (0, 0, 0),
        "chin": (0, 0, 0),
    }
    derm_client.post(url(patient), assessment_data(**masi_data(only_forehead)))
    assert Assessment.objects.get().masi == Decimal("2.4")  # 0.3 x 2 x (2 + 2)


def test_masi_may_be_left_out_entirely(derm_client, patient):
    empty = dict.fromkeys(masi_data(), "")
    derm_client.post(url(patient), assessment_data(**empty))
    assessment = Assessment.objects.get()
    assert assessment.masi is None
    assert assessment.masi_regions == {}


def test_severity_seven_is_refused_at_the_field_and_nothing_is_saved(derm_client, patient):
    response = derm_client.post(url(patient), assessment_data(severity_melasma="7"))
    assert response.status_code == 200
    assert response.context["form"].errors["severity_melasma"] == [
        "Severity is 0 (none) to 4 (severe)."
    ]
    assert "Severity is 0 (none) to 4 (severe)." in response.content.decode()
    assert not Assessment.objects.exists()
    assert not AssessmentConcern.objects.exists()


def test_a_concern_without_an_area_is_refused(derm_client, patient):
    response = derm_client.post(url(patient), assessment_data(areas_melasma=[]))
    assert response.context["form"].errors["areas_melasma"] == [
        "Choose at least one area for Melasma."
    ]
    assert not Assessment.objects.exists()


def test_an_unknown_area_is_refused(derm_client, patient):
    response = derm_client.post(url(patient), assessment_data(areas_melasma=["elbow"]))
    assert "areas_melasma" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_partial_masi_input_is_refused(derm_client, patient):
    data = assessment_data(masi_chin_area="", masi_chin_darkness="", masi_chin_homogeneity="")
    response = derm_client.post(url(patient), data)
    errors = response.context["form"].errors
    assert set(errors) == {"masi_chin_area", "masi_chin_darkness", "masi_chin_homogeneity"}
    assert "Fill in every MASI region" in errors["masi_chin_area"][0]
    assert not Assessment.objects.exists()


def test_masi_input_out_of_range_is_refused(derm_client, patient):
    response = derm_client.post(url(patient), assessment_data(masi_forehead_area="7"))
    assert "masi_forehead_area" in response.context["form"].errors
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("fitzpatrick", "7"), ("fitzpatrick", ""), ("skin_type", "scaly")]
)
def test_phototype_and_skin_type_must_be_from_the_lists(derm_client, patient, field, value):
    response = derm_client.post(url(patient), assessment_data(**{field: value}))
    assert field in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_an_assessment_date_in_the_future_is_refused(derm_client, patient):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = derm_client.post(url(patient), assessment_data(assessed_on=tomorrow.isoformat()))
    assert response.context["form"].errors["assessed_on"] == [
        "The assessment date cannot be in the future."
    ]
    assert not Assessment.objects.exists()


def test_the_form_keeps_what_was_typed_after_an_error(derm_client, patient):
    response = derm_client.post(url(patient), assessment_data(severity_melasma="7"))
    assert "I want the patches on my cheeks to fade." in response.content.decode()
