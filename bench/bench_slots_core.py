"""Benchmark the pure slot finder (clinic/lib/slots.py) on a dense synthetic clinic.

    .venv/bin/python bench/bench_slots_core.py [--searches 200] [--seed 7]

No Django settings and no database: the clinic is generated in memory. 10 practitioners (split
shifts, part-timers, holidays), 8 rooms (3 consultation, 5 procedure with different routes),
five years of opening days in Europe/London (both clock changes every year), realistic durations
(15-minute reviews to 90-minute laser sessions) and turnover buffers. Three clinics:

- "as specified": ~500,000 appointments over five years, random practitioner, room and start.
  Ten practitioners cannot see 500,000 patients in five years (that is ~32 a day each), so these
  overlap; ``Busy.of`` merges them and the days are nearly full.
- "packed": every practitioner's day booked back to back with short random gaps, each appointment
  in a free room that can host it: as dense as a real clinic gets, never double-booked.
- "empty": no appointments; the largest answer (every start free).

Each runs the same random 4-week searches (``find_slots`` over 28 local days, every practitioner
and room, a random appointment type, a patient with a few bookings) and reports the median and
95th percentile, then the earliest slot (``limit=1``) and a 6-session course (``plan_course``).
"""

import argparse
import random
import statistics
import sys
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic.lib.slots import (
    AppointmentType,
    Busy,
    Interval,
    Practitioner,
    Room,
    WeeklyHours,
    earliest_slot_finder,
    find_slots,
    plan_course,
)
from clinic.lib.vocabulary import Route

LONDON = ZoneInfo("Europe/London")
FIRST_DAY = date(2022, 1, 3)
YEARS = 5
DAYS = 365 * YEARS + 1
TARGET_APPOINTMENTS = 500_000
MIN = timedelta(minutes=1)


def span(a: str, b: str) -> tuple[time, time]:
    return time.fromisoformat(a), time.fromisoformat(b)


CLINIC = WeeklyHours.of(
    {**{d: [span("08:00", "20:00")] for d in range(5)}, 5: [span("09:00", "17:00")]}
)
#: Ten practitioners' weekly hours: five full-time with lunch, three Tue-Sat, two late shifts.
PRACTITIONER_HOURS = (
    *[WeeklyHours.of({d: [span("08:00", "13:00"), span("13:45", "19:00")] for d in range(5)})] * 5,
    *[WeeklyHours.of({d: [span("09:00", "17:00")] for d in range(1, 6)})] * 3,
    *[WeeklyHours.of({d: [span("12:00", "20:00")] for d in range(4)})] * 2,
)
ALL = frozenset(Route)
#: (id, kind, routes)
ROOMS = (
    ("C1", "consultation", frozenset()),
    ("C2", "consultation", frozenset()),
    ("C3", "consultation", frozenset()),
    ("P1", "procedure", ALL),
    ("P2", "procedure", ALL),
    ("P3", "procedure", frozenset({Route.MICRONEEDLING, Route.TOPICAL})),
    ("P4", "procedure", frozenset({Route.LASER_ASSISTED, Route.TRANSDERMAL})),
    ("P5", "procedure", frozenset({Route.TOPICAL, Route.TRANSDERMAL})),
)
#: (appointment type, weight): the week's mix.
KINDS = (
    (AppointmentType(duration=15 * MIN, buffer_after=5 * MIN), 3),  # follow-up review
    (AppointmentType(duration=30 * MIN, buffer_after=10 * MIN), 3),  # consultation
    (AppointmentType(duration=45 * MIN, buffer_after=10 * MIN, route=Route.TOPICAL), 2),
    (AppointmentType(duration=45 * MIN, buffer_after=10 * MIN, route=Route.TRANSDERMAL), 2),
    (AppointmentType(duration=60 * MIN, buffer_after=20 * MIN, route=Route.MICRONEEDLING), 3),
    (AppointmentType(duration=90 * MIN, buffer_after=20 * MIN, route=Route.LASER_ASSISTED), 1),
)


@dataclass
class Clinic:
    name: str
    appointments: int
    closed: frozenset[date]
    practitioners: list[Practitioner]
    rooms: list[Room]
    busy_share: float  # of the practitioners' working time
    build_seconds: float


def rooms_for(kind: AppointmentType) -> list[int]:
    return [
        n
        for n, (_, room_kind, routes) in enumerate(ROOMS)
        if kind.can_use(Room(id="x", kind=room_kind, routes=routes, busy=Busy.of(())))
    ]


