"""A freed time offered to the waitlist is held while an offer of it is open: the slot finder
does not offer it to anyone else and every other booking of it is refused, until the offers end
(expired, taken, withdrawn). The offered patients book it by accepting, the first one wins."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, NOW, at
from tests.treatments.waitlist.conftest import join, portal_user
from treatments.models import Appointment, OfferStatus, WaitlistOffer
from treatments.services import availability, scheduling, waitlist

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + dt.timedelta(days=3)
HELD = "held for a waitlist offer until 08:30"


@pytest.fixture
def offered(world, django_capture_on_commit_callbacks):
    """Thursday 11:00 was cancelled at 08:00 and offered to one waitlisted patient."""
    booked = world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)
    waiting = PatientFactory()
    join(waiting, world.consultation)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.appointment_cancel(appointment=booked, reason="Away", by=world.desk, now=NOW)
    offer = WaitlistOffer.objects.get()
    assert offer.expires_at == NOW + dt.timedelta(minutes=30)
    return offer


def starts(world, patient):
    found, _ = availability.find_free_slots(
        clinic=world.clinic,
        patient=patient,
        appointment_type=world.consultation,
        start_date=THURSDAY,
        end_date=THURSDAY,
        practitioner=world.hart,
    )
    return {slot.start for slot in found}


def book_at_eleven(world, patient):
    return scheduling.appointment_book(
        patient=patient,
        appointment_type=world.consultation,
        practitioner=world.hart,
        room=world.consult,
        starts_at=at(THURSDAY, 11),
        by=world.desk,
        clinic=world.clinic,
    )


def test_the_finder_offers_the_held_time_to_nobody_else(world, offered, frozen):
    someone = PatientFactory()
    assert at(THURSDAY, 11) not in starts(world, someone)
    assert at(THURSDAY, 10) in starts(world, someone)  # only the held time is kept back
    # The patient it was offered to sees it.
    assert at(THURSDAY, 11) in starts(world, offered.entry.patient)
    # Once the hold has run out, it is anyone's again (nobody had to tidy first).
    frozen.shift(dt.timedelta(minutes=30))
    assert at(THURSDAY, 11) in starts(world, someone)


def test_the_desk_cannot_book_the_held_time_until_the_hold_ends(world, offered, frozen):
    someone = PatientFactory()
    with pytest.raises(ValidationError) as refused:
        book_at_eleven(world, someone)
    assert HELD in " ".join(refused.value.message_dict["starts_at"])
    assert not Appointment.objects.filter(patient=someone).exists()
    frozen.shift(dt.timedelta(minutes=31))
    assert book_at_eleven(world, someone).starts_at == at(THURSDAY, 11)
    # The offer that ran out is told it has gone when its patient opens it.
    user = portal_user(offered.entry.patient)
    answer = waitlist.waitlist_accept(offer=offered, by=user)
    assert answer.appointment is None


def test_the_offered_patient_accepts_and_books_the_held_time(world, offered):
    user = portal_user(offered.entry.patient)
    answer = waitlist.waitlist_accept(offer=offered, by=user)
    assert answer.appointment is not None
    assert answer.appointment.starts_at == at(THURSDAY, 11)
    # Taken: no hold is left, the time is simply booked.
    assert availability.waitlist_holds(
        window_start=at(THURSDAY, 0), window_end=at(THURSDAY, 23), patient=None
    ) == []


def test_the_time_is_free_again_when_every_offer_ended(world, offered):
    waitlist.waitlist_withdraw(
        entry=offered.entry, by=portal_user(offered.entry.patient), now=NOW
    )
    offered.refresh_from_db()
    assert offered.status == OfferStatus.EXPIRED
    someone = PatientFactory()
    assert at(THURSDAY, 11) in starts(world, someone)
    assert book_at_eleven(world, someone).patient == someone


def test_the_hold_keeps_its_practitioner_room_and_end(world, offered):
    resources = availability.load_resources(
        clinic=world.clinic,
        patient=PatientFactory(),
        window_start=at(THURSDAY, 0),
        window_end=at(THURSDAY, 23),
    )
    [hold] = resources.waitlist_holds
    assert (hold.practitioner_id, hold.room_id, hold.starts_at) == (
        world.hart.pk, world.consult.pk, at(THURSDAY, 11)
    )
    assert hold.until == NOW + dt.timedelta(minutes=30)
