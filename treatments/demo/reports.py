"""A clinic history for the reports. Run by `manage.py seed_demo` after the other treatment demos.

Sixteen weeks of earlier courses, so that every report has something real to show:

- fourteen patients (``HISTORY``), each with a consultation and assessment, a plan on
  microneedling or topical, sessions every four weeks with Dr Hart or Dr Mehta (each recording
  its lot and amount, taken from the lot), and a follow-up review three weeks after the last
  session with every concern re-scored, GAIS and satisfaction. Dr Hart wrote every plan.
  Two patients in three also rated their results in the portal a couple of days before the
  review; those whose review is still to come rated them a week after their last session.
  Courses whose sessions and review are done are completed; sessions not yet due are booked,
  which is what the stock report reads.
- a few no-shows and late cancellations among them;
- two adverse events on lot RV-2409, which puts it above the clinic's threshold of 5 per 100
  sessions (flagged on its recall page);
- lot RV-2411 of Rosa Vesicle Serum expiring on 20 December with vials left while sessions are
  booked after it, and a low-stock level on SalmoGen E-50 (a box of 12) that the homes warn of.

Made directly, not through the booking services: the times are placed where the practitioner
works, the clinic is open and the practitioner, room and patient are free. Idempotent: a patient
who already exists is left as they are.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, OpeningHours, Room, StaffProfile
from patients.models import Assessment, AssessmentConcern, Patient, name_key
from treatments.models import (
    AdverseEvent,
    Appointment,
    FollowUp,
    FollowUpScore,
    Lot,
    PatientRating,
    PlanState,
    Product,
    TreatmentPlan,
    TreatmentSession,
)

STEP = dt.timedelta(minutes=15)
WEEKS_BACK = 16
INTERVAL_DAYS = 28
#: Sessions in the last week have check-ins on the portal; the history stays before them.
RECENT = dt.timedelta(days=8)

# first, last, date of birth, route, sessions, concerns (concern, severity, drop at review),
# practitioner (0: Dr Hart, 1: Dr Mehta), what else happened
HISTORY = [
    ("Hannah", "Price", "1984-02-11", "microneedling", 3,
     [("acne_scars", 3, 1), ("texture", 2, 1)], 0, ""),
    ("Sana", "Iqbal", "1991-07-30", "microneedling", 3,
     [("melasma", 3, 1), ("hyperpigmentation", 2, 1)], 1, "no_show"),
    ("Lucy", "Fraser", "1979-11-03", "topical", 4, [("dehydration", 3, 2)], 0, ""),
    ("Marta", "Kowalska", "1986-05-19", "microneedling", 3,
     [("fine_lines", 2, 1), ("laxity", 2, 0)], 0, "adverse"),
    ("Chloe", "Adams", "1995-09-14", "topical", 4, [("redness", 2, 1)], 1, "late"),
    ("Nadia", "Haddad", "1982-03-08", "microneedling", 3, [("acne_scars", 4, 2)], 0, ""),
    ("Ruth", "Ellis", "1970-12-22", "microneedling", 3,
     [("fine_lines", 3, 1), ("laxity", 3, 1)], 1, "adverse"),
    ("Jade", "Turner", "1993-01-27", "topical", 4, [("uneven_tone", 2, 1)], 0, ""),
    ("Emily", "Shaw", "1988-08-05", "microneedling", 3, [("enlarged_pores", 3, 1)], 0,
     "no_show"),
    ("Keisha", "Brown", "1990-04-16", "microneedling", 4, [("melasma", 3, 0)], 1, ""),
    ("Anna", "Rossi", "1976-06-29", "microneedling", 3, [("texture", 3, 2)], 0, ""),
    ("Laura", "Kelly", "1985-10-10", "topical", 4, [("dehydration", 2, 1)], 1, "late"),
    ("Yasmin", "Aziz", "1998-02-02", "microneedling", 3, [("acne_scars", 3, 1)], 0, ""),
    ("Helen", "Ward", "1968-07-07", "microneedling", 4, [("fine_lines", 3, 1)], 1, ""),
]
# MASI at the assessment and at the end-of-course review, for the patients with melasma.
MASI = {"Sana": (Decimal("14.4"), Decimal("9.6")), "Keisha": (Decimal("11.2"), Decimal("10.8"))}
PRODUCT_FOR = {"microneedling": "Rosa Vesicle Serum (demo)",
               "topical": "SynthEx Barrier Cream (demo)"}
AMOUNT = {"microneedling": Decimal("1"), "topical": Decimal("0.25")}
# product name, lot number, days to expiry, received, the unit
HISTORY_LOTS = [
    ("Rosa Vesicle Serum (demo)", "RV-2409", 420, 40, "vial"),
    ("Rosa Vesicle Serum (demo)", "RV-2411", 19, 10, "vial"),
    ("SynthEx Barrier Cream (demo)", "SX-79", 380, 12, "jar"),
]
LOW_STOCK = {"SalmoGen E-50 (demo)": Decimal(12), "Rosa Vesicle Serum (demo)": Decimal(5)}


class Diary:
    """Who and what is busy when, so that a new appointment never overlaps one."""

    def __init__(self, clinic, opening, *, staff, today):
        self.zone = clinic.zone
        self.opening = opening
        self.today = today
        self.rooms = list(Room.objects.filter(active=True).order_by("name"))
        self.spans = {
            member.pk: {
                weekday: [(h.starts, h.ends) for h in member.working_hours.all()
                          if h.weekday == weekday]
                for weekday in range(7)
            }
            for member in staff
        }
        self.busy = defaultdict(list)
        for appointment in Appointment.objects.holding():
            self.hold(appointment)

    def hold(self, appointment):
        self.busy["staff", appointment.practitioner_id].append(
            (appointment.starts_at, appointment.ends_at))
        self.busy["room", appointment.room_id].append(
            (appointment.starts_at, appointment.room_free_at))
        self.busy["patient", appointment.patient_id].append(
            (appointment.starts_at, appointment.ends_at))

    def _free(self, key, start, end) -> bool:
        return all(end <= a or start >= b for a, b in self.busy[key])

    def place(self, *, day, staff, kind, rooms, patient, spans, before=None):
        """The first free start on ``day`` or a later working day (before ``before``), with its
        room."""
        length = dt.timedelta(minutes=kind.duration_minutes)
        buffer = dt.timedelta(minutes=kind.buffer_minutes)
        for offset in range(14):
            date = day + dt.timedelta(days=offset)
            if before is not None and date >= before:
                return None
            if date.weekday() not in self.opening:
                continue
            opens, closes = self.opening[date.weekday()]
            for starts, ends in spans.get(date.weekday(), []):
                start = dt.datetime.combine(date, max(starts, opens), tzinfo=self.zone)
                last = dt.datetime.combine(date, min(ends, closes), tzinfo=self.zone)
                while start + length <= last:
                    end = start + length
                    if self._free(("staff", staff.pk), start, end) and self._free(
                        ("patient", patient.pk), start, end
                    ):
                        room = next((r for r in rooms
                                     if self._free(("room", r.pk), start, end + buffer)), None)
                        if room is not None:
                            return start, end, end + buffer, room
                    start += STEP
        return None


def _lots() -> dict[str, Lot]:
    today = timezone.localdate()
    made = {}
    for product_name, number, days, received, unit in HISTORY_LOTS:
        product = Product.objects.get(name=product_name)
        lot, _ = Lot.objects.get_or_create(
            product=product, lot_number=number,
            defaults={"expiry_date": today + dt.timedelta(days=days),
                      "received_on": today - dt.timedelta(days=WEEKS_BACK * 7 + 14),
                      "quantity_received": Decimal(received),
                      "quantity_remaining": Decimal(received), "unit": unit},
        )
        made[number] = lot
    return made


def _book(diary, *, patient, kind, staff, day, plan=None, status="completed", by=None):
    """Book at the first free time from ``day``; what has happened is placed before the last
    week, whose sessions the patients' check-ins belong to."""
    before = None if status == "booked" else diary.today - RECENT
    rooms = [room for room in diary.rooms if room.hosts(kind.route or None)
             and (kind.kind == AppointmentType.Kind.TREATMENT) == (room.kind == "procedure")]
    placed = diary.place(day=day, staff=staff, kind=kind, rooms=rooms, patient=patient,
                         spans=diary.spans[staff.pk], before=before)
    if placed is None:
        return None
    starts_at, ends_at, room_free_at, room = placed
    appointment = Appointment.objects.create(
        patient=patient, appointment_type=kind, practitioner=staff, room=room, plan=plan,
        starts_at=starts_at, ends_at=ends_at, room_free_at=room_free_at, status=status,
        checked_in_at=starts_at - dt.timedelta(minutes=5) if status == "completed" else None,
        created_by=by,
    )
    if status == "cancelled":
        appointment.cancelled_at = starts_at - dt.timedelta(hours=6)
        appointment.late_cancellation = True
        appointment.cancel_reason = "Unwell this morning."
        appointment.save()
    else:
        diary.hold(appointment)
    return appointment


