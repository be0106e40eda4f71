"""Plans on the patient's chart timeline: the desk sees what it needs to book, nothing clinical."""

import pytest
from django.urls import reverse

from clinic.models import Role
from patients import timeline
from tests.factories import PlanFactory
from tests.helpers import count_queries
from treatments.models import PlanState

pytestmark = pytest.mark.django_db

SECRET_NOTES = "Patient anxious about needles; discussed at length."
SECRET_JUSTIFICATION = "Isotretinoin stopped 5 months ago; benefits outweigh the risk."


def plan(**fields):
    return PlanFactory(
        state=PlanState.PLANNED,
        notes=SECRET_NOTES,
        justification=SECRET_JUSTIFICATION,
        **fields,
    )


def plan_entries(patient, role):
    return [e for e in timeline.entries_for(patient, role) if e.kind == "Plan"]


def test_front_desk_sees_route_sessions_interval_and_state_only():
    p = plan()
    [entry] = plan_entries(p.patient, Role.FRONT_DESK)
    assert entry.title == "Treatment plan: Microneedling"
    assert entry.detail == "4 sessions, every 42 days (6 weeks)"
    assert entry.badges == ("Planned",)
    assert entry.url == ""
    shown = " ".join([entry.title, entry.detail, *entry.badges])
    assert p.product.name not in shown


def test_dermatologist_sees_the_plan_with_a_link_and_its_product():
    p = plan()
    [entry] = plan_entries(p.patient, Role.DERMATOLOGIST)
    assert entry.url == reverse("treatments:plan_detail", kwargs={"pk": p.pk})
    assert p.product.name in entry.detail


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_other_roles_get_no_plan_entries(role):
    p = plan()
    assert plan_entries(p.patient, role) == []


def test_the_chart_never_shows_the_desk_reasons_or_notes(client_for):
    p = plan()
    response = client_for(Role.FRONT_DESK).get(
        reverse("patients:detail", kwargs={"pk": p.patient.pk})
    )
    assert response.status_code == 200
    assert "Treatment plan: Microneedling" in response.text
    assert "4 sessions, every 42 days (6 weeks)" in response.text
    assert SECRET_NOTES not in response.text
    assert "Isotretinoin" not in response.text
    assert reverse("treatments:plan_detail", kwargs={"pk": p.pk}) not in response.text


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_plan_entries_take_one_query_whatever_the_history(role):
    from treatments.timeline import plan_entries as provider

    p = plan()
    before = count_queries(lambda: provider(p.patient, role))
    PlanFactory.create_batch(3, assessment=p.assessment, patient=p.patient)
    assert count_queries(lambda: provider(p.patient, role)) == before == 1
