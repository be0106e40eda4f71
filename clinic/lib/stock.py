"""First expiry, first out: which lot the sessions already booked will use, and what is lost.

docs/clinical-rules.md §Lots: a lot is usable up to and including its expiry date, and an expired
lot is never used. The booked sessions, in date order, each take their amount from the lot that
expires first among those still in date on the session's day and not yet used up. What a lot
still holds after its expiry date is lost; a session that finds no usable stock is short.

Plain Python: lots and demands in, an allocation out.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class StockLot:
    key: object
    expiry_date: dt.date
    on_hand: Decimal


@dataclass(frozen=True, slots=True)
class Demand:
    """What the sessions booked on one day will use."""

    day: dt.date
    amount: Decimal


@dataclass(slots=True)
class LotOutcome:
    lot: StockLot
    used: Decimal = Decimal(0)
    #: The days of booked sessions served from this lot.
    days: list[dt.date] = field(default_factory=list)
    #: Booked after the lot's expiry: what sessions need after this lot can no longer be used.
    needed_after_expiry: Decimal = Decimal(0)

    @property
    def left_at_expiry(self) -> Decimal:
        return self.lot.on_hand - self.used

    @property
    def expires_before_use(self) -> bool:
        """The lot expires holding stock while sessions booked after its expiry still need it."""
        return self.left_at_expiry > 0 and self.needed_after_expiry > 0


@dataclass(frozen=True, slots=True)
class Allocation:
    lots: list[LotOutcome]
    needed: Decimal
    short: Decimal
    #: The first day a booked session finds no usable stock, or None.
    first_short_day: dt.date | None


def allocate(lots: Iterable[StockLot], demands: Sequence[Demand]) -> Allocation:
    """Serve each day's demand, in date order, from the first-expiring lot in date that day."""
    outcomes = [
        LotOutcome(lot) for lot in sorted(lots, key=lambda lot: (lot.expiry_date, str(lot.key)))
    ]
    short = Decimal(0)
    first_short_day = None
    needed = Decimal(0)
    for demand in sorted(demands, key=lambda d: d.day):
        needed += demand.amount
        wanted = demand.amount
        for outcome in outcomes:
            if outcome.lot.expiry_date < demand.day:
                outcome.needed_after_expiry += demand.amount
                continue
            if wanted <= 0:
                continue
            take = min(wanted, outcome.left_at_expiry)
            if take > 0:
                outcome.used += take
                outcome.days.append(demand.day)
                wanted -= take
        if wanted > 0:
            short += wanted
            first_short_day = first_short_day or demand.day
    return Allocation(lots=outcomes, needed=needed, short=short, first_short_day=first_short_day)