def open_days(rng: random.Random) -> tuple[list[date], frozenset[date]]:
    """Five years of days, with eight random closed weekdays a year (bank holidays)."""
    days = [FIRST_DAY + timedelta(days=k) for k in range(DAYS)]
    weekdays = [d for d in days if d.weekday() < 5]
    closed = frozenset(rng.sample(weekdays, 8 * YEARS))
    return [d for d in days if d not in closed and CLINIC.on(d.weekday())], closed


def holidays(rng: random.Random) -> list[Interval]:
    """About five weeks off a year, in one- and two-week blocks."""
    out = []
    for year in range(YEARS):
        for weeks in (2, 1, 1, 1):
            start = FIRST_DAY + timedelta(days=365 * year + rng.randrange(0, 350))
            end = start + timedelta(weeks=weeks)
            out.append(
                Interval(
                    datetime.combine(start, time(0), tzinfo=LONDON),
                    datetime.combine(end, time(0), tzinfo=LONDON),
                )
            )
    return out


def working_spans(day: date, hours: WeeklyHours) -> list[tuple[time, time]]:
    clinic = CLINIC.on(day.weekday())
    out = []
    for c_open, c_close in clinic:
        for p_open, p_close in hours.on(day.weekday()):
            opens, closes = max(c_open, p_open), min(c_close, p_close)
            if opens < closes:
                out.append((opens, closes))
    return out


def pick_kind(rng: random.Random) -> AppointmentType:
    return rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def busy_share(practitioners: list[Practitioner], days: list[date], rng: random.Random) -> float:
    """The share of working minutes already taken, sampled on 300 random days."""
    taken = total = 0
    for day in rng.sample(days, 300):
        for p in practitioners:
            for opens, closes in working_spans(day, p.hours):
                t = datetime.combine(day, opens, tzinfo=LONDON)
                end = datetime.combine(day, closes, tzinfo=LONDON)
                while t < end:
                    total += 1
                    taken += not p.busy.is_free(Interval(t, t + 15 * MIN))
                    t += 15 * MIN
    return taken / total if total else 0.0


