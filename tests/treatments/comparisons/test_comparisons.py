"""Before-and-after comparisons: two photos of the same view and area, with dates, sessions done
and scores; the patient sees their own while photo consent stands (docs/clinical-rules.md
§Photos)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Photo
from tests.patients.assessments.helpers import give_photo_consent, make_photo
from tests.treatments.followups.factories import course_plan, recorded_follow_up
from tests.treatments.sessions.factories import patient_with_login

pytestmark = pytest.mark.django_db


def _course_with_pair():
    """A course whose assessment and follow-up both photographed the front of the face."""
    plan = course_plan()
    before = make_photo(assessment=plan.assessment)
    after = make_photo(assessment=plan.assessment)
    Photo.objects.filter(pk=before.pk).update(taken_on=timezone.localdate() - dt.timedelta(days=90))
    Photo.objects.filter(pk=after.pk).update(assessment=None)
    follow_up = recorded_follow_up(
        plan, reviewed_on=timezone.localdate(), scores={"melasma": 1}, photos=[after]
    )
    return plan, before, after, follow_up


def test_the_dermatologist_compares_two_photos_of_one_view(client, derm):
    plan, before, after, _ = _course_with_pair()
    client.force_login(derm)
    url = reverse("treatments:photo_compare", args=[plan.patient_id])

    page = client.get(url, {"before": after.pk, "after": before.pk}).text

    # Ordered by date whichever way round they were chosen, each with its occasion and scores.
    assert page.index("<strong>Before</strong>: Assessment") < page.index(
        "<strong>After</strong>: Follow-up"
    )
    assert "Melasma 1/4" in page
    assert reverse("patients:photo", args=[after.pk]) in page
    assert 'data-compare-slider' in page


def test_two_different_views_are_refused_at_the_field(client, derm):
    plan, before, _, _ = _course_with_pair()
    side = make_photo(assessment=plan.assessment, view="left_45")
    client.force_login(derm)
    page = client.get(
        reverse("treatments:photo_compare", args=[plan.patient_id]),
        {"before": before.pk, "after": side.pk},
    )
    assert page.status_code == 200
    assert "Choose two photos of the same view and area." in page.text


def test_another_patients_photo_is_not_offered_and_refused(client, derm):
    plan, before, _, _ = _course_with_pair()
    stranger = make_photo()
    client.force_login(derm)
    page = client.get(
        reverse("treatments:photo_compare", args=[plan.patient_id]),
        {"before": before.pk, "after": stranger.pk},
    )
    assert page.status_code == 200
    assert "Select a valid choice." in page.text
    assert reverse("patients:photo", args=[stranger.pk]) not in page.text


def test_the_follow_up_report_has_the_matched_pair(client, derm):
    _, before, after, follow_up = _course_with_pair()
    client.force_login(derm)
    page = client.get(reverse("treatments:followup_detail", args=[follow_up.pk])).text
    assert "Front of the face" in page
    assert reverse("patients:photo_thumb", args=[before.pk]) in page
    assert reverse("patients:photo_thumb", args=[after.pk]) in page


def test_the_patient_sees_their_comparison_only_with_photo_consent(client):
    plan, _before, after, _ = _course_with_pair()
    user, _ = patient_with_login(plan.patient)
    client.force_login(user)

    page = client.get(reverse("treatments:portal_compare")).text
    assert "Front of the face" in page
    assert client.get(reverse("patients:photo", args=[after.pk])).status_code == 200

    plan.patient.consents.filter(text__kind="photo").update(revoked_at=timezone.now())
    page = client.get(reverse("treatments:portal_compare")).text
    assert "Front of the face" not in page and "withdrew it" in page
    assert client.get(reverse("patients:photo", args=[after.pk])).status_code == 404


def test_a_patient_never_gets_another_patients_photo(client):
    plan, _, _, _ = _course_with_pair()
    stranger = make_photo()
    client.force_login(patient_with_login(plan.patient)[0])
    assert client.get(reverse("patients:photo", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("patients:photo_thumb", args=[stranger.pk])).status_code == 404


def test_the_portal_page_does_not_grow_with_photos(client, django_assert_max_num_queries):
    plan, _, _, _ = _course_with_pair()
    client.force_login(patient_with_login(plan.patient)[0])
    for view in ("left_45", "right_45"):
        make_photo(assessment=plan.assessment, view=view)
        make_photo(assessment=plan.assessment, view=view)
    give_photo_consent(plan.patient)
    with django_assert_max_num_queries(20):
        client.get(reverse("treatments:portal_compare"))
