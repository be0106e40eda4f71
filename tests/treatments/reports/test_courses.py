"""Courses: started, completed, cancelled, sessions per course and intervals, by hand."""

import datetime as dt

from tests.treatments.reports.factories import LONDON, june, local, plan, session
from treatments.models import PlanState, TreatmentPlan
from treatments.services.reports.courses import courses_report

D = dt.date


def _ended(course, state, on: dt.date, reason=""):
    TreatmentPlan.objects.filter(pk=course.pk).update(
        state=state, cancel_reason=reason,
        state_changed_at=dt.datetime.combine(on, dt.time(12), tzinfo=LONDON),
    )


def _history(world):
    earlier = plan(world)  # started in May: not a June start; its June session is 21 days on
    session(world, earlier, starts_at=local(D(2026, 5, 20), 10))
    session(world, earlier, starts_at=local(D(2026, 6, 10), 10))
    june_start = plan(world)
    session(world, june_start, starts_at=local(D(2026, 6, 3), 10))
    session(world, june_start, starts_at=local(D(2026, 6, 24), 10))
    done = plan(world)  # two of its four sessions, then completed on 15 June
    session(world, done, starts_at=local(D(2026, 6, 1), 10))
    session(world, done, starts_at=local(D(2026, 6, 8), 10))
    _ended(done, PlanState.COMPLETED, D(2026, 6, 15))
    stopped = plan(world, route="topical", state=PlanState.PLANNED)
    _ended(stopped, PlanState.CANCELLED, D(2026, 6, 5), reason="Moved abroad")
    old = plan(world, route="topical")
    _ended(old, PlanState.CANCELLED, D(2026, 5, 5), reason="Before the range")


def test_an_empty_range(world):
    report = courses_report(june(), with_reasons=True)
    assert [table.rows for table in report.tables] == [[], [], []]


def test_started_completed_cancelled_and_sessions_per_course(world):
    _history(world)
    report = courses_report(june(), with_reasons=True)
    assert report.table("courses").rows == [
        ["Microneedling", 2, 1, 0, "2", "4"],
        ["Topical", 0, 0, 1, "–", "–"],
    ]
    assert report.table("courses").flags == {
        0: "Fewer than 5 completed courses: read with care."
    }
    # Intervals kept: 21 (10 Jun after 20 May), 21 (24 Jun after 3 Jun), 7 (8 Jun after 1 Jun).
    assert report.table("intervals").rows == [["Microneedling", 3, "21", "14 to 21", "42"]]
    assert report.table("cancellations").rows == [["Topical", "Moved abroad", 1]]


def test_the_manager_reads_no_reasons(world):
    _history(world)
    report = courses_report(june(), with_reasons=False)
    assert report.table("cancellations") is None
    assert "Moved abroad" not in str([table.rows for table in report.tables])


def test_a_single_session(world):
    course = plan(world)
    session(world, course, starts_at=local(D(2026, 6, 3), 10))
    report = courses_report(june(), with_reasons=True)
    assert report.table("courses").rows == [["Microneedling", 1, 0, 0, "–", "–"]]
    assert report.table("intervals").rows == []


def test_narrowed_by_route(world):
    _history(world)
    report = courses_report(june(route="topical"), with_reasons=True)
    assert report.table("courses").rows == [["Topical", 0, 0, 1, "–", "–"]]
    assert report.table("intervals").rows == []
