"""The waitlist under load: twenty patients accept one freed time at once, and two workers offer
one freed time at once. Committed data, real threads (run on PostgreSQL too)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connections

from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, NOW, at, make_clinic
from tests.treatments.waitlist.conftest import join, portal_user
from treatments.models import (
    Appointment,
    AppointmentStatus,
    FreedSlot,
    OfferStatus,
    WaitlistOffer,
    WaitlistOfferMessage,
)
from treatments.services import scheduling, waitlist

THREADS = 20
THURSDAY = MONDAY + dt.timedelta(days=3)


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index)
        except Exception as error:  # reported by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_twenty_patients_accept_one_freed_time_at_once_and_one_books_it(committed, frozen_now):
    world = make_clinic()
    patients = [PatientFactory() for _ in range(THREADS)]
    users = [portal_user(p) for p in patients]
    for patient in patients:
        join(patient, world.consultation)
    freed = world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)
    # Committed: the cancellation's offers are made once it commits (the task runs at once).
    scheduling.appointment_cancel(appointment=freed, reason="Away", by=world.desk, now=NOW)
    offers = {o.entry.patient_id: o for o in WaitlistOffer.objects.select_related("entry")}
    assert len(offers) == THREADS

    def accept(index):
        return waitlist.waitlist_accept(
            offer=offers[patients[index].pk], by=users[index], now=NOW
        )

    answers = _in_threads(THREADS, accept)

    errors = [a for a in answers if not isinstance(a, waitlist.Answer)]
    assert not errors, errors
    booked = [a for a in answers if a.appointment is not None]
    assert len(booked) == 1, answers
    assert {a.refusal for a in answers if a.appointment is None} == {waitlist.GONE}
    holding = Appointment.objects.filter(starts_at=freed.starts_at).exclude(
        status=AppointmentStatus.CANCELLED
    )
    assert holding.count() == 1
    assert FreedSlot.objects.get().refilled_by == holding.get()
    statuses = list(WaitlistOffer.objects.values_list("status", flat=True))
    assert statuses.count(OfferStatus.ACCEPTED) == 1
    assert statuses.count(OfferStatus.GONE) == THREADS - 1


def test_two_workers_offering_one_freed_time_tell_each_patient_once(committed, frozen_now):
    world = make_clinic()
    entries = [join(PatientFactory(), world.consultation) for _ in range(5)]
    slot = FreedSlot.objects.create(
        cause=FreedSlot.Cause.CANCELLED,
        appointment_type=world.consultation,
        practitioner=world.hart,
        room=world.consult,
        starts_at=at(THURSDAY, 11),
        freed_at=NOW,
    )
    mail.outbox = []

    outcomes = _in_threads(2, lambda i: waitlist.offer_freed_slot.call(slot.pk))

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == len(entries)
    assert WaitlistOffer.objects.count() == len(entries)
    assert WaitlistOfferMessage.objects.filter(status="sent").count() == len(entries)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.patient.email for e in entries)


def test_two_workers_sending_one_offer_message_send_it_once(committed, frozen_now):
    world = make_clinic()
    entry = join(PatientFactory(), world.consultation)
    slot = FreedSlot.objects.create(
        cause=FreedSlot.Cause.CANCELLED, appointment_type=world.consultation,
        practitioner=world.hart, room=world.consult, starts_at=at(THURSDAY, 11), freed_at=NOW,
    )
    offer = WaitlistOffer.objects.create(
        entry=entry, slot=slot, token="t", created_at=NOW,
        expires_at=NOW + dt.timedelta(minutes=30),
    )
    message = WaitlistOfferMessage.objects.create(offer=offer, channel="email")
    mail.outbox = []

    outcomes = _in_threads(2, lambda i: waitlist.send_offer_message.call(message.pk))

    assert sorted(outcomes) == ["sent", "taken"]
    assert len(mail.outbox) == 1
