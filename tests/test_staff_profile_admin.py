"""The staff profile's user list in the admin offers staff accounts only."""

import pytest
from django.urls import reverse

from clinic.models import Role, StaffProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_staff_profile_form_offers_staff_not_patients(client_for):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="derm@example.test")
    desk = UserFactory(role=Role.FRONT_DESK, email="desk@example.test")
    patient = UserFactory(role=Role.PATIENT, email="olivia@example.test")
    nobody = UserFactory(email="no-role@example.test")
    client = client_for(Role.MANAGER)
    page = client.get(reverse("admin:clinic_staffprofile_add"))
    assert page.status_code == 200
    offered = set(page.context["adminform"].form.fields["user"].queryset)
    assert {derm, desk} <= offered
    assert patient not in offered
    assert nobody not in offered
    assert "olivia@example.test" not in page.text


def test_a_profile_for_a_patient_account_is_refused(client_for):
    patient = UserFactory(role=Role.PATIENT)
    client = client_for(Role.MANAGER)
    response = client.post(
        reverse("admin:clinic_staffprofile_add"),
        {
            "user": patient.pk,
            "title": "",
            "job_title": "",
            "professional_registration": "",
            "phone": "",
            "workinghours_set-TOTAL_FORMS": "0",
            "workinghours_set-INITIAL_FORMS": "0",
            "timeoff_set-TOTAL_FORMS": "0",
            "timeoff_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not StaffProfile.objects.filter(user=patient).exists()
