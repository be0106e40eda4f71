"""Text and dates the patient pages refuse: invisible names, line breaks in one-line fields,
hidden text-direction characters in names, dates before 1900, a tampered version stamp."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clinic.models import Role
from clinic.validators import BIDI, INVISIBLE_ONLY, ONE_LINE
from patients.models import Consent, Patient, Screen
from tests.factories import ConsentTextFactory, PatientFactory
from tests.patients.registry.test_registry import VALID

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_client(client_for):
    return client_for(Role.FRONT_DESK)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "\u200b", INVISIBLE_ONLY),  # zero-width space
        ("last_name", "\ufeff", INVISIBLE_ONLY),  # byte-order mark
        ("first_name", "\u200b\u2060\u200d", INVISIBLE_ONLY),  # format characters only
        ("emergency_contact_name", "\u200b\u200b", INVISIBLE_ONLY),
        ("first_name", "Olivia\r\nDROP", ONE_LINE),
        ("last_name", "Ben\nnett", ONE_LINE),
        ("emergency_contact_name", "Sam\rBennett", ONE_LINE),
        ("first_name", "Olivia\u202e", BIDI),  # right-to-left override
        ("last_name", "\u2066Bennett\u2069", BIDI),  # isolates
        ("emergency_contact_name", "Sam \u202aBennett", BIDI),
    ],
)
def test_a_name_that_does_not_show_as_typed_is_refused_at_the_field(
    desk_client, field, value, message
):
    response = desk_client.post(reverse("patients:register"), {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.text
    assert not Patient.objects.exists()


def test_a_line_break_in_the_email_is_refused(desk_client):
    response = desk_client.post(
        reverse("patients:register"), {**VALID, "email": "olivia@example.test\r\nBcc: x@y.z"}
    )
    assert "email" in response.context["form"].errors
    assert not Patient.objects.exists()


def test_a_name_with_letters_and_accents_is_kept(desk_client):
    response = desk_client.post(
        reverse("patients:register"), {**VALID, "first_name": "Zoë", "last_name": "Nguyễn"}
    )
    assert response.status_code == 302
    assert Patient.objects.get().full_name == "Zoë Nguyễn"


def test_an_edit_with_invisible_names_saves_nothing(desk_client):
    patient = PatientFactory(first_name="Olivia")
    response = desk_client.post(
        reverse("patients:edit", args=[patient.pk]),
        {**VALID, "first_name": "\u200b", "version": patient.version},
    )
    assert response.context["form"].errors["first_name"] == [INVISIBLE_ONLY]
    patient.refresh_from_db()
    assert patient.first_name == "Olivia"


@pytest.mark.parametrize("version", ["abc", "", "1.5"])
def test_a_tampered_version_stamp_is_said_and_nothing_saved(desk_client, version):
    patient = PatientFactory(first_name="Olivia")
    response = desk_client.post(
        reverse("patients:edit", args=[patient.pk]),
        {**VALID, "first_name": "Changed", "version": version},
    )
    assert response.status_code == 200
    assert "lost track of the version" in response.text
    patient.refresh_from_db()
    assert patient.first_name == "Olivia"


def test_a_version_stamp_from_the_future_is_a_stale_edit(desk_client):
    patient = PatientFactory(first_name="Olivia")
    response = desk_client.post(
        reverse("patients:edit", args=[patient.pk]),
        {**VALID, "first_name": "Changed", "version": "99999999999999999999"},
    )
    assert response.status_code == 200
    assert "Your changes were not saved" in response.text
    patient.refresh_from_db()
    assert patient.first_name == "Olivia"


def test_a_search_with_a_line_break_is_refused_with_a_message(desk_client):
    response = desk_client.get(reverse("patients:list"), {"q": "Olivia\nBennett"})
    assert response.status_code == 200
    assert response.context["form"].errors["q"] == [ONE_LINE]


# --- Consent ---------------------------------------------------------------------------------


@pytest.fixture
def patient():
    return PatientFactory(first_name="Olivia", last_name="Bennett")


def sign(client, patient, **data):
    return client.post(
        reverse("patients:consent_sign", args=[patient.pk, "treatment"]),
        {"signed_name": "Olivia Bennett", "agreed": "on", "text_version": "1", **data},
    )


@pytest.mark.parametrize(
    ("signed_name", "message"),
    [
        ("Olivia\u202e Bennett", BIDI),  # folds to the right name, but reads otherwise on screen
        ("Olivia\r\nBennett", ONE_LINE),
        ("\u200b", INVISIBLE_ONLY),
    ],
)
def test_a_signature_that_does_not_show_as_typed_is_refused(
    desk_client, patient, signed_name, message
):
    ConsentTextFactory(kind="treatment")
    response = sign(desk_client, patient, signed_name=signed_name)
    assert response.status_code == 200
    assert response.context["form"].errors["signed_name"] == [message]
    assert not Consent.objects.exists()


@pytest.mark.parametrize("text_version", ["abc", ""])
def test_a_tampered_text_version_is_said_and_nothing_signed(desk_client, patient, text_version):
    ConsentTextFactory(kind="treatment")
    response = sign(desk_client, patient, text_version=text_version)
    assert response.status_code == 200
    assert "lost track of the consent text the patient read" in response.text
    assert not Consent.objects.exists()


def test_a_revocation_reason_of_invisible_characters_is_refused(desk_client, patient):
    from tests.factories import ConsentFactory

    consent = ConsentFactory(patient=patient)
    response = desk_client.post(
        reverse("patients:consent_revoke", args=[patient.pk, consent.pk]), {"reason": "\u200b"}
    )
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.revoked_at is None


# --- Dates -----------------------------------------------------------------------------------

SCREEN = {
    "screened_on": "2026-11-23",
    "current_medications": "",
    "other_allergies": "",
    "notes": "",
}


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    "field", ["screened_on", "isotretinoin_last_taken", "last_sunburn_or_tan", "last_peel_or_laser"]
)
@pytest.mark.parametrize("day", ["1899-12-31", "0001-01-01"])
def test_a_screen_date_before_1900_is_refused(client_for, patient, field, day):
    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:screen_new", args=[patient.pk]), {**SCREEN, field: day}
    )
    assert response.status_code == 200
    assert "before 1900" in response.context["form"].errors[field][0]
    assert not Screen.objects.exists()


def test_an_assessment_dated_before_1900_is_refused(client_for, patient):
    from patients.models import Assessment
    from tests.patients.assessments.helpers import assessment_data

    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:assessment_new", args=[patient.pk]),
        assessment_data(assessed_on="1899-12-31"),
    )
    assert response.status_code == 200
    assert "before 1900" in response.context["form"].errors["assessed_on"][0]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("day", ["1899-12-31", "0001-01-01"])
def test_a_date_of_birth_before_1900_is_refused(desk_client, day):
    response = desk_client.post(reverse("patients:register"), {**VALID, "date_of_birth": day})
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
    assert not Patient.objects.exists()


# --- Assessments and merges ------------------------------------------------------------------


def test_assessment_goals_of_invisible_characters_are_refused(client_for, patient):
    from patients.models import Assessment
    from tests.patients.assessments.helpers import assessment_data

    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:assessment_new", args=[patient.pk]),
        assessment_data(goals="\u200b\ufeff"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["goals"] == [INVISIBLE_ONLY]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"), [("Twins\r\nBcc: someone", ONE_LINE), ("\u200b", INVISIBLE_ONLY)]
)
def test_a_merge_declined_with_a_reason_that_does_not_show_is_refused(client_for, reason, message):
    from patients.models import PatientMerge
    from patients.services import merges
    from tests.factories import ScreenFactory, UserFactory

    survivor, duplicate = PatientFactory(), PatientFactory()
    ScreenFactory(patient=survivor)
    ScreenFactory(patient=duplicate)
    merge = merges.merge_request(
        survivor=survivor, merged=duplicate, by=UserFactory(role=Role.FRONT_DESK)
    )
    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:merge_decide", args=[merge.pk]),
        {f"m{merge.pk}-decision": "decline", f"m{merge.pk}-reason": reason},
    )
    assert message in response.text
    merge.refresh_from_db()
    assert merge.status == PatientMerge.Status.PENDING
