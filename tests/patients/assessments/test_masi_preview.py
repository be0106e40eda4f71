"""The live MASI total on the assessment form: patients:masi_preview (htmx fragment)."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory
from tests.patients.assessments.helpers import MASI_TOTAL, masi_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("patients:masi_preview", args=[PatientFactory().pk])


@pytest.fixture
def derm_client(client, derm):
    client.force_login(derm)
    return client


def test_all_regions_give_the_total(derm_client, url):
    response = derm_client.post(url, masi_data(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip() == f"<strong>{MASI_TOTAL}</strong> of 48"
    assert "<html" not in html  # a fragment, not a page


def test_forehead_alone_scores_its_weighted_share(derm_client, url):
    data = masi_data(
        {
            "forehead": (2, 2, 2),
            "right_malar": (0, 0, 0),
            "left_malar": (0, 0, 0),
            "chin": (0, 0, 0),
        }
    )
    assert "<strong>2.4</strong>" in derm_client.post(url, data).content.decode()


def test_the_maximum_is_48(derm_client, url):
    data = masi_data(dict.fromkeys(("forehead", "right_malar", "left_malar", "chin"), (6, 4, 4)))
    assert "<strong>48.0</strong> of 48" in derm_client.post(url, data).content.decode()


def test_partial_input_says_it_is_incomplete(derm_client, url):
    data = masi_data()
    data["masi_chin_area"] = ""
    assert "incomplete" in derm_client.post(url, data).content.decode()


def test_nothing_filled_in_is_not_scored(derm_client, url):
    assert derm_client.post(url, {}).content.decode().strip() == "not scored"


def test_other_fields_of_the_form_are_ignored(derm_client, url):
    data = {**masi_data(), "severity_melasma": "7", "masi": "1.0"}
    assert f"<strong>{MASI_TOTAL}</strong>" in derm_client.post(url, data).content.decode()


def test_get_is_405(derm_client, url):
    assert derm_client.get(url).status_code == 405


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_get_403(client_for, url, role):
    assert client_for(role).post(url, masi_data()).status_code == 403


def test_unknown_patient_is_404(derm_client):
    url = reverse("patients:masi_preview", args=[999_999])
    assert derm_client.post(url, masi_data()).status_code == 404
