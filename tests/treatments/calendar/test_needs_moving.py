"""Time off over booked appointments: the appointments need moving, worked out by query
(treatments.services.time_off), flagged in words on the calendar and listed on the desk's home."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role, TimeOff
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory, review_type
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.calendar.conftest import NOW, TODAY
from tests.treatments.calendar.factories import local, practitioner
from treatments.services.time_off import appointments_needing_moving, appointments_under

DAY = reverse("treatments:calendar_day")
WEEK = reverse("treatments:calendar_week")
HOME = reverse("home")
TUESDAY = TODAY + dt.timedelta(days=1)
#: The words first in an appointment's block (the key below the grid has them alone).
FLAG = '<span class="cal-flag">Needs moving</span> <span class="cal-when">'


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def away(clinic):
    """Dr Hart is away on Tuesday 13:00-17:00, over Olivia's 14:00; Amara's 10:00 is before it;
    Dr Mehta's 14:00 is his own."""
    clinic.time_off = TimeOff.objects.create(
        staff=clinic.hart, starts_at=local(TUESDAY, 13), ends_at=local(TUESDAY, 17)
    )
    clinic.covered = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TUESDAY, 14),
    )
    clinic.before = AppointmentFactory(
        patient=PatientFactory(first_name="Amara", last_name="Okafor"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TUESDAY, 10),
    )
    clinic.other = AppointmentFactory(
        patient=PatientFactory(first_name="Ben", last_name="Carter"),
        practitioner=clinic.mehta,
        room=clinic.room_b,
        starts_at=local(TUESDAY, 14),
    )
    return clinic


# --- The rule --------------------------------------------------------------------------------


def test_a_booked_future_appointment_under_time_off_needs_moving(away):
    assert list(appointments_needing_moving()) == [away.covered]
    assert list(appointments_under(away.time_off)) == [away.covered]


def test_an_appointment_touching_the_time_off_does_not_need_moving(away):
    # 12:15-13:00, ending as the time off starts.
    AppointmentFactory(practitioner=away.hart, room=away.room_b, starts_at=local(TUESDAY, 12, 15))
    assert list(appointments_needing_moving()) == [away.covered]


def test_partly_covered_appointments_need_moving(away):
    overlapping_start = AppointmentFactory(
        practitioner=away.hart, room=away.room_b, starts_at=local(TUESDAY, 12, 30)
    )
    overlapping_end = AppointmentFactory(
        practitioner=away.hart, room=away.room_b, starts_at=local(TUESDAY, 16, 30)
    )
    assert set(appointments_needing_moving()) == {away.covered, overlapping_start, overlapping_end}


def test_a_cancelled_appointment_does_not_need_moving(away):
    away.covered.status = "cancelled"
    away.covered.save()
    assert not appointments_needing_moving().exists()


def test_a_past_appointment_does_not_need_moving(clinic):
    # Yesterday, under time off entered afterwards: nothing left to move.
    yesterday = TODAY - dt.timedelta(days=1)
    AppointmentFactory(practitioner=clinic.hart, room=clinic.room_a, starts_at=local(yesterday, 10))
    TimeOff.objects.create(
        staff=clinic.hart, starts_at=local(yesterday, 9), ends_at=local(yesterday, 17)
    )
    assert not appointments_needing_moving().exists()


def test_the_flag_goes_when_the_appointment_is_moved_or_the_time_off_shortened(away):
    away.covered.starts_at = local(TUESDAY, 11)
    away.covered.ends_at = local(TUESDAY, 11, 45)
    away.covered.room_free_at = local(TUESDAY, 11, 55)
    away.covered.save()
    assert not appointments_needing_moving().exists()

    away.covered.starts_at, away.covered.ends_at = local(TUESDAY, 14), local(TUESDAY, 14, 45)
    away.covered.room_free_at = local(TUESDAY, 14, 55)
    away.covered.save()
    assert appointments_needing_moving().exists()
    away.time_off.ends_at = local(TUESDAY, 14)
    away.time_off.save()
    assert not appointments_needing_moving().exists()


# --- The calendar ----------------------------------------------------------------------------


def test_the_day_view_flags_the_appointment_in_words(away, client_for):
    page = text(client_for(Role.FRONT_DESK).get(DAY, {"date": TUESDAY.isoformat()}))
    assert page.count(FLAG) == 1
    start = page.index("Olivia Bennett")
    block = page[page.rindex("<td", 0, start) : page.index("</td>", start)]
    assert FLAG in block and "cal-needs-moving" in block
    assert "Olivia Bennett, Consultation and skin assessment, Booked, needs moving" in block
    for name in ("Amara Okafor", "Ben Carter"):
        start = page.index(name)
        assert "Needs moving" not in page[page.rindex("<td", 0, start) : page.index("</td>", start)]
    assert "Needs moving</span> the practitioner has time off then" in page  # the key


#: The week of everyone's compact block: the flag, then the patient's name.
COMPACT_FLAG = '<span class="cal-flag">Needs moving</span> Olivia Bennett</a></td>'


