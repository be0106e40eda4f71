"""treatments:slot_search: the free times as an htmx fragment; bad parameters get a message in
the fragment (200), never an error page; the query count does not grow with the bookings."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.scheduling.factories import MONDAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def search(client, world, **params):
    return client.get(
        reverse("treatments:slot_search", args=[world.patient.pk]), params, HTTP_HX_REQUEST="true"
    )


def test_the_fragment_lists_free_times_grouped_by_day(world, desk):
    world.book(at(MONDAY, 9))  # Dr Hart and the patient are busy 09:00-09:45
    response = search(desk, world, type=world.consultation.pk, start="2026-06-15", end="2026-06-16")
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html  # a fragment, not a page
    assert "Monday 15 June 2026" in html and "Tuesday 16 June 2026" in html
    monday = response.context["days"][0]
    assert monday.options[0].start == at(MONDAY, 9, 45)
    assert "09:45 · Dr Amelia Hart · Consultation 1" in html
    # The typed form comes with it, for a time already agreed.
    assert 'name="book-starts_at"' in html


def test_only_the_chosen_practitioner_and_room(world, desk):
    response = search(
        desk,
        world,
        type=world.consultation.pk,
        practitioner=world.mehta.pk,
        room=world.room_b.pk,
        start="2026-06-15",
        end="2026-06-21",
    )
    days = response.context["days"]
    assert [d.day for d in days] == [MONDAY + dt.timedelta(days=1)]  # he works on Tuesdays
    assert {(o.practitioner, o.room) for o in days[0].options} == {(world.mehta, world.room_b)}


def test_a_single_day_shows_all_its_free_times(world, desk):
    response = search(desk, world, type=world.consultation.pk, start="2026-06-16", end="2026-06-16")
    [day] = response.context["days"]
    assert day.hidden == 0
    assert len(day.options) == response.context["slot_total"]


def test_no_free_time_says_so(world, desk):
    response = search(
        desk,
        world,
        type=world.consultation.pk,
        practitioner=world.mehta.pk,
        start="2026-06-17",
        end="2026-06-20",
    )
    assert "No free time in these days" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Appointment type: Choose the appointment type."),
        ({"type": "999999"}, "Appointment type: Select a valid choice."),
        ({"type": "x", "start": "yesterday"}, "From: Enter a date, e.g. 2026-03-30."),
        (
            {"type": "C", "start": "2026-06-20", "end": "2026-06-18"},
            "To: The end date is before the start date.",
        ),
        (
            {"type": "C", "start": "2026-06-01", "end": "2026-06-10"},
            "To: These dates are in the past.",
        ),
        (
            {"type": "C", "start": "2026-06-15", "end": "2026-12-31"},
            "To: Search at most 62 days at a time.",
        ),
        ({"type": "C", "start": "1900-01-01"}, "From: This time is in the past."),
        ({"type": "C", "start": "2200-01-01"}, "From: Enter a date between 2000 and 2100."),
        ({"type": "M"}, "Treatment plan: Choose the treatment plan this session belongs to."),
        ({"type": "C", "practitioner": "abc"}, "Practitioner: Select a valid choice."),
    ],
    ids=[
        "nothing",
        "unknown-type",
        "bad-date",
        "end-before-start",
        "past",
        "too-long",
        "1900",
        "2200",
        "treatment-without-plan",
        "bad-practitioner",
    ],
)
def test_bad_parameters_get_a_message_not_an_error(world, desk, params, message):
    kinds = {"C": world.consultation.pk, "M": world.microneedling.pk}
    params = {k: kinds.get(v, v) if k == "type" else v for k, v in params.items()}
    response = search(desk, world, **params)
    assert response.status_code == 200
    assert any(message in m for m in response.context["search_errors"]), response.context[
        "search_errors"
    ]
    assert "No search was made" in response.text


def test_a_patient_without_a_plan_is_told_to_plan_first(world, desk):
    patient = PatientFactory()
    response = desk.get(
        reverse("treatments:slot_search", args=[patient.pk]), {"type": world.microneedling.pk}
    )
    assert (
        "Treatment plan: This patient has no plan ready for booking: a dermatologist plans the "
        "course first." in response.context["search_errors"]
    )


def test_a_plan_of_another_route_is_refused(world, desk):
    from tests.factories import topical_type

    response = search(desk, world, type=topical_type().pk, plan=world.plan.pk)
    assert (
        "Appointment type: The plan is for microneedling, not topical."
        in response.context["search_errors"]
    )


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(world, client_for, role):
    response = search(client_for(role), world, type=world.consultation.pk)
    assert response.status_code == 403


def test_unknown_patient_is_404(world, desk):
    response = desk.get(reverse("treatments:slot_search", args=[999999]))
    assert response.status_code == 404


def test_post_is_405(world, desk):
    response = desk.post(reverse("treatments:slot_search", args=[world.patient.pk]))
    assert response.status_code == 405


def test_queries_do_not_grow_with_the_appointments(world, desk):
    params = {
        "type": world.microneedling.pk,
        "plan": world.plan.pk,
        "start": "2026-06-15",
        "end": "2026-06-28",
    }

    def fetch():
        response = search(desk, world, **params)
        assert response.status_code == 200

    def grow():
        for day in range(1, 13):
            for hour in (9, 11, 14):
                world.book(at(MONDAY + dt.timedelta(days=day), hour), patient=PatientFactory())
        world.book(at(MONDAY, 14), appointment_type=world.microneedling, plan=world.plan)

    # The finder reads its inputs in eight queries (availability.load_resources), held times too.
    assert_queries_do_not_grow(fetch, grow, limit=22)
