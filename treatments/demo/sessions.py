"""Demo treatment sessions. Run by `manage.py seed_demo` after treatments.demo.scheduling.

- The clinic's own aftercare wording for each route (version 1, published by the manager) when
  there is none yet.
- Completed sessions with their aftercare, recorded by Dr Amelia Hart (derm@demo.clinic) through
  the same services as the session page: booked at a free time in the past, checked in, the day's
  screen (nothing changed), skin preparation, the application with a real usable lot (its
  quantity goes down), then completion at the end of the appointment. Past sessions queue no
  email.
  - Olivia Bennett (the portal's demo patient): microneedling a few days ago, so the portal shows
    its aftercare and offers a skin report. Her plan moves from planned to in treatment. The
    session is charted zone by zone on the face chart (``SESSION_ZONES``).
  - Daniel Murphy: scalp microneedling a few days ago, before his follow-up review, charted on the
    crown and vertex.
  - Amara Okafor: microneedling five weeks ago, the session before the one she is checked in for
    today, with an adverse event (mild folliculitis, resolved).
  - Grace Thompson: microneedling seven weeks ago, before the review that completed her course.
  Completing each first session moves its plan from planned to in treatment (the only way a plan
  gets there); Daniel Murphy's plan then moves on to follow-up, and Grace Thompson's to follow-up
  and completed, as the plan page's buttons would (``AFTER``).

Idempotent: a patient who already has a completed session is left as they are; the aftercare
texts are keyed on their route. A session whose patient, plan, lot or free time is missing is
skipped with a message rather than forced.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, StaffProfile, User
from patients.forms.screens import ScreenForm
from patients.models import Patient, Screen
from treatments.models import (
    AdverseEvent,
    AftercareText,
    Lot,
    PlanState,
    SessionStatus,
    TreatmentPlan,
)
from treatments.services import adverse_events, scheduling, sessions
from treatments.services import plans as plan_services

DERM_EMAIL = "derm@demo.clinic"
MANAGER_EMAIL = "manager@demo.clinic"
DEVICE = "Dermapen 4, 16-needle cartridge"

#: The clinic's own words per route, beside the timed instructions the software computes.
AFTERCARE_TEXTS = {
    "topical": (
        "A topical session leaves your skin barrier intact, so you can carry on with your day. "
        "Tonight, cleanse gently with lukewarm water and use your usual fragrance-free "
        "moisturiser. If you were given a home-care serum, use it as shown in the clinic."
    ),
    "transdermal": (
        "Leave the product to work: do not wash the treated skin until this evening, then "
        "cleanse gently with lukewarm water. A light, fragrance-free moisturiser is all your "
        "skin needs tonight."
    ),
    "microneedling": (
        "Tonight, wash your hands before touching your face and sleep on a fresh pillowcase. "
        "Until tomorrow morning cleanse with lukewarm water only, then with a gentle cleanser. "
        "Skip the gym, swimming pools and saunas for three days. Pinpoint marks and light "
        "flaking over the first days are normal: do not pick at them."
    ),
    "laser_assisted": (
        "If the skin feels hot, cool it with a clean, cold compress for ten minutes at a time. "
        "Sleep with your head slightly raised tonight to limit swelling. Skip the gym, swimming "
        "pools and saunas for three days, and do not pick at any flaking."
    ),
}

#: Sessions charted zone by zone: (zone, amount, needle depth in mm), the amounts adding up to
#: the session's amount (docs/clinical-rules.md §Treated zones > Zones).
SESSION_ZONES: dict[str, list[tuple[str, str, str]]] = {
    "olivia.bennett@patients.demo.clinic": [
        ("forehead", "0.2", "1.0"),
        ("cheek_left", "0.3", "1.25"),
        ("cheek_right", "0.3", "1.25"),
        ("chin", "0.2", "0.75"),
    ],
    "daniel.murphy@patients.demo.clinic": [
        ("scalp_crown", "0.5", "1.0"),
        ("scalp_vertex", "0.5", "1.0"),
    ],
}

# patient email, days ago (at least), lot number, amount, immediate reactions
SESSIONS = [
    ("olivia.bennett@patients.demo.clinic", 3, "SG-121", "1", ["redness", "warmth"]),
    ("daniel.murphy@patients.demo.clinic", 4, "RV-2401", "1", ["redness"]),
    # The session before the one she is checked in for today (treatments.demo.scheduling): a
    # little more than her plan's 35-day interval ago.
    ("amara.okafor@patients.demo.clinic", 36, "RV-2401", "1", ["redness", "tenderness"]),
    ("grace.thompson@patients.demo.clinic", 49, "RV-2401", "1", ["redness"]),
]
#: Where each course goes after its demo session, by the dermatologist's hand.
AFTER = {
    "daniel.murphy@patients.demo.clinic": [PlanState.FOLLOW_UP],
    "grace.thompson@patients.demo.clinic": [PlanState.FOLLOW_UP, PlanState.COMPLETED],
}
ADVERSE_EVENTS = {
    "amara.okafor@patients.demo.clinic": {
        "kind": AdverseEvent.Kind.INFECTION,
        "severity": AdverseEvent.Severity.MILD,
        "after_days": 3,
        "description": "Small pustules along the jawline three days after the session, "
        "consistent with mild folliculitis.",
        "action_taken": "Antiseptic wash twice daily for a week; reviewed by phone.",
        "outcome": AdverseEvent.Outcome.RESOLVED,
        "resolved_after_days": 9,
        "other_products": "Her own fragrance-free moisturiser; no new products.",
    },
    # Serious by the clinic's criteria (persistent alteration of appearance): on both homes
    # with its reporting deadline until someone marks it reported.
    "daniel.murphy@patients.demo.clinic": {
        "kind": AdverseEvent.Kind.BLISTERING,
        "severity": AdverseEvent.Severity.SEVERE,
        "after_days": 1,
        "description": "Blisters over both cheeks the morning after the session, with raw, "
        "weeping skin under them; partial-thickness injury suspected.",
        "action_taken": "Seen the same day: blisters left intact, non-adherent dressings, "
        "emollient; referred to dermatology clinic for review in 48 hours.",
        "outcome": AdverseEvent.Outcome.ONGOING,
        "serious_criteria": ["disfigurement"],
        "other_products": "Tretinoin 0.025% cream (his own), stopped a week before the session.",
    },
}
#: How many days further back to look for a free weekday slot.
SEARCH_DAYS = 10
SOONER = "Fitted in before the next booked visit at the patient's request (demo)."


def _aftercare_texts(manager: User | None) -> int:
    made = 0
    for route, text in AFTERCARE_TEXTS.items():
        if not AftercareText.objects.filter(route=route).exists():
            AftercareText.objects.create(route=route, text=text, created_by=manager)
            made += 1
    return made


def _book_in_the_past(
    *, plan, appointment_type, profile, clinic, derm, days_ago: int, today: dt.date
):
    """Book the plan's session at the first free time, ``days_ago`` or further back."""
    for back in range(days_ago, days_ago + SEARCH_DAYS):
        day = today - dt.timedelta(days=back)
        before = dt.datetime.combine(day, dt.time.min, tzinfo=clinic.zone) - dt.timedelta(days=1)
        found, resources = scheduling.find_free_slots(
            clinic=clinic,
            patient=plan.patient,
            appointment_type=appointment_type,
            start_date=day,
            end_date=day,
            practitioner=profile,
            now=before,
            limit=1,
        )
        if not found:
            continue
        slot = found[0]
        booking = {
            "patient": plan.patient,
            "appointment_type": appointment_type,
            "practitioner": profile,
            "room": resources.room_records[slot.room_ids[0]],
            "starts_at": slot.start,
            "by": derm,
            "plan": plan,
            "clinic": clinic,
            "now": slot.start - dt.timedelta(days=1),
        }
        try:
            with transaction.atomic():
                return scheduling.appointment_book(**booking)
        except ValidationError as error:
            if "short_interval_reason" not in getattr(error, "message_dict", {}):
                raise
        return scheduling.appointment_book(**booking, short_interval_reason=SOONER)
    raise ValidationError(f"no free time in the {SEARCH_DAYS} days searched")


