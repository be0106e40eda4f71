"""The day view (treatments:calendar_day): a column per practitioner or per room."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role, TimeOff
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    RoomFactory,
    microneedling_type,
    review_type,
)
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.calendar.conftest import TODAY
from tests.treatments.calendar.factories import local, open_clinic, practitioner

URL = reverse("treatments:calendar_day")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_desk_and_dermatologists_see_a_column_per_practitioner(role, clinic, client_for):
    appointment = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 9, 30),
    )
    response = client_for(role).get(URL)
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    assert "Monday 15 June 2026" in page
    assert "Dr Amelia Hart" in page and "Dr Rohan Mehta" in page
    # Stored in UTC (08:30), shown in the clinic's zone (09:30 BST).
    assert appointment.starts_at.astimezone(dt.UTC).hour == 8
    assert "09:30–10:15" in page
    assert "Olivia Bennett" in page
    assert "Consultation and skin assessment" in page
    assert "Booked" in page
    assert "Treatment room A" in page  # where, in the practitioner's column
    assert reverse("treatments:appointment_detail", args=[appointment.pk]) in page


def test_the_toggle_shows_a_column_per_room(clinic, client_for):
    AppointmentFactory(
        appointment_type=microneedling_type(),
        practitioner=clinic.hart,
        room=clinic.room_b,
        starts_at=local(TODAY, 10),
    )
    page = text(client_for(Role.FRONT_DESK).get(URL, {"by": "room"}))
    assert '<th scope="col" colspan="1" class="cal-head">Treatment room A' in page
    assert '<th scope="col" colspan="1" class="cal-head">Treatment room B' in page
    assert "Dr Amelia Hart" in page  # who, in the room's column
    assert "10:00–11:15" in page
    assert "Book 11:30 in Treatment room B" not in page  # turnover until 11:35
    assert "Book 11:45 in Treatment room B" in page


def test_colour_and_state_classes_come_with_the_status_in_words(clinic, client_for):
    AppointmentFactory(
        appointment_type=review_type(),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 9),
        status="checked_in",
    )
    AppointmentFactory(
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 11),
        status="cancelled",
        late_cancellation=True,
    )
    page = text(client_for(Role.FRONT_DESK).get(URL))
    assert "cal-type-follow-up cal-state-checked_in" in page and "Checked in" in page
    assert "cal-type-consultation cal-state-cancelled" in page and "Cancelled late" in page


def test_a_cancelled_appointment_does_not_block_its_time(clinic, client_for):
    AppointmentFactory(
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 11),
        status="cancelled",
    )
    page = text(client_for(Role.FRONT_DESK).get(URL))
    assert "Book 11:00 with Dr Amelia Hart" in page


def test_free_quarter_hours_link_to_booking_at_that_time(clinic, client_for):
    page = text(client_for(Role.FRONT_DESK).get(URL))
    assert "Book 09:00 with Dr Amelia Hart" in page
    assert "Book 11:45 with Dr Rohan Mehta" not in page  # he starts at 12:00
    book = reverse("treatments:calendar_book_at")
    assert f"{book}?at=2026-06-15T09%3A00%2B01%3A00&practitioner={clinic.hart.pk}" in page


def test_time_off_shows_as_away(clinic, client_for):
    TimeOff.objects.create(
        staff=clinic.hart, starts_at=local(TODAY, 13), ends_at=local(TODAY, 17), reason="Course"
    )
    page = text(client_for(Role.FRONT_DESK).get(URL))
    assert "Away" in page
    assert "Course" not in page  # the reason is the practitioner's own business
    assert "Book 13:00 with Dr Amelia Hart" not in page


def test_a_former_practitioners_appointments_stay_on_the_calendar(clinic, client_for):
    leaver = practitioner("Lena", "Gone")
    AppointmentFactory(practitioner=leaver, room=clinic.room_a, starts_at=local(TODAY, 10))
    leaver.user.is_active = False
    leaver.user.save()
    page = text(client_for(Role.FRONT_DESK).get(URL))
    assert "Dr Lena Gone" in page
    assert "No longer bookable" in page


def test_another_day_is_chosen_by_date(clinic, client_for):
    AppointmentFactory(
        patient=PatientFactory(first_name="Next", last_name="Week"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 10) + dt.timedelta(days=7),
    )
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-22"}))
    assert "Monday 22 June 2026" in page
    assert "Next Week" in page
    assert "Next Week" not in text(client_for(Role.FRONT_DESK).get(URL))


def test_a_closed_day_says_so(clinic, client_for):
    clinic.settings.opening_hours.filter(weekday=6).update(closed=True)
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-21"}))
    assert "The clinic is closed on Sunday 21 June 2026 and nothing is booked." in page


# --- htmx ------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_calendar(clinic, client_for):
    response = client_for(Role.FRONT_DESK).get(
        URL, {"date": "2026-06-16", "by": "room"}, headers={"HX-Request": "true"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page and "<h1" not in page and '<nav class="navbar' not in page
    assert page.lstrip().startswith("<title>Calendar, Tuesday 16 June 2026")
    assert 'id="calendar"' in page
    assert response["HX-Push-Url"] == f"{URL}?date=2026-06-16&by=room"
    assert "HX-Request" in response["Vary"]


def test_a_plain_request_gets_the_whole_page(clinic, client_for):
    response = client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-16"})
    page = text(response)
    assert "<html" in page and page.count("<h1") == 1 and 'id="calendar"' in page
    assert "<title>Calendar, Tuesday 16 June 2026 ·" in page
    assert page.count("<title>") == 1
    assert "HX-Push-Url" not in response
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(clinic, client_for):
    response = client_for(Role.FRONT_DESK).get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in text(response)
    assert "HX-Request" in response["Vary"]


def test_arrows_and_toggle_are_links_that_htmx_swaps(clinic, client_for):
    page = client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-16"}).content.decode()
    previous = f"{URL}?date=2026-06-15&amp;by=practitioner"
    following = f"{URL}?date=2026-06-17&amp;by=practitioner"
    by_room = f"{URL}?date=2026-06-16&amp;by=room"
    for link in (previous, following, by_room):
        assert f'href="{link}" hx-get="{link}" hx-target="#calendar"' in page
    assert 'hx-push-url="true"' in page
    week = reverse("treatments:calendar_week")
    assert f'href="{week}?date=2026-06-16&amp;by=practitioner"' in page


# --- Bad parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        (
            {"date": "1900-13-45"},
            "“1900-13-45” is not a date (write it as 2026-03-31): showing today.",
        ),
        ({"date": "1900-01-01"}, "The calendar shows the years 2000 to 2099: showing today."),
        ({"date": "tomorrow"}, "“tomorrow” is not a date"),
        (
            {"by": "nonsense"},
            "“nonsense” is not a way to show the calendar: showing practitioners.",
        ),
    ],
)
def test_bad_parameters_fall_back_with_a_notice(params, notice, clinic, client_for):
    response = client_for(Role.FRONT_DESK).get(URL, params)
    page = text(response)
    assert response.status_code == 200
    assert notice in page
    assert "Monday 15 June 2026" in page
    assert "Dr Amelia Hart" in page


def test_after_a_fallback_htmx_pushes_the_address_of_what_is_shown(clinic, client_for):
    response = client_for(Role.FRONT_DESK).get(
        URL, {"date": "1900-13-45", "by": "room"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Push-Url"] == f"{URL}?date=2026-06-15&by=room"


def test_post_is_not_allowed(clinic, client_for):
    assert client_for(Role.FRONT_DESK).post(URL).status_code == 405


# --- Clock changes -----------------------------------------------------------------------------


def test_local_times_are_right_on_the_clock_change_days(clinic, client_for):
    AppointmentFactory(
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC),  # 09:00 BST
    )
    AppointmentFactory(
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=dt.datetime(2026, 10, 25, 10, tzinfo=dt.UTC),  # 10:00 GMT
    )
    client = client_for(Role.FRONT_DESK)
    assert "09:00–09:45" in text(client.get(URL, {"date": "2026-03-29"}))
    assert "10:00–10:45" in text(client.get(URL, {"date": "2026-10-25"}))


def test_a_night_clinic_shows_the_repeated_hour_of_the_fall_back_night(clinic, client_for):
    open_clinic(days=[6], opens=dt.time(0), closes=dt.time(4))
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-10-25"}))
    assert ">01:30 BST</th>" in page and ">01:30 GMT</th>" in page
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-03-29"}))
    assert ">00:45</th>" in page and ">01:00</th>" not in page and ">02:00</th>" in page


# --- Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["practitioner", "room"])
def test_queries_do_not_grow_with_the_appointments(by, clinic, client_for):
    client = client_for(Role.FRONT_DESK)
    review = review_type()

    def grow():
        for n in range(3):
            member = practitioner(f"Extra{n}", "Staff")
            room = RoomFactory()
            TimeOff.objects.create(
                staff=member, starts_at=local(TODAY, 16), ends_at=local(TODAY, 17)
            )
            for hour in (9, 10, 11, 12, 13):
                AppointmentFactory(
                    appointment_type=review,
                    practitioner=member,
                    room=room,
                    starts_at=local(TODAY, hour),
                )

    assert_queries_do_not_grow(lambda: client.get(URL, {"by": by}), grow, limit=12)
