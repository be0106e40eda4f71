"""Attendance: no-shows and late cancellations, by hand. Now is Wednesday 17 June, 12:00."""

import datetime as dt

from tests.treatments.reports.factories import appointment, june, local
from treatments.services.reports.attendance import attendance_report

D = dt.date


def _week(world):
    for hour in (9, 10, 11):
        appointment(world, starts_at=local(D(2026, 6, 8), hour), kind=world.consultation)
    appointment(world, starts_at=local(D(2026, 6, 9), 9), kind=world.consultation,
                status="no_show")
    appointment(world, starts_at=local(D(2026, 6, 9), 10), kind=world.consultation,
                status="cancelled", late_cancellation=True)
    # Cancelled in good time: its slot could be offered again, so it is not due.
    appointment(world, starts_at=local(D(2026, 6, 9), 11), kind=world.consultation,
                status="cancelled")
    # Yesterday, not yet marked: due. Tomorrow: not yet due.
    appointment(world, starts_at=local(D(2026, 6, 16), 9), kind=world.consultation,
                status="booked", who=world.mehta)
    appointment(world, starts_at=local(D(2026, 6, 18), 9), kind=world.consultation,
                status="booked")


def test_an_empty_range(world):
    report = attendance_report(june())
    assert [table.rows for table in report.tables] == [[], [], []]
    assert report.notes == []


def test_rates_by_week_type_and_practitioner(world):
    _week(world)
    report = attendance_report(june())
    assert report.table("weeks").rows == [
        ["08 Jun 2026", 5, 1, "20", 1, "20"],
        ["15 Jun 2026", 1, 0, "0", 0, "0"],
    ]
    assert report.table("types").rows == [
        ["Consultation and skin assessment", 6, 1, "16.7", 1, "16.7"]
    ]
    assert report.table("practitioners").rows == [
        ["Dr Amelia Hart", 5, 1, "20", 1, "20"],
        ["Dr Rohan Mehta", 1, 0, "0", 0, "0"],
    ]
    assert report.notes == [
        "6 appointments were due: 1 no-shows (16.7%) and 1 late cancellations (16.7%)."
    ]


def test_a_single_no_show_for_one_practitioner(world):
    _week(world)
    report = attendance_report(june(practitioner=world.mehta))
    assert report.table("weeks").rows == [["15 Jun 2026", 1, 0, "0", 0, "0"]]
