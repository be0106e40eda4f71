"""The demo follow-ups (treatments.demo.followups): improvement for two demo courses with
completed sessions, with photos in the assessment's views; idempotent; honest when the sessions
demo did not run."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.treatments.followups.factories import (
    course_plan,
    done_sessions,
    photo,
    photo_consent,
)
from treatments.demo import followups as demo_followups
from treatments.models import FollowUp, PlanState

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    demo_followups.seed(out)
    return out.getvalue()


def _course(sessions, done, *, photographed=False):
    plan = course_plan(sessions=sessions)
    plan.assessment.assessed_on = timezone.localdate() - dt.timedelta(days=200)
    plan.assessment.save()
    if photographed:
        photo_consent(plan.patient)
        photo(plan.patient, assessment=plan.assessment, view="front")
    done_sessions(plan, count=done, first=timezone.now() - dt.timedelta(days=120), days_apart=42)
    return plan


def test_two_courses_get_follow_ups_showing_improvement():
    finished = _course(2, 2, photographed=True)
    halfway = _course(4, 1)
    untouched = _course(4, 1)
    assert "Demo follow-ups: 3 added." in _seed()

    finished.refresh_from_db()
    assert finished.state == PlanState.COMPLETED
    first, last = finished.follow_ups.order_by("reviewed_on")
    assert dict(first.scores.values_list("concern", "severity")) == {
        "melasma": 2,
        "hyperpigmentation": 1,
    }
    assert dict(last.scores.values_list("concern", "severity")) == {
        "melasma": 1,
        "hyperpigmentation": 0,
    }
    assert first.reviewed_on < last.reviewed_on <= timezone.localdate()
    (front,) = last.photos.all()
    assert (front.view, front.taken_on) == ("front", last.reviewed_on)

    # Courses with assessment photos come first; then one more, continuing.
    reviewed = {halfway.pk, untouched.pk} & set(FollowUp.objects.values_list("plan", flat=True))
    assert len(reviewed) == 1
    plan = halfway if halfway.pk in reviewed else untouched
    plan.refresh_from_db()
    assert plan.state == PlanState.IN_TREATMENT


def test_running_it_again_adds_nothing():
    _course(2, 2, photographed=True)
    _course(4, 1)
    _course(4, 1)
    _seed()
    count = FollowUp.objects.count()
    assert "already there for 2 courses" in _seed()
    assert FollowUp.objects.count() == count


def test_without_completed_sessions_it_says_so():
    course_plan()
    assert "no course in treatment has completed sessions" in _seed()
    assert not FollowUp.objects.exists()
