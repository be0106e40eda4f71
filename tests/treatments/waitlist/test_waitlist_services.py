"""The waitlist's services: joining, a freed time offered in joining order, once; accepting."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PatientFactory, UserFactory
from tests.treatments.scheduling.factories import MONDAY, NOW, at, ready_plan
from tests.treatments.waitlist.conftest import join, portal_user
from treatments.models import (
    Appointment,
    AppointmentStatus,
    EntryStatus,
    FreedSlot,
    OfferStatus,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistOfferMessage,
)
from treatments.services import scheduling, waitlist

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + dt.timedelta(days=3)


def cancel(appointment, by, capture):
    with capture(execute=True):
        scheduling.appointment_cancel(appointment=appointment, reason="Away", by=by, now=NOW)


@pytest.fixture
def booked(world):
    """Someone else's consultation on Thursday at 11:00."""
    return world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)


@pytest.mark.parametrize(
    ("case", "wish", "field"),
    [
        ("first date in the past", {"earliest": MONDAY - dt.timedelta(days=1)}, "earliest"),
        ("last before first", {"latest": MONDAY - dt.timedelta(days=1),
                               "earliest": MONDAY}, "latest"),
        ("beyond 26 weeks", {"latest": MONDAY + dt.timedelta(weeks=27)}, "latest"),
        ("no days", {"weekdays": set()}, "weekdays"),
        ("hours backwards", {"time_from": dt.time(14), "time_to": dt.time(10)}, "time_to"),
    ],
)
def test_joining_refuses_what_makes_no_sense_at_its_field(world, case, wish, field):
    with pytest.raises(ValidationError) as refused:
        join(world.patient, world.consultation, **wish)
    assert field in refused.value.message_dict, case
    assert not WaitlistEntry.objects.exists()


def test_eligibility_decides_what_a_patient_may_wait_for(world):
    new = PatientFactory()
    # A new patient has not been seen: a follow-up review is not theirs to wait for.
    with pytest.raises(ValidationError) as refused:
        join(new, world.review)
    assert "appointment_type" in refused.value.message_dict
    # A treatment session waits within a plan of its route.
    with pytest.raises(ValidationError):
        join(new, world.microneedling)
    entry = join(world.patient, world.microneedling, plan=world.plan)
    assert entry.status == EntryStatus.WAITING and entry.plan == world.plan


def test_one_live_entry_per_patient_and_type(world):
    join(world.patient, world.consultation)
    with pytest.raises(ValidationError, match="Already on the waitlist"):
        join(world.patient, world.consultation)


def test_a_patient_joins_only_for_themselves(world):
    other = PatientFactory()
    user = portal_user(world.patient)
    with pytest.raises(ValidationError, match="not yours"):
        join(other, world.consultation, by=user)


def test_a_cancellation_offers_the_time_in_joining_order_once(
    world, booked, mailoutbox, django_capture_on_commit_callbacks
):
    first = join(PatientFactory(), world.consultation)
    second = join(PatientFactory(), world.consultation)
    tuesdays_only = join(PatientFactory(), world.consultation, weekdays={1})
    cancel(booked, world.desk, django_capture_on_commit_callbacks)

    slot = FreedSlot.objects.get()
    assert (slot.appointment, slot.cause, slot.starts_at) == (booked, "cancelled", booked.starts_at)
    offers = list(WaitlistOffer.objects.order_by("pk"))
    assert [o.entry for o in offers] == [first, second]
    assert all(o.expires_at == NOW + dt.timedelta(minutes=30) for o in offers)
    offer_mails = [m for m in mailoutbox if "earlier time" in m.subject]
    assert [m.to for m in offer_mails] == [[first.patient.email], [second.patient.email]]
    assert offers[0].token in offer_mails[0].body
    tuesdays_only.refresh_from_db()
    assert tuesdays_only.status == EntryStatus.WAITING
    # Run again (a second worker, a task delivered twice): nothing more.
    assert waitlist.waitlist_offer_slot(slot_id=slot.pk, now=NOW) == []
    assert WaitlistOffer.objects.count() == 2
    assert len([m for m in mailoutbox if "earlier time" in m.subject]) == 2


