"""Adverse events per 100 sessions, by hand, and the lot flagged on its recall page."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from clinic.models import Role
from tests.factories import LotFactory
from tests.treatments.reports.factories import june, local, plan, session
from treatments.models import AdverseEvent
from treatments.services.reports.adverse import adverse_report, lot_signal

D = dt.date


def _history(world):
    second = LotFactory(product=world.product, lot_number="R-2")
    course = plan(world)
    sessions = [
        session(world, course, starts_at=local(D(2026, 6, day), 10)) for day in (1, 2, 3)
    ]
    for day in (4, 5):
        session(world, course, starts_at=local(D(2026, 6, day), 10), lot=second)
    AdverseEvent.objects.create(
        patient=course.patient, session=sessions[0], lot=world.lot, kind="blistering",
        description="Small blisters on the cheek.", severity="mild", onset_on=D(2026, 6, 2),
        outcome="resolved", resolved_on=D(2026, 6, 9), reported_by=course.author,
    )
    return course


def test_an_empty_range(world):
    report = adverse_report(june(), clinic=world.settings)
    assert [table.rows for table in report.tables] == [[], []]


def test_rates_per_product_and_lot_with_the_lot_over_the_threshold(world):
    _history(world)
    report = adverse_report(june(), clinic=world.settings)
    # Product: 5 sessions, 1 event: 20 per 100. Mild 1, moderate 0, severe 0.
    assert report.table("products").rows == [["Rosa serum", 5, 1, "20", 1, 0, 0]]
    # 1 event in 3 sessions = 33.3 per 100, over the default threshold of 5.
    assert report.table("lots").rows == [
        ["Rosa serum", "R-1", 3, 1, "33.3", 1, 0, 0, 0, 1, 0],
        ["Rosa serum", "R-2", 2, 0, "0", 0, 0, 0, 0, 0, 0],
    ]
    assert report.table("lots").flags == {
        0: "Above the clinic's threshold of 5 per 100 sessions."
    }


def test_a_higher_threshold_flags_nothing(world):
    _history(world)
    world.settings.adverse_event_threshold = Decimal("40")
    world.settings.save()
    assert adverse_report(june(), clinic=world.settings).table("lots").flags == {}


def test_a_single_session(world):
    session(world, plan(world), starts_at=local(D(2026, 6, 3), 10))
    report = adverse_report(june(), clinic=world.settings)
    assert report.table("lots").rows == [["Rosa serum", "R-1", 1, 0, "0", 0, 0, 0, 0, 0, 0]]


def test_the_recall_page_flags_the_lot(world, client_for):
    _history(world)
    signal = lot_signal(world.lot, clinic=world.settings)
    assert (signal.sessions, signal.events, signal.rate, signal.over) == (3, 1,
                                                                          Decimal("33.3"), True)
    page = client_for(Role.MANAGER).get(reverse("treatments:lot_recall", args=[world.lot.pk]))
    assert "Adverse events above the clinic's threshold" in page.content.decode()
    other = LotFactory(product=world.product, lot_number="R-9")
    page = client_for(Role.MANAGER).get(reverse("treatments:lot_recall", args=[other.pk]))
    assert "above the clinic" not in page.content.decode()
