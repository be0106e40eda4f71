"""The public booking page /book/, its code step, and the desk's identity check: allowed,
anonymous, forged input, expiry, and responses that never tell a known visitor from a new one."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory
from tests.treatments.online_booking.factories import (
    DETAILS,
    MONDAY,
    NOW,
    at,
    booked_online,
    code_in,
    online_clinic,
)
from treatments.models import Appointment, BookingHold, IdentityCheck, OnlineBooking
from treatments.services import online_booking, scheduling

pytestmark = pytest.mark.django_db

BOOK = reverse("book")
CONFIRM = reverse("book_confirm")
DONE = reverse("book_done")


def _slot(world, starts_at=None, practitioner=None):
    starts_at = starts_at or at(MONDAY, 10)
    return f"{starts_at.isoformat()}|{(practitioner or world.hart).pk}|{world.consult.pk}"


def _post(client, world, capture, **fields):
    data = {
        "slot": _slot(world),
        "practitioner": "any",
        **{k: str(v) for k, v in DETAILS.items()},
    } | fields
    with capture(execute=True):
        return client.post(BOOK, data)


def _confirm(client, code, capture):
    with capture(execute=True):
        return client.post(CONFIRM, {"code": code})


def test_a_visitor_sees_the_weeks_free_times_without_logging_in(client):
    world = online_clinic()
    page = client.get(BOOK)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and "Book a first consultation" in html
    assert _slot(world) in html
    assert "Later week" in html and "Earlier week" not in html
    later = client.get(BOOK, {"week": "2026-06-22", "practitioner": world.mehta.pk})
    values = re.findall(r'name="slot"[^>]*value="([^"]+)"', later.content.decode())
    assert values and all(v.split("|")[1] == str(world.mehta.pk) for v in values)


@pytest.mark.parametrize("week", ["2026-09-01", "2020-01-01", "not-a-date"])
def test_a_week_outside_the_four_weeks_shows_the_nearest_bookable_one(client, week):
    online_clinic()
    page = client.get(BOOK, {"week": week})
    assert page.status_code == 200
    starts = re.search(r"Week from (\w+ \d+ \w+)", page.content.decode()).group(1)
    assert starts in {"Mon 15 Jun", "Mon 6 Jul"}


def test_a_forged_practitioner_is_refused_next_to_the_field(client):
    world = online_clinic()
    page = client.get(BOOK, {"practitioner": "99999"})
    assert page.status_code == 200
    assert "Choose a practitioner from the list" in page.content.decode()
    assert _slot(world) in page.content.decode()  # anyone's times, instead


def test_switched_off_the_page_says_how_to_call(client):
    online_clinic(on=False)
    page = client.get(BOOK)
    assert page.status_code == 200
    assert "does not take bookings online" in page.content.decode()
    assert "020 7946 0000" in page.content.decode()
    response = client.post(BOOK, {"slot": "x"})
    assert response.status_code == 200 and not BookingHold.objects.exists()


def test_the_whole_visit_books_the_consultation(client, django_capture_on_commit_callbacks):
    world = online_clinic()
    response = _post(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    hold = BookingHold.objects.get()
    code = code_in(mail.outbox)
    page = client.get(CONFIRM)
    assert "Enter your code" in page.content.decode()
    assert "Mon 15 Jun 2026, 10:00" in page.content.decode()

    wrong = _confirm(
        client, "000000" if code != "000000" else "111111", django_capture_on_commit_callbacks
    )
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert "4 tries left" in wrong.content.decode()
    assert not Appointment.objects.exists()

    booked = _confirm(client, code, django_capture_on_commit_callbacks)
    assert booked.status_code == 302 and booked["Location"] == DONE
    done = client.get(DONE)
    assert "Mon 15 Jun 2026, 10:00" in done.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.starts_at == hold.starts_at
    assert OnlineBooking.objects.get().appointment == appointment
    # The session forgot the hold: the confirm page offers to start again.
    assert "No booking is waiting" in client.get(CONFIRM).content.decode()


@pytest.mark.parametrize(
    "fields, field_text",
    [
        ({"slot": "2026-06-15T10:00:00+01:00|99999|1"}, "Choose one of the times offered."),
        ({"slot": "garbage"}, "Choose one of the times offered."),
        ({"slot": ""}, "Choose one of the times offered."),
        ({"mobile": "12345"}, "Enter a valid phone number"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"date_of_birth": "2030-01-01"}, "cannot be in the future"),
        ({"first_name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_held(
    client, django_capture_on_commit_callbacks, fields, field_text
):
    world = online_clinic()
    page = _post(client, world, django_capture_on_commit_callbacks, **fields)
    assert page.status_code == 200
    assert field_text in page.content.decode()
    assert not BookingHold.objects.exists() and mail.outbox == []


def test_a_forged_time_outside_the_horizon_is_refused(client, django_capture_on_commit_callbacks):
    world = online_clinic()
    late = at(MONDAY + dt.timedelta(days=40), 10)
    page = _post(client, world, django_capture_on_commit_callbacks, slot=_slot(world, late))
    assert page.status_code == 200
    assert "online booking is open for the next 4 weeks only" in page.content.decode()
    assert not BookingHold.objects.exists()


def test_a_time_taken_meanwhile_is_refused(client, django_capture_on_commit_callbacks):
    world = online_clinic()
    scheduling.appointment_book(
        patient=PatientFactory(),
        appointment_type=world.consultation,
        practitioner=world.hart,
        room=world.consult,
        starts_at=at(MONDAY, 10),
        by=world.desk,
        clinic=world.clinic,
        now=NOW,
    )
    page = _post(client, world, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert online_booking.TIME_GONE in page.content.decode()
    assert not BookingHold.objects.exists()


def test_an_expired_code_is_refused_and_the_time_released(
    client, frozen, django_capture_on_commit_callbacks
):
    world = online_clinic()
    _post(client, world, django_capture_on_commit_callbacks)
    code = code_in(mail.outbox)
    frozen.move_to(NOW + dt.timedelta(minutes=16))
    page = _confirm(client, code, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "No booking is waiting" in page.content.decode()
    assert not Appointment.objects.exists()
    assert _slot(world) in client.get(BOOK).content.decode()  # free again


def test_the_fifth_wrong_code_releases_the_time(client, django_capture_on_commit_callbacks):
    world = online_clinic()
    _post(client, world, django_capture_on_commit_callbacks)
    code = code_in(mail.outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        _confirm(client, wrong, django_capture_on_commit_callbacks)
    page = _confirm(client, wrong, django_capture_on_commit_callbacks)
    assert "that was the last try" in page.content.decode()
    assert not BookingHold.objects.exists()
    again = _confirm(client, code, django_capture_on_commit_callbacks)
    assert "No booking is waiting" in again.content.decode()
    assert not Appointment.objects.exists()


def test_codes_are_limited_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.ONLINE_BOOKING_CODES_PER_ADDRESS = 1
    world = online_clinic()
    _post(client, world, django_capture_on_commit_callbacks)
    page = _post(
        client,
        world,
        django_capture_on_commit_callbacks,
        slot=_slot(world, at(MONDAY, 12)),
        email="else@example.com",
    )
    assert page.status_code == 200
    assert "Too many booking codes" in page.content.decode()
    assert BookingHold.objects.count() == 1 and len(mail.outbox) == 1


def _visit(client, world, capture, **details):
    """The responses a visitor gets, with what differs by nature (code, times, tokens) blanked."""
    first = _post(client, world, capture, **details)
    code = code_in(mail.outbox)
    confirm = client.get(CONFIRM)
    booked = _confirm(client, code, capture)
    done = client.get(DONE)

    def blank(response):
        text = response.content.decode()
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        text = re.sub(r'name="csrf-token" content="[^"]+"', "", text)
        return response.status_code, response.get("Location"), text

    return [blank(r) for r in (first, confirm, booked, done)]


def test_a_known_patient_gets_exactly_the_responses_a_new_visitor_gets(
    client_for, django_capture_on_commit_callbacks
):
    world = online_clinic()
    PatientFactory(**DETAILS)  # the clinic knows Grace Okafor, her email and her mobile
    known = _visit(client_for(None), world, django_capture_on_commit_callbacks)
    scheduling.appointment_cancel(
        appointment=Appointment.objects.get(), reason="Test", by=world.desk, now=NOW
    )
    mail.outbox.clear()
    new = _visit(
        client_for(None),
        world,
        django_capture_on_commit_callbacks,
        first_name="Nia",
        last_name="Brown",
        email="nia@example.com",
        mobile="+447911123457",
    )
    assert known == new
    assert [b.likely_existing for b in OnlineBooking.objects.order_by("pk")] == [True, False]


# --- The desk's check ---------------------------------------------------------------------


def test_the_desks_home_shows_the_booking_as_new_check_identity(client_for):
    booking = booked_online(first_name="Grace", last_name="Okafor")
    page = client_for(Role.FRONT_DESK).get(reverse("home"))
    html = page.content.decode()
    assert "New, check identity" in html and "Grace Okafor" in html
    assert reverse("treatments:online_booking_check", args=[booking.pk]) in html


def test_the_desks_home_lists_bookings_in_bounded_queries(
    client_for, django_assert_max_num_queries
):
    desk = client_for(Role.FRONT_DESK)
    booked_online()
    desk.get(reverse("home"))
    for _ in range(5):
        booked_online()
    with django_assert_max_num_queries(60) as few:
        desk.get(reverse("home"))
    many = len(few.captured_queries)
    for _ in range(5):
        booked_online()
    with django_assert_max_num_queries(many):
        desk.get(reverse("home"))


def test_the_desk_confirms_a_new_patient(client_for):
    booking = booked_online()
    desk = client_for(Role.FRONT_DESK)
    url = reverse("treatments:online_booking_check", args=[booking.pk])
    page = desk.get(url)
    assert page.status_code == 200 and "A new patient" in page.content.decode()
    response = desk.post(url, {"who": "new"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.NEW
    assert "No online booking is waiting" in desk.get(reverse("home")).content.decode()


def test_the_desk_links_to_the_record_offered(client_for):
    known = PatientFactory(
        first_name="Grace", last_name="Okafor", date_of_birth=dt.date(1990, 4, 2)
    )
    booking = booked_online(
        first_name="Grace", last_name="Okafor", date_of_birth=dt.date(1990, 4, 2)
    )
    desk = client_for(Role.FRONT_DESK)
    url = reverse("treatments:online_booking_check", args=[booking.pk])
    assert known.full_name in desk.get(url).content.decode()
    response = desk.post(url, {"who": str(known.pk)})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.LINKED
    assert booking.appointment.patient == known


@pytest.mark.parametrize("who", ["", "99999", "abc"])
def test_a_forged_choice_is_refused_and_nothing_changes(client_for, who):
    stranger = PatientFactory(first_name="Some", last_name="One")
    booking = booked_online()
    page = client_for(Role.FRONT_DESK).post(
        reverse("treatments:online_booking_check", args=[booking.pk]),
        {"who": who or ""} if who != "99999" else {"who": str(stranger.pk)},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Choose one of the records offered." in text or "Say whether" in text
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.TO_CHECK
    assert booking.appointment.patient == booking.patient


def test_a_checked_booking_shows_its_outcome_and_refuses_a_second_check(client_for):
    booking = booked_online()
    desk = client_for(Role.FRONT_DESK)
    url = reverse("treatments:online_booking_check", args=[booking.pk])
    desk.post(url, {"who": "new"})
    page = desk.post(url, {"who": "new"})
    assert page.status_code == 200
    assert "already confirmed as a new patient" in page.content.decode()


def test_an_unknown_booking_is_404_and_a_patient_is_403(client_for):
    booking = booked_online()
    desk = client_for(Role.FRONT_DESK)
    assert desk.get(reverse("treatments:online_booking_check", args=[99999])).status_code == 404
    patient = client_for(Role.PATIENT)
    url = reverse("treatments:online_booking_check", args=[booking.pk])
    assert patient.get(url).status_code == 403
    assert patient.post(url, {"who": "new"}).status_code == 403
    assert client_for(None).get(url).status_code == 302
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.TO_CHECK


def test_choosing_again_releases_the_visitors_earlier_hold(
    client, django_capture_on_commit_callbacks
):
    world = online_clinic()
    _post(client, world, django_capture_on_commit_callbacks)
    _post(client, world, django_capture_on_commit_callbacks, slot=_slot(world, at(MONDAY, 14)))
    assert list(BookingHold.objects.values_list("starts_at", flat=True)) == [at(MONDAY, 14)]
    # Choosing the same time again keeps it theirs.
    response = _post(
        client, world, django_capture_on_commit_callbacks, slot=_slot(world, at(MONDAY, 14))
    )
    assert response.status_code == 302
    assert BookingHold.objects.count() == 1
