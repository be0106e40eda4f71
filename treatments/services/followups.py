"""Follow-up reviews of a course: recording one (whole or not at all), and progress on the chart.

docs/clinical-rules.md §Follow-up: GAIS rated by the clinician and by the patient; each concern of
the assessment re-scored on the same 0-4 scale; patient satisfaction 1-5; side effects since the
last visit; photos in the same views as the assessment; and a decision (continue, adjust the plan,
complete, or maintenance) that moves the plan's state (treatments/models/plans.py).

Decisions and plan states (the transitions are the plan's state machine, plans.PLAN_STATES;
recording a follow-up on a plan that is in treatment first moves it to follow-up):

- continue -> in treatment; maintenance -> in treatment (the decision is kept on the follow-up);
- complete -> completed;
- adjust -> the plan stays in follow-up and the dermatologist is sent to the plan page. plans.py
  lets only draft and planned plans be edited, and allows no way back from follow-up to planned, so
  the plan itself cannot be revised yet: the plan page offers continue, complete or cancel.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.safestring import SafeString

from clinic.access import CLINICIANS
from clinic.lib.screening import ClinicPolicy
from clinic.lib.vocabulary import Area
from clinic.models import AppointmentType, ClinicSettings
from patients.models import Assessment, Photo, PhotoView
from patients.panels import Panel
from patients.services import assessments as assessment_services
from patients.services import photos as patient_photos
from patients.timeline import Entry
from treatments.models import (
    GAIS,
    Appointment,
    AppointmentStatus,
    FollowUp,
    FollowUpDecision,
    FollowUpScore,
    PatientRating,
    PlanState,
    TransitionRefused,
    TreatmentPlan,
    plans,
)
from treatments.presentation import progress
from treatments.services import plans as plan_services
from treatments.services import scheduling

SEVERITY_ERROR = "Severity is 0 (none) to 4 (severe)."
SATISFACTION_ERROR = "Satisfaction is 1 (very dissatisfied) to 5 (very satisfied)."
GAIS_ERROR = (
    "Choose a GAIS rating: very much improved, much improved, improved, no change or worse."
)
DECISION_ERROR = "Choose a decision: continue, adjust the plan, complete, or maintenance."
FUTURE_ERROR = "The review date cannot be in the future."
ADJUST_NOTE = (
    "The plan stays in follow-up. A plan can be edited only before its first session, so to "
    "change the route, product or course, cancel this plan with the reason and write a new one "
    "from the assessment."
)

#: Where each decision takes a plan that is in follow-up.
DECISION_STATE: dict[FollowUpDecision, PlanState] = {
    FollowUpDecision.CONTINUE: PlanState.IN_TREATMENT,
    FollowUpDecision.MAINTENANCE: PlanState.IN_TREATMENT,
    FollowUpDecision.COMPLETE: PlanState.COMPLETED,
    FollowUpDecision.ADJUST: PlanState.FOLLOW_UP,
}

#: The plan states in which a follow-up may be recorded: the course has started, not ended.
REVIEWABLE = frozenset({PlanState.IN_TREATMENT, PlanState.FOLLOW_UP})


def score_field(concern: str) -> str:
    """The form field (and service error key) of a concern's re-score."""
    return f"score_{concern}"


def photo_field(view: str, area: str) -> str:
    """The form field (and service error key) of a new photo in one view of one area."""
    return f"photo_{view}_{area}"


def not_reviewable_message(state: str) -> str:
    label = PlanState(state).label.lower()
    if state in (PlanState.DRAFT, PlanState.PLANNED):
        return f"A follow-up is recorded once the course has started; this plan is {label}."
    return f"This plan is {label}: it takes no more follow-ups."


def state_path(current: str, decision: str) -> list[PlanState]:
    """The states a plan goes through when a follow-up with ``decision`` is recorded on it.

    Raises TransitionRefused when the plan is not in a state that takes a follow-up.
    """
    current = PlanState(current)
    if current not in REVIEWABLE:
        raise TransitionRefused(not_reviewable_message(current))
    path = [] if current == PlanState.FOLLOW_UP else [PlanState.FOLLOW_UP]
    target = DECISION_STATE[FollowUpDecision(decision)]
    if target != PlanState.FOLLOW_UP:
        plans.PLAN_STATES.require(PlanState.FOLLOW_UP, target)
        path.append(target)
    return path


