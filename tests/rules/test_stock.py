"""First expiry, first out over the sessions already booked (docs/clinical-rules.md §Lots)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from clinic.lib.stock import Demand, StockLot, allocate

JAN = dt.date(2027, 1, 1)


def day(n):
    return JAN + dt.timedelta(days=n)


def test_nothing_booked_nothing_used():
    result = allocate([StockLot("A", day(10), D(3))], [])
    assert (result.needed, result.short, result.first_short_day) == (0, 0, None)
    assert result.lots[0].used == 0
    assert not result.lots[0].expires_before_use


def test_the_first_to_expire_is_used_first():
    lots = [StockLot("late", day(90), D(5)), StockLot("early", day(30), D(2))]
    result = allocate(lots, [Demand(day(1), D(1)), Demand(day(2), D(2))])
    used = {o.lot.key: o.used for o in result.lots}
    assert used == {"early": D(2), "late": D(1)}
    assert result.short == 0


def test_a_lot_expiring_before_sessions_booked_to_use_it():
    # Two vials expire on day 10; the sessions needing them are on days 12 and 14.
    lots = [StockLot("A", day(10), D(2)), StockLot("B", day(60), D(1))]
    result = allocate(lots, [Demand(day(12), D(1)), Demand(day(14), D(1))])
    a, b = result.lots
    assert (a.used, a.left_at_expiry, a.needed_after_expiry) == (0, 2, 2)
    assert a.expires_before_use
    assert (b.used, b.expires_before_use) == (1, False)
    assert (result.short, result.first_short_day) == (1, day(14))


def test_usable_on_its_expiry_day():
    result = allocate([StockLot("A", day(5), D(1))], [Demand(day(5), D(1))])
    assert result.lots[0].used == 1 and result.short == 0


@pytest.mark.parametrize(
    ("amounts", "short", "first"),
    [([D("0.5"), D("0.5")], 0, None), ([D(1), D("1.5")], D("0.5"), 1)],
)
def test_short_when_the_stock_runs_out(amounts, short, first):
    demands = [Demand(day(i), amount) for i, amount in enumerate(amounts)]
    result = allocate([StockLot("A", day(30), D(2))], demands)
    assert result.short == short
    assert result.first_short_day == (None if first is None else day(first))


def test_one_demand_split_over_two_lots():
    lots = [StockLot("A", day(30), D("0.5")), StockLot("B", day(40), D(2))]
    result = allocate(lots, [Demand(day(1), D(1))])
    assert [o.used for o in result.lots] == [D("0.5"), D("0.5")]
