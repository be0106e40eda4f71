"""A feed gives record numbers, not names, unless the clinic turns names on; an address can be
made to expire."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import CalendarFeedFactory, PatientFactory, StaffProfileFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def london():
    return clinic()


def _events(feed):
    response = Client().get(reverse("treatments:feed", args=[feed.token]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content).events


def test_a_feed_names_no_patient_by_default():
    feed = CalendarFeedFactory()
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    appointment = AppointmentFactory(practitioner=feed.staff, patient=patient)
    (event,) = _events(feed)
    assert str(event["SUMMARY"]) == f"{appointment.appointment_type.name} (patient {patient.pk})"
    assert "Bennett" not in str(event["DESCRIPTION"])
    assert "Olivia" not in Client().get(reverse("treatments:feed", args=[feed.token])).text


def test_the_clinic_may_turn_names_on(london):
    london.feed_shows_patient_names = True
    london.save()
    feed = CalendarFeedFactory()
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    AppointmentFactory(practitioner=feed.staff, patient=patient)
    (event,) = _events(feed)
    assert str(event["SUMMARY"]).startswith("Olivia Bennett: ")


def test_an_expired_address_serves_nothing():
    feed = CalendarFeedFactory(expires_at=timezone.now() + dt.timedelta(days=1))
    assert Client().get(reverse("treatments:feed", args=[feed.token])).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, seconds=1)):
        assert Client().get(reverse("treatments:feed", args=[feed.token])).status_code == 404


@pytest.mark.parametrize(
    ("lifetime", "days"), [("30", 30), ("90", 90), ("365", 365), ("", 90), ("never", None)]
)
def test_a_new_address_works_for_the_chosen_time(lifetime, days):
    staff = StaffProfileFactory()
    client = Client()
    client.force_login(staff.user)
    before = timezone.now()
    client.post(reverse("treatments:feed_settings"), {"action": "create", "lifetime": lifetime})
    feed = CalendarFeed.objects.get(staff=staff)
    if days is None:
        assert feed.expires_at is None
    else:
        assert before + dt.timedelta(days=days) <= feed.expires_at
        assert feed.expires_at <= timezone.now() + dt.timedelta(days=days)


def test_a_lifetime_the_page_does_not_offer_is_refused():
    staff = StaffProfileFactory()
    client = Client()
    client.force_login(staff.user)
    response = client.post(
        reverse("treatments:feed_settings"), {"action": "create", "lifetime": "100000"}
    )
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_the_page_says_when_the_address_expired():
    staff = StaffProfileFactory()
    CalendarFeedFactory(staff=staff, expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = Client()
    client.force_login(staff.user)
    response = client.get(reverse("treatments:feed_settings"))
    assert "This address has expired" in response.text


def test_a_feed_read_is_in_the_access_log_as_the_practitioners():
    from audit.models import AccessKind, AccessLog

    feed = CalendarFeedFactory()
    AppointmentFactory(practitioner=feed.staff)
    _events(feed)
    (entry,) = AccessLog.objects.all()
    assert (entry.kind, entry.object_id, entry.user) == (AccessKind.FEED, feed.pk, feed.staff.user)


def test_an_unknown_feed_address_writes_nothing_to_the_log():
    from audit.models import AccessLog

    assert Client().get(reverse("treatments:feed", args=["x" * 40])).status_code == 404
    assert not AccessLog.objects.exists()