def build(name: str, rng: random.Random, mode: str) -> Clinic:
    began = clock.perf_counter()
    days, closed = open_days(rng)
    prac_busy: list[list[Interval]] = [holidays(rng) for _ in PRACTITIONER_HOURS]
    room_busy: list[list[Interval]] = [[] for _ in ROOMS]
    kind_rooms = {id(k): rooms_for(k) for k, _ in KINDS}
    count = 0

    if mode == "as specified":
        slots_per_day = TARGET_APPOINTMENTS / len(days)
        for day in days:
            working = [
                (n, s) for n, h in enumerate(PRACTITIONER_HOURS) for s in working_spans(day, h)
            ]
            for _ in range(int(slots_per_day) + (rng.random() < slots_per_day % 1)):
                n, (opens, closes) = rng.choice(working)
                kind = pick_kind(rng)
                start = datetime.combine(day, opens, tzinfo=LONDON) + 5 * MIN * rng.randrange(
                    int((_minutes(opens, closes) - kind.duration / MIN) // 5) + 1
                )
                appointment = Interval(start, start + kind.duration)
                prac_busy[n].append(appointment)
                room_busy[rng.choice(kind_rooms[id(kind)])].append(
                    appointment.with_buffer(kind.buffer_after)
                )
                count += 1
    elif mode == "packed":
        for day in days:
            day_rooms: list[list[tuple[datetime, datetime]]] = [[] for _ in ROOMS]
            for n, hours in enumerate(PRACTITIONER_HOURS):
                for opens, closes in working_spans(day, hours):
                    t = datetime.combine(day, opens, tzinfo=LONDON)
                    end = datetime.combine(day, closes, tzinfo=LONDON)
                    while True:
                        if rng.random() < 0.1:
                            t += 15 * MIN  # a gap
                        kind = pick_kind(rng)
                        if t + kind.duration > end:
                            break
                        turnover = t + kind.duration + kind.buffer_after
                        free = [
                            r
                            for r in kind_rooms[id(kind)]
                            if all(b <= t or a >= turnover for a, b in day_rooms[r])
                        ]
                        if free:
                            r = rng.choice(free)
                            day_rooms[r].append((t, turnover))
                            appointment = Interval(t, t + kind.duration)
                            prac_busy[n].append(appointment)
                            room_busy[r].append(appointment.with_buffer(kind.buffer_after))
                            count += 1
                            t += kind.duration
                        else:
                            t += 5 * MIN
    practitioners = [
        Practitioner(id=f"D{n}", hours=h, busy=Busy.of(prac_busy[n]))
        for n, h in enumerate(PRACTITIONER_HOURS)
    ]
    rooms = [
        Room(id=room_id, kind=room_kind, routes=routes, busy=Busy.of(room_busy[n]))
        for n, (room_id, room_kind, routes) in enumerate(ROOMS)
    ]
    return Clinic(
        name=name,
        appointments=count,
        closed=closed,
        practitioners=practitioners,
        rooms=rooms,
        busy_share=busy_share(practitioners, days, rng),
        build_seconds=clock.perf_counter() - began,
    )


def _minutes(opens: time, closes: time) -> int:
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


@dataclass
class Search:
    start: date
    kind: AppointmentType
    patient: Busy


def searches(rng: random.Random, count: int) -> list[Search]:
    out = []
    for _ in range(count):
        start = FIRST_DAY + timedelta(days=rng.randrange(0, DAYS - 28))
        patient = []
        for _ in range(rng.randrange(0, 4)):
            at = datetime.combine(
                start + timedelta(days=rng.randrange(28)), time(rng.randrange(8, 19)), tzinfo=LONDON
            )
            patient.append(Interval(at, at + timedelta(hours=1)))
        out.append(Search(start=start, kind=pick_kind(rng), patient=Busy.of(patient)))
    return out


def measure(call, runs: list) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for run in runs:
        began = clock.perf_counter()
        size = call(run)
        times.append((clock.perf_counter() - began) * 1000)
        sizes.append(size)
    return times, sizes


def four_weeks(clinic: Clinic, limit: int | None = None):
    def call(s: Search) -> int:
        return len(
            find_slots(
                tz=LONDON,
                start_date=s.start,
                end_date=s.start + timedelta(days=27),
                clinic_hours=CLINIC,
                closed_dates=clinic.closed,
                practitioners=clinic.practitioners,
                rooms=clinic.rooms,
                patient_busy=s.patient,
                kind=s.kind,
                limit=limit,
            )
        )

    return call


def course(clinic: Clinic):
    def call(s: Search) -> int:
        find = earliest_slot_finder(
            tz=LONDON,
            clinic_hours=CLINIC,
            closed_dates=clinic.closed,
            practitioners=clinic.practitioners,
            rooms=clinic.rooms,
            patient_busy=s.patient,
            kind=s.kind,
        )
        earliest = datetime.combine(s.start, time(10), tzinfo=LONDON)
        result = plan_course(sessions=6, interval_days=42, earliest=earliest, find=find)
        return len(result.slots)

    return call


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}; {args.searches} random searches per row; ms.")
    header = (
        f"{'clinic':<13} {'appointments':>12} {'merged':>8} {'busy':>5}  "
        f"{'search':<20} {'median':>7} {'p95':>7} {'max':>7} {'results':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in ("as specified", "packed", "empty"):
        rng = random.Random(args.seed)
        clinic = build(name, rng, name)
        merged = sum(len(p.busy) for p in clinic.practitioners) + sum(
            len(r.busy) for r in clinic.rooms
        )
        runs = searches(random.Random(args.seed + 1), args.searches)
        rows = [
            ("4 weeks, all slots", four_weeks(clinic), runs),
            ("4 weeks, first slot", four_weeks(clinic, limit=1), runs),
            ("course 6 x 42 days", course(clinic), runs[: max(1, args.searches // 4)]),
        ]
        for n, (label, call, batch) in enumerate(rows):
            call(batch[0])  # warm up
            times, sizes = measure(call, batch)
            lead = (
                f"{name:<13} {clinic.appointments:>12,} {merged:>8,} {clinic.busy_share:>5.0%}"
                if n == 0
                else " " * 41
            )
            print(
                f"{lead}  {label:<20} {statistics.median(times):>7.2f} {p95(times):>7.2f} "
                f"{max(times):>7.2f} {statistics.mean(sizes):>8.1f}"
            )
        print(f"{'':<13} (built in {clinic.build_seconds:.1f} s)")
    print(
        "merged: busy intervals after Busy.of merged overlapping and touching ones (all "
        "practitioners and rooms); busy: share of working time taken; results: mean slots found "
        "(for a course: sessions placed)."
    )


if __name__ == "__main__":
    main()
