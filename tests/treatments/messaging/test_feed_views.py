"""The feed URL, the feed settings page and the appointment download."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clinic.models import Role
from tests.factories import CalendarFeedFactory, PatientFactory, StaffProfileFactory, UserFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from treatments.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def london():
    return clinic()


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The feed URL ----------------------------------------------------------------------------


def test_a_live_feed_serves_the_practitioners_calendar_without_a_login():
    feed = CalendarFeedFactory()
    appointment = AppointmentFactory(practitioner=feed.staff)

    response = Client().get(reverse("treatments:feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Content-Disposition" not in response
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.events
    assert event["UID"] == f"appointment-{appointment.pk}@exoclinic"
    assert event.start == timezone.localtime(appointment.starts_at)


def test_calendar_apps_may_ask_with_head():
    feed = CalendarFeedFactory()

    assert Client().head(reverse("treatments:feed", args=[feed.token])).status_code == 200


def test_a_feed_cannot_be_posted_to():
    feed = CalendarFeedFactory()

    assert Client().post(reverse("treatments:feed", args=[feed.token])).status_code == 405


def test_a_revoked_feed_is_gone():
    feed = CalendarFeedFactory(revoked_at=timezone.now())

    assert Client().get(reverse("treatments:feed", args=[feed.token])).status_code == 404


def test_an_unknown_token_is_gone():
    CalendarFeedFactory()

    assert Client().get(reverse("treatments:feed", args=["not-a-token"])).status_code == 404


def test_the_feed_of_someone_who_left_the_clinic_is_gone():
    feed = CalendarFeedFactory()
    feed.staff.user.is_active = False
    feed.staff.user.save()

    assert Client().get(reverse("treatments:feed", args=[feed.token])).status_code == 404


def test_the_feeds_queries_do_not_grow_with_its_appointments():
    feed = CalendarFeedFactory()
    url = reverse("treatments:feed", args=[feed.token])
    days = iter(range(1, 100))

    def grow():
        for _ in range(4):
            AppointmentFactory(
                practitioner=feed.staff, starts_at=timezone.now() + dt.timedelta(days=next(days))
            )

    # The clinic, the feed and its appointments, inside the request's savepoint; then the access
    # log's row (the practitioner's role, the insert).
    assert_queries_do_not_grow(lambda: Client().get(url), grow, limit=7)


# --- The settings page -----------------------------------------------------------------------


@pytest.fixture
def practitioner():
    return StaffProfileFactory(user__first_name="Amelia", user__last_name="Hart")


def test_a_practitioner_without_a_feed_is_offered_one(practitioner):
    response = _logged_in(practitioner.user).get(reverse("treatments:feed_settings"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Make my feed address" in content
    assert "webcal://" not in content


def test_making_a_feed_shows_its_address(practitioner):
    client = _logged_in(practitioner.user)

    response = client.post(reverse("treatments:feed_settings"), {"action": "create"}, follow=True)

    feed = CalendarFeed.objects.get(staff=practitioner)
    assert feed.revoked_at is None
    assert len(feed.token) >= 40
    feed_url = "http://testserver" + reverse("treatments:feed", args=[feed.token])
    content = response.content.decode()
    assert f'value="{feed_url}"' in content
    assert f'href="webcal://testserver/treatments/feeds/{feed.token}.ics"' in content
    assert Client().get(feed_url).status_code == 200


def test_a_new_address_revokes_the_old_one_at_once(practitioner):
    old = CalendarFeedFactory(staff=practitioner)
    client = _logged_in(practitioner.user)

    client.post(reverse("treatments:feed_settings"), {"action": "create"})

    old.refresh_from_db()
    assert old.revoked_at is not None
    new = CalendarFeed.objects.get(staff=practitioner, revoked_at__isnull=True)
    assert new.token != old.token
    assert Client().get(reverse("treatments:feed", args=[old.token])).status_code == 404
    assert Client().get(reverse("treatments:feed", args=[new.token])).status_code == 200


def test_turning_the_feed_off_stops_its_address(practitioner):
    feed = CalendarFeedFactory(staff=practitioner)
    client = _logged_in(practitioner.user)

    response = client.post(reverse("treatments:feed_settings"), {"action": "revoke"}, follow=True)

    assert "Your feed is turned off" in response.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert Client().get(reverse("treatments:feed", args=[feed.token])).status_code == 404


def test_turning_off_a_feed_that_is_not_there_says_so(practitioner):
    response = _logged_in(practitioner.user).post(
        reverse("treatments:feed_settings"), {"action": "revoke"}, follow=True
    )

    assert "You had no feed to turn off" in response.content.decode()


def test_one_practitioner_cannot_touch_anothers_feed(practitioner):
    other = CalendarFeedFactory()

    _logged_in(practitioner.user).post(reverse("treatments:feed_settings"), {"action": "revoke"})

    other.refresh_from_db()
    assert other.revoked_at is None


def test_an_unknown_action_is_refused_and_nothing_changes(practitioner):
    feed = CalendarFeedFactory(staff=practitioner)

    response = _logged_in(practitioner.user).post(
        reverse("treatments:feed_settings"), {"action": "delete-everything"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert CalendarFeed.objects.count() == 1


def test_a_dermatologist_without_a_staff_profile_is_told_why_and_gets_no_feed():
    user = UserFactory(role=Role.DERMATOLOGIST)
    client = _logged_in(user)

    page = client.get(reverse("treatments:feed_settings"))
    response = client.post(reverse("treatments:feed_settings"), {"action": "create"}, follow=True)

    assert "Ask the clinic manager" in page.content.decode()
    assert "Make my feed address" not in page.content.decode()
    assert "Ask the clinic manager" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_settings_page_answers_only_get_and_post(practitioner):
    response = _logged_in(practitioner.user).put(reverse("treatments:feed_settings"))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_only_dermatologists_manage_feeds(role):
    response = _logged_in(UserFactory(role=role)).post(
        reverse("treatments:feed_settings"), {"action": "create"}
    )

    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


# --- One appointment's .ics ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_staff_download_any_appointment_with_the_patients_name(role):
    appointment = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett")
    )

    response = _logged_in(UserFactory(role=role)).get(
        reverse("treatments:appointment_ics", args=[appointment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    local = timezone.localtime(appointment.starts_at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="appointment-{local:%Y-%m-%d-%H%M}.ics"'
    )
    (event,) = Calendar.from_ical(response.content).events
    assert event["SUMMARY"] == "Olivia Bennett: Microneedling with exosomes"


def test_a_patient_downloads_their_own_appointment():
    user = UserFactory(role=Role.PATIENT)
    appointment = AppointmentFactory(patient=PatientFactory(user=user))

    response = _logged_in(user).get(reverse("treatments:appointment_ics", args=[appointment.pk]))

    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.content).events
    assert event["SUMMARY"] == "Microneedling with exosomes at Exoclinic"
    assert "Stop retinoids" in event["DESCRIPTION"]


def test_another_patients_appointment_does_not_exist_for_a_patient():
    user = UserFactory(role=Role.PATIENT)
    PatientFactory(user=user)
    someone_else = AppointmentFactory()

    response = _logged_in(user).get(reverse("treatments:appointment_ics", args=[someone_else.pk]))

    assert response.status_code == 404


def test_the_manager_cannot_download_appointments():
    appointment = AppointmentFactory()

    response = _logged_in(UserFactory(role=Role.MANAGER)).get(
        reverse("treatments:appointment_ics", args=[appointment.pk])
    )

    assert response.status_code == 403


def test_an_appointment_that_does_not_exist_is_404():
    response = _logged_in(UserFactory(role=Role.FRONT_DESK)).get(
        reverse("treatments:appointment_ics", args=[999999])
    )

    assert response.status_code == 404


def test_the_download_is_get_only():
    appointment = AppointmentFactory()

    response = _logged_in(UserFactory(role=Role.FRONT_DESK)).post(
        reverse("treatments:appointment_ics", args=[appointment.pk])
    )

    assert response.status_code == 405
