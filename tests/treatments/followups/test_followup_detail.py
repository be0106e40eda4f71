"""A recorded follow-up (treatments:followup_detail): dermatologists read the ratings, each
concern's score beside the assessment's, the photos and the decision."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.followups.factories import (
    course_plan,
    photo,
    photo_consent,
    recorded_follow_up,
)

pytestmark = pytest.mark.django_db


def _page(client, follow_up):
    response = client.get(reverse("treatments:followup_detail", args=[follow_up.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_dermatologist_reads_scores_beside_the_assessments(client_for):
    plan = course_plan()
    follow_up = recorded_follow_up(
        plan,
        reviewed_on=plan.assessment.assessed_on + dt.timedelta(days=84),
        scores={"melasma": 1, "hyperpigmentation": 3},
        decision="maintenance",
        gais=2,
    )
    page = _page(client_for(Role.DERMATOLOGIST), follow_up)
    assert page.count("<h1") == 1
    assert "Much improved" in page
    assert "Maintenance (a session every few months)" in page
    assert "Better by 2 points" in page  # melasma 3 -> 1
    assert "Worse by 1 point" in page  # hyperpigmentation 2 -> 3
    assert "No photos were taken at this follow-up." in page


def test_its_photos_are_shown_with_alt_text(client_for):
    plan = course_plan()
    photo_consent(plan.patient)
    taken = photo(plan.patient, view="front", by=plan.author)
    follow_up = recorded_follow_up(
        plan, reviewed_on=taken.taken_on, scores={"melasma": 2}, photos=[taken]
    )
    page = _page(client_for(Role.DERMATOLOGIST), follow_up)
    assert reverse("patients:photo_thumb", args=[taken.pk]) in page
    assert f'alt="Front view of face, {taken.taken_on.day} {taken.taken_on:%b %Y}"' in page


def test_an_unknown_follow_up_is_404(client_for):
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("treatments:followup_detail", args=[999999])
    )
    assert response.status_code == 404


def test_post_is_not_allowed(client_for):
    plan = course_plan()
    follow_up = recorded_follow_up(plan, reviewed_on=dt.date.today(), scores={"melasma": 2})
    response = client_for(Role.DERMATOLOGIST).post(
        reverse("treatments:followup_detail", args=[follow_up.pk])
    )
    assert response.status_code == 405


def test_its_history_is_readable_by_dermatologists_only(client_for):
    plan = course_plan()
    follow_up = recorded_follow_up(plan, reviewed_on=dt.date.today(), scores={"melasma": 2})
    url = reverse("record_history", args=["follow_up", follow_up.pk])
    assert client_for(Role.DERMATOLOGIST).get(url).status_code == 200
    assert client_for(Role.MANAGER).get(url).status_code == 403
