"""A patient's own record as the portal's "My record" shows it (GDPR Article 15): their screens'
answers, assessments with scores, plans, sessions with route, product, lot and areas, aftercare,
follow-ups and their photos. Draft plans are the clinician's working copies and stay out, as
everywhere in the portal. Loaded in a fixed number of queries (``interop.fhir.gather``)."""

from dataclasses import dataclass, field

from clinic.lib.vocabulary import Area, Concern
from interop.fhir.gather import one_patient
from patients.models import Patient
from patients.screens import screen_answers
from patients.services.photos import alt_text
from treatments.models import PlanState, SessionStatus


@dataclass
class OwnRecord:
    patient: Patient
    screens: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    photos: list = field(default_factory=list)


def _area_labels(values) -> str:
    return ", ".join(Area(value).label for value in values if value in Area.values)


def _concern_label(value: str) -> str:
    return Concern(value).label if value in Concern.values else value.replace("_", " ").capitalize()


def own_record(patient: Patient) -> OwnRecord:
    gathered = one_patient(patient)
    record = OwnRecord(patient=gathered)
    for screen in gathered.screens.all():
        screen.answer_groups = screen_answers(screen)
        record.screens.append(screen)
    for assessment in gathered.assessments.all():
        assessment.scores = list(assessment.concerns.all())
        record.assessments.append(assessment)
    for plan in gathered.plans.all():
        if plan.state == PlanState.DRAFT:
            continue
        plan.areas_text = _area_labels(plan.areas)
        record.plans.append(plan)
        for follow_up in plan.follow_ups.all():
            follow_up.plan_label = plan.get_route_display()
            follow_up.score_list = [
                (_concern_label(score.concern), score.severity) for score in follow_up.scores.all()
            ]
            record.follow_ups.append(follow_up)
    for session in gathered.treatment_sessions.all():
        if session.status != SessionStatus.COMPLETED:
            continue
        session.areas_text = _area_labels(session.areas)
        session.depth_rows = [
            (Area(area).label, depth) for area, depth in sorted(session.depths.items()) if depth
        ]
        record.sessions.append(session)
    record.sessions.sort(key=lambda s: s.ended_at or s.started_at, reverse=True)
    record.follow_ups.sort(key=lambda f: f.reviewed_on, reverse=True)
    for photo in gathered.photos.all():
        photo.alt = alt_text(photo)
        record.photos.append(photo)
    return record
