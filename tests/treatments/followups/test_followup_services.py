"""Recording a follow-up (treatments.services.followups.followup_record): the decision moves
the plan.

docs/clinical-rules.md §Follow-up: GAIS by clinician and patient, each concern re-scored 0-4,
satisfaction 1-5, side effects, photos in the same views, and a decision (continue, adjust the
plan, complete, maintenance). The plan's transitions are treatments/plans.py's.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clinic.models import ClinicSettings
from patients.models import Photo, photo_storage
from tests.factories import review_type
from tests.treatments.followups.factories import course_plan, image, photo_consent, visit
from treatments.models import (
    AppointmentStatus,
    FollowUp,
    FollowUpDecision,
    FollowUpScore,
    PlanState,
    TreatmentPlan,
    plans,
)
from treatments.services import followups

pytestmark = pytest.mark.django_db

S, D = PlanState, FollowUpDecision
SCORES = {"melasma": 1, "hyperpigmentation": 2}


def _record(plan, **overrides):
    fields = {
        "plan": plan,
        "clinician": plan.author,
        "gais_clinician": 2,
        "decision": D.CONTINUE,
        "scores": SCORES,
        "policy": ClinicSettings.load().policy,
    }
    return followups.followup_record(**(fields | overrides))


def _nothing_saved(plan, state):
    plan.refresh_from_db()
    assert plan.state == state
    assert not FollowUp.objects.exists()
    assert not FollowUpScore.objects.exists()
    assert not Photo.objects.exists()


ENDS = {
    (S.IN_TREATMENT, D.CONTINUE): S.IN_TREATMENT,
    (S.IN_TREATMENT, D.MAINTENANCE): S.IN_TREATMENT,
    (S.IN_TREATMENT, D.COMPLETE): S.COMPLETED,
    (S.IN_TREATMENT, D.ADJUST): S.FOLLOW_UP,
    (S.FOLLOW_UP, D.CONTINUE): S.IN_TREATMENT,
    (S.FOLLOW_UP, D.MAINTENANCE): S.IN_TREATMENT,
    (S.FOLLOW_UP, D.COMPLETE): S.COMPLETED,
    (S.FOLLOW_UP, D.ADJUST): S.FOLLOW_UP,
}


@pytest.mark.parametrize(("start", "decision"), list(ENDS), ids=lambda v: str(v))
def test_the_decision_moves_the_plan(start, decision):
    plan = course_plan(state=start)
    follow_up = _record(plan, decision=decision)
    plan.refresh_from_db()
    assert plan.state == ENDS[start, decision]
    assert follow_up.decision == decision
    # In treatment: the plan went through follow-up on the way, and the history says so.
    reasons = list(plan.history.order_by("history_date").values_list("state", flat=True))
    if start == S.IN_TREATMENT:
        assert S.FOLLOW_UP in reasons


@pytest.mark.parametrize(("start", "decision"), list(ENDS), ids=lambda v: str(v))
def test_state_path_lists_the_transitions_in_order(start, decision):
    path = followups.state_path(start, decision)
    expected = [] if start == S.FOLLOW_UP else [S.FOLLOW_UP]
    if ENDS[start, decision] != S.FOLLOW_UP:
        expected.append(ENDS[start, decision])
    assert path == expected


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (S.DRAFT, "A follow-up is recorded once the course has started; this plan is draft."),
        (S.PLANNED, "A follow-up is recorded once the course has started; this plan is planned."),
        (S.COMPLETED, "This plan is completed: it takes no more follow-ups."),
        (S.CANCELLED, "This plan is cancelled: it takes no more follow-ups."),
    ],
)
def test_plans_that_have_not_started_or_have_ended_are_refused(state, message):
    fields = {"cancel_reason": "Moved abroad."} if state == S.CANCELLED else {}
    plan = course_plan(state=state, **fields)
    with pytest.raises(plans.TransitionRefused) as refused:
        _record(plan)
    assert refused.value.message == message
    _nothing_saved(plan, state)


def test_every_concern_of_the_assessment_is_rescored_and_kept():
    plan = course_plan()
    follow_up = _record(
        plan,
        gais_patient=1,
        satisfaction=5,
        side_effects="  Mild redness for a day.  ",
        notes="Good response.",
    )
    assert dict(follow_up.scores.values_list("concern", "severity")) == SCORES
    assert (follow_up.gais_clinician, follow_up.gais_patient, follow_up.satisfaction) == (2, 1, 5)
    assert follow_up.side_effects == "Mild redness for a day."
    assert follow_up.reviewed_on == timezone.localdate()
    assert follow_up.history.get().history_user == plan.author


@pytest.mark.parametrize("severity", [9, -1, 5])
def test_a_score_outside_0_to_4_is_refused_at_its_field(severity):
    plan = course_plan()
    with pytest.raises(ValidationError) as refused:
        _record(plan, scores={"melasma": severity, "hyperpigmentation": 2})
    assert refused.value.message_dict == {"score_melasma": ["Severity is 0 (none) to 4 (severe)."]}
    _nothing_saved(plan, S.IN_TREATMENT)


def test_a_missing_rescore_is_refused():
    plan = course_plan()
    with pytest.raises(ValidationError) as refused:
        _record(plan, scores={"melasma": 1})
    assert refused.value.message_dict == {
        "score_hyperpigmentation": ["Re-score Hyperpigmentation: 0 (none) to 4 (severe)."]
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"satisfaction": 0}, "satisfaction", followups.SATISFACTION_ERROR),
        ({"satisfaction": 6}, "satisfaction", followups.SATISFACTION_ERROR),
        ({"gais_clinician": 7}, "gais_clinician", followups.GAIS_ERROR),
        ({"gais_patient": 0}, "gais_patient", followups.GAIS_ERROR),
        ({"decision": "stop"}, "decision", followups.DECISION_ERROR),
        ({"decision": ""}, "decision", followups.DECISION_ERROR),
        (
            {"reviewed_on": timezone.localdate() + dt.timedelta(days=1)},
            "reviewed_on",
            followups.FUTURE_ERROR,
        ),
    ],
)
def test_bad_values_are_refused_at_their_field_and_nothing_is_saved(overrides, field, message):
    plan = course_plan()
    with pytest.raises(ValidationError) as refused:
        _record(plan, **overrides)
    assert refused.value.message_dict == {field: [message]}
    _nothing_saved(plan, S.IN_TREATMENT)


def test_the_review_cannot_be_before_the_assessment():
    plan = course_plan()
    before = plan.assessment.assessed_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _record(plan, reviewed_on=before)
    assert "cannot be before the assessment" in refused.value.message_dict["reviewed_on"][0]


def test_photos_are_stored_stripped_and_attached_in_their_view():
    plan = course_plan()
    photo_consent(plan.patient)
    follow_up = _record(
        plan,
        photos=[
            followups.PhotoUpload("front", "face", image()),
            followups.PhotoUpload("left_45", "face", image()),
        ],
    )
    photos = list(follow_up.photos.order_by("view"))
    assert [(p.view, p.area, p.assessment_id) for p in photos] == [
        ("front", "face", None),
        ("left_45", "face", None),
    ]
    assert all(p.patient_id == plan.patient_id and p.uploaded_by == plan.author for p in photos)


def test_a_photo_without_photo_consent_refuses_the_whole_follow_up():
    plan = course_plan()
    with pytest.raises(ValidationError) as refused:
        _record(plan, photos=[followups.PhotoUpload("front", "face", image())])
    assert refused.value.message_dict == {
        "photo_front_face": [
            "This patient has no valid photo consent, so no photo can be added. Record the "
            "patient's photo consent on their chart first."
        ]
    }
    _nothing_saved(plan, S.IN_TREATMENT)


def test_a_bad_image_refuses_the_whole_follow_up_and_leaves_no_file(monkeypatch):
    plan = course_plan()
    photo_consent(plan.patient)
    saved = []
    real_save = photo_storage.save

    def save(name, content, **kwargs):
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(photo_storage, "save", save)
    good = followups.PhotoUpload("front", "face", image())
    bad = followups.PhotoUpload(
        "left_45", "face", SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    )
    with pytest.raises(ValidationError) as refused:
        _record(plan, photos=[good, bad])
    assert "photo_left_45_face" in refused.value.message_dict
    _nothing_saved(plan, S.IN_TREATMENT)
    assert len(saved) == 2  # the good photo and its thumbnail were written, then removed
    assert not any(photo_storage.exists(name) for name in saved)


def test_a_follow_up_appointment_is_linked_and_completed_when_checked_in():
    plan = course_plan()
    review = visit(
        plan,
        starts_at=timezone.now() - dt.timedelta(minutes=10),
        appointment_type=review_type(),
        status=AppointmentStatus.CHECKED_IN,
    )
    follow_up = _record(plan, appointment=review)
    review.refresh_from_db()
    assert follow_up.appointment == review
    assert review.status == AppointmentStatus.COMPLETED


def test_an_appointment_takes_one_follow_up_only():
    plan = course_plan()
    review = visit(
        plan, starts_at=timezone.now() + dt.timedelta(days=1), appointment_type=review_type()
    )
    _record(plan, appointment=review)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _record(plan, appointment=review)
    assert refused.value.messages == ["This appointment already has its follow-up recorded."]
    assert FollowUp.objects.count() == 1


def test_a_treatment_appointment_cannot_be_the_follow_up_appointment():
    plan = course_plan()
    session = visit(plan, starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        _record(plan, appointment=session)
    assert refused.value.messages == [
        "Only a follow-up review appointment can be linked to a follow-up."
    ]
    _nothing_saved(plan, S.IN_TREATMENT)


def test_another_patients_appointment_is_refused():
    plan = course_plan()
    other = course_plan()
    review = visit(
        other, starts_at=timezone.now() + dt.timedelta(days=1), appointment_type=review_type()
    )
    with pytest.raises(ValidationError):
        _record(plan, appointment=review)
    assert TreatmentPlan.objects.get(pk=plan.pk).state == S.IN_TREATMENT
