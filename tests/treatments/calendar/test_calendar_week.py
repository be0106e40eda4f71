"""The week view (treatments:calendar_week): seven days, everyone or one practitioner or room."""

import datetime as dt
import html
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import resolve, reverse

from clinic.models import Role, TimeOff
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory, review_type
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.calendar.conftest import TODAY
from tests.treatments.calendar.factories import local, practitioner

URL = reverse("treatments:calendar_week")
WEDNESDAY = TODAY + dt.timedelta(days=2)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def week(clinic):
    """Dr Hart on Wednesday at 10:00, Dr Mehta on Wednesday at 14:00 in room B."""
    clinic.hart_visit = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(WEDNESDAY, 10),
    )
    clinic.mehta_visit = AppointmentFactory(
        patient=PatientFactory(first_name="Amara", last_name="Okafor"),
        practitioner=clinic.mehta,
        room=clinic.room_b,
        starts_at=local(WEDNESDAY, 14),
    )
    return clinic


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_the_week_shows_every_practitioners_appointments_by_day(role, week, client_for):
    response = client_for(role).get(URL, {"date": "2026-06-17"})
    page = text(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Week of 15 June to 21 June 2026" in page
    for day in ("Mon 15 Jun", "Wed 17 Jun", "Sun 21 Jun"):
        assert day in page
    assert "Olivia Bennett" in page and "Amara Okafor" in page
    assert "cal-grid cal-compact" in page
    assert "Book " not in page  # choose a practitioner (or a day) to book
    # Each day's heading opens the day; the compact blocks of everyone's week name the patient
    # in the row of its start, the name a short link to the appointment.
    day_link = reverse("treatments:calendar_day") + "?date=2026-06-17&by=practitioner"
    assert f'href="{day_link}"' in page
    assert f"<a href=../a/{week.hart_visit.pk}>Olivia Bennett</a></td>" in page
    start = page.index("Olivia Bennett")
    row = page[page.rindex("<tr", 0, start) : start]
    assert '<th scope="row" class="cal-time">10:00</th>' in row


def test_everyones_week_blocks_say_a_no_show_or_cancellation_in_words(week, client_for):
    from treatments.models import Appointment

    Appointment.objects.filter(pk=week.hart_visit.pk).update(status="cancelled")
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-17"}))
    assert "Olivia Bennett (cancelled)</a></td>" in page


def _links(page: str) -> list[str]:
    return re.findall(r"<a href=(\.\./a/\d+)>", page)


@pytest.mark.parametrize("params", [{}, {"date": "2026-06-17", "by": "practitioner"}])
def test_everyones_week_links_each_block_to_its_appointment(params, week, client_for):
    """The relative link, read against the week's address (with or without a query string),
    is the short route, which sends the desk on to the appointment's page."""
    client = client_for(Role.FRONT_DESK)
    response = client.get(URL, params)
    page_url = response.wsgi_request.get_full_path()
    links = _links(text(response))
    assert len(links) == 2
    wanted = {
        week.hart_visit.pk: reverse("treatments:appointment_detail", args=[week.hart_visit.pk]),
        week.mehta_visit.pk: reverse("treatments:appointment_detail", args=[week.mehta_visit.pk]),
    }
    for link in links:
        target = urljoin("http://testserver" + page_url, link)
        path = urlsplit(target).path
        match = resolve(path)
        assert match.view_name == "treatments:calendar_appointment"
        assert path == reverse("treatments:calendar_appointment", args=[match.kwargs["pk"]])
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer["Location"] == wanted[match.kwargs["pk"]]
        assert client.get(answer["Location"]).status_code == 200


def test_the_short_route_opens_the_appointment_for_the_desk_and_dermatologists(week, client_for):
    path = reverse("treatments:calendar_appointment", args=[week.hart_visit.pk])
    detail = reverse("treatments:appointment_detail", args=[week.hart_visit.pk])
    for role in (Role.FRONT_DESK, Role.DERMATOLOGIST):
        response = client_for(role).get(path)
        assert response.status_code == 302 and response["Location"] == detail


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_the_short_route_refuses_whoever_the_appointments_page_refuses(role, week, client_for):
    path = reverse("treatments:calendar_appointment", args=[week.hart_visit.pk])
    detail = reverse("treatments:appointment_detail", args=[week.hart_visit.pk])
    client = client_for(role)
    assert client.get(detail).status_code == 403
    assert client.get(path).status_code == 403


def test_the_short_route_sends_a_visitor_to_log_in(week, client):
    path = reverse("treatments:calendar_appointment", args=[week.hart_visit.pk])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "appointments" not in response["Location"].split("?")[0]


def test_the_short_route_answers_404_for_a_made_up_appointment(week, client_for):
    from treatments.models import Appointment

    missing = Appointment.objects.order_by("-pk").first().pk + 1000
    client = client_for(Role.FRONT_DESK)
    assert client.get(reverse("treatments:calendar_appointment", args=[missing])).status_code == 404
    assert (
        client.post(
            reverse("treatments:calendar_appointment", args=[week.hart_visit.pk])
        ).status_code
        == 405
    )


def test_one_practitioners_week_offers_their_free_time(week, client_for):
    page = text(client_for(Role.FRONT_DESK).get(URL, {"who": week.mehta.pk}))
    assert "Week of 15 June to 21 June 2026: Dr Rohan Mehta" in page
    assert "Amara Okafor" in page
    assert "Olivia Bennett" not in page
    assert "Book Tue 16 Jun, 12:00 with Dr Rohan Mehta" in page
    assert "Book Wed 17 Jun, 14:00 with Dr Rohan Mehta" not in page  # booked
    assert "Book Tue 16 Jun, 11:45 with Dr Rohan Mehta" not in page  # not working yet
    assert "cal-compact" not in page


def test_one_rooms_week(week, client_for):
    page = text(client_for(Role.FRONT_DESK).get(URL, {"by": "room", "who": week.room_b.pk}))
    assert "Amara Okafor" in page and "Olivia Bennett" not in page
    assert "Book Wed 17 Jun, 15:00 in Treatment room B" in page  # after 10 minutes' turnover
    assert "Book Wed 17 Jun, 14:45 in Treatment room B" not in page
    assert '<option value="' + str(week.room_a.pk) + '">Treatment room A</option>' in page


def test_time_off_shows_in_the_practitioners_week(week, client_for):
    TimeOff.objects.create(
        staff=week.hart,
        starts_at=local(TODAY + dt.timedelta(days=3), 0),
        ends_at=local(TODAY + dt.timedelta(days=5), 0),
    )
    page = text(client_for(Role.FRONT_DESK).get(URL, {"who": week.hart.pk}))
    assert page.count(">Away</td>") == 2  # Thursday and Friday
    assert "Book Thu 18 Jun" not in page
    assert "Book Sat 20 Jun, 09:00 with Dr Amelia Hart" in page


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"who": "abc"}, "No such practitioner: showing all practitioners."),
        ({"who": "999999"}, "No such practitioner: showing all practitioners."),
        ({"by": "room", "who": "999999"}, "No such room: showing all rooms."),
        ({"date": "1900-13-45"}, "“1900-13-45” is not a date"),
        ({"by": "nonsense"}, "“nonsense” is not a way to show the calendar"),
    ],
)
def test_bad_parameters_fall_back_with_a_notice(params, notice, week, client_for):
    response = client_for(Role.FRONT_DESK).get(URL, params)
    assert response.status_code == 200
    assert notice in text(response)
    assert "Week of 15 June to 21 June 2026" in text(response)


