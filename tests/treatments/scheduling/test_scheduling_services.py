"""The booking services of treatments/scheduling.py: states and transitions, late cancellation,
the booking rules and the availability messages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PatientFactory, laser_type, topical_type
from tests.treatments.scheduling.factories import MONDAY, NOW, RoomFactory, ready_plan
from tests.treatments.scheduling.factories import at as local
from treatments.models import Appointment, AppointmentStatus, PlanState
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
S = AppointmentStatus


def errors(exc: ValidationError) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in exc.message_dict.items()}


# --- States and transitions ----------------------------------------------------------------------

#: The appointment states, written out: the appointment's state machine must say this.
EXPECTED = {
    S.BOOKED: {S.CHECKED_IN, S.CANCELLED, S.NO_SHOW},
    S.CHECKED_IN: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.NO_SHOW: set(),
}


def test_the_transition_table_is_the_agreed_one():
    machine = Appointment.state_machine
    assert {state: set(machine.targets(state)) for state in S} == EXPECTED


def _run(target, appointment, by, now):
    if target == S.CHECKED_IN:
        return scheduling.appointment_check_in(appointment=appointment, by=by, now=now)
    if target == S.NO_SHOW:
        return scheduling.appointment_no_show(appointment=appointment, by=by, now=now)
    if target == S.COMPLETED:
        return scheduling.appointment_complete(appointment=appointment, by=by)
    return scheduling.appointment_cancel(appointment=appointment, reason="Unwell", by=by, now=now)


@pytest.mark.parametrize("target", [S.CHECKED_IN, S.NO_SHOW, S.COMPLETED, S.CANCELLED])
@pytest.mark.parametrize("start", list(S))
def test_every_pair_of_states_goes_through_the_services_as_the_table_says(world, start, target):
    appointment = world.book(local(MONDAY, 10))
    Appointment.objects.filter(pk=appointment.pk).update(status=start)
    after_start = local(MONDAY, 10, 5)  # a no-show can only be marked once the time has come
    if target in EXPECTED[start]:
        changed = _run(target, appointment, world.desk, after_start)
        assert changed.status == target
        assert Appointment.objects.get(pk=appointment.pk).status == target
    else:
        with pytest.raises(scheduling.TransitionRefused) as refused:
            _run(target, appointment, world.desk, after_start)
        assert f"A {start.label.lower()} appointment cannot be marked" in refused.value.messages[0]
        assert Appointment.objects.get(pk=appointment.pk).status == start


def test_a_no_show_cannot_be_marked_before_the_start(world):
    appointment = world.book(local(MONDAY, 10))
    with pytest.raises(scheduling.TransitionRefused, match="only after the start time"):
        scheduling.appointment_no_show(
            appointment=appointment, by=world.desk, now=local(MONDAY, 9, 59)
        )
    assert Appointment.objects.get(pk=appointment.pk).status == S.BOOKED


def test_check_in_records_the_time(world):
    appointment = world.book(local(MONDAY, 10))
    changed = scheduling.appointment_check_in(
        appointment=appointment, by=world.desk, now=local(MONDAY, 9, 50)
    )
    assert changed.checked_in_at == local(MONDAY, 9, 50)


# --- Late cancellation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "late"),
    [
        (dt.timedelta(hours=23, minutes=59), True),
        (dt.timedelta(hours=24), False),
        (dt.timedelta(hours=24, minutes=1), False),
        (dt.timedelta(hours=1), True),
    ],
    ids=["23h59-late", "24h00-not-late", "24h01-not-late", "1h-late"],
)
def test_a_cancellation_under_24_hours_before_is_late(world, before, late):
    starts_at = local(TUESDAY, 10)
    appointment = world.book(starts_at)
    cancelled = scheduling.appointment_cancel(
        appointment=appointment, reason="Unwell", by=world.desk, now=starts_at - before
    )
    assert cancelled.late_cancellation is late
    assert cancelled.status == S.CANCELLED
    assert cancelled.cancel_reason == "Unwell"
    assert cancelled.schedule_version == 2


def test_a_cancellation_needs_a_reason(world):
    appointment = world.book(local(TUESDAY, 10))
    with pytest.raises(ValidationError) as refused:
        scheduling.appointment_cancel(appointment=appointment, reason="  ", by=world.desk)
    assert errors(refused.value) == {"reason": ["Say why the appointment is cancelled."]}
    assert Appointment.objects.get(pk=appointment.pk).status == S.BOOKED


def test_a_cancelled_appointment_frees_its_time(world):
    appointment = world.book(local(TUESDAY, 10))
    scheduling.appointment_cancel(appointment=appointment, reason="Unwell", by=world.desk)
    again = world.book(local(TUESDAY, 10), patient=PatientFactory())
    assert again.pk != appointment.pk


# --- Booking rules: plan, route, consent, interval -----------------------------------------------


def _book_session(world, starts_at, plan=None, **kw):
    return world.book(starts_at, appointment_type=world.microneedling, plan=plan, **kw)


def test_a_treatment_session_needs_a_plan(world):
    with pytest.raises(ValidationError) as refused:
        _book_session(world, local(MONDAY, 10), plan=None)
    assert errors(refused.value) == {
        "plan": ["A treatment session is booked from the patient's treatment plan."]
    }
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.COMPLETED, PlanState.CANCELLED])
def test_a_plan_that_is_not_planned_cannot_be_booked(world, state):
    plan = ready_plan(state=state, cancel_reason="Moved away" if state == "cancelled" else "")
    with pytest.raises(ValidationError) as refused:
        world.book(
            local(MONDAY, 10), patient=plan.patient, appointment_type=world.microneedling, plan=plan
        )
    assert errors(refused.value)["plan"][0].startswith(f"The plan is {state.label.lower()}")
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("state", [PlanState.PLANNED, PlanState.IN_TREATMENT, PlanState.FOLLOW_UP])
def test_a_planned_in_treatment_or_follow_up_plan_can_be_booked(world, state):
    plan = ready_plan(state=state)
    booked = world.book(
        local(MONDAY, 10), patient=plan.patient, appointment_type=world.microneedling, plan=plan
    )
    assert booked.plan == plan


def test_the_plans_route_must_be_the_sessions(world):
    plan = ready_plan(route="topical", depths={})
    with pytest.raises(ValidationError) as refused:
        world.book(
            local(MONDAY, 10), patient=plan.patient, appointment_type=world.microneedling, plan=plan
        )
    assert errors(refused.value) == {
        "appointment_type": ["The plan's route is topical, not microneedling."]
    }


def test_another_patients_plan_is_refused(world):
    other = ready_plan()
    with pytest.raises(ValidationError) as refused:
        _book_session(world, local(MONDAY, 10), plan=other)
    assert errors(refused.value) == {"plan": ["This plan is another patient's."]}


def test_a_session_needs_treatment_consent(world):
    plan = ready_plan(consent=False)
    with pytest.raises(ValidationError) as refused:
        world.book(
            local(MONDAY, 10), patient=plan.patient, appointment_type=world.microneedling, plan=plan
        )
    assert errors(refused.value) == {
        "plan": ["The patient has no valid treatment consent. Take consent before booking."]
    }


def test_revoked_consent_is_no_consent(world):
    consent = world.patient.consents.get()
    consent.revoked_at = NOW
    consent.revocation_reason = "Changed their mind"
    consent.save()
    with pytest.raises(ValidationError, match="no valid treatment consent"):
        _book_session(world, local(MONDAY, 10), plan=world.plan)


def test_a_consultation_needs_no_plan_or_consent(world):
    patient = PatientFactory()
    booked = world.book(local(MONDAY, 10), patient=patient)
    assert booked.plan is None


def test_a_session_exactly_the_interval_later_needs_no_reason(world):
    _book_session(world, local(MONDAY, 10), plan=world.plan)
    later = _book_session(world, local(MONDAY + dt.timedelta(days=42), 10), plan=world.plan)
    assert later.short_interval_reason == ""


def test_no_more_sessions_than_the_plan_has(world):
    for week in range(4):
        _book_session(world, local(MONDAY + dt.timedelta(weeks=6 * week), 10), plan=world.plan)
    with pytest.raises(ValidationError) as refused:
        _book_session(world, local(MONDAY + dt.timedelta(weeks=30), 10), plan=world.plan)
    assert errors(refused.value) == {"plan": ["All 4 sessions of this plan are already booked."]}


def test_an_archived_patient_cannot_be_booked(world):
    patient = PatientFactory(archived_at=NOW)
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 10), patient=patient)
    assert errors(refused.value) == {"patient": ["This patient is archived."]}


# --- When: the past, far ahead -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (dt.datetime(1900, 1, 1, 10, tzinfo=dt.UTC), "This time is in the past."),
        (NOW - dt.timedelta(minutes=1), "This time is in the past."),
        (NOW + dt.timedelta(days=800), "That is more than two years ahead: check the date."),
    ],
    ids=["1900", "a-minute-ago", "800-days-ahead"],
)
def test_times_in_the_past_or_far_ahead_are_refused(world, starts_at, message):
    with pytest.raises(ValidationError) as refused:
        world.book(starts_at, now=NOW)
    assert errors(refused.value) == {"starts_at": [message]}
    assert not Appointment.objects.exists()


# --- Availability --------------------------------------------------------------------------------


def test_outside_opening_hours_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 17, 30))  # 45 minutes would end at 18:15
    assert errors(refused.value) == {
        "starts_at": ["17:30-18:15 on Monday 15 June is outside the clinic's opening hours."]
    }


def test_a_closed_day_is_outside_opening_hours(world):
    from tests.treatments.scheduling.factories import open_clinic

    open_clinic(days=range(5))
    with pytest.raises(ValidationError, match="outside the clinic's opening hours"):
        world.book(local(MONDAY + dt.timedelta(days=6), 10))  # a Sunday


def test_a_practitioner_who_does_not_work_that_day_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 10), practitioner=world.mehta)  # he works on Tuesdays
    assert errors(refused.value) == {
        "starts_at": ["Dr Rohan Mehta does not work at 10:00 on Mondays."]
    }


def test_a_busy_practitioner_is_refused(world):
    world.book(local(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 10, 30), patient=PatientFactory(), room=world.room_b)
    assert errors(refused.value) == {
        "starts_at": ["Dr Amelia Hart is already booked or away at that time."]
    }


def test_time_off_makes_the_practitioner_busy(world):
    from clinic.models import TimeOff

    TimeOff.objects.create(
        staff=world.hart, starts_at=local(MONDAY, 12), ends_at=local(MONDAY, 14), reason="Course"
    )
    with pytest.raises(ValidationError, match="already booked or away"):
        world.book(local(MONDAY, 13))


def test_the_room_is_busy_during_its_turnover_buffer(world):
    # Microneedling 10:00-11:15 with Dr Hart, then 20 minutes of turnover: room A is free again
    # from 11:35. Dr Mehta (free, on a Tuesday) cannot use it before then.
    _book_session(world, local(TUESDAY, 10), plan=world.plan)
    other = ready_plan()

    def book_with_mehta(starts_at):
        return world.book(
            starts_at,
            patient=other.patient,
            appointment_type=world.microneedling,
            plan=other,
            practitioner=world.mehta,
        )

    with pytest.raises(ValidationError) as refused:
        book_with_mehta(local(TUESDAY, 11, 15))
    assert errors(refused.value) == {
        "room": ["Treatment room A is in use (or being turned over) at that time."]
    }
    with pytest.raises(ValidationError, match="being turned over"):
        book_with_mehta(local(TUESDAY, 11, 30))
    assert book_with_mehta(local(TUESDAY, 11, 35)).room == world.room_a


def test_a_patient_cannot_be_in_two_places(world):
    world.book(local(TUESDAY, 10))
    with pytest.raises(ValidationError) as refused:
        world.book(local(TUESDAY, 10, 15), practitioner=world.mehta, room=world.room_b)
    assert errors(refused.value) == {
        "starts_at": ["The patient already has an appointment at that time."]
    }


def test_a_room_that_cannot_host_the_route_is_refused(world):
    plan = ready_plan(route="laser_assisted", depths={})
    with pytest.raises(ValidationError) as refused:
        world.book(
            local(MONDAY, 10),
            patient=plan.patient,
            appointment_type=laser_type(),
            plan=plan,
            room=world.room_b,
        )
    assert errors(refused.value) == {
        "room": ["Treatment room B cannot host laser-assisted infusion."]
    }


def test_a_consultation_room_cannot_host_microneedling(world):
    with pytest.raises(ValidationError) as refused:
        _book_session(world, local(MONDAY, 10), plan=world.plan, room=world.consult)
    assert errors(refused.value) == {"room": ["Consultation 1 cannot host microneedling."]}


def test_a_consultation_room_cannot_host_a_topical_session_either(world):
    plan = ready_plan(route="topical", depths={})
    with pytest.raises(ValidationError, match="Consultation 1 cannot host topical"):
        world.book(
            local(MONDAY, 10),
            patient=plan.patient,
            appointment_type=topical_type(),
            plan=plan,
            room=world.consult,
        )


def test_an_inactive_room_is_refused(world):
    room = RoomFactory(name="Old room", kind="consultation", active=False)
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 10), room=room)
    assert errors(refused.value) == {"room": ["Old room is not in use."]}


def test_a_conflicting_booking_is_refused_with_a_clear_message_and_nothing_saved(world):
    first = world.book(local(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        world.book(local(MONDAY, 10), patient=PatientFactory())
    assert errors(refused.value) == {
        "starts_at": ["Dr Amelia Hart is already booked or away at that time."]
    }
    assert list(Appointment.objects.all()) == [first]


# --- Moving --------------------------------------------------------------------------------------


def test_moving_does_not_clash_with_itself(world):
    appointment = world.book(local(TUESDAY, 10))
    moved = scheduling.appointment_move(
        appointment=appointment, starts_at=local(TUESDAY, 10, 15), by=world.desk
    )
    assert moved.starts_at == local(TUESDAY, 10, 15)
    assert moved.ends_at == local(TUESDAY, 11)
    assert moved.schedule_version == 2


def test_moving_onto_another_booking_is_refused_and_keeps_the_old_time(world):
    appointment = world.book(local(TUESDAY, 10))
    world.book(local(TUESDAY, 14), patient=PatientFactory())
    with pytest.raises(ValidationError, match="already booked or away"):
        scheduling.appointment_move(
            appointment=appointment, starts_at=local(TUESDAY, 14), by=world.desk
        )
    assert Appointment.objects.get(pk=appointment.pk).starts_at == local(TUESDAY, 10)


def test_only_a_booked_appointment_moves(world):
    appointment = world.book(local(TUESDAY, 10))
    scheduling.appointment_check_in(appointment=appointment, by=world.desk, now=local(TUESDAY, 9))
    with pytest.raises(ValidationError, match="A checked in appointment cannot be moved"):
        scheduling.appointment_move(
            appointment=appointment, starts_at=local(TUESDAY, 11), by=world.desk
        )


# --- Check-in on the appointment's own day -------------------------------------------------------


def test_a_session_a_week_ahead_cannot_be_checked_in(world):
    appointment = world.book(local(MONDAY + dt.timedelta(days=7), 10))
    with pytest.raises(ValidationError) as refused:
        scheduling.appointment_check_in(appointment=appointment, by=world.desk, now=NOW)
    assert refused.value.messages == [
        "A patient is checked in on the day of their appointment: this one is on Monday 22 June "
        "2026."
    ]
    assert Appointment.objects.get(pk=appointment.pk).status == S.BOOKED


def test_the_day_is_the_clinics_not_utcs(world):
    # Tuesday 00:10 in London is still Monday 23:10 in UTC: the clinic's day, Tuesday, counts.
    appointment = world.book(local(TUESDAY, 10))
    with pytest.raises(ValidationError, match="on the day of their appointment"):
        scheduling.appointment_check_in(
            appointment=appointment, by=world.desk, now=local(MONDAY, 23, 50)
        )
    changed = scheduling.appointment_check_in(
        appointment=appointment, by=world.desk, now=local(TUESDAY, 0, 10)
    )
    assert changed.status == S.CHECKED_IN


def test_a_day_already_past_cannot_be_checked_in_either(world):
    appointment = world.book(local(MONDAY, 10))
    with pytest.raises(ValidationError, match="this one is on Monday 15 June 2026"):
        scheduling.appointment_check_in(
            appointment=appointment, by=world.desk, now=local(TUESDAY, 9)
        )
