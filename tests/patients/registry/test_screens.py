import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clinic.models import Role
from patients.models import Screen
from tests.factories import PatientFactory, ScreenFactory

BASE = {"screened_on": "2026-11-23", "current_medications": "", "other_allergies": "", "notes": ""}


@pytest.fixture
def patient(db):
    return PatientFactory()


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
def test_dermatologist_records_a_screen_and_sees_what_it_blocks(client_for, patient):
    client = client_for(Role.DERMATOLOGIST)
    response = client.post(
        reverse("patients:screen_new", args=[patient.pk]),
        {**BASE, "active_infection_areas": ["face"], "isotretinoin_last_taken": "2026-09-01"},
    )
    screen = Screen.objects.get()
    assert response.status_code == 302
    assert screen.active_infection_areas == ["face"]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    rows = {row.route.value: row for row in detail.context["per_route"]}
    assert rows["microneedling"].blocked
    assert rows["laser_assisted"].blocked
    assert not rows["topical"].blocked
    assert rows["microneedling"].caution  # isotretinoin within 6 months


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
def test_a_second_screen_leaves_the_first_intact(client_for, patient):
    first = ScreenFactory(patient=patient, screened_on=dt.date(2026, 10, 1), anticoagulant=True)
    client = client_for(Role.DERMATOLOGIST)
    form = client.get(reverse("patients:screen_new", args=[patient.pk])).context["form"]
    assert form.initial["anticoagulant"] is True  # copied from the last screen to check
    client.post(reverse("patients:screen_new", args=[patient.pk]), {**BASE})
    first.refresh_from_db()
    assert first.anticoagulant is True
    assert Screen.objects.filter(patient=patient).count() == 2
    assert Screen.objects.filter(patient=patient).first().anticoagulant is False


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"screened_on": "2026-12-01"}, "screened_on", "cannot be dated in the future"),
        ({"last_sunburn_or_tan": "2026-12-24"}, "last_sunburn_or_tan", "after the screen's date"),
        ({"lesion_areas": ["elbow"]}, "lesion_areas", "Select a valid choice"),
        ({"allergens": ["moonlight"]}, "allergens", "Select a valid choice"),
    ],
)
def test_bad_screen_input_is_explained_and_nothing_saved(client_for, patient, data, field, message):
    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:screen_new", args=[patient.pk]), {**BASE, **data}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Screen.objects.exists()


def test_screen_of_another_patient_is_404(client_for, patient):
    other = ScreenFactory()
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("patients:screen_detail", args=[patient.pk, other.pk])
    )
    assert response.status_code == 404