def _course(diary, spec, *, index, staff, types, lots, today):
    first, last, born, route, count, concerns, who, event = spec
    email = f"{first}.{last}@patients.demo.clinic".lower()
    if Patient.objects.filter(email=email).exists():
        return 0
    practitioner = staff[who]
    derm = practitioner.user
    planner = staff[0].user  # Dr Hart writes the plans; Dr Mehta gives some of the sessions
    patient = Patient.objects.create(
        first_name=first, last_name=last, first_name_key=name_key(first),
        last_name_key=name_key(last), date_of_birth=dt.date.fromisoformat(born), sex="female",
        email=email, mobile=f"+4477009{index:05d}",
    )
    consult_day = today - dt.timedelta(weeks=WEEKS_BACK) + dt.timedelta(days=index * 4)
    if event == "late":
        _book(diary, patient=patient, kind=types["consultation"], staff=practitioner,
              day=consult_day - dt.timedelta(days=3), status="cancelled", by=derm)
    consultation = _book(diary, patient=patient, kind=types["consultation"], staff=practitioner,
                         day=consult_day, by=derm)
    assessed_on = timezone.localdate(consultation.starts_at, diary.zone)
    assessment = Assessment.objects.create(
        patient=patient, author=derm, assessed_on=assessed_on, fitzpatrick=2 + index % 4,
        skin_type="combination", goals="Clearer, smoother skin.",
        masi=MASI.get(first, (None,))[0],
    )
    for concern, severity, _ in concerns:
        AssessmentConcern.objects.create(assessment=assessment, concern=concern,
                                         severity=severity, areas=["face"])
    product = Product.objects.get(name=PRODUCT_FOR[route])
    plan = TreatmentPlan.objects.create(
        patient=patient, assessment=assessment, author=planner, route=route, product=product,
        areas=["face"], depths={"face": "1.0"} if route == "microneedling" else {},
        sessions=count, interval_days=INTERVAL_DAYS, state=PlanState.IN_TREATMENT,
        state_changed_by=planner,
    )
    lot = lots["RV-2409"] if route == "microneedling" else lots["SX-79"]
    day = assessed_on + dt.timedelta(days=7)
    done = []
    for n in range(count):
        if day < today - RECENT:
            status = "no_show" if event == "no_show" and n == 1 else "completed"
            booked = _book(diary, patient=patient, kind=types[route], staff=practitioner,
                           day=day, plan=plan, status=status, by=derm)
            if booked is not None and status == "completed":
                done.append(_session(booked, plan, lot=lot, amount=AMOUNT[route], derm=derm))
            if status == "no_show":  # rebooked a week later
                day += dt.timedelta(days=7)
                booked = _book(diary, patient=patient, kind=types[route], staff=practitioner,
                               day=day, plan=plan, by=derm)
                if booked is not None:
                    done.append(_session(booked, plan, lot=lot, amount=AMOUNT[route], derm=derm))
        else:
            _book(diary, patient=patient, kind=types[route], staff=practitioner,
                  day=max(day, today + dt.timedelta(days=1)), plan=plan, status="booked",
                  by=derm)
        day += dt.timedelta(days=INTERVAL_DAYS)
    if event == "adverse" and done:
        onset = timezone.localdate(done[0].ended_at, diary.zone) + dt.timedelta(days=1)
        AdverseEvent.objects.create(
            patient=patient, session=done[0], lot=lot,
            kind="severe_swelling" if index % 2 else "blistering",
            description="Swelling beyond the usual 48 hours; settled with cold compresses.",
            severity="moderate" if index % 2 else "mild",
            onset_on=onset,
            action_taken="Reviewed the next day; advice given.",
            outcome="resolved" if index % 2 else "ongoing", reported_by=derm,
            resolved_on=onset + dt.timedelta(days=4) if index % 2 else None,
        )
    if len(done) == count:
        last_day = timezone.localdate(done[-1].ended_at, diary.zone)
        review_day = last_day + dt.timedelta(days=21)
        if review_day >= today - RECENT:  # still to come
            rated = last_day + dt.timedelta(days=7)
            if index % 3 != 2 and rated < today:
                _rate(plan, day=rated, gais=3, satisfaction=4, zone=diary.zone)
            _book(diary, patient=patient, kind=types["follow_up"], staff=practitioner,
                  day=max(review_day, today + dt.timedelta(days=1)), plan=plan,
                  status="booked", by=derm)
            return len(done)
        review = _book(diary, patient=patient, kind=types["follow_up"], staff=practitioner,
                       day=review_day, plan=plan, by=derm)
        if review is not None:
            reviewed_on = timezone.localdate(review.starts_at, diary.zone)
            if index % 3 != 2:
                _rate(plan, day=reviewed_on - dt.timedelta(days=2), gais=2 + index % 2,
                      satisfaction=4 + index % 2, zone=diary.zone)
            follow_up = FollowUp.objects.create(
                plan=plan, appointment=review, clinician=derm, reviewed_on=reviewed_on,
                gais_clinician=2 if concerns[0][2] >= 2 else 3, gais_patient=2 + index % 2,
                satisfaction=4 + index % 2, decision="complete",
            )
            for concern, severity, drop in concerns:
                FollowUpScore.objects.create(follow_up=follow_up, concern=concern,
                                             severity=severity - drop)
            TreatmentPlan.objects.filter(pk=plan.pk).update(
                state=PlanState.COMPLETED, state_changed_at=review.ends_at
            )
            if first in MASI:  # melasma is re-measured at the review
                Assessment.objects.create(
                    patient=patient, author=derm, assessed_on=reviewed_on,
                    fitzpatrick=assessment.fitzpatrick, skin_type=assessment.skin_type,
                    goals=assessment.goals, masi=MASI[first][1],
                    notes="Re-assessed at the end-of-course review.",
                )
    return len(done)


