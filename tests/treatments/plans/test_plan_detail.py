"""treatments:plan_detail, plan_edit and plan_transition: the plan, its states and its history."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PlanFactory, ScreenFactory
from treatments.models import PlanState, TreatmentPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


def detail(plan):
    return reverse("treatments:plan_detail", kwargs={"pk": plan.pk})


def transition(client, plan, to, reason=""):
    url = reverse("treatments:plan_transition", kwargs={"pk": plan.pk})
    return client.post(url, {"to": to, "reason": reason})


def test_detail_shows_the_plan_and_the_buttons_its_state_allows(derm_client):
    plan = PlanFactory(state=PlanState.PLANNED, justification="Because.", notes="Bring SPF.")
    response = derm_client.get(detail(plan))
    assert response.status_code == 200
    html = response.text
    assert "Treatment plan: Microneedling" in html
    assert (
        "4 sessions, every 42 days (6 weeks): 18 weeks from the first session to the last" in html
    )
    assert "Face: 1.0 mm" in html
    assert "Bring SPF." in html
    # "In treatment" comes from completing the first session record, never from a button.
    assert [a["label"] for a in response.context["actions"]] == ["Reopen as draft"]
    assert "Mark first session done" not in html
    assert "A plan goes into treatment when its first session record is completed" in html
    assert "Cancel the plan" in html
    assert reverse("record_history", args=["plan", plan.pk]) in html


def test_a_forced_first_session_done_is_refused_and_changes_nothing(derm_client):
    plan = PlanFactory(state=PlanState.PLANNED)
    response = transition(derm_client, plan, "in_treatment")
    assert response.status_code == 200
    assert "A plan goes into treatment when its first session record is completed" in response.text
    stored = TreatmentPlan.objects.get()
    assert (stored.state, stored.version) == (PlanState.PLANNED, plan.version)
    assert stored.history.count() == 1


@pytest.mark.parametrize("value", ["bogus", ""])
def test_an_unknown_state_is_said_on_the_page_and_changes_nothing(derm_client, value):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = transition(derm_client, plan, value)
    assert response.status_code == 200
    assert "Unknown plan state" in response.text
    assert TreatmentPlan.objects.get().state == PlanState.DRAFT


def test_a_completed_plan_offers_no_transition(derm_client):
    response = derm_client.get(detail(PlanFactory(state=PlanState.COMPLETED)))
    assert "does not change state any more" in response.text
    assert "Edit the plan" not in response.text


def test_unknown_plan_is_404(derm_client):
    assert derm_client.get(reverse("treatments:plan_detail", kwargs={"pk": 999})).status_code == 404


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT, Role.MANAGER])
def test_only_dermatologists_open_a_plan(client_for, role):
    assert client_for(role).get(detail(PlanFactory())).status_code == 403


def test_marking_a_draft_planned(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = transition(derm_client, plan, "planned")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PLANNED


def test_cancel_without_reason_gets_the_message_at_the_field(derm_client):
    plan = PlanFactory(state=PlanState.PLANNED)
    response = transition(derm_client, plan, "cancelled", "")
    assert response.status_code == 200
    assert response.context["transition_form"].errors["reason"] == [
        "Say why the plan is cancelled."
    ]
    plan.refresh_from_db()
    assert plan.state == PlanState.PLANNED


def test_cancel_with_reason_is_kept_and_shown(derm_client):
    plan = PlanFactory(state=PlanState.IN_TREATMENT)
    transition(derm_client, plan, "cancelled", "Moved abroad.")
    response = derm_client.get(detail(plan))
    assert "Moved abroad." in response.text
    assert TreatmentPlan.objects.get().state == PlanState.CANCELLED


def test_a_refused_transition_is_explained_on_the_page(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    ScreenFactory(patient=plan.patient, anticoagulant=True)
    response = transition(derm_client, plan, "planned")
    assert response.status_code == 200
    [error] = response.context["transition_form"].non_field_errors()
    assert error.startswith("Microneedling is blocked: Takes an anticoagulant")
    assert TreatmentPlan.objects.get().state == PlanState.DRAFT


def test_a_transition_the_table_forbids_is_refused(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = transition(derm_client, plan, "completed")
    assert "A draft plan cannot become completed" in response.text
    assert TreatmentPlan.objects.get().state == PlanState.DRAFT


def test_transition_by_get_is_405(derm_client):
    plan = PlanFactory()
    url = reverse("treatments:plan_transition", kwargs={"pk": plan.pk})
    assert derm_client.get(url).status_code == 405


def test_history_records_who_changed_what(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    transition(derm_client, plan, "planned")
    response = derm_client.get(reverse("record_history", args=["plan", plan.pk]))
    assert response.status_code == 200
    assert "Planned" in response.text
    assert "draft → planned" in response.text


def test_manager_cannot_read_a_plan_s_history(client_for):
    plan = PlanFactory()
    response = client_for(Role.MANAGER).get(reverse("record_history", args=["plan", plan.pk]))
    assert response.status_code == 403


# --- Editing ----------------------------------------------------------------------------------


def edit(plan):
    return reverse("treatments:plan_edit", kwargs={"pk": plan.pk})


def edit_data(plan, **overrides):
    data = {
        "route": "microneedling",
        "product": plan.product_id,
        "areas": ["face"],
        "sessions": "5",
        "interval_days": "35",
        "depth_face": "1.25",
        "justification": "",
        "notes": "Edited.",
        "state": "planned",
        "version": plan.version,
    }
    data.update(overrides)
    return data


def test_editing_a_draft_starts_from_the_plan(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT, sessions=5)
    response = derm_client.get(edit(plan))
    assert response.status_code == 200
    assert response.context["form"].initial["sessions"] == 5
    assert 'name="depth_face" value="1.0"' in response.text


def test_editing_saves_and_plans(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = derm_client.post(edit(plan), edit_data(plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.sessions, plan.notes) == (PlanState.PLANNED, 5, "Edited.")


def test_editing_with_bad_input_saves_nothing(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    response = derm_client.post(edit(plan), edit_data(plan, depth_face="5"))
    assert response.context["form"].errors["depth_face"] == ["Needle depth for face is 0.5–1.5 mm."]
    plan.refresh_from_db()
    assert plan.sessions == 4


def test_a_stale_edit_keeps_the_input_and_says_so(derm_client):
    plan = PlanFactory(state=PlanState.DRAFT)
    TreatmentPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    response = derm_client.post(edit(plan), edit_data(plan))
    assert response.status_code == 200
    assert "saved changes to this record while you were editing" in response.text
    plan.refresh_from_db()
    assert plan.sessions == 4


def test_a_plan_in_treatment_is_not_edited(derm_client):
    plan = PlanFactory(state=PlanState.IN_TREATMENT)
    response = derm_client.get(edit(plan))
    assert response.status_code == 302
    assert response["Location"] == detail(plan)


def test_plan_page_links_to_the_course_and_the_follow_up(client_for):
    plan = PlanFactory(state=PlanState.IN_TREATMENT)
    text = (
        client_for(Role.DERMATOLOGIST).get(reverse("treatments:plan_detail", args=[plan.pk])).text
    )
    assert reverse("treatments:course", args=[plan.pk]) in text
    assert reverse("treatments:followup_new", args=[plan.pk]) in text