def test_an_htmx_request_gets_only_the_calendar(week, client_for):
    response = client_for(Role.FRONT_DESK).get(
        URL, {"date": "2026-06-24", "who": week.hart.pk}, headers={"HX-Request": "true"}
    )
    page = text(response)
    assert "<html" not in page and 'id="calendar"' in page
    assert response["HX-Push-Url"] == f"{URL}?date=2026-06-22&by=practitioner&who={week.hart.pk}"


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_fragment_and_the_page_both_vary_on_hx_request(headers, week, client_for):
    # One URL answers both: a cache must keep them apart.
    response = client_for(Role.FRONT_DESK).get(URL, headers=headers)
    assert ("<html" in text(response)) is not bool(headers)
    assert "HX-Request" in response["Vary"]


def test_weeks_link_to_the_weeks_before_and_after(week, client_for):
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-06-17"}))
    assert f'href="{URL}?date=2026-06-08&by=practitioner"' in page
    assert f'href="{URL}?date=2026-06-22&by=practitioner"' in page


def test_a_week_across_new_year_names_both_years(week, client_for):
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-12-31"}))
    assert "Week of 28 December 2026 to 3 January 2027" in page
    page = text(client_for(Role.FRONT_DESK).get(URL, {"date": "2026-07-01"}))
    assert "Week of 29 June to 5 July 2026" in page


def test_post_is_not_allowed(clinic, client_for):
    assert client_for(Role.FRONT_DESK).post(URL).status_code == 405


@pytest.mark.parametrize("shown", ["everyone", "one practitioner", "every room", "one room"])
def test_queries_do_not_grow_with_the_appointments(shown, week, client_for):
    client = client_for(Role.FRONT_DESK)
    params = {
        "everyone": {},
        "one practitioner": {"who": week.hart.pk},
        "every room": {"by": "room"},
        "one room": {"by": "room", "who": week.room_a.pk},
    }[shown]
    review = review_type()

    def grow():
        for n in range(3):
            member = practitioner(f"Extra{n}", "Staff")
            room = week.room_a if n == 0 else RoomFactory()
            # Time off over some of them: they need moving, flagged in the same query.
            TimeOff.objects.create(
                staff=member, starts_at=local(WEDNESDAY, 8), ends_at=local(WEDNESDAY, 12)
            )
            for day in range(7):
                for hour in (9, 11, 13):
                    AppointmentFactory(
                        appointment_type=review,
                        practitioner=member if n else week.hart,
                        room=room,
                        starts_at=local(TODAY + dt.timedelta(days=day), hour, 15 * n),
                    )

    assert_queries_do_not_grow(lambda: client.get(URL, params), grow, limit=12)
