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
    assert [table.rows for table in report.tables] == [[], [], [], []]
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


def _freed(world, starts_at, *, cause="cancelled", who=None, refilled=False):
    from treatments.models import FreedSlot

    freed = appointment(world, starts_at=starts_at, kind=world.consultation, status="cancelled",
                        who=who)
    taken = None
    if refilled:
        taken = appointment(world, starts_at=starts_at, kind=world.consultation, status="booked",
                            who=who)
    return FreedSlot.objects.create(
        appointment=None if cause == "by_hand" else freed, schedule_version=1, cause=cause,
        appointment_type=world.consultation, practitioner=who or world.hart, room=world.room,
        starts_at=starts_at, freed_at=starts_at - dt.timedelta(days=3), refilled_by=taken,
    )


def test_the_waitlists_refill_rate_by_hand(world):
    # June: three times freed by a cancellation or a move, one of them refilled from the
    # waitlist; a time the desk offered by hand was never freed; July is outside the range.
    _freed(world, local(D(2026, 6, 8), 9), refilled=True)
    _freed(world, local(D(2026, 6, 9), 9), cause="moved")
    _freed(world, local(D(2026, 6, 10), 9), who=world.mehta)
    _freed(world, local(D(2026, 6, 11), 9), cause="by_hand", refilled=True)
    _freed(world, local(D(2026, 7, 2), 9), refilled=True)

    report = attendance_report(june())
    # 1 / 3 = 33.3 %
    assert report.table("waitlist").rows == [[3, 1, "33.3"]]
    assert "The waitlist refilled 1 of 3 freed times (33.3%)." in report.notes
    assert attendance_report(june(practitioner=world.mehta)).table("waitlist").rows == [
        [1, 0, "0"]
    ]


def test_a_single_freed_time_refilled(world):
    _freed(world, local(D(2026, 6, 8), 9), refilled=True)
    assert attendance_report(june()).table("waitlist").rows == [[1, 1, "100"]]
