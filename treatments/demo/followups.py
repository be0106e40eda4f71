"""Demo follow-ups. Run by `manage.py seed_demo` after treatments.demo.sessions.

Two demo courses with completed sessions get follow-ups that show improvement, so that the chart's
progress panel and the course page have something to show: when a course has two sessions or
more, a review after the first session (decision: continue) and one after the latest session
(complete when every session is done, else continue); each concern scored a point lower at each
review (never below 0). The latest review takes photos in the assessment's views, generated
pictures labelled "DEMO PHOTO" (patients.demo.patients._demo_picture), never real people.

Everything goes through treatments.services.followups.followup_record, so the plan states move
exactly as the follow-up page moves them. Courses with photos at the assessment are preferred.

Idempotent: follow-ups made here carry DEMO_NOTE, and once two courses have them nothing more is
added. When no course has completed sessions (treatments.demo.sessions did not run), it says so.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from clinic.models import ClinicSettings
from patients.demo.patients import _demo_picture
from patients.models import Photo
from patients.services.assessments import has_photo_consent
from treatments.models import (
    FollowUp,
    FollowUpDecision,
    SessionStatus,
    TreatmentPlan,
    TreatmentSession,
)
from treatments.services import followups

DEMO_NOTE = "Demo follow-up: made-up findings for the demo clinic."
COURSES = 2
REVIEW_AFTER = dt.timedelta(days=14)


def _session_days(plan: TreatmentPlan, zone) -> list[dt.date]:
    ends = TreatmentSession.objects.filter(plan=plan, status=SessionStatus.COMPLETED).values_list(
        "ended_at", "started_at"
    )
    return sorted(timezone.localtime(ended or started, zone).date() for ended, started in ends)


def _review_day(after: dt.date, before: dt.date | None, *, earliest: dt.date, today: dt.date):
    """Two weeks after ``after``, before the next session, never in the future."""
    day = after + REVIEW_AFTER
    if before is not None:
        day = min(day, before - dt.timedelta(days=1))
    return max(earliest, after, min(day, today))


def _record(plan, *, day, drop, decision, photos, policy) -> FollowUp:
    scores = {row.concern: max(0, row.severity - drop) for row in plan.assessment.concerns.all()}
    rating = followups.latest_rating(plan)
    gais = 2 if drop > 1 else 3  # much improved at the end, improved on the way
    follow_up = followups.followup_record(
        plan=plan,
        clinician=plan.author,
        reviewed_on=day,
        gais_clinician=gais,
        gais_patient=rating.gais if rating else gais,
        satisfaction=rating.satisfaction if rating else 4,
        side_effects="Mild redness for a day after each session, as expected.",
        notes=DEMO_NOTE,
        decision=decision,
        scores=scores,
        photos=photos,
        policy=policy,
    )
    # The demo review happened on ``day``: its photos were taken then too.
    Photo.objects.filter(follow_ups=follow_up).update(taken_on=day)
    return follow_up


def _photos(plan) -> list[followups.PhotoUpload]:
    if not has_photo_consent(plan.patient):
        return []
    name = plan.patient.full_name
    return [
        followups.PhotoUpload(
            slot.view,
            slot.area,
            _demo_picture(f"{name}, {slot.view}, follow-up", seed=plan.pk * 100 + index),
        )
        for index, slot in enumerate(followups.photo_slots(plan))
        if slot.taken_on is not None  # only the views the assessment took
    ]


def _seed_course(plan, *, policy, zone, today) -> int:
    days = _session_days(plan, zone)
    earliest = plan.assessment.assessed_on
    made = 0
    if len(days) >= 2:
        day = _review_day(days[0], days[1], earliest=earliest, today=today)
        _record(plan, day=day, drop=1, decision=FollowUpDecision.CONTINUE, photos=[], policy=policy)
        plan.refresh_from_db()
        made += 1
    finished = len(days) >= plan.sessions
    _record(
        plan,
        day=_review_day(days[-1], None, earliest=earliest, today=today),
        drop=2 if len(days) >= 2 else 1,
        decision=FollowUpDecision.COMPLETE if finished else FollowUpDecision.CONTINUE,
        photos=_photos(plan),
        policy=policy,
    )
    return made + 1


def seed(stdout) -> None:
    clinic = ClinicSettings.load()
    today = timezone.localdate()
    seeded = TreatmentPlan.objects.filter(follow_ups__notes=DEMO_NOTE).distinct().count()
    if seeded >= COURSES:
        stdout.write(f"Demo follow-ups: already there for {seeded} courses.")
        return
    with_sessions = TreatmentSession.objects.filter(
        plan=OuterRef("pk"), status=SessionStatus.COMPLETED
    )
    with_photos = Photo.objects.filter(assessment=OuterRef("assessment"))
    candidates = list(
        TreatmentPlan.objects.filter(state__in=followups.REVIEWABLE, follow_ups__isnull=True)
        .filter(Exists(with_sessions))
        .annotate(photographed=Exists(with_photos))
        .select_related("patient", "assessment", "author")
        .order_by("-photographed", "patient__email", "pk")
    )
    if not candidates:
        stdout.write(
            "Demo follow-ups: no course in treatment has completed sessions (the sessions demo "
            "did not run), so none were added."
        )
        return
    made = 0
    for plan in candidates[: COURSES - seeded]:
        try:
            with transaction.atomic():  # the course's follow-ups, or none of them
                made += _seed_course(plan, policy=clinic.policy, zone=clinic.zone, today=today)
        except ValidationError as error:  # a refused transition too
            message = getattr(error, "message", None) or " ".join(error.messages)
            stdout.write(f"  Demo follow-ups for {plan.patient} skipped: {message}")
    stdout.write(f"Demo follow-ups: {made} added.")
