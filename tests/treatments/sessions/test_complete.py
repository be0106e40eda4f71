"""Completing the session: all or nothing, then the record is locked.

"Completing the session completes the appointment, moves the plan to 'in treatment', and
locks the record: later corrections are addenda with author and time, the original kept."
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from clinic.models import ClinicSettings, Role
from tests.factories import UserFactory
from tests.treatments.sessions.factories import (
    applied_session,
    checked_in_appointment,
    completed_session,
    prepared_session,
    started_session,
    usable_lot,
)
from treatments.models import (
    AftercareText,
    AppointmentStatus,
    Lot,
    MessageKind,
    OutboundMessage,
    PlanState,
    SessionStatus,
    TreatmentSession,
)
from treatments.services import plans as plan_services
from treatments.services import sessions

pytestmark = pytest.mark.django_db

COMPLETE = {
    "immediate_reactions": ["redness", "warmth"],
    "post_care": ["sun_protection", "calming_product"],
    "notes": "Tolerated well.",
}


def _url(name, session):
    return reverse(f"treatments:{name}", args=[session.pk])


def test_completion_takes_the_amount_completes_the_appointment_and_locks(client, derm):
    session = applied_session(amount="1.5")
    lot = session.lot
    AftercareText.objects.create(route="microneedling", text="Sleep on a clean pillowcase.")
    client.force_login(derm)

    response = client.post(_url("session_complete", session), COMPLETE)

    assert response.status_code == 302
    assert response["Location"].endswith("#aftercare")
    session.refresh_from_db()
    lot.refresh_from_db()
    assert lot.quantity_remaining == Decimal("6.5")  # 8 - 1.5, exactly
    assert lot.history.first().history_change_reason == "1.5 vials used at a treatment session"
    assert session.status == SessionStatus.COMPLETED
    assert session.is_locked and session.ended_at is not None
    assert session.immediate_reactions == ["redness", "warmth"]
    assert session.post_care == ["sun_protection", "calming_product"]
    assert session.notes == "Tolerated well."
    assert session.appointment.status == AppointmentStatus.COMPLETED
    session.plan.refresh_from_db()
    assert session.plan.state == PlanState.IN_TREATMENT
    assert session.aftercare_text == "Sleep on a clean pillowcase."
    assert session.aftercare["route"] == "microneedling"
    assert session.aftercare["text_version"] == 1
    assert session.aftercare["instructions"][0]["key"] == "no_makeup"
    page = client.get(response["Location"]).text
    assert "The session is completed and locked." in page
    assert "No makeup until" in page


def test_completion_queues_the_aftercare_email(django_capture_on_commit_callbacks):
    session = applied_session()
    with django_capture_on_commit_callbacks():
        sessions.session_complete(
            session=session,
            by=session.clinician,
            reactions=[],
            post_care=[],
            clinic=ClinicSettings.load(),
        )
    message = OutboundMessage.objects.get(appointment=session.appointment)
    assert message.kind == MessageKind.AFTERCARE


def test_no_email_is_queued_for_a_patient_without_an_address():
    session = applied_session()
    session.patient.email = ""
    session.patient.save()
    sessions.session_complete(
        session=session,
        by=session.clinician,
        reactions=[],
        post_care=[],
        clinic=ClinicSettings.load(),
    )
    assert not OutboundMessage.objects.exists()


# Two sessions of one course, the factory booking each two hours before the last: at a time
# of day that keeps both on one clinic day.
@time_machine.travel(dt.datetime(2026, 11, 18, 11, tzinfo=dt.UTC), tick=True)
def test_a_later_session_leaves_a_plan_in_treatment_as_it_is(client, derm):
    first = completed_session()
    plan = first.plan
    assert plan.state == PlanState.IN_TREATMENT
    second = applied_session(plan=plan)
    client.force_login(derm)
    assert client.post(_url("session_complete", second), COMPLETE).status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.IN_TREATMENT


def test_completing_without_the_steps_is_refused(client, derm):
    session = started_session()
    client.force_login(derm)
    response = client.post(_url("session_complete", session), COMPLETE)
    assert response.status_code == 200
    assert "Record the day&#x27;s screen (“anything changed?”) first." in response.text
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert not session.is_locked


def test_completing_before_the_application_lists_what_is_missing(client, derm):
    session = prepared_session()
    client.force_login(derm)
    response = client.post(_url("session_complete", session), COMPLETE)
    assert "Record the application: lot, amount and treated areas." in response.text
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.appointment.status == AppointmentStatus.CHECKED_IN


def test_a_lot_withdrawn_after_the_application_stops_the_completion(client, derm):
    session = applied_session()
    lot = session.lot
    plan_services.lot_withdraw(lot=lot, by=derm, reason="Recall notice 7")
    client.force_login(derm)
    response = client.post(_url("session_complete", session), COMPLETE)
    assert response.status_code == 200
    assert "Check the application again: This lot was withdrawn" in response.text
    lot.refresh_from_db()
    session.refresh_from_db()
    assert lot.quantity_remaining == 8
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.plan.state == PlanState.PLANNED


def test_a_lot_used_up_meanwhile_stops_the_completion(client, derm):
    session = applied_session(amount="2")
    Lot.objects.filter(pk=session.lot_id).update(quantity_remaining=Decimal("1"))
    client.force_login(derm)
    response = client.post(_url("session_complete", session), COMPLETE)
    assert "Only 1 vial left in lot" in response.text
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == 1
    assert TreatmentSession.objects.get(pk=session.pk).status == SessionStatus.IN_PROGRESS


def test_an_unknown_reaction_is_refused(client, derm):
    session = applied_session()
    client.force_login(derm)
    response = client.post(_url("session_complete", session), {"immediate_reactions": ["blisters"]})
    assert "Select a valid choice. blisters is not one of the available choices." in response.text
    assert TreatmentSession.objects.get(pk=session.pk).status == SessionStatus.IN_PROGRESS


def test_a_cancelled_appointment_cannot_be_completed(client, derm):
    session = applied_session()
    appointment = session.appointment
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save()
    client.force_login(derm)
    response = client.post(_url("session_complete", session), COMPLETE)
    assert "The appointment is cancelled, not checked in." in response.text
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == 8


STEPS = {
    "session_prescreen": {},
    "session_prep": {"skin_prepared": "on"},
    "session_application": {"lot": "1", "amount": "1", "areas": ["face"], "depth_face": "0.5"},
    "session_complete": COMPLETE,
    "session_not_treated": {"reason": "Changed my mind"},
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_locked_session_refuses_every_step(client, derm, step):
    session = completed_session()
    before = TreatmentSession.objects.values().get(pk=session.pk)
    lot_before = Lot.objects.get(pk=session.lot_id).quantity_remaining
    client.force_login(derm)

    response = client.post(_url(step, session), STEPS[step], follow=True)

    assert "This session is locked: add an addendum." in response.text
    assert TreatmentSession.objects.values().get(pk=session.pk) == before
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == lot_before


def test_the_services_refuse_a_locked_session_too():
    session = completed_session()
    with pytest.raises(sessions.SessionLocked):
        sessions.session_prepare(session=session, by=session.clinician, policy=None)


def test_two_completions_take_the_amount_once(client, derm):
    session = applied_session(amount="1")
    client.force_login(derm)
    client.post(_url("session_complete", session), COMPLETE)
    client.post(_url("session_complete", session), COMPLETE)
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == 7


def test_another_dermatologist_may_complete_a_colleagues_session(client):
    session = applied_session()
    colleague = UserFactory(role=Role.DERMATOLOGIST)
    client.force_login(colleague)
    assert client.post(_url("session_complete", session), COMPLETE).status_code == 302


def test_a_second_lot_of_the_same_product_may_be_used(client, derm):
    session = prepared_session()
    usable_lot(session.plan, lot_number="FIRST")
    second = usable_lot(session.plan, lot_number="SECOND")
    client.force_login(derm)
    client.post(
        _url("session_application", session),
        {"lot": second.pk, "amount": "1", "areas": ["face"], "device": "Pen", "depth_face": "1"},
    )
    client.post(_url("session_complete", session), COMPLETE)
    assert Lot.objects.get(pk=second.pk).quantity_remaining == 7
    assert Lot.objects.get(lot_number="FIRST").quantity_remaining == 8


def test_the_appointment_factory_is_checked_in():
    assert checked_in_appointment().status == AppointmentStatus.CHECKED_IN
