"""Progress on the dermatologist's chart: each concern's severity over time as an SVG, and the
same views before and after side by side. Only with a follow-up; never for the desk."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role
from patients import panels
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.followups.factories import (
    course_plan,
    photo,
    photo_consent,
    recorded_follow_up,
)
from treatments.services import followups

pytestmark = pytest.mark.django_db



def _chart(client, patient) -> str:
    response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _course_with_photos():
    plan = course_plan()
    start = plan.assessment.assessed_on
    photo_consent(plan.patient)
    before_front = photo(plan.patient, assessment=plan.assessment, view="front", taken_on=start)
    photo(plan.patient, assessment=plan.assessment, view="left_45", taken_on=start)
    first = recorded_follow_up(
        plan,
        reviewed_on=start + dt.timedelta(days=42),
        scores={"melasma": 2, "hyperpigmentation": 2},
    )
    after_front = photo(plan.patient, view="front", by=plan.author)
    after_close = photo(plan.patient, view="close_up", by=plan.author)
    latest = recorded_follow_up(
        plan,
        reviewed_on=start + dt.timedelta(days=84),
        scores={"melasma": 1, "hyperpigmentation": 1},
        photos=[after_front, after_close],
    )
    return plan, first, latest, before_front, after_front


def test_the_chart_draws_each_concern_and_pairs_the_same_views(client_for):
    plan, _, latest, before, after = _course_with_photos()
    page = _chart(client_for(Role.DERMATOLOGIST), plan.patient)
    assert '<h2 id="panel-progress" class="h5">Progress</h2>' in page
    day = plan.assessment.assessed_on
    one, two = day + dt.timedelta(days=42), day + dt.timedelta(days=84)

    def short(d):
        return f"{d.day} {d:%b}" + (
            f" {d.year}" if one.year != day.year or two.year != day.year else ""
        )

    assert f'aria-label="Melasma: 3 on {short(day)}, 2 on {short(one)}, 1 on {short(two)}"' in page
    assert page.count('role="img"') == 2
    assert "3 → 1: better by 2 points" in page
    # Only the front view was photographed at both: left 45° and close-up stand alone.
    assert "Front view of the face" in page
    assert page.count("Before: ") == 1
    assert reverse("patients:photo_thumb", args=[before.pk]) in page
    assert reverse("patients:photo_thumb", args=[after.pk]) in page
    assert reverse("treatments:followup_detail", args=[latest.pk]) in page


def test_the_screen_reader_table_holds_every_reading(client_for):
    plan, *_ = _course_with_photos()
    page = _chart(client_for(Role.DERMATOLOGIST), plan.patient)
    assert "<caption>Melasma: severity (0-4) at each visit</caption>" in page
    assert page.count("<td>Follow-up</td>") == 4  # two concerns, two follow-ups


def test_no_follow_up_no_panel(client_for):
    plan = course_plan()
    assert "panel-progress" not in _chart(client_for(Role.DERMATOLOGIST), plan.patient)
    assert followups.progress_panel(plan.patient, Role.DERMATOLOGIST) is None


def test_the_desk_never_gets_the_panel(client_for):
    plan, *_ = _course_with_photos()
    assert followups.progress_panel(plan.patient, Role.FRONT_DESK) is None
    page = _chart(client_for(Role.FRONT_DESK), plan.patient)
    assert "Progress" not in page and "<svg" not in page


def test_the_latest_assessment_with_follow_ups_is_the_baseline():
    plan, *_ = _course_with_photos()
    # A newer course from a newer assessment of the same patient, with its own follow-up.
    newer = course_plan(patient=plan.patient)
    newer.assessment.assessed_on = plan.assessment.assessed_on + dt.timedelta(days=200)
    newer.assessment.save()
    recorded_follow_up(
        newer,
        reviewed_on=newer.assessment.assessed_on + dt.timedelta(days=30),
        scores={"melasma": 2, "hyperpigmentation": 0},
    )
    found = followups.progress_for(plan.patient)
    assert found.assessment == newer.assessment
    assert [len(chart.series.readings) for chart in found.charts] == [2, 2]
    assert found.pairs == []


def test_the_panel_runs_a_fixed_number_of_queries():
    plan, *_ = _course_with_photos()
    patient = plan.patient

    def grow():
        for days in (100, 120, 140):
            taken = photo(patient, view="front", by=plan.author)
            recorded_follow_up(
                plan,
                reviewed_on=plan.assessment.assessed_on + dt.timedelta(days=days),
                scores={"melasma": 1, "hyperpigmentation": 0},
                photos=[taken],
            )

    assert_queries_do_not_grow(
        lambda: panels.panels_for(patient, Role.DERMATOLOGIST), grow, limit=12
    )
