"""The plan's interval between sessions, a clinical decision (docs/clinical-rules.md §Treatment
plan).

A plan's sessions are at least its interval apart, counted in calendar days in the clinic's time
zone, as the course planner places them (clinic/lib/slots.py ``plan_course``): a session on the
42nd day after the one before is in time whatever the hour, and whatever the clocks did in
between. A session sooner than that is the dermatologist's decision, kept with a written reason;
the front desk may ask for one but not give it (treatments.services.scheduling).

A session already approved sooner keeps its approval while it moves no closer to the session it
was approved next to: the approved gap, not the plan's interval, is then its minimum.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateformat import format as date_format

from clinic.models import AppointmentType
from treatments.models import Appointment, TreatmentPlan


@dataclass(frozen=True, slots=True)
class PlanSession:
    """One booked session of a plan, numbered in time order (1: the first)."""

    pk: int
    number: int
    starts_at: dt.datetime
    day: dt.date  # in the clinic's zone


@dataclass(frozen=True, slots=True)
class Clash:
    """The booked session a wanted time is too close to."""

    session: PlanSession
    days: int  # calendar days between the two
    interval_days: int

    @property
    def before(self) -> bool:
        """Whether the booked session comes before the time wanted."""
        return self.days >= 0

    def text(self, tz: ZoneInfo) -> str:
        """'Session 2 on Tue 8 Dec 09:00 is 14 days before; the plan's interval is 28 days.'"""
        when = date_format(timezone.localtime(self.session.starts_at, tz), "D j M H:i")
        gap = abs(self.days)
        if gap == 0:
            apart = "is on the same day"
        else:
            apart = f"is {_days(gap)} {'before' if self.before else 'after'}"
        return (
            f"Session {self.session.number} on {when} {apart}; the plan's interval is "
            f"{_days(self.interval_days)}."
        )


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def nearest_clash(
    *, day: dt.date, others: Sequence[PlanSession], minimum_days: int, interval_days: int
) -> Clash | None:
    """The session of ``others`` nearest to ``day`` that is fewer than ``minimum_days`` calendar
    days from it (the earlier one on a tie), or None. Plain Python."""
    near = [
        (abs((day - other.day).days), other.starts_at, other)
        for other in others
        if abs((day - other.day).days) < minimum_days
    ]
    if not near:
        return None
    _, _, other = min(near, key=lambda entry: entry[:2])
    return Clash(session=other, days=(day - other.day).days, interval_days=interval_days)


@dataclass(frozen=True, slots=True)
class IntervalRule:
    """The interval rule for one more session of a plan (or for one of them moving)."""

    interval_days: int
    #: The fewest days apart allowed without a new reason: the plan's interval, or a smaller gap
    #: a dermatologist already approved for the session being moved.
    minimum_days: int
    others: tuple[PlanSession, ...]
    tz: ZoneInfo

    def day_of(self, moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment, self.tz).date()

    def clash(self, moment: dt.datetime, *, approved: bool = True) -> Clash | None:
        """Why ``moment`` is too soon, or None. ``approved=False`` measures against the plan's
        interval itself, not counting an approval already given."""
        return nearest_clash(
            day=self.day_of(moment),
            others=self.others,
            minimum_days=self.minimum_days if approved else self.interval_days,
            interval_days=self.interval_days,
        )

    def allows_day(self, day: dt.date) -> bool:
        return (
            nearest_clash(
                day=day,
                others=self.others,
                minimum_days=self.minimum_days,
                interval_days=self.interval_days,
            )
            is None
        )


def applies(plan: TreatmentPlan | None, appointment_type: AppointmentType) -> bool:
    """Whether a booking keeps to a plan's interval: a treatment session of a plan."""
    return plan is not None and appointment_type.kind == AppointmentType.Kind.TREATMENT


def has_other_sessions(plan: TreatmentPlan, *, moving: Appointment | None = None) -> bool:
    others = plan.booked_sessions()
    if moving is not None:
        others = others.exclude(pk=moving.pk)
    return others.exists()


def plan_sessions(plan: TreatmentPlan, *, tz: ZoneInfo) -> list[PlanSession]:
    """The plan's booked sessions in time order, numbered (one query)."""
    rows = plan.booked_sessions().order_by("starts_at", "pk").values_list("pk", "starts_at")
    return [
        PlanSession(
            pk=pk, number=number, starts_at=starts_at, day=timezone.localtime(starts_at, tz).date()
        )
        for number, (pk, starts_at) in enumerate(rows, start=1)
    ]


def interval_rule(
    *, plan: TreatmentPlan, tz: ZoneInfo, moving: Appointment | None = None
) -> IntervalRule:
    """The rule for booking one more session of ``plan``, or for moving ``moving`` (one of its
    sessions, which then does not stand in its own way). One query."""
    sessions = plan_sessions(plan, tz=tz)
    own = next((s for s in sessions if moving is not None and s.pk == moving.pk), None)
    others = tuple(s for s in sessions if s is not own)
    minimum = plan.interval_days
    if own is not None and others and moving.short_interval_reason:
        approved = min(abs((own.day - other.day).days) for other in others)
        minimum = min(minimum, approved)
    return IntervalRule(
        interval_days=plan.interval_days, minimum_days=minimum, others=others, tz=tz
    )