@pytest.mark.parametrize("params", [{}, {"by": "room"}])
def test_the_week_views_flag_it_too(params, away, client_for):
    client = client_for(Role.DERMATOLOGIST)
    page = text(client.get(WEEK, params))
    assert page.count(COMPACT_FLAG) == 1
    assert page.count("Needs moving</span>") == 2  # the block, and the key
    if not params:
        assert text(client.get(WEEK, {"who": away.hart.pk})).count(FLAG) == 1
        assert text(client.get(WEEK, {"who": away.mehta.pk})).count(FLAG) == 0


def test_the_appointment_sits_beside_the_away_block(away, client_for):
    page = text(client_for(Role.FRONT_DESK).get(DAY, {"date": TUESDAY.isoformat()}))
    assert '<th scope="col" colspan="2" class="cal-head">Dr Amelia Hart' in page
    assert ">Away</td>" in page


# --- The desk's home ---------------------------------------------------------------------------


def test_the_desk_home_lists_what_needs_moving_with_links(away, client_for):
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    assert "1 appointment needs moving" in page
    detail = reverse("treatments:appointment_detail", args=[away.covered.pk])
    assert f'<a href="{detail}">Tue 16 Jun 2026, 14:00–14:45: Olivia Bennett</a>' in page
    assert "Amara Okafor" not in page and "Ben Carter" not in page  # not today, not to move


def test_todays_schedule_marks_an_appointment_that_needs_moving(clinic, client_for):
    AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 14),
    )
    TimeOff.objects.create(staff=clinic.hart, starts_at=local(TODAY, 13), ends_at=local(TODAY, 17))
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Olivia Bennett" in row and "Needs moving</span>" in row
    client = client_for(None)
    client.force_login(clinic.hart.user)
    assert '<span class="badge text-bg-warning">Needs moving</span>' in text(client.get(HOME))


def test_nothing_to_move_shows_nothing(clinic, client_for):
    AppointmentFactory(practitioner=clinic.hart, room=clinic.room_a, starts_at=local(TUESDAY, 10))
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    assert "need moving" not in page and "needs moving" not in page


def test_the_desk_home_lists_the_first_twenty_and_counts_them_all(clinic, client_for):
    review = review_type()
    TimeOff.objects.create(
        staff=clinic.hart, starts_at=local(TUESDAY, 0), ends_at=local(TUESDAY, 23)
    )
    for n in range(22):
        AppointmentFactory(
            appointment_type=review,
            practitioner=clinic.hart,
            room=RoomFactory(),
            starts_at=local(TUESDAY, 9) + dt.timedelta(minutes=20 * n),
        )
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    assert "22 appointments need moving" in page
    block = page[page.index("22 appointments need moving") :]
    assert block[: block.index("</ul>")].count("<li>") == 20
    assert "The first 20 are listed, soonest first" in page


def test_the_desk_home_queries_do_not_grow_with_what_needs_moving(away, client_for):
    client = client_for(Role.FRONT_DESK)
    review = review_type()

    def grow():
        for n in range(3):
            member = practitioner(f"Extra{n}", "Staff")
            TimeOff.objects.create(
                staff=member, starts_at=local(TUESDAY, 8), ends_at=local(TUESDAY, 18)
            )
            for hour in (9, 11, 13, 15):
                AppointmentFactory(
                    appointment_type=review,
                    practitioner=member,
                    room=RoomFactory(),
                    starts_at=local(TODAY, hour),
                )
                AppointmentFactory(
                    appointment_type=review,
                    practitioner=member,
                    room=RoomFactory(),
                    starts_at=local(TUESDAY, hour),
                )

    assert_queries_do_not_grow(lambda: client.get(HOME), grow, limit=25)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (DAY, {"date": "2026-06-16"}),
        (DAY, {"date": "2026-06-16", "by": "room"}),
        (WEEK, {}),
        (WEEK, {"by": "room"}),
        (HOME, {}),
    ],
)
def test_list_pages_stay_within_their_queries_with_much_to_move(
    url, params, away, client_for, django_assert_max_num_queries
):
    review = review_type()
    for n in range(4):
        member = practitioner(f"Extra{n}", "Staff")
        TimeOff.objects.create(
            staff=member, starts_at=local(TUESDAY, 8), ends_at=local(TUESDAY, 18)
        )
        room = RoomFactory()
        for hour in range(9, 17):
            AppointmentFactory(
                appointment_type=review,
                practitioner=member,
                room=room,
                starts_at=local(TUESDAY, hour),
            )
    client = client_for(Role.FRONT_DESK)
    client.get(url, params)  # warm the caches filled once (the clinic record, content types)
    with django_assert_max_num_queries(12 if url != HOME else 25):
        response = client.get(url, params)
    assert response.status_code == 200
    assert "Needs moving" in text(response) or "need moving" in text(response)


def test_an_appointment_already_under_way_does_not_need_moving(away):
    under_way = AppointmentFactory(
        practitioner=away.hart,
        room=away.room_b,
        starts_at=NOW - dt.timedelta(minutes=15),
        status="checked_in",
    )
    TimeOff.objects.create(
        staff=away.hart, starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW + dt.timedelta(hours=2)
    )
    assert list(appointments_needing_moving()) == [away.covered]
    assert under_way.pk
