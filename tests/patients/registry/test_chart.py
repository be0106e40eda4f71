import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import (
    AssessmentConcernFactory,
    AssessmentFactory,
    ConsentFactory,
    PatientFactory,
    ScreenFactory,
)
from tests.helpers import assert_queries_do_not_grow


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Olivia", last_name="Bennett")


def test_chart_shows_active_contraindications_and_allergies_at_the_top(client_for, patient):
    ScreenFactory(patient=patient, anticoagulant=True, allergens=["fish"])
    response = client_for(Role.DERMATOLOGIST).get(reverse("patients:detail", args=[patient.pk]))
    text = response.text
    assert "anticoagulant" in text.lower()
    assert "Fish" in text
    assert text.index("Contraindications and allergies") < text.index("Timeline")


def test_chart_without_a_screen_says_so(client_for, patient):
    response = client_for(Role.DERMATOLOGIST).get(reverse("patients:detail", args=[patient.pk]))
    assert "No contraindication screen yet" in response.text


def test_chart_timeline_lists_screens_consents_and_assessments_newest_first(client_for, patient):
    ScreenFactory(patient=patient)
    ConsentFactory(patient=patient)
    AssessmentConcernFactory(assessment=AssessmentFactory(patient=patient), concern="melasma")
    entries = (
        client_for(Role.DERMATOLOGIST)
        .get(reverse("patients:detail", args=[patient.pk]))
        .context["entries"]
    )
    assert [e.kind for e in entries] == ["Assessment", "Consent", "Screen"]


def test_desk_view_has_no_clinical_content(client_for, patient):
    ScreenFactory(
        patient=patient, anticoagulant=True, notes="SECRET-NOTE", current_medications="warfarin"
    )
    AssessmentFactory(patient=patient, notes="CLINICAL-NOTE")
    ConsentFactory(patient=patient)
    response = client_for(Role.FRONT_DESK).get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    for secret in (
        "SECRET-NOTE",
        "warfarin",
        "anticoagulant",
        "CLINICAL-NOTE",
        "Screen",
        "Assessment",
    ):
        assert secret not in response.text
    assert "Treatment consent" in response.text  # consent status is administrative


def test_chart_query_count_does_not_grow_with_history(client_for, patient):
    client = client_for(Role.DERMATOLOGIST)

    def grow():
        for _ in range(5):
            ScreenFactory(patient=patient)
            ConsentFactory(patient=patient)
            AssessmentConcernFactory(assessment=AssessmentFactory(patient=patient))

    # One of each first: a prefetch that finds no parent rows runs no query at all.
    ScreenFactory(patient=patient)
    ConsentFactory(patient=patient)
    AssessmentConcernFactory(assessment=AssessmentFactory(patient=patient))
    assert_queries_do_not_grow(
        # 24: the clinical alerts banner reads the patient's open alerts; the access log writes
        # the read and the readers' panel lists who opened it; the intake panel reads the
        # coming consultations with their intakes.
        lambda: client.get(reverse("patients:detail", args=[patient.pk])), grow, limit=24
    )


def test_revoked_consent_is_no_longer_valid_but_kept(client_for, patient):
    consent = ConsentFactory(patient=patient)
    client = client_for(Role.FRONT_DESK)
    response = client.post(
        reverse("patients:consent_revoke", args=[patient.pk, consent.pk]),
        {"reason": "Changed mind"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.signed_name == patient.full_name
    chart = client.get(reverse("patients:detail", args=[patient.pk]))
    assert "Missing</span> Treatment consent" in chart.text
    assert "revoked" in chart.text


def test_revoking_needs_a_reason(client_for, patient):
    consent = ConsentFactory(patient=patient)
    response = client_for(Role.FRONT_DESK).post(
        reverse("patients:consent_revoke", args=[patient.pk, consent.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_consent_of_another_patient_is_404(client_for, patient):
    other = ConsentFactory()
    response = client_for(Role.FRONT_DESK).get(
        reverse("patients:consent_revoke", args=[patient.pk, other.pk])
    )
    assert response.status_code == 404


def test_patient_age(patient):
    patient.date_of_birth = dt.date(1988, 11, 24)
    assert patient.age_on(dt.date(2026, 11, 23)) == 37
    assert patient.age_on(dt.date(2026, 11, 24)) == 38


def test_desk_sees_that_consent_was_revoked_but_not_why(client_for, patient):
    consent = ConsentFactory(patient=patient)
    client_for(Role.DERMATOLOGIST).post(
        reverse("patients:consent_revoke", args=[patient.pk, consent.pk]),
        {"reason": "Reacted to the product"},
    )
    desk = client_for(Role.FRONT_DESK).get(reverse("patients:detail", args=[patient.pk]))
    derm = client_for(Role.DERMATOLOGIST).get(reverse("patients:detail", args=[patient.pk]))
    assert "revoked" in desk.text
    assert "Reacted to the product" not in desk.text
    assert "Reacted to the product" in derm.text


def test_desk_view_offers_booking_for_active_patients_only(client_for, patient):
    desk = client_for(Role.FRONT_DESK)
    url = reverse("treatments:appointment_new", args=[patient.pk])
    assert url in desk.get(reverse("patients:detail", args=[patient.pk])).text
    desk.post(reverse("patients:archive", args=[patient.pk]))
    assert url not in desk.get(reverse("patients:detail", args=[patient.pk])).text
