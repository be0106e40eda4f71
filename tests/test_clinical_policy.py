"""The clinical policy switches change only with a dermatologist's sign-off and a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from clinic import services
from clinic.models import ClinicSettings, PolicyChange, Role, User
from tests.factories import UserFactory

DEFAULTS = {"human_derived_allowed": False, "pregnancy_blocks": True, "isotretinoin_blocks": False}


def _policy(clinic=None) -> dict:
    clinic = clinic or ClinicSettings.load()
    return {name: getattr(clinic, name) for name in ClinicSettings.POLICY_FIELDS}


def _settings_form(**overrides) -> dict:
    data = {
        "name": "Demo",
        "address": "",
        "phone": "",
        "email": "",
        "time_zone": "Europe/London",
        "adverse_event_threshold": "5.0",
        "screen_valid_days": "90",
        "notice_hours": "24",
        "waitlist_hold_minutes": "30",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "7",
        # Every switch flipped from its default.
        "human_derived_allowed": "on",
        "isotretinoin_blocks": "on",
    }
    return data | overrides


@pytest.mark.parametrize("superuser", [False, True], ids=["manager", "superuser"])
def test_the_admin_cannot_change_the_policy_switches(db, superuser):
    user = (
        User.objects.create_superuser(email="root@example.test", password="x" * 20)
        if superuser
        else UserFactory(role=Role.MANAGER)
    )
    client = Client()
    client.force_login(user)
    ClinicSettings.load()
    url = reverse("admin:clinic_clinicsettings_change", args=[1])
    page = client.get(url)
    assert 'name="pregnancy_blocks"' not in page.text
    assert "A dermatologist changes these" in page.text

    response = client.post(url, _settings_form(name="Renamed"))  # pregnancy_blocks left off
    assert response.status_code == 302
    clinic = ClinicSettings.load()
    assert clinic.name == "Renamed"  # the rest of the form still saves
    assert _policy(clinic) == DEFAULTS
    assert not PolicyChange.objects.exists()


@pytest.fixture
def derm_client(db):
    client = Client()
    client.force_login(UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart"))
    return client


def test_a_dermatologist_changes_a_switch_with_a_reason_and_it_is_listed(derm_client):
    page = derm_client.get(reverse("clinical_policy"))
    assert page.status_code == 200
    assert "The policy has not been changed here yet." in page.text

    response = derm_client.post(
        reverse("clinical_policy"),
        {"pregnancy_blocks": "", "reason": "Consultant review of the safety data, March."},
        follow=True,
    )
    assert "Clinical policy changed: pregnancy or breastfeeding blocks treatment." in response.text
    assert _policy() == DEFAULTS | {"pregnancy_blocks": False}
    change = PolicyChange.objects.get()
    assert (change.setting, change.old, change.new) == ("pregnancy_blocks", True, False)
    assert change.by.get_full_name() == "Amelia Hart"
    assert change.reason == "Consultant review of the safety data, March."
    assert "Consultant review of the safety data, March." in response.text
    assert "On → Off" in response.text
    # The clinic record's own history carries the reason too.
    assert ClinicSettings.load().history.first().history_change_reason == change.reason


def test_changing_two_switches_records_each(derm_client):
    derm_client.post(
        reverse("clinical_policy"),
        {
            "pregnancy_blocks": "on",
            "isotretinoin_blocks": "on",
            "human_derived_allowed": "on",
            "reason": "Local regulator allows it.",
        },
    )
    assert {c.setting for c in PolicyChange.objects.all()} == {
        "isotretinoin_blocks",
        "human_derived_allowed",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pregnancy_blocks": "", "reason": ""}, "This field is required."),
        ({"pregnancy_blocks": "", "reason": "   "}, "This field is required."),
        ({"pregnancy_blocks": "on", "reason": "No change meant."}, "Nothing changed"),
    ],
    ids=["no reason", "blank reason", "nothing changed"],
)
def test_a_change_without_a_reason_or_without_a_change_is_refused(derm_client, data, message):
    response = derm_client.post(reverse("clinical_policy"), data)
    assert response.status_code == 200
    assert message in response.text
    assert _policy() == DEFAULTS
    assert not PolicyChange.objects.exists()


def test_only_a_dermatologist_signs_off_a_change(db):
    manager = UserFactory(role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.clinic_policy_change(by=manager, values={"pregnancy_blocks": False}, reason="x")
    with pytest.raises(ValidationError):
        services.clinic_policy_change(
            by=UserFactory(role=Role.DERMATOLOGIST), values={"pregnancy_blocks": False}, reason=" "
        )
    assert _policy() == DEFAULTS


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_cannot_post_the_policy_page(client_for, role):
    response = client_for(role).post(
        reverse("clinical_policy"), {"pregnancy_blocks": "", "reason": "Takeover."}
    )
    assert response.status_code == 403
    assert _policy() == DEFAULTS


def test_policy_changes_are_append_only(derm_client):
    derm_client.post(reverse("clinical_policy"), {"pregnancy_blocks": "", "reason": "Review."})
    change = PolicyChange.objects.get()
    change.reason = "Rewritten."
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        PolicyChange.objects.update(reason="Rewritten.")
    assert PolicyChange.objects.get().reason == "Review."
