"""The patient rates their own course: GAIS and satisfaction 1-5 (docs/clinical-rules.md "Follow-up
and outcomes"), offered at follow-up or once the last session is done."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.treatments.portal.factories import completed_session, portal_patient
from treatments.models import PatientRating, PlanState
from treatments.services import portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivia():
    return portal_patient(first_name="Olivia", last_name="Bennett")


@pytest.fixture
def client(olivia):
    client = Client()
    client.force_login(olivia[0])
    return client


def plan_at(patient, state, *, sessions=4):
    plan = completed_session(patient=patient).plan
    plan.state = state
    plan.sessions = sessions
    if state == PlanState.CANCELLED:
        plan.cancel_reason = "Moved abroad"
    plan.save()
    return plan


def url(plan):
    return reverse("treatments:portal_rating", kwargs={"pk": plan.pk})


@pytest.mark.parametrize(
    ("state", "sessions", "offered"),
    [
        (PlanState.FOLLOW_UP, 4, True),
        (PlanState.COMPLETED, 4, True),
        (PlanState.IN_TREATMENT, 1, True),  # the one planned session is done
        (PlanState.IN_TREATMENT, 4, False),  # 1 of 4 done
        (PlanState.CANCELLED, 4, False),
    ],
)
def test_rating_is_offered_at_follow_up_or_after_the_last_session(olivia, state, sessions, offered):
    plan = plan_at(olivia[1], state, sessions=sessions)
    assert portal.rating_offered(plan, sessions_done=portal.sessions_done(plan)) is offered


def test_patient_rates_their_course(client, olivia):
    plan = plan_at(olivia[1], PlanState.FOLLOW_UP)
    response = client.get(url(plan))
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "How satisfied are you with the treatment?" in response.text
    response = client.post(url(plan), {"gais": 2, "satisfaction": 5, "comment": "Even tone"})
    assert response.status_code == 302
    rating = PatientRating.objects.get()
    assert (rating.plan, rating.gais, rating.satisfaction, rating.comment) == (
        plan,
        2,
        5,
        "Even tone",
    )


def test_sessions_page_offers_the_rating_and_shows_the_last_one(client, olivia):
    plan = plan_at(olivia[1], PlanState.FOLLOW_UP)
    sessions_url = reverse("treatments:portal_sessions")
    assert url(plan) in client.get(sessions_url).text
    client.post(url(plan), {"gais": 3, "satisfaction": 4})
    assert "improved, satisfaction 4 of 5" in client.get(sessions_url).text


def test_sessions_page_does_not_offer_it_mid_course(client, olivia):
    plan = plan_at(olivia[1], PlanState.IN_TREATMENT)
    assert url(plan) not in client.get(reverse("treatments:portal_sessions")).text


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"gais": 2, "satisfaction": 9}, portal.SATISFACTION_RANGE),
        ({"gais": 2, "satisfaction": 0}, portal.SATISFACTION_RANGE),
        ({"gais": 2}, portal.SATISFACTION_RANGE),
        ({"gais": 7, "satisfaction": 3}, "Choose how your skin looks now."),
    ],
)
def test_bad_rating_is_a_field_error_and_nothing_saved(client, olivia, data, field_message):
    plan = plan_at(olivia[1], PlanState.COMPLETED)
    response = client.post(url(plan), data)
    assert response.status_code == 200
    assert field_message in response.text
    assert not PatientRating.objects.exists()


def test_mid_course_rating_page_says_not_yet_and_refuses_a_post(client, olivia):
    plan = plan_at(olivia[1], PlanState.IN_TREATMENT)
    assert portal.RATING_NOT_YET in client.get(url(plan)).text
    response = client.post(url(plan), {"gais": 1, "satisfaction": 5})
    assert response.status_code == 200
    assert not PatientRating.objects.exists()


def test_service_checks_the_range_and_the_owner(olivia):
    plan = plan_at(olivia[1], PlanState.COMPLETED)
    with pytest.raises(ValidationError) as error:
        portal.rating_submit(plan=plan, patient=olivia[1], gais=2, satisfaction=9)
    assert error.value.message_dict == {"satisfaction": [portal.SATISFACTION_RANGE]}
    other = plan_at(portal_patient()[1], PlanState.COMPLETED)
    with pytest.raises(ValidationError):
        portal.rating_submit(plan=other, patient=olivia[1], gais=2, satisfaction=4)
    assert not PatientRating.objects.exists()


def test_another_patients_plan_answers_404(client):
    other = plan_at(portal_patient()[1], PlanState.COMPLETED)
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), {"gais": 1, "satisfaction": 5}).status_code == 404
    assert not PatientRating.objects.exists()


def test_draft_plan_is_not_the_patients_to_see(client, olivia):
    plan = plan_at(olivia[1], PlanState.DRAFT)
    assert client.get(url(plan)).status_code == 404
    assert url(plan) not in client.get(reverse("treatments:portal_sessions")).text
