"""The waitlist's pages: a patient joins, sees and changes only their own; an offer's link books
the time or says it has gone; the desk's list, adding a patient and offering a time by hand."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory
from tests.treatments.scheduling.factories import MONDAY, NOW, at
from tests.treatments.waitlist.conftest import join, portal_user
from treatments.models import (
    Appointment,
    EntryStatus,
    OfferStatus,
    WaitlistEntry,
    WaitlistOffer,
)
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + dt.timedelta(days=3)
PORTAL = reverse("treatments:portal_waitlist")
LIST = reverse("treatments:waitlist_list")


def wish(world, **fields):
    return {
        "what": f"type:{world.consultation.pk}",
        "practitioner": "",
        "earliest": MONDAY.isoformat(),
        "latest": (MONDAY + dt.timedelta(days=13)).isoformat(),
        "weekdays": ["0", "3"],
        "time_from": "09:00",
        "time_to": "13:00",
    } | fields


def offer_url(offer):
    return reverse("treatments:waitlist_offer", args=[offer.token])


@pytest.fixture
def desk_client(client, world):
    client.force_login(world.desk)
    return client


@pytest.fixture
def freed(world, django_capture_on_commit_callbacks):
    """Someone's Thursday 11:00 consultation, cancelled: offered to the waitlist."""
    appointment = world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)

    def cancel():
        with django_capture_on_commit_callbacks(execute=True):
            scheduling.appointment_cancel(
                appointment=appointment, reason="Away", by=world.desk, now=NOW
            )
        return appointment

    return cancel


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (PORTAL, LIST):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_portal_navigation_has_join_the_waitlist(patient_client):
    page = patient_client.get(reverse("treatments:portal_book")).content.decode()
    assert "Join the waitlist" in page and PORTAL in page


def test_a_patient_joins_the_waitlist(patient_client, world):
    response = patient_client.post(PORTAL, wish(world))
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.patient, entry.weekdays, entry.created_by) == (
        world.patient, "03", patient_client.user,
    )
    page = patient_client.get(PORTAL).content.decode()
    assert "Consultation" in page and "Mon, Thu" in page


@pytest.mark.parametrize(
    ("case", "fields", "field_error"),
    [
        ("last before first", {"latest": (MONDAY - dt.timedelta(days=2)).isoformat()},
         "The last date comes on or after the first."),
        ("no days", {"weekdays": []}, "Choose at least one day."),
        ("a type the page does not offer", {"what": "type:999999"},
         "Choose what you are waiting for."),
        ("another patient's plan", {"what": "plan:999999"}, "Choose what you are waiting for."),
        ("not a date", {"earliest": "31/02/2026"}, "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(
    patient_client, world, case, fields, field_error
):
    response = patient_client.post(PORTAL, wish(world, **fields))
    assert response.status_code == 200, case
    assert field_error in response.content.decode(), case
    assert not WaitlistEntry.objects.exists()


def test_a_forged_plan_of_another_patient_is_refused(patient_client, world):
    from tests.treatments.scheduling.factories import ready_plan

    other = ready_plan()
    response = patient_client.post(PORTAL, wish(world, what=f"plan:{other.pk}"))
    assert response.status_code == 200
    assert not WaitlistEntry.objects.exists()


def test_a_patient_sees_and_leaves_only_their_own_entries(patient_client, world):
    mine = join(world.patient, world.consultation)
    theirs = join(PatientFactory(), world.consultation)
    page = patient_client.get(PORTAL).content.decode()
    assert f"entry-{mine.pk}" in page and f"entry-{theirs.pk}" not in page
    response = patient_client.post(reverse("treatments:waitlist_leave", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.WAITING
    response = patient_client.post(reverse("treatments:waitlist_leave", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == EntryStatus.WITHDRAWN


def test_leaving_is_post_only(patient_client, world):
    mine = join(world.patient, world.consultation)
    url = reverse("treatments:waitlist_leave", args=[mine.pk])
    assert patient_client.get(url).status_code == 405


def test_an_offer_link_books_the_time_and_a_second_acceptance_is_told_it_has_gone(
    patient_client, client, world, freed, mailoutbox
):
    join(world.patient, world.consultation)
    other = PatientFactory()
    join(other, world.consultation)
    other_user = portal_user(other)
    cancelled = freed()
    mine, theirs = (
        WaitlistOffer.objects.get(entry__patient=world.patient),
        WaitlistOffer.objects.get(entry__patient=other),
    )
    email = next(m for m in mailoutbox if m.to == [world.patient.email] and "earlier" in m.subject)
    link = re.search(r"https?://\S+/portal/waitlist/offers/\S+/", email.body).group(0)
    assert link.endswith(offer_url(mine))

    page = patient_client.get(offer_url(mine)).content.decode()
    assert "Take this time" in page
    response = patient_client.post(offer_url(mine))
    assert response.status_code == 302
    booked = Appointment.objects.get(patient=world.patient)
    assert booked.starts_at == cancelled.starts_at

    client.force_login(other_user)
    response = client.post(offer_url(theirs))
    assert response.status_code == 200
    assert "someone else took this time first" in response.content.decode()
    assert not Appointment.objects.filter(patient=other).exists()
    theirs.refresh_from_db()
    assert theirs.status == OfferStatus.GONE


def test_another_patients_offer_is_a_404(patient_client, world, freed):
    join(PatientFactory(), world.consultation)
    freed()
    offer = WaitlistOffer.objects.get()
    assert patient_client.get(offer_url(offer)).status_code == 404
    assert patient_client.post(offer_url(offer)).status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN


def test_staff_cannot_open_an_offer(desk_client, world, freed):
    join(PatientFactory(), world.consultation)
    freed()
    offer = WaitlistOffer.objects.get()
    assert desk_client.post(offer_url(offer)).status_code == 403


def test_the_desk_list_shows_entries_in_bounded_queries(
    desk_client, world, freed, django_assert_max_num_queries
):
    join(PatientFactory(), world.consultation)
    with django_assert_max_num_queries(30) as few:
        assert desk_client.get(LIST).status_code == 200
    for _ in range(6):
        join(PatientFactory(), world.consultation)
    freed()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = desk_client.get(LIST).content.decode()
    assert page.count('id="entry-') == 7
    assert "Offered a time" in page


def test_patients_and_managers_cannot_open_the_list(client, world):
    for role in (Role.PATIENT, Role.MANAGER):
        client.force_login(UserFactory(role=role))
        assert client.get(LIST).status_code == 403


def test_the_desk_adds_a_patient_and_offers_a_time_by_hand(
    desk_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    patient = PatientFactory()
    response = desk_client.post(
        reverse("treatments:waitlist_new", args=[patient.pk]), wish(world)
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(patient=patient)
    url = reverse("treatments:waitlist_entry", args=[entry.pk])
    page = desk_client.get(url).content.decode()
    values = re.findall(r'name="slot" id="[^"]+" value="([^"]+)"', page)
    assert values
    # A forged time the page did not offer: refused, nothing offered.
    forged = re.sub(r"T\d\d:\d\d", "T03:00", values[0])
    response = desk_client.post(url, {"slot": forged})
    assert response.status_code == 200
    assert "no longer free or does not suit" in response.content.decode()
    assert not WaitlistOffer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.post(url, {"slot": values[0]})
    assert response.status_code == 302
    offer = WaitlistOffer.objects.get()
    assert offer.created_by == world.desk
    assert any(m.to == [patient.email] for m in mailoutbox)