def test_a_move_frees_the_old_time(world, booked, django_capture_on_commit_callbacks):
    entry = join(PatientFactory(), world.consultation)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.appointment_move(
            appointment=booked, starts_at=at(THURSDAY, 15), by=world.desk, now=NOW
        )
    slot = FreedSlot.objects.get()
    assert (slot.cause, slot.starts_at, slot.schedule_version) == ("moved", at(THURSDAY, 11), 1)
    assert WaitlistOffer.objects.get().entry == entry


def test_a_course_entry_is_offered_only_times_that_keep_the_interval(
    world, django_capture_on_commit_callbacks
):
    # The plan's first session is on Monday; its interval is 42 days.
    world.book(at(MONDAY + dt.timedelta(days=1), 10), appointment_type=world.microneedling,
               plan=world.plan, now=NOW)
    entry = join(world.patient, world.microneedling, plan=world.plan,
                 latest=MONDAY + dt.timedelta(days=60))
    others = ready_plan(), ready_plan()
    soon = world.book(at(MONDAY + dt.timedelta(days=20), 10), patient=others[0].patient,
                      plan=others[0], appointment_type=world.microneedling, now=NOW)
    late = world.book(at(MONDAY + dt.timedelta(days=50), 10), patient=others[1].patient,
                      plan=others[1], appointment_type=world.microneedling, now=NOW)
    cancel(soon, world.desk, django_capture_on_commit_callbacks)
    assert not WaitlistOffer.objects.exists()
    cancel(late, world.desk, django_capture_on_commit_callbacks)
    assert WaitlistOffer.objects.get().entry == entry


def test_the_first_to_accept_books_and_the_next_is_told_it_has_gone(
    world, booked, django_capture_on_commit_callbacks
):
    one, two = PatientFactory(), PatientFactory()
    join(one, world.consultation)
    join(two, world.consultation)
    users = portal_user(one), portal_user(two)
    cancel(booked, world.desk, django_capture_on_commit_callbacks)
    first, second = WaitlistOffer.objects.order_by("pk")

    answer = waitlist.waitlist_accept(offer=second, by=users[1], now=NOW)
    assert answer.appointment is not None
    assert answer.appointment.patient == two and answer.appointment.starts_at == booked.starts_at
    late = waitlist.waitlist_accept(offer=first, by=users[0], now=NOW)
    assert (late.appointment, late.refusal) == (None, waitlist.GONE)

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (OfferStatus.GONE, OfferStatus.ACCEPTED)
    assert FreedSlot.objects.get().refilled_by == answer.appointment
    entries = {e.patient: e.status for e in WaitlistEntry.objects.all()}
    assert entries == {one: EntryStatus.WAITING, two: EntryStatus.BOOKED}
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_an_offer_ends_after_its_hold(world, booked, django_capture_on_commit_callbacks):
    patient = PatientFactory()
    join(patient, world.consultation)
    user = portal_user(patient)
    cancel(booked, world.desk, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get()
    answer = waitlist.waitlist_accept(offer=offer, by=user, now=NOW + dt.timedelta(minutes=31))
    assert answer.refusal == waitlist.ENDED
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not Appointment.objects.filter(patient=patient).exists()


def test_only_the_offers_patient_accepts_it(world, booked, django_capture_on_commit_callbacks):
    join(PatientFactory(), world.consultation)
    cancel(booked, world.desk, django_capture_on_commit_callbacks)
    stranger = portal_user(PatientFactory())
    with pytest.raises(ValidationError):
        waitlist.waitlist_accept(offer=WaitlistOffer.objects.get(), by=stranger, now=NOW)


def test_the_desk_offers_a_time_by_hand_only_one_the_finder_gives(world):
    entry = join(PatientFactory(), world.consultation)
    times, _ = waitlist.hand_offer_times(entry, clinic=world.clinic, now=NOW)
    assert times
    chosen = times[0]
    with pytest.raises(ValidationError) as refused:
        waitlist.waitlist_offer_by_hand(
            entry=entry, starts_at=chosen.start.replace(hour=3), practitioner=world.hart,
            room=world.consult, by=world.desk, now=NOW,
        )
    assert "slot" in refused.value.message_dict
    assert not WaitlistOffer.objects.exists()
    offer = waitlist.waitlist_offer_by_hand(
        entry=entry, starts_at=chosen.start, practitioner=world.hart, room=world.consult,
        by=world.desk, now=NOW,
    )
    assert offer.slot.cause == FreedSlot.Cause.BY_HAND and offer.created_by == world.desk
    assert WaitlistOfferMessage.objects.filter(offer=offer).exists()


def test_leaving_ends_the_open_offers(world, booked, django_capture_on_commit_callbacks):
    patient = PatientFactory()
    entry = join(patient, world.consultation)
    cancel(booked, world.desk, django_capture_on_commit_callbacks)
    waitlist.waitlist_withdraw(entry=entry, by=portal_user(patient), now=NOW)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    assert WaitlistOffer.objects.get().status == OfferStatus.EXPIRED


def test_the_one_who_cancelled_is_not_offered_their_own_time(
    world, django_capture_on_commit_callbacks
):
    patient = PatientFactory()
    appointment = world.book(at(THURSDAY, 11), patient=patient, now=NOW)
    join(patient, world.consultation)
    cancel(appointment, world.desk, django_capture_on_commit_callbacks)
    assert not WaitlistOffer.objects.exists()


def test_refill_counts(world, django_capture_on_commit_callbacks):
    patient = PatientFactory()
    join(patient, world.consultation)
    user = portal_user(patient)
    a = world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)
    b = world.book(at(THURSDAY, 14), patient=PatientFactory(), now=NOW)
    cancel(a, world.desk, django_capture_on_commit_callbacks)
    waitlist.waitlist_accept(offer=WaitlistOffer.objects.get(), by=user, now=NOW)
    cancel(b, world.desk, django_capture_on_commit_callbacks)
    week = at(MONDAY, 0), at(MONDAY + dt.timedelta(days=7), 0)
    assert waitlist.refill_counts(start=week[0], end=week[1]) == (2, 1)
    assert waitlist.refill_counts(start=week[1], end=week[1] + dt.timedelta(days=7)) == (0, 0)