def _record(*, email, days_ago, lot_number, amount, reactions, derm, profile, clinic, today):
    patient = Patient.objects.filter(email=email).first()
    if patient is None:
        return None, "the patient is missing"
    if patient.treatment_sessions.filter(status=SessionStatus.COMPLETED).exists():
        return None, ""
    plan = (
        TreatmentPlan.objects.filter(patient=patient, state__in=scheduling.BOOKABLE_PLAN_STATES)
        .select_related("product", "assessment")
        .first()
    )
    if plan is None:
        return None, "no plan open for treatment"
    lot = Lot.objects.filter(product=plan.product, lot_number=lot_number).first()
    if lot is None:
        return None, f"lot {lot_number} is missing"
    appointment_type = AppointmentType.objects.filter(
        kind=AppointmentType.Kind.TREATMENT, route=plan.route, active=True
    ).first()
    if appointment_type is None:
        return None, f"no {plan.get_route_display().lower()} appointment type"

    policy = clinic.policy
    appointment = _book_in_the_past(
        plan=plan,
        appointment_type=appointment_type,
        profile=profile,
        clinic=clinic,
        derm=derm,
        days_ago=days_ago,
        today=today,
    )
    start = appointment.starts_at
    day = timezone.localdate(start, clinic.zone)
    scheduling.appointment_check_in(
        appointment=appointment, by=derm, now=start - dt.timedelta(minutes=5)
    )
    session = sessions.session_start(
        appointment=appointment, by=derm, now=start + dt.timedelta(minutes=2)
    )
    latest = patient.screens.order_by("-screened_on", "-created_at").first()
    # "Nothing changed": the last screen's answers, from the one list of questions the form asks.
    answers = {
        name: value
        for name, value in ScreenForm.initial_from(latest).items()
        if name not in ("screened_on", "notes")
    }
    sessions.session_prescreen(
        session=session, by=derm, screen=Screen(**answers), policy=policy, on=day
    )
    sessions.session_prepare(session=session, by=derm, policy=policy)
    sessions.session_application(
        session=session,
        by=derm,
        application=sessions.Application(
            lot=lot,
            amount=Decimal(amount),
            areas=tuple(plan.areas),
            device=DEVICE if plan.route in ("microneedling", "laser_assisted") else "",
            depths={area: Decimal(depth) for area, depth in plan.depths.items()},
            laser_settings=plan.laser_settings,
            zones=tuple(
                sessions.ZoneApplication(zone=zone, amount=Decimal(dose), depth=Decimal(depth))
                for zone, dose, depth in SESSION_ZONES.get(email, [])
            ),
        ),
        policy=policy,
        on=day,
    )
    session = sessions.session_complete(
        session=session,
        by=derm,
        reactions=reactions,
        post_care=list(sessions.POST_CARE),
        clinic=clinic,
        now=appointment.ends_at,
        notify=False,
    )
    for state in AFTER.get(email, []):
        plan_services.plan_transition(plan=plan, to=state, by=derm, policy=policy, on=today)
    return session, ""


