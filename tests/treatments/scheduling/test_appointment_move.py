"""treatments:appointment_move: a new free time (the appointment does not stand in its own way)
or a typed one; a refused move keeps the old time and says why."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import Appointment, WorklistItem
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def url(appointment):
    return reverse("treatments:appointment_move", args=[appointment.pk])


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


@pytest.fixture
def appointment(world):
    return world.book(at(TUESDAY, 10))


def move_data(world, starts_at: str, step="typed", **fields):
    data = {
        "step": step,
        "book-practitioner": world.hart.pk,
        "book-room": world.consult.pk,
        "book-starts_at": starts_at,
    }
    data.update({f"book-{k}": v for k, v in fields.items()})
    return data


def test_the_page_offers_free_times_including_around_the_appointment_itself(
    world, desk, appointment
):
    response = desk.get(url(appointment), {"start": "2026-06-16", "end": "2026-06-16"})
    assert response.status_code == 200
    starts = [o.start for d in response.context["days"] for o in d.options]
    # 10:15 overlaps the appointment's own 10:00-10:45: free for a move.
    assert at(TUESDAY, 10, 15) in starts
    assert "Move an appointment" in response.text
    assert response.text.count("<h1") == 1


def test_by_default_it_searches_two_weeks_from_today(world, desk, appointment):
    response = desk.get(url(appointment))
    assert response.context["searched"]
    assert response.context["search_start"] == MONDAY


def test_it_searches_around_the_appointments_own_day(world, desk):
    later = world.book(at(MONDAY + dt.timedelta(days=60), 10))  # Friday 14 August
    response = desk.get(url(later))
    assert response.context["search_start"] == dt.date(2026, 8, 7)
    assert response.context["search_end"] == dt.date(2026, 8, 20)


def test_the_page_and_its_fragment_vary_on_htmx(world, desk, appointment):
    page = desk.get(url(appointment))
    fragment = desk.get(url(appointment), HTTP_HX_REQUEST="true")
    assert "<html" in page.text and "<html" not in fragment.text
    for response in (page, fragment):
        assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(world, desk, appointment):
    response = desk.get(
        url(appointment), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.text


def test_htmx_gets_the_fragment(world, desk, appointment):
    response = desk.get(
        url(appointment), {"start": "2026-06-16", "end": "2026-06-16"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text
    assert "10:15 · Dr Amelia Hart · Consultation 1" in response.text
    assert "Move to this time" in response.text


def test_choosing_a_time_asks_for_confirmation(world, desk, appointment):
    response = desk.get(
        url(appointment),
        {
            "book-starts_at": at(TUESDAY, 15).isoformat(),
            "book-practitioner": world.hart.pk,
            "book-room": world.consult.pk,
        },
    )
    assert "Confirm the new time" in response.text
    assert "Move to <strong>Tuesday 16 June 2026, 15:00–15:45</strong>" in response.text
    assert Appointment.objects.get().starts_at == at(TUESDAY, 10)


def test_confirming_moves_it(world, desk, appointment):
    data = move_data(world, at(TUESDAY, 15).isoformat(), step="confirm")
    response = desk.post(url(appointment), data)
    assert response.status_code == 302
    moved = Appointment.objects.get()
    assert moved.starts_at == at(TUESDAY, 15)
    assert moved.schedule_version == 2
    page = desk.get(response["Location"])
    assert "Moved to Tue 16 Jun 2026, 15:00 with Dr Amelia Hart in Consultation 1." in page.text


def test_a_typed_time_with_another_practitioner_and_room(world, desk, appointment):
    data = move_data(world, "2026-06-23T11:00", practitioner=world.mehta.pk, room=world.room_b.pk)
    assert desk.post(url(appointment), data).status_code == 302
    moved = Appointment.objects.get()
    assert (moved.starts_at, moved.practitioner, moved.room) == (
        at(TUESDAY + dt.timedelta(days=7), 11),
        world.mehta,
        world.room_b,
    )


def test_a_move_onto_another_booking_is_refused_and_nothing_changes(world, desk, appointment):
    world.book(at(TUESDAY, 14), patient=PatientFactory())
    response = desk.post(url(appointment), move_data(world, "2026-06-16T14:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [
        "Dr Amelia Hart is already booked or away at that time."
    ]
    assert Appointment.objects.get(pk=appointment.pk).starts_at == at(TUESDAY, 10)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1900-01-01T10:00", "This time is in the past."),
        (
            "2026-06-16T19:00",
            "19:00-19:45 on Tuesday 16 June is outside the clinic's opening hours.",
        ),
        ("2999-01-01T10:00", "Enter a date between 2000 and 2100."),
        ("", "Give the date and time."),
    ],
)
def test_bad_input_is_refused_at_the_field(world, desk, appointment, typed, message):
    response = desk.post(url(appointment), move_data(world, typed))
    assert message in response.context["form"].errors["starts_at"]
    assert Appointment.objects.get(pk=appointment.pk).starts_at == at(TUESDAY, 10)


def test_a_cancelled_appointment_cannot_be_moved(world, desk, appointment):
    scheduling.appointment_cancel(appointment=appointment, reason="Unwell", by=world.desk)
    page = desk.get(url(appointment))
    assert "A cancelled appointment cannot be moved." in page.text
    assert not page.context["searched"]
    response = desk.post(url(appointment), move_data(world, "2026-06-16T15:00"))
    assert "A cancelled appointment cannot be moved." in response.text
    assert Appointment.objects.get(pk=appointment.pk).starts_at == at(TUESDAY, 10)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(world, appointment, client_for, role):
    client = client_for(role)
    assert client.get(url(appointment)).status_code == 403
    assert client.post(url(appointment), move_data(world, "2026-06-16T15:00")).status_code == 403
    assert Appointment.objects.get(pk=appointment.pk).starts_at == at(TUESDAY, 10)


def test_unknown_appointment_is_404(desk):
    assert desk.get(reverse("treatments:appointment_move", args=[999999])).status_code == 404


def test_queries_do_not_grow_with_the_appointments(world, desk, appointment):
    from tests.helpers import assert_queries_do_not_grow

    def fetch():
        assert desk.get(url(appointment), HTTP_HX_REQUEST="true").status_code == 200

    def grow():
        for day in range(1, 13):
            world.book(at(MONDAY + dt.timedelta(days=day), 15), patient=PatientFactory())

    assert_queries_do_not_grow(fetch, grow, limit=20)


# --- The plan's interval --------------------------------------------------------------------------


@pytest.fixture
def second(world):
    """Sessions 1 and 2 of the plan (42 days apart): Monday 15 June and Monday 27 July, 10:00."""
    world.book(at(MONDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    return world.book(
        at(MONDAY + dt.timedelta(days=42), 10),
        appointment_type=world.microneedling,
        plan=world.plan,
    )


def test_the_move_page_offers_no_time_inside_the_interval(world, desk, second):
    response = desk.get(url(second), {"start": "2026-07-20", "end": "2026-08-02"})
    days = [d.day for d in response.context["days"]]
    assert days, "days outside the interval are offered"
    assert min(days) == dt.date(2026, 7, 27)  # 42 days after session 1
    assert "Days less than the plan&#x27;s interval" in response.text
    # By default it searches around the session's own day, and still offers nothing sooner.
    default = desk.get(url(second))
    assert default.context["search_start"] == dt.date(2026, 7, 20)
    assert min(d.day for d in default.context["days"]) == dt.date(2026, 7, 27)


def test_a_typed_move_inside_the_interval_is_refused_and_may_be_asked_for(world, desk, second):
    data = move_data(world, "2026-07-13T10:00", room=world.room_a.pk)
    response = desk.post(url(second), data)
    assert response.status_code == 200
    assert (
        "Session 1 on Mon 15 Jun 10:00 is 28 days before; the plan&#x27;s interval is 42 days."
        in response.text
    )
    assert "Ask a dermatologist to approve" in response.text
    assert Appointment.objects.get(pk=second.pk).starts_at == at(MONDAY + dt.timedelta(days=42), 10)

    ask = response.context["ask"]
    asked = desk.post(url(second), {"step": "ask", "book-starts_at": ask["starts_at"]})
    assert asked["Location"] == url(second)
    worklist_item = WorklistItem.objects.get()
    assert worklist_item.title.startswith(f"Approve moving a session of {world.patient.full_name}")
