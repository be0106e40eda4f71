import pytest
from django.urls import reverse

from clinic.models import Role, Room
from tests.factories import UserFactory


@pytest.mark.django_db
def test_history_page_shows_who_changed_what(client):
    manager = UserFactory(role=Role.MANAGER, first_name="Jordan", last_name="Blake")
    client.force_login(manager)
    # Changes made through a request are attributed to the person making them.
    room = Room.objects.create(name="Room 1", kind=Room.Kind.CONSULTATION)
    client.post(
        reverse("admin:clinic_room_change", args=[room.pk]),
        {"name": "Room 1", "kind": Room.Kind.PROCEDURE, "active": "on", "notes": ""},
    )
    response = client.get(reverse("record_history", args=["room", room.pk]))
    assert response.status_code == 200
    assert "Jordan Blake" in response.text
    assert "Procedure" in response.text or "procedure" in response.text
    assert "Created" in response.text


@pytest.mark.django_db
def test_history_of_unknown_kind_is_404(client_for):
    response = client_for(Role.MANAGER).get(reverse("record_history", args=["nothing", 1]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_history_of_missing_record_is_404(client_for):
    response = client_for(Role.MANAGER).get(reverse("record_history", args=["room", 999]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_dermatologist_may_not_read_clinic_settings_history(client_for):
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("record_history", args=["clinic-settings", 1])
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_front_desk_reads_appointment_history_but_not_clinical_history(client_for):
    from tests.factories import PatientFactory

    desk = client_for(Role.FRONT_DESK)
    patient = PatientFactory()
    assert desk.get(reverse("record_history", args=["patient", patient.pk])).status_code == 403
    assert desk.get(reverse("record_history", args=["room", 1])).status_code == 403
