"""Booking a free quarter hour of the calendar (treatments:calendar_book_at): find the patient,
then go on to the booking page with the time, practitioner and room filled in."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory
from tests.helpers import assert_queries_do_not_grow

URL = reverse("treatments:calendar_book_at")


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_matching_patients_link_on_to_booking_with_the_time_prefilled(clinic, client_for):
    olivia = PatientFactory(first_name="Olivia", last_name="Bennett")
    PatientFactory(first_name="Oliver", last_name="Stone")
    response = client_for(Role.FRONT_DESK).get(
        URL,
        {"at": "2026-06-16T10:15+01:00", "practitioner": clinic.hart.pk, "q": "bennett"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "Book Tuesday 16 June 2026, 10:15" in page
    assert "With Dr Amelia Hart." in page
    book = reverse("treatments:appointment_new", kwargs={"patient_pk": olivia.pk})
    assert f"{book}?at=2026-06-16T10:15+01:00&practitioner={clinic.hart.pk}" in page.replace(
        "%3A", ":"
    ).replace("%2B", "+")
    assert "Book for Olivia Bennett" in page
    assert "Oliver Stone" not in page


def test_a_time_without_offset_is_the_clinics_local_time(clinic, client_for):
    PatientFactory(first_name="Olivia", last_name="Bennett")
    page = text(
        client_for(Role.DERMATOLOGIST).get(
            URL, {"at": "2026-06-16T10:15", "room": clinic.room_b.pk, "q": "olivia"}
        )
    )
    assert "Book Tuesday 16 June 2026, 10:15" in page
    assert "In Treatment room B." in page
    assert f"at=2026-06-16T10%3A15%2B01%3A00&room={clinic.room_b.pk}" in page


def test_archived_patients_are_not_offered(clinic, client_for):
    PatientFactory(first_name="Olivia", last_name="Bennett", archived_at=timezone.now())
    page = text(client_for(Role.FRONT_DESK).get(URL, {"at": "2026-06-16T10:15", "q": "bennett"}))
    assert "No patient matches “bennett”" in page


def test_without_a_search_it_asks_who_the_appointment_is_for(clinic, client_for):
    page = client_for(Role.FRONT_DESK).get(URL, {"at": "2026-06-16T10:15"}).content.decode()
    assert "Who is the appointment for?" in page
    assert 'for="id_q"' in page and "Find the patient" in page
    back = reverse("treatments:calendar_day") + "?date=2026-06-16&amp;by=practitioner"
    assert f'href="{back}"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "This field is required."),
        ({"at": "soon"}, "Enter a valid date/time."),
        ({"at": "2026-06-15T07:45+01:00"}, "That time has passed."),
        ({"at": "1900-01-01T10:00"}, "That date is outside the calendar."),
        ({"at": "2200-01-01T10:00"}, "That date is outside the calendar."),
        ({"at": "2026-06-16T10:15", "practitioner": "999999"}, "Select a valid choice."),
        ({"at": "2026-06-16T10:15", "room": "abc"}, "Select a valid choice."),
    ],
)
def test_a_bad_time_practitioner_or_room_is_refused_with_a_message(
    params, message, clinic, client_for
):
    response = client_for(Role.FRONT_DESK).get(URL, params)
    assert response.status_code == 400
    assert message in text(response)
    assert "Back to the calendar" in text(response)
    assert text(response).count("<h1") == 1


def test_post_is_not_allowed(clinic, client_for):
    assert client_for(Role.FRONT_DESK).post(URL).status_code == 405


def test_the_patient_list_queries_do_not_grow_with_the_patients(clinic, client_for):
    client = client_for(Role.FRONT_DESK)
    params = {"at": "2026-06-16T10:15+01:00", "practitioner": clinic.hart.pk, "q": "bennett"}
    PatientFactory(first_name="Olivia", last_name="Bennett")

    def grow():
        for n in range(12):  # more than the ten the page lists
            PatientFactory(first_name=f"Extra{n}", last_name="Bennett")

    assert_queries_do_not_grow(lambda: client.get(URL, params), grow, limit=10)
