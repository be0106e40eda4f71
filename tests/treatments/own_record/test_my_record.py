"""The portal's "My record": the patient's own record on a page, printable and as FHIR."""

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from audit.models import AccessLog
from tests.factories import PatientFactory
from tests.interop.factories import full_record
from tests.treatments.sessions.factories import patient_with_login
from treatments.models import PlanState

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return full_record()


@pytest.fixture
def client_of(client, session):
    user, _ = patient_with_login(session.patient)
    client.force_login(user)
    return client


def test_my_record_shows_every_part(client_of, session):
    page = client_of.get(reverse("treatments:my_record")).text
    lot = session.lot
    for text in (
        "Other allergies",  # a screen's answers
        "Latex",
        "Fitzpatrick phototype",
        "7.5 of 48",  # MASI
        "Fine lines / wrinkles",  # a concern's score
        session.plan.product.name,
        lot.lot_number,
        "Needle depth, face",
        "Aftercare you were given",
        "Review of",  # a follow-up, with the concern it scored again
        "Melasma",
        "Your photos",
    ):
        assert text in page, text
    photo = session.patient.photos.get()
    assert reverse("patients:photo_thumb", args=[photo.pk]) in page
    # Their own photo is served to them through the photo access helper.
    assert client_of.get(reverse("patients:photo_thumb", args=[photo.pk])).status_code == 200


def test_the_clinicians_notes_and_draft_plans_stay_out(client_of, session):
    assessment = session.plan.assessment
    assessment.notes = "Consider a peel later"
    assessment.save()
    from tests.factories import PlanFactory

    PlanFactory(
        patient=session.patient, assessment=assessment, state=PlanState.DRAFT, route="topical"
    )
    page = client_of.get(reverse("treatments:my_record")).text
    assert "Consider a peel later" not in page
    assert "Topical course" not in page
    bundle = json.loads(client_of.get(reverse("treatments:my_record_fhir")).content)
    plans = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    assert [p["resource"]["status"] for p in plans] == ["active"]


def test_the_fhir_download_is_a_valid_bundle_of_their_record_only(client_of, session):
    PatientFactory(first_name="Someone", last_name="Else")
    response = client_of.get(reverse("treatments:my_record_fhir"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate_json(response.content)
    patients = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Patient"]
    assert [p.id for p in patients] == [str(session.patient_id)]
    assert AccessLog.objects.filter(kind="own_record_fhir", patient=session.patient).exists()


def test_the_printable_page_and_the_reads_are_logged(client_of, session):
    page = client_of.get(reverse("treatments:my_record_print"))
    assert page.status_code == 200 and f"Record of {session.patient.full_name}" in page.text
    client_of.get(reverse("treatments:my_record"))
    kinds = set(AccessLog.objects.filter(patient=session.patient).values_list("kind", flat=True))
    assert {"own_record", "own_record_print"} <= kinds


def test_my_record_runs_a_bounded_number_of_queries(client_of, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        assert client_of.get(reverse("treatments:my_record")).status_code == 200


def test_a_patient_never_sees_another_patients_record(client, session):
    other_user, other = patient_with_login()
    client.force_login(other_user)
    page = client.get(reverse("treatments:my_record")).text
    assert session.lot.lot_number not in page and other.full_name in page
    photo = session.patient.photos.get()
    assert client.get(reverse("patients:photo", args=[photo.pk])).status_code == 404
