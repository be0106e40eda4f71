"""Bookings across the clock changes: stored in UTC, shown in the clinic's local time.

London changes on Sunday 29 March 2026 (01:00 GMT -> 02:00 BST) and on Sunday 25 October 2026
(02:00 BST -> 01:00 GMT). The test clinic is open on Sundays (the demo clinic is not), so the
change days themselves can be booked.
"""

import datetime as dt

import pytest
from django.urls import reverse

from tests.treatments.scheduling.factories import at
from treatments.models import Appointment

pytestmark = pytest.mark.django_db

CASES = [
    (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC)),  # the change day, BST
    (dt.date(2026, 3, 30), dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)),  # the day after
    (dt.date(2026, 10, 25), dt.datetime(2026, 10, 25, 10, 0, tzinfo=dt.UTC)),  # back to GMT
    (dt.date(2026, 10, 26), dt.datetime(2026, 10, 26, 10, 0, tzinfo=dt.UTC)),
]
IDS = ["spring-change-day", "after-spring", "autumn-change-day", "after-autumn"]


@pytest.fixture
def before_the_changes(world, frozen):
    frozen.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    return world


@pytest.mark.parametrize(("day", "utc"), CASES, ids=IDS)
def test_ten_oclock_local_is_stored_as_utc_and_shown_as_ten(before_the_changes, client, day, utc):
    world = before_the_changes
    appointment = world.book(at(day, 10), now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.starts_at == utc
    assert stored.starts_at.utcoffset() == dt.timedelta(0)

    client.force_login(world.desk)
    page = client.get(reverse("treatments:appointment_detail", args=[appointment.pk])).text
    assert f"{day:%A} {day.day} {day:%B %Y}, 10:00–10:45" in page


@pytest.mark.parametrize(("day", "utc"), CASES, ids=IDS)
def test_a_typed_local_time_is_read_in_the_clinics_zone(before_the_changes, client, day, utc):
    world = before_the_changes
    client.force_login(world.desk)
    response = client.post(
        reverse("treatments:appointment_new", args=[world.patient.pk]),
        {
            "step": "typed",
            "book-type": world.consultation.pk,
            "book-practitioner": world.hart.pk,
            "book-room": world.consult.pk,
            "book-starts_at": f"{day:%Y-%m-%d}T10:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Appointment.objects.get().starts_at == utc


@pytest.mark.parametrize(("day", "utc"), CASES, ids=IDS)
def test_the_slot_search_offers_ten_oclock_local(before_the_changes, client, day, utc):
    world = before_the_changes
    client.force_login(world.desk)
    response = client.get(
        reverse("treatments:slot_search", args=[world.patient.pk]),
        {"type": world.consultation.pk, "start": day.isoformat(), "end": day.isoformat()},
    )
    days = response.context["days"]
    assert [d.day for d in days] == [day]
    ten = [o for o in days[0].options if o.start == utc]
    assert ten, "10:00 local is offered"
    assert "10:00 · Dr Amelia Hart · Consultation 1" in response.text
    # The link carries the exact instant with its offset, unambiguous whatever the clocks do.
    offset = "%2B01%3A00" if utc.hour == 9 else "%2B00%3A00"
    assert f"book-starts_at={day:%Y-%m-%d}T10%3A00%3A00{offset}" in response.text.replace(
        "&amp;", "&"
    )


def test_a_local_time_that_does_not_exist_is_refused(before_the_changes, client):
    world = before_the_changes
    client.force_login(world.desk)
    response = client.post(
        reverse("treatments:appointment_new", args=[world.patient.pk]),
        {
            "step": "typed",
            "book-type": world.consultation.pk,
            "book-practitioner": world.hart.pk,
            "book-room": world.consult.pk,
            "book-starts_at": "2026-03-29T01:30",  # the clocks jump from 01:00 to 02:00
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["starts_at"]
    assert "may not exist" in message
    assert not Appointment.objects.exists()
