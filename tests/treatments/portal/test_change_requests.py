"""A patient asks to move or cancel an appointment; the desk sees the request and handles it."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import UserFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.portal.factories import AppointmentFactory, change_request, portal_patient
from treatments.models import AppointmentStatus, ChangeRequest
from treatments.services import portal

pytestmark = pytest.mark.django_db

LIST = reverse("treatments:change_requests")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask_url(appointment):
    return reverse("treatments:portal_change_request", kwargs={"pk": appointment.pk})


def handle_url(change_request):
    return reverse("treatments:change_request_handle", kwargs={"pk": change_request.pk})


@pytest.fixture
def olivia():
    return portal_patient(first_name="Olivia", last_name="Bennett")


# --- The patient asks --------------------------------------------------------------------------


def test_patient_sees_the_form_for_their_upcoming_appointment(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    response = client_of(olivia[0]).get(ask_url(appointment))
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "What would you like to do?" in response.text
    assert "Message to the clinic" in response.text


def test_patient_asks_to_move_and_the_desk_sees_it(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    response = client_of(olivia[0]).post(
        ask_url(appointment), {"kind": "move", "message": "Thursday mornings suit me."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("treatments:portal_appointments")
    assert "Your request is with the clinic" in response.text
    request = ChangeRequest.objects.get()
    assert request.appointment == appointment
    assert request.kind == "move"
    assert request.message == "Thursday mornings suit me."
    assert request.handled_at is None
    # The appointment itself is not changed by the request.
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED

    desk_text = client_of(UserFactory(role=Role.FRONT_DESK)).get(LIST).text
    assert "Olivia Bennett" in desk_text
    assert "Thursday mornings suit me." in desk_text
    assert reverse("treatments:appointment_detail", kwargs={"pk": appointment.pk}) in desk_text


def test_second_request_on_one_appointment_is_refused_with_a_message(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    client = client_of(olivia[0])
    client.post(ask_url(appointment), {"kind": "move"})
    response = client.get(ask_url(appointment))
    assert portal.ALREADY_ASKED in html.unescape(response.text)
    response = client.post(ask_url(appointment), {"kind": "cancel"})
    assert response.status_code == 200
    assert portal.ALREADY_ASKED in html.unescape(response.text)
    assert ChangeRequest.objects.count() == 1


def test_the_service_refuses_a_duplicate_too(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    portal.change_request_create(appointment=appointment, patient=olivia[1], kind="move")
    with pytest.raises(ValidationError) as error:
        portal.change_request_create(appointment=appointment, patient=olivia[1], kind="cancel")
    assert error.value.messages == [portal.ALREADY_ASKED]


def test_after_the_desk_handled_it_the_patient_may_ask_again(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    first = portal.change_request_create(appointment=appointment, patient=olivia[1], kind="move")
    desk = UserFactory(role=Role.FRONT_DESK)
    portal.change_request_handle(change_request=first, by=desk, outcome="Called back")
    portal.change_request_create(appointment=appointment, patient=olivia[1], kind="cancel")
    assert ChangeRequest.objects.count() == 2


def test_missing_kind_is_a_field_error_and_nothing_saved(olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    response = client_of(olivia[0]).post(ask_url(appointment), {"kind": "postpone"})
    assert response.status_code == 200
    assert "Choose whether to move or to cancel the appointment." in response.text
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_at": timezone.now() - dt.timedelta(days=1)},
        {"status": AppointmentStatus.CANCELLED},
        {"status": AppointmentStatus.CHECKED_IN},
    ],
    ids=["past", "cancelled", "checked-in"],
)
def test_past_or_cancelled_appointment_cannot_be_asked_about(olivia, fields):
    appointment = AppointmentFactory(patient=olivia[1], **fields)
    client = client_of(olivia[0])
    response = client.get(ask_url(appointment))
    assert response.status_code == 200
    assert "can no longer be changed here" in response.text
    response = client.post(ask_url(appointment), {"kind": "cancel"})
    assert "can no longer be changed here" in response.text
    assert not ChangeRequest.objects.exists()


def test_late_cancellation_is_announced(olivia):
    appointment = AppointmentFactory(
        patient=olivia[1], starts_at=timezone.now() + dt.timedelta(hours=5)
    )
    response = client_of(olivia[0]).get(ask_url(appointment))
    assert "counts as a late cancellation" in response.text


def test_another_patients_appointment_answers_404_and_saves_nothing(olivia):
    appointment = AppointmentFactory()
    client = client_of(olivia[0])
    assert client.get(ask_url(appointment)).status_code == 404
    assert client.post(ask_url(appointment), {"kind": "cancel"}).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_service_refuses_another_patients_appointment(olivia):
    with pytest.raises(ValidationError):
        portal.change_request_create(
            appointment=AppointmentFactory(), patient=olivia[1], kind="cancel"
        )
    assert not ChangeRequest.objects.exists()


# --- The desk handles --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_desk_marks_a_request_handled(role):
    user = UserFactory(role=role)
    request = change_request(message="Please cancel")
    response = client_of(user).post(
        handle_url(request), {"outcome": "Cancelled by phone"}, follow=True
    )
    assert response.redirect_chain[-1][0] == LIST
    request.refresh_from_db()
    assert request.handled_by == user
    assert request.outcome == "Cancelled by phone"
    assert request.handled_at is not None
    assert "No open requests from patients." in response.text
    assert "Cancelled by phone" in response.text  # recently handled


def test_handling_without_saying_what_was_done_is_a_field_error():
    request = change_request()
    response = client_of(UserFactory(role=Role.FRONT_DESK)).post(
        handle_url(request), {"outcome": " "}
    )
    assert response.status_code == 200
    assert "Say what was done" in response.text
    request.refresh_from_db()
    assert request.handled_at is None


def test_handling_twice_is_refused():
    request = change_request()
    desk = UserFactory(role=Role.FRONT_DESK)
    client_of(desk).post(handle_url(request), {"outcome": "Moved"})
    response = client_of(desk).post(handle_url(request), {"outcome": "Again"})
    assert response.status_code == 200
    assert "already handled" in response.text
    request.refresh_from_db()
    assert request.outcome == "Moved"


def test_handle_page_shows_the_request():
    request = change_request(message="Mornings please")
    response = client_of(UserFactory(role=Role.FRONT_DESK)).get(handle_url(request))
    assert response.status_code == 200
    assert "Mornings please" in response.text
    assert response.text.count("<h1") == 1


def test_unknown_request_is_404():
    url = reverse("treatments:change_request_handle", kwargs={"pk": 999999})
    assert client_of(UserFactory(role=Role.FRONT_DESK)).get(url).status_code == 404


def test_list_shows_open_requests_oldest_first():
    older = change_request(message="Older request")
    ChangeRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    change_request(message="Newer request")
    text = client_of(UserFactory(role=Role.FRONT_DESK)).get(LIST).text
    assert text.index("Older request") < text.index("Newer request")
    assert "Open requests (2)" in text


def test_list_queries_do_not_grow():
    client = client_of(UserFactory(role=Role.FRONT_DESK))
    change_request()

    def grow():
        for _ in range(5):
            change_request()
            handled = change_request()
            portal.change_request_handle(
                change_request=handled, by=UserFactory(role=Role.FRONT_DESK), outcome="Done"
            )

    assert_queries_do_not_grow(lambda: client.get(LIST), grow, limit=12)


def test_list_is_get_only():
    assert client_of(UserFactory(role=Role.FRONT_DESK)).post(LIST).status_code == 405


# --- The desk's home ---------------------------------------------------------------------------


def test_desk_home_lists_open_requests():
    _, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    change_request(AppointmentFactory(patient=olivia), kind="cancel")
    text = client_of(UserFactory(role=Role.FRONT_DESK)).get(reverse("home")).text
    assert "Requests from patients" in text
    assert "1 open request to move or cancel." in text
    assert "Olivia Bennett" in text
    assert LIST in text


def test_desk_home_without_requests_says_so():
    text = client_of(UserFactory(role=Role.FRONT_DESK)).get(reverse("home")).text
    assert "No patient has asked to move or cancel an appointment." in text


def test_desk_home_queries_do_not_grow_with_requests():
    client = client_of(UserFactory(role=Role.FRONT_DESK))
    change_request()

    def grow():
        for _ in range(8):
            change_request()

    assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow, limit=25)


def test_a_duplicate_that_slips_past_the_check_meets_the_constraint(olivia, monkeypatch):
    """Two tabs at once: both pass the check, the database's constraint refuses the second."""
    appointment = AppointmentFactory(patient=olivia[1])
    portal.change_request_create(appointment=appointment, patient=olivia[1], kind="move")
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as error:
        portal.change_request_create(appointment=appointment, patient=olivia[1], kind="cancel")
    assert error.value.messages == [portal.ALREADY_ASKED]
    monkeypatch.undo()
    assert ChangeRequest.objects.count() == 1
