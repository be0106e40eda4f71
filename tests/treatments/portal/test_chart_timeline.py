"""Skin reports on the patient's chart: for dermatologists only (clinical detail)."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.portal.factories import completed_session, portal_patient, skin_report
from treatments.views.portal import skin_report_entries

pytestmark = pytest.mark.django_db


def chart_of(patient, role) -> str:
    client = Client()
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert response.status_code == 200
    return response.text


def test_dermatologist_sees_the_skin_report_with_its_answers():
    _, olivia = portal_patient()
    skin_report(
        completed_session(patient=olivia),
        swelling="severe",
        redness="mild",
        anything_else="Tight feeling",
        beyond_expected=True,
    )
    text = chart_of(olivia, Role.DERMATOLOGIST)
    assert "Skin report after the session of" in text
    assert "Mild redness, severe swelling; anything else: Tight feeling" in text
    assert "Beyond the expected" in text


def test_front_desk_sees_no_skin_report():
    _, olivia = portal_patient()
    skin_report(completed_session(patient=olivia), swelling="severe", anything_else="Tight feeling")
    text = chart_of(olivia, Role.FRONT_DESK)
    assert "Skin report" not in text
    assert "Tight feeling" not in text


def test_a_calm_skin_report_says_so():
    _, olivia = portal_patient()
    skin_report(completed_session(patient=olivia))
    [entry] = skin_report_entries(olivia, Role.DERMATOLOGIST)
    assert entry.detail == "No redness, warmth, swelling, itching or tenderness"
    assert entry.badges == ()


def test_timeline_provider_reads_in_one_query(django_assert_num_queries):
    _, olivia = portal_patient()
    for _ in range(3):
        skin_report(completed_session(patient=olivia), itching="mild")
    with django_assert_num_queries(1):
        skin_report_entries(olivia, Role.DERMATOLOGIST)