def _rate(plan, *, day, gais, satisfaction, zone) -> None:
    """The patient's own rating of the course in the portal, one evening."""
    rating = PatientRating.objects.create(plan=plan, gais=gais, satisfaction=satisfaction)
    PatientRating.objects.filter(pk=rating.pk).update(
        submitted_at=dt.datetime.combine(day, dt.time(19, 30), tzinfo=zone))


def _session(appointment, plan, *, lot, amount, derm) -> TreatmentSession:
    lot.refresh_from_db()
    if lot.quantity_remaining < amount:
        amount = lot.quantity_remaining
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=lot.quantity_remaining - amount)
    return TreatmentSession.objects.create(
        appointment=appointment, plan=plan, patient=plan.patient, clinician=derm,
        status="completed", skin_prepared=True, lot=lot, amount=amount, areas=plan.areas,
        started_at=appointment.starts_at, ended_at=appointment.ends_at,
        locked_at=appointment.ends_at,
    )


def seed(stdout) -> None:
    clinic = ClinicSettings.load()
    today = timezone.localdate()
    staff = [StaffProfile.objects.filter(user__email=email).first()
             for email in ("derm@demo.clinic", "derm2@demo.clinic")]
    if None in staff:
        stdout.write("  reports: the demo dermatologists are missing; no clinic history.")
        return
    types = {
        "consultation": AppointmentType.objects.get(name="Consultation and skin assessment"),
        "follow_up": AppointmentType.objects.get(name="Follow-up review"),
        "microneedling": AppointmentType.objects.get(name="Microneedling with exosomes"),
        "topical": AppointmentType.objects.get(name="Topical exosome session"),
    }
    opening = {day.weekday: (day.opens, day.closes)
               for day in OpeningHours.objects.filter(clinic=clinic, closed=False)}
    made = 0
    with transaction.atomic():
        lots = _lots()
        diary = Diary(clinic, opening, staff=staff, today=today)
        for index, spec in enumerate(HISTORY):
            made += _course(diary, spec, index=index, staff=staff, types=types, lots=lots,
                            today=today)
        for name, level in LOW_STOCK.items():
            Product.objects.filter(name=name, low_stock_level__isnull=True).update(
                low_stock_level=level)
    stdout.write(f"Reports demo: {made} new sessions of earlier courses.")