@dataclass(frozen=True, slots=True)
class PhotoUpload:
    """A new photo for a follow-up: its standard view, its area and the uploaded file."""

    view: str
    area: str
    upload: object


def _check(
    *,
    plan: TreatmentPlan,
    gais_clinician,
    gais_patient,
    satisfaction,
    decision,
    scores: Mapping[str, int],
    reviewed_on: dt.date,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if gais_clinician not in GAIS.values:
        errors["gais_clinician"] = GAIS_ERROR
    if gais_patient is not None and gais_patient not in GAIS.values:
        errors["gais_patient"] = GAIS_ERROR
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = SATISFACTION_ERROR
    if decision not in FollowUpDecision.values:
        errors["decision"] = DECISION_ERROR
    for row in plan.assessment.concerns.all():
        severity = scores.get(row.concern)
        if severity is None:
            errors[score_field(row.concern)] = (
                f"Re-score {row.get_concern_display()}: 0 (none) to 4 (severe)."
            )
        elif not 0 <= severity <= 4:
            errors[score_field(row.concern)] = SEVERITY_ERROR
    if reviewed_on > today:
        errors["reviewed_on"] = FUTURE_ERROR
    elif reviewed_on < plan.assessment.assessed_on:
        errors["reviewed_on"] = (
            "The review cannot be before the assessment of "
            f"{progress.day_text(plan.assessment.assessed_on, with_year=True)}."
        )
    return errors


def _check_appointment(appointment: Appointment, plan: TreatmentPlan) -> None:
    if appointment.patient_id != plan.patient_id:
        raise ValidationError("This appointment is another patient's.")
    if appointment.appointment_type.kind != AppointmentType.Kind.FOLLOW_UP:
        raise ValidationError("Only a follow-up review appointment can be linked to a follow-up.")
    if not appointment.is_holding:
        raise ValidationError("This follow-up appointment was cancelled.")
    if FollowUp.objects.filter(appointment=appointment).exists():
        raise ValidationError("This appointment already has its follow-up recorded.")


def _delete_files(stored: list[Photo]) -> None:
    for photo in stored:
        for image in (photo.image, photo.thumbnail):
            if image.name:
                image.storage.delete(image.name)


@transaction.atomic
def followup_record(
    *,
    plan: TreatmentPlan,
    clinician,
    gais_clinician: int,
    decision: str,
    scores: Mapping[str, int],
    policy: ClinicPolicy,
    reviewed_on: dt.date | None = None,
    gais_patient: int | None = None,
    satisfaction: int | None = None,
    side_effects: str = "",
    notes: str = "",
    photos: Sequence[PhotoUpload] = (),
    appointment: Appointment | None = None,
) -> FollowUp:
    """Record a follow-up with its re-scores and photos, and move the plan by its decision.

    Raises ValidationError keyed by field (``score_<concern>``, ``photo_<view>_<area>``,
    ``satisfaction``...) for bad input, and TransitionRefused when the plan does not take a
    follow-up. Either everything is saved (follow-up, scores, photos, plan state) or nothing.
    """
    today = ClinicSettings.load().today()
    reviewed_on = reviewed_on or today
    locked = (
        TreatmentPlan.objects.select_for_update()
        .select_related("patient", "assessment")
        .get(pk=plan.pk)
    )
    errors = _check(
        plan=locked,
        gais_clinician=gais_clinician,
        gais_patient=gais_patient,
        satisfaction=satisfaction,
        decision=decision,
        scores=scores,
        reviewed_on=reviewed_on,
        today=today,
    )
    if photos and not assessment_services.has_photo_consent(locked.patient):
        for photo in photos:
            errors[photo_field(photo.view, photo.area)] = assessment_services.NO_PHOTO_CONSENT
    if errors:
        raise ValidationError(errors)
    path = state_path(locked.state, decision)
    if appointment is not None:
        _check_appointment(appointment, locked)

    if path and path[0] == PlanState.FOLLOW_UP:
        # In treatment: into follow-up first, as the plan's state machine requires.
        locked = plan_services.plan_transition(
            plan=locked, to=PlanState.FOLLOW_UP, by=clinician, policy=policy, on=today
        )
        path = path[1:]
    follow_up = FollowUp(
        plan=locked,
        appointment=appointment,
        clinician=clinician,
        reviewed_on=reviewed_on,
        gais_clinician=gais_clinician,
        gais_patient=gais_patient,
        satisfaction=satisfaction,
        side_effects=side_effects.strip(),
        decision=decision,
        notes=notes.strip(),
    )
    follow_up._history_user = clinician
    follow_up.save()
    FollowUpScore.objects.bulk_create(
        FollowUpScore(follow_up=follow_up, concern=row.concern, severity=scores[row.concern])
        for row in locked.assessment.concerns.all()
    )
    stored: list[Photo] = []
    try:
        for photo in photos:
            try:
                stored.append(
                    assessment_services.photo_add(
                        patient=locked.patient,
                        assessment=None,
                        uploaded_by=clinician,
                        view=photo.view,
                        area=photo.area,
                        upload=photo.upload,
                    )
                )
            except ValidationError as error:
                raise ValidationError(
                    {photo_field(photo.view, photo.area): error.messages}
                ) from error
        follow_up.photos.set(stored)
        for state in path:
            locked = plan_services.plan_transition(
                plan=locked, to=state, by=clinician, policy=policy, on=today
            )
        if appointment is not None and appointment.status == AppointmentStatus.CHECKED_IN:
            scheduling.appointment_complete(appointment=appointment, by=clinician)
    except BaseException:
        # Nothing of a refused follow-up stays on disk either.
        _delete_files(stored)
        raise
    return follow_up


def latest_rating(plan: TreatmentPlan) -> PatientRating | None:
    """The patient's latest own rating of this plan, given in the portal."""
    return plan.patient_ratings.order_by("-submitted_at", "-pk").first()


@dataclass(frozen=True, slots=True)
class PhotoSlot:
    """A view of an area in which the assessment took a photo, to be taken again at follow-up."""

    view: str
    area: str
    taken_on: dt.date | None

    @property
    def field(self) -> str:
        return photo_field(self.view, self.area)

    @property
    def label(self) -> str:
        """'Front view of the face'."""
        return f"{VIEW_WORDS[self.view]} of the {Area(self.area).label.lower()}"


VIEW_WORDS = {
    PhotoView.FRONT: "Front view",
    PhotoView.LEFT_45: "Left 45° view",
    PhotoView.RIGHT_45: "Right 45° view",
    PhotoView.LEFT_PROFILE: "Left profile view",
    PhotoView.RIGHT_PROFILE: "Right profile view",
    PhotoView.CLOSE_UP: "Close-up",
}


def photo_slots(plan: TreatmentPlan) -> list[PhotoSlot]:
    """The views and areas of the assessment's photos (one query), in the standard view order.

    With no assessment photos, the standard views of each treated area are offered, so that the
    follow-up can still start a photographic record.
    """
    taken: dict[tuple[str, str], dt.date] = {}
    for view, area, day in Photo.objects.filter(assessment_id=plan.assessment_id).values_list(
        "view", "area", "taken_on"
    ):
        taken.setdefault((view, area), day)
    if not taken:
        areas = [a for a in plan.areas if a in Area.values] or [Area.FACE]
        return [PhotoSlot(view, area, None) for area in areas for view in PhotoView.values]
    order = {view: index for index, view in enumerate(PhotoView.values)}
    return [
        PhotoSlot(view, area, day)
        for (view, area), day in sorted(taken.items(), key=lambda i: (i[0][1], order[i[0][0]]))
    ]


@dataclass(frozen=True, slots=True)
class ScoreRow:
    label: str
    at_assessment: int
    now: int

    @property
    def change_text(self) -> str:
        change = self.at_assessment - self.now
        if change == 0:
            return "No change"
        points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
        return f"{'Better' if change > 0 else 'Worse'} by {points}"


def score_rows(follow_up: FollowUp) -> list[ScoreRow]:
    """Each re-scored concern beside its score at the assessment, in the assessment's order."""
    now = {score.concern: score.severity for score in follow_up.scores.all()}
    return [
        ScoreRow(row.get_concern_display(), row.severity, now[row.concern])
        for row in follow_up.plan.assessment.concerns.all()
        if row.concern in now
    ]


# --- Progress on the chart ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartView:
    series: progress.Series
    svg: SafeString


@dataclass(frozen=True, slots=True)
class PhotoPair:
    view_label: str
    before: Photo
    after: Photo

    @property
    def before_alt(self) -> str:
        return patient_photos.alt_text(self.before)

    @property
    def after_alt(self) -> str:
        return patient_photos.alt_text(self.after)


@dataclass(frozen=True, slots=True)
class Progress:
    assessment: Assessment
    follow_ups: list[FollowUp]
    charts: list[ChartView]
    pairs: list[PhotoPair]
    pair_follow_up: FollowUp | None

    @property
    def latest(self) -> FollowUp:
        return self.follow_ups[-1]


def progress_for(patient) -> Progress | None:
    """Each concern of the latest assessment that has follow-ups, over time, and its before/after
    photos; None when the patient has no follow-up. Five queries, whatever the history.

    The baseline is the latest assessment whose plans had a follow-up: the concerns charted are
    the ones that course was scored on, and its follow-ups are the later readings.
    """
    follow_ups = list(
        FollowUp.objects.filter(plan__patient=patient)
        .select_related("plan__assessment")
        .prefetch_related("scores", "plan__assessment__concerns", "photos")
        .order_by("reviewed_on", "pk")
    )
    if not follow_ups:
        return None
    assessment = max(
        (f.plan.assessment for f in follow_ups),
        key=lambda a: (a.assessed_on, a.created_at, a.pk),
    )
    course = [f for f in follow_ups if f.plan.assessment_id == assessment.pk]
    series = progress.build_series(
        assessed_on=assessment.assessed_on,
        baseline=[(row.concern, row.severity) for row in assessment.concerns.all()],
        follow_ups=[
            (f.reviewed_on, {score.concern: score.severity for score in f.scores.all()})
            for f in course
        ],
    )
    charts = [ChartView(s, progress.svg(progress.chart_for(s))) for s in series]
    with_photos = [f for f in course if f.photos.all()]
    pair_follow_up = with_photos[-1] if with_photos else None
    pairs = []
    if pair_follow_up is not None:
        before: dict[tuple[str, str], Photo] = {}
        for photo in Photo.objects.filter(assessment=assessment).order_by("taken_on", "pk"):
            before.setdefault((photo.view, photo.area), photo)
        after: dict[tuple[str, str], Photo] = {}
        for photo in sorted(pair_follow_up.photos.all(), key=lambda p: (p.taken_on, p.pk)):
            after[photo.view, photo.area] = photo
        order = {view: index for index, view in enumerate(PhotoView.values)}
        for key in sorted(before.keys() & after.keys(), key=lambda k: (k[1], order[k[0]])):
            view, area = key
            label = f"{VIEW_WORDS[view]} of the {Area(area).label.lower()}"
            pairs.append(PhotoPair(label, before[key], after[key]))
    return Progress(assessment, course, charts, pairs, pair_follow_up)


def progress_panel(patient, role):
    """patients.panels provider: the progress panel on the dermatologist's chart."""
    if role not in CLINICIANS:
        return None
    found = progress_for(patient)
    if found is None:
        return None
    return Panel("progress", "Progress", "treatments/_progress_panel.html", {"progress": found})


def follow_up_entries(patient, role) -> list[Entry]:
    """patients.timeline provider: follow-ups for the dermatologist; nothing for the desk (the
    GAIS and the decision are clinical). One query."""
    if role not in CLINICIANS:
        return []
    return [
        Entry(
            when=follow_up.reviewed_on,
            kind="Follow-up",
            title=f"Follow-up: {follow_up.get_gais_clinician_display().lower()} (clinician's GAIS)",
            url=reverse("treatments:followup_detail", kwargs={"pk": follow_up.pk}),
            detail=f"Decision: {follow_up.get_decision_display().lower()}",
        )
        for follow_up in FollowUp.objects.filter(plan__patient=patient)
    ]
