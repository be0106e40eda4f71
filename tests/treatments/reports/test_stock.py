"""Stock against the sessions booked, first expiry first out, by hand. Today is 17 June 2026."""

import datetime as dt
from decimal import Decimal

from clinic.models import AppointmentType
from tests.factories import LotFactory
from tests.treatments.reports.factories import TODAY, appointment, june, local, plan, session
from treatments.services.reports.stock import low_stock_products, stock_report

D = dt.date


def _booked(world):
    world.lot.expiry_date = D(2027, 6, 1)
    world.lot.save()
    LotFactory(product=world.product, lot_number="A-0", expiry_date=D(2026, 6, 20),
               quantity_remaining=Decimal(2))
    course = plan(world)
    session(world, course, starts_at=local(D(2026, 5, 20), 10), amount="1.5")
    for day in (18, 25):
        appointment(world, starts_at=local(D(2026, 6, day), 10), status="booked", plan_=course)
    # No session yet: the clinic's usual amount of the product on the route, 1.5.
    fresh = plan(world)
    appointment(world, starts_at=local(D(2026, 6, 26), 14), status="booked", plan_=fresh)
    # After the range: not counted.
    appointment(world, starts_at=local(D(2026, 7, 2), 10), status="booked", plan_=course)


def test_nothing_booked(world):
    report = stock_report(june(), clinic=world.settings, today=TODAY)
    assert report.table("products").rows == [["Rosa serum", "8 vials", "0", "0", "–", "–"]]
    assert report.table("products").flags == {}


def test_first_expiry_first_out_and_the_lot_that_expires_first(world):
    _booked(world)
    world.product.low_stock_level = Decimal(10)
    world.product.save()
    report = stock_report(june(), clinic=world.settings, today=TODAY)
    # 18 Jun: 1.5 from A-0 (0.5 left); A-0 expires on 20 Jun; 25 and 26 Jun: 3 from R-1.
    assert report.table("products").rows == [["Rosa serum", "10 vials", "4.5", "0", "–", "10"]]
    assert report.table("products").flags == {0: "At or below the low-stock level."}
    assert report.table("lots").rows == [
        ["Rosa serum", "A-0", "20 Jun 2026", "2 vials", "1.5", "0.5", "18 Jun 2026"],
        ["Rosa serum", "R-1", "01 Jun 2027", "8 vials", "3", "5", "25 Jun 2026"],
    ]
    assert report.table("lots").flags == {
        0: "Expires on 20 Jun 2026 with 0.5 vials left, while sessions booked after that need it."
    }
    assert low_stock_products(world.settings, today=TODAY) == [
        {"product": world.product, "on_hand": "10", "level": "10"}
    ]


def test_short_when_the_booked_sessions_need_more_than_the_shelf(world):
    course = plan(world)
    session(world, course, starts_at=local(D(2026, 5, 20), 10), amount="5")
    for day in (18, 25):
        appointment(world, starts_at=local(D(2026, 6, day), 10), status="booked", plan_=course)
    report = stock_report(june(), clinic=world.settings, today=TODAY)
    # 5 + 5 needed from the 8 on hand (the May session took nothing in this test's shelf).
    assert report.table("products").rows == [
        ["Rosa serum", "8 vials", "10", "2", "25 Jun 2026", "–"]
    ]
    assert report.table("products").flags == {0: "Short from 25 Jun 2026."}


def test_a_single_booked_session_of_a_plan_never_treated(world):
    appointment(world, starts_at=local(D(2026, 6, 18), 10), status="booked", plan_=plan(world))
    report = stock_report(june(), clinic=world.settings, today=TODAY)
    # No session of the product on the route anywhere: one vial.
    assert report.table("products").rows == [["Rosa serum", "8 vials", "1", "0", "–", "–"]]


def test_no_low_stock_warning_above_the_level(world):
    world.product.low_stock_level = Decimal(7)
    world.product.save()
    assert low_stock_products(world.settings, today=TODAY) == []


def test_a_clinic_with_no_treatment_type_needs_nothing(world):
    AppointmentType.objects.filter(kind=AppointmentType.Kind.TREATMENT).update(
        kind=AppointmentType.Kind.CONSULTATION, route=""
    )
    report = stock_report(june(), clinic=world.settings, today=TODAY)
    assert report.table("products").rows == [["Rosa serum", "8 vials", "0", "0", "–", "–"]]