def test_status_constraint_holds_in_the_database(world):
    from django.db import IntegrityError, transaction

    entry = join(PatientFactory(), world.consultation)
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitlistEntry.objects.filter(pk=entry.pk).update(status="parked")
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitlistEntry.objects.filter(pk=entry.pk).update(weekdays="8")
    assert UserFactory  # the factories module is importable here


def test_a_patient_who_chose_texts_is_texted_the_offer_without_clinical_detail(
    world, booked, mailoutbox, django_capture_on_commit_callbacks
):
    from clinic.lib.sms import segments
    from tests.treatments.sms.factories import texting_patient
    from treatments.services import sms

    patient = texting_patient()
    join(patient, world.consultation)
    cancel(booked, world.desk, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get()
    [text] = [t for t in sms.outbox if t["to"] == patient.mobile.as_e164]
    assert offer.token in text["body"] and "Consultation" not in text["body"]
    assert segments(text["body"]).count <= 2
    assert not [m for m in mailoutbox if m.to == [patient.email] and "earlier" in m.subject]
    assert WaitlistOfferMessage.objects.get(offer=offer).status == "sent"


def test_no_offer_text_in_quiet_hours(world, django_capture_on_commit_callbacks, time_machine):
    from tests.treatments.sms.factories import texting_patient
    from treatments.services import sms

    late_evening = at(MONDAY, 22)
    time_machine.move_to(late_evening)
    appointment = world.book(at(THURSDAY, 11), patient=PatientFactory(), now=NOW)
    patient = texting_patient()
    join(patient, world.consultation)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.appointment_cancel(
            appointment=appointment, reason="Away", by=world.desk, now=late_evening
        )
    assert WaitlistOfferMessage.objects.get().status == "skipped"
    assert not sms.outbox
