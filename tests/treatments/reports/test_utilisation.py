"""Utilisation: booked against available hours and the heat map, by hand."""

import datetime as dt

from clinic.models import TimeOff
from tests.treatments.reports.factories import appointment, in_range, local, plan, session
from treatments.services.reports.utilisation import utilisation_report

D = dt.date
# Monday 8 to Sunday 14 June 2026: Dr Hart works 8 h a day (56 h), Dr Mehta 6 h (42 h).
WEEK = (D(2026, 6, 8), D(2026, 6, 14))


def test_an_empty_week(world):
    report = utilisation_report(in_range(*WEEK), clinic=world.settings)
    assert report.table("practitioners").rows == [
        ["Dr Amelia Hart", "0", "56", "0"],
        ["Dr Rohan Mehta", "0", "42", "0"],
    ]
    assert report.table("rooms").rows == [["Treatment room A", "0", "63", "0"]]
    assert report.table("weeks").rows == [["08 Jun 2026", "0", "98", "0"]]
    assert report.notes == []


def test_booked_hours_time_off_and_the_busiest_hour(world):
    course = plan(world)
    # Two 75-minute sessions with Dr Hart on Monday at 10:00 and 11:45 (after the room's 20
    # minutes of turnover): 2.5 hours.
    session(world, course, starts_at=local(D(2026, 6, 8), 10))
    session(world, course, starts_at=local(D(2026, 6, 8), 11, 45))
    # A cancelled one does not hold its time.
    appointment(world, starts_at=local(D(2026, 6, 9), 10), status="cancelled", plan_=course)
    # Dr Mehta is away 12:00-18:00 on Tuesday: 6 of his 42 hours.
    TimeOff.objects.create(staff=world.mehta, starts_at=local(D(2026, 6, 9), 12),
                           ends_at=local(D(2026, 6, 9), 18))
    report = utilisation_report(in_range(*WEEK), clinic=world.settings)
    assert report.table("practitioners").rows == [
        ["Dr Amelia Hart", "2.5", "56", "4.5"],
        ["Dr Rohan Mehta", "0", "36", "0"],
    ]
    assert report.table("rooms").rows == [["Treatment room A", "2.5", "63", "4"]]
    assert report.table("weeks").rows == [["08 Jun 2026", "2.5", "92", "2.7"]]
    monday = report.table("slots").rows[0]
    hours = report.table("slots").columns[1:]
    assert dict(zip(hours, monday[1:], strict=True))["10:00"] == "1"
    assert dict(zip(hours, monday[1:], strict=True))["11:00"] == "1"
    assert report.notes[0] == "Busiest hours: Monday 10:00 (1), Monday 11:00 (1)."
    assert report.notes[1] == (
        "Emptiest opening hours: Monday 09:00 (0), Monday 12:00 (0), Monday 13:00 (0)."
    )


def test_a_single_session_for_one_practitioner(world):
    session(world, plan(world), starts_at=local(D(2026, 6, 10), 9))
    report = utilisation_report(in_range(D(2026, 6, 10), D(2026, 6, 10), practitioner=world.hart),
                                clinic=world.settings)
    assert report.table("practitioners").rows == [["Dr Amelia Hart", "1.2", "8", "15.6"]]