def seed(stdout) -> None:
    derm = User.objects.get(email=DERM_EMAIL)
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    texts = _aftercare_texts(manager)
    profile = StaffProfile.objects.filter(user=derm, is_practitioner=True).first()
    if profile is None:
        stdout.write("  sessions: Dr Hart is not a practitioner; no demo sessions.")
        return
    clinic = ClinicSettings.load()
    today = timezone.localdate()
    made = 0
    for email, days_ago, lot_number, amount, reactions in SESSIONS:
        try:
            with transaction.atomic():  # the whole session, or none of it
                session, skipped = _record(
                    email=email,
                    days_ago=days_ago,
                    lot_number=lot_number,
                    amount=amount,
                    reactions=reactions,
                    derm=derm,
                    profile=profile,
                    clinic=clinic,
                    today=today,
                )
                if session is not None and email in ADVERSE_EVENTS:
                    spec = dict(ADVERSE_EVENTS[email])
                    onset = timezone.localdate(session.ended_at, clinic.zone) + dt.timedelta(
                        days=spec.pop("after_days")
                    )
                    onset = min(onset, today)
                    if "resolved_after_days" in spec:
                        resolved = onset + dt.timedelta(days=spec.pop("resolved_after_days"))
                        spec["resolved_on"] = min(resolved, today)
                    adverse_events.adverse_event_record(
                        patient=session.patient,
                        by=derm,
                        session=session,
                        onset_on=onset,
                        today=today,
                        **spec,
                    )
        except ValidationError as error:  # a refused transition too
            message = " ".join(getattr(error, "messages", [str(error)]))
            stdout.write(f"  sessions: demo session for {email} skipped: {message}")
            continue
        if skipped:
            stdout.write(f"  sessions: demo session for {email} skipped: {skipped}")
        made += session is not None
    stdout.write(f"Sessions demo: {made} new completed sessions, {texts} new aftercare texts.")
