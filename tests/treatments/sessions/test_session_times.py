"""The session's times are the real ones, and the aftercare counts from the recorded end.

A session starts when its appointment does (or at a late check-in) and, unless the dermatologist
says otherwise when completing, ends at the appointment's end, or at the completion when that is
earlier. The dermatologist corrects either time on the completion step: both must be on the
appointment's day on the clinic's clock, neither in the future, the end not before the start.
docs/clinical-rules.md §Aftercare: "the exact clock times computed from when the session ended".
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import ClinicSettings
from tests.treatments.sessions.factories import (
    applied_session,
    checked_in_appointment,
    started_session,
)
from treatments.models import AppointmentStatus, Lot, SessionStatus, TreatmentSession
from treatments.services import sessions

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
#: Monday 9 March 2026 in London (GMT: the clock is UTC's).
APPOINTMENT = dt.datetime(2026, 3, 9, 10, 0, tzinfo=LONDON)
DURING = APPOINTMENT + dt.timedelta(minutes=12)
AFTERNOON = dt.datetime(2026, 3, 9, 15, 0, tzinfo=LONDON)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _london(hour, minute=0, day=9):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def _applied(**fields):
    """A session ready to complete, opened 12 minutes into a 10:00-11:00 appointment."""
    with _at(DURING):
        return applied_session(starts_at=APPOINTMENT, **fields)


def _complete(client, session, **data):
    return client.post(reverse("treatments:session_complete", args=[session.pk]), data)


def _no_makeup(session):
    return next(i for i in session.aftercare["instructions"] if i["key"] == "no_makeup")


def test_the_session_starts_when_its_appointment_does():
    with _at(DURING):
        session = started_session(starts_at=APPOINTMENT)
    assert session.started_at == APPOINTMENT


def test_a_late_check_in_starts_the_session_at_the_check_in():
    appointment = checked_in_appointment(starts_at=APPOINTMENT)
    appointment.checked_in_at = _london(10, 20)
    appointment.save()
    with _at(_london(10, 25)):
        session = sessions.session_start(appointment=appointment, by=started_session().clinician)
    assert session.started_at == _london(10, 20)


def test_a_session_recorded_hours_later_ends_at_the_appointments_end(client, derm):
    session = _applied()
    client.force_login(derm)
    with _at(AFTERNOON):
        response = _complete(client, session)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.started_at == APPOINTMENT
    assert session.ended_at == _london(11)
    assert session.locked_at == AFTERNOON
    assert _no_makeup(session)["text"] == "No makeup until Thursday 12 March, 11:00 (72 hours)"
    assert session.aftercare["ended_text"] == "Monday 9 March 2026, 11:00"


def test_a_session_completed_before_the_booked_end_ends_at_the_completion(client, derm):
    session = _applied()
    client.force_login(derm)
    with _at(_london(10, 45)):
        _complete(client, session)
    session.refresh_from_db()
    assert session.ended_at == _london(10, 45)
    assert _no_makeup(session)["text"] == "No makeup until Thursday 12 March, 10:45 (72 hours)"


def test_the_dermatologist_gives_the_real_times_and_the_aftercare_follows_the_end(client, derm):
    session = _applied()
    client.force_login(derm)
    with _at(AFTERNOON):
        response = _complete(client, session, started_at="10:05", ended_at="10:40")
        assert response.status_code == 302
        sheet = client.get(reverse("treatments:aftercare", args=[session.pk])).text
    session.refresh_from_db()
    assert (session.started_at, session.ended_at) == (_london(10, 5), _london(10, 40))
    no_makeup = _no_makeup(session)
    assert no_makeup["text"] == "No makeup until Thursday 12 March, 10:40 (72 hours)"
    assert no_makeup["until"] == "2026-03-12T10:40:00+00:00"
    assert "No makeup until Thursday 12 March, 10:40 (72 hours)" in sheet
    assert "which ended on Monday 9 March 2026, 10:40" in sheet


def test_the_times_are_on_the_clinics_clock_and_day(client, derm):
    """In New York a session at 23:30 on Monday ends on Monday, though UTC is on Tuesday."""
    clinic = ClinicSettings.load()
    clinic.time_zone = "America/New_York"
    clinic.save()
    start = dt.datetime(2026, 3, 9, 23, 30, tzinfo=NEW_YORK)  # 03:30 UTC on Tuesday
    with _at(start + dt.timedelta(minutes=5)):
        session = applied_session(starts_at=start)
    client.force_login(derm)
    with _at(start + dt.timedelta(hours=2)):
        response = _complete(client, session, started_at="23:30", ended_at="23:55")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.ended_at == dt.datetime(2026, 3, 9, 23, 55, tzinfo=NEW_YORK)
    assert session.aftercare["zone"] == "America/New_York"
    assert session.aftercare["ended_text"] == "Monday 9 March 2026, 23:55"
    assert _no_makeup(session)["text"] == "No makeup until Thursday 12 March, 23:55 (72 hours)"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"started_at": "10:00", "ended_at": "09:55"}, "ended_at", "cannot end before it started"),
        ({"ended_at": "15:30"}, "ended_at", "The session&#x27;s end cannot be in the future."),
        ({"started_at": "15:10"}, "started_at", "The session&#x27;s start cannot be in the future"),
        ({"ended_at": "half past ten"}, "ended_at", "Give the end as a time, e.g. 10:50."),
    ],
)
def test_impossible_times_are_refused_and_nothing_is_saved(client, derm, data, field, message):
    session = _applied()
    before = TreatmentSession.objects.values().get(pk=session.pk)
    client.force_login(derm)
    with _at(AFTERNOON):
        response = _complete(client, session, **data)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_complete_{field}"' in response.text
    assert TreatmentSession.objects.values().get(pk=session.pk) == before
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == 8
    session.appointment.refresh_from_db()
    assert session.appointment.status == AppointmentStatus.CHECKED_IN


def test_the_service_refuses_times_on_another_day():
    session = _applied()
    with _at(_london(9, day=10)), pytest.raises(ValidationError) as refused:
        sessions.session_complete(
            session=session,
            by=session.clinician,
            reactions=[],
            post_care=[],
            clinic=ClinicSettings.load(),
            started_at=_london(23, 50, day=8),
            ended_at=_london(0, 10, day=10),
        )
    on_the_day = "must be on the day of the appointment, Monday 9 March 2026."
    assert refused.value.message_dict == {
        "started_at": [f"The session's start {on_the_day}"],
        "ended_at": [f"The session's end {on_the_day}"],
    }
    assert TreatmentSession.objects.get(pk=session.pk).status == SessionStatus.IN_PROGRESS


def test_a_time_the_clocks_skip_is_refused(client, derm):
    """On 29 March 2026 London's clocks go from 01:00 to 02:00: 01:30 never happens."""
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    with _at(start + dt.timedelta(minutes=5)):
        session = applied_session(starts_at=start)
    client.force_login(derm)
    with _at(dt.datetime(2026, 3, 29, 4, 0, tzinfo=LONDON)):
        response = _complete(client, session, ended_at="01:30")
    assert "01:30 does not exist on 29 March: the clocks went forward." in response.text
    assert TreatmentSession.objects.get(pk=session.pk).status == SessionStatus.IN_PROGRESS


def test_the_completion_step_shows_the_times_to_check(client, derm):
    session = _applied()
    client.force_login(derm)
    url = reverse("treatments:session_detail", args=[session.pk])
    with _at(DURING):
        page = client.get(url).text
    assert 'name="started_at" value="10:00"' in page
    assert '<input type="time" name="ended_at" class=' in page  # empty: "now" when it is sent
    assert "Empty means now, or the appointment's end (11:00) once that has passed." in page
    with _at(AFTERNOON):
        page = client.get(url).text
    assert 'name="ended_at" value="11:00"' in page  # the appointment is over: its end


def test_a_session_closed_later_as_not_treated_ends_at_the_appointments_end(client, derm):
    with _at(DURING):
        session = started_session(starts_at=APPOINTMENT)
    client.force_login(derm)
    with _at(AFTERNOON):
        client.post(
            reverse("treatments:session_not_treated", args=[session.pk]),
            {"reason": "Came in with a cold sore"},
        )
    session.refresh_from_db()
    assert session.status == SessionStatus.NOT_TREATED
    assert session.ended_at == _london(11)
