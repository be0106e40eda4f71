"""patients:screen_detail says what the screen found: where a finding applies, and every answer."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from clinic.models import ClinicSettings, Role
from tests.factories import PatientFactory, ScreenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


def page(client, screen):
    return client.get(reverse("patients:screen_detail", args=[screen.patient_id, screen.pk]))


def statuses(response) -> dict[str, list[str]]:
    return {
        row.route.value: [s.text for s in row.statuses] for row in response.context["per_route"]
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def test_a_lesion_in_the_neck_blocks_every_route_there_only(derm_client):
    screen = ScreenFactory(lesion_areas=["neck"])
    response = page(derm_client, screen)
    assert response.status_code == 200
    for route in ("topical", "transdermal", "microneedling", "laser_assisted"):
        assert statuses(response)[route] == ["Blocked in the neck", "Open elsewhere"]
    assert "Blocked in the neck" in response.text
    assert ">Blocked<" not in response.text  # no unqualified block anywhere
    assert "text-bg-danger" not in response.text


def test_an_infection_in_two_areas_names_both_and_leaves_topical_open(derm_client):
    screen = ScreenFactory(active_infection_areas=["scalp", "face"])
    result = statuses(page(derm_client, screen))
    assert result["microneedling"] == ["Blocked in the face and scalp", "Open elsewhere"]
    assert result["topical"] == ["Open"]


def test_a_block_that_is_not_confined_to_an_area_blocks_the_route(derm_client):
    screen = ScreenFactory(anticoagulant=True, lesion_areas=["neck"])
    result = statuses(page(derm_client, screen))
    assert result["microneedling"] == ["Blocked"]
    assert result["topical"] == ["Blocked in the neck", "Open elsewhere"]


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
def test_a_block_in_an_area_and_a_caution_everywhere_are_both_said(derm_client):
    screen = ScreenFactory(
        screened_on=dt.date(2026, 11, 23),
        inflammatory_flare_areas=["face"],
        isotretinoin_last_taken=dt.date(2026, 9, 1),
    )
    result = statuses(page(derm_client, screen))
    assert result["laser_assisted"] == ["Blocked in the face", "Caution"]
    assert result["transdermal"] == ["Open"]


def test_a_whole_route_caution_when_the_clinic_allows_pregnancy(derm_client):
    settings = ClinicSettings.load()
    settings.pregnancy_blocks = False
    settings.save()
    result = statuses(page(derm_client, ScreenFactory(pregnant_or_breastfeeding=True)))
    assert result["topical"] == ["Caution"]


def test_the_answers_list_every_ticked_allergen_apart_from_other_allergies(derm_client):
    screen = ScreenFactory(allergens=["fish", "egg"], other_allergies="")
    body = text(page(derm_client, screen))
    assert "Allergies to product sources or ingredients Fish (e.g. salmon-derived), Egg" in body
    assert "Other allergies None recorded" in body


def test_the_answers_show_every_question_with_its_answer(derm_client):
    patient = PatientFactory()
    screen = ScreenFactory(
        patient=patient,
        screened_on=dt.date(2026, 11, 23),
        active_infection_areas=["face"],
        lesion_areas=["neck", "hands"],
        keloid_history=True,
        antiplatelet=True,
        last_peel_or_laser=dt.date(2026, 11, 2),
        current_medications="Aspirin 75 mg",
        other_allergies="Latex",
        notes="Reviewed with the patient.",
    )
    body = text(page(derm_client, screen))
    for expected in (
        "Active skin infection (bacterial, viral e.g. cold sores, fungal) in Face",
        "Skin cancer or an unassessed lesion in Neck, Hands",
        "Active flare of eczema, psoriasis or rosacea, or moderate/severe inflammatory acne, in No",
        "Keloid or hypertrophic scarring history Yes",
        "Takes an antiplatelet (aspirin, clopidogrel) Yes",
        "Takes an anticoagulant (warfarin, DOACs) No",
        "Pregnant or breastfeeding No",
        "Isotretinoin last taken Never",
        "Last chemical peel or laser 2 Nov 2026",
        "Last sunburn or tanning None recorded",
        "Current medications Aspirin 75 mg",
        "Other allergies Latex",
        "Allergies to product sources or ingredients None recorded",
        "Notes Reviewed with the patient.",
    ):
        assert expected in body


def test_the_page_has_one_heading_and_every_answer_group(derm_client):
    response = page(derm_client, ScreenFactory())
    assert response.text.count("<h1") == 1
    for heading in ("In the treatment areas", "Medicines and conditions", "Allergies"):
        assert f">{heading}</h3>" in response.text
