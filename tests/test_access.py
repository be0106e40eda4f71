"""clinic.access: who may open a named URL, read from the view itself, and what reads it.

The navigation and the ``can`` template filter ask ``may_open``; it must agree with the status
every role actually gets (tests/url_expectations.py), so a link never leads to a 403.
"""

import re
from pathlib import Path

import pytest
from django.http import Http404
from django.template import Context, Template
from django.urls import reverse

from clinic import access, history, navigation
from clinic.models import ClinicSettings, Role
from tests.factories import RoomFactory, StaffProfileFactory, UserFactory
from tests.treatments.portal.factories import portal_patient
from tests.url_expectations import CASES

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _user(role):
    return UserFactory(role=role)


#: The history page also asks the record's kind who may read it (clinic/history.py).
DECIDED_BY_THE_RECORD = {"record_history"}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_may_open_agrees_with_every_urls_permission_row(role):
    user = _user(role)
    for name, case in CASES.items():
        if case.public or name in DECIDED_BY_THE_RECORD:
            continue
        status = case.per_role.get(role, case.ok if role in case.allowed else case.denied)
        # 404 is a record the role may not see, behind a page the role may use.
        assert access.may_open(user, name) is (status != 403), f"{role.label} on {name}"


def test_may_open_reads_the_roles_the_view_declares(monkeypatch):
    desk = _user(Role.FRONT_DESK)
    view = access.view_for("treatments:lot_list")
    assert not access.may_open(desk, "treatments:lot_list")
    monkeypatch.setattr(view, "allowed_roles", frozenset({Role.FRONT_DESK}))
    assert access.may_open(desk, "treatments:lot_list")


def test_the_admin_is_for_active_staff_accounts():
    manager = _user(Role.MANAGER)
    assert access.may_open(manager, "admin:index")
    assert not access.may_open(_user(Role.DERMATOLOGIST), "admin:index")
    manager.is_active = False
    assert not access.may_open(manager, "admin:index")


def test_nobody_signed_out_or_inactive_may_open_anything():
    from django.contrib.auth.models import AnonymousUser

    assert not access.may_open(AnonymousUser(), "home")
    derm = _user(Role.DERMATOLOGIST)
    derm.is_active = False
    assert not access.may_open(derm, "treatments:plan_detail")


def test_an_unknown_url_name_is_a_programming_error():
    with pytest.raises(LookupError):
        access.may_open(_user(Role.DERMATOLOGIST), "treatments:no_such_page")


# --- The navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_navigation_item_shows_to_whom_its_page_lets_in(role, client_for):
    user = portal_patient()[0] if role == Role.PATIENT else _user(role)
    shown = [item["url_name"] for item in navigation.items_for(user)]
    assert shown == [
        item.url_name for item in navigation.NAV_ITEMS if access.may_open(user, item.url_name)
    ]
    client = client_for(None)
    client.force_login(user)
    for name in shown:
        assert client.get(reverse(name)).status_code in (200, 302), f"{role.label} on {name}"


def test_the_navigation_follows_a_change_to_a_views_roles(monkeypatch):
    desk = _user(Role.FRONT_DESK)
    assert "treatments:lot_list" not in [i["url_name"] for i in navigation.items_for(desk)]
    view = access.view_for("treatments:lot_list")
    monkeypatch.setattr(view, "allowed_roles", frozenset({Role.FRONT_DESK}))
    assert "treatments:lot_list" in [i["url_name"] for i in navigation.items_for(desk)]


# --- Templates -----------------------------------------------------------------------------------


def test_the_can_filter_answers_for_the_user():
    template = Template('{% load access %}{% if user|can:"treatments:plan_new" %}yes{% endif %}')
    assert template.render(Context({"user": _user(Role.DERMATOLOGIST)})) == "yes"
    assert template.render(Context({"user": _user(Role.FRONT_DESK)})) == ""


ROLE_COMPARISON = re.compile(
    r"\{%\s*(?:if|elif)\b[^%]*(?:\brole|user_role)\s*(?:==|!=|in\b|not\s+in\b)"
    r"|\{%\s*(?:if|elif)\b[^%]*(?:==|!=)\s*[\"'](?:dermatologist|front_desk|patient|clinic_manager)"
)


def test_no_template_compares_roles():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in ROLE_COMPARISON.finditer(path.read_text())
    ]
    assert not offenders, 'Templates ask user|can:"url_name" instead:\n' + "\n".join(offenders)


# --- The clinic's own records and the history kinds ------------------------------------------


def _refused(helper, *args) -> bool:
    try:
        helper(*args)
    except Http404:
        return True
    return False


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.MANAGER])
def test_rooms_are_for_clinical_readers(role):
    room = RoomFactory()
    assert access.get_room_for_user(_user(role), room.pk) == room


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_open_no_room(role):
    assert _refused(access.get_room_for_user, _user(role), RoomFactory().pk)


def test_staff_profiles_and_the_clinic_settings_are_the_managers():
    profile = StaffProfileFactory()
    clinic = ClinicSettings.load()
    manager = _user(Role.MANAGER)
    assert access.get_staff_profile_for_user(manager, profile.pk) == profile
    assert access.get_clinic_settings_for_user(manager, clinic.pk) == clinic
    for role in (Role.DERMATOLOGIST, Role.FRONT_DESK, Role.PATIENT):
        assert _refused(access.get_staff_profile_for_user, _user(role), profile.pk)
        assert _refused(access.get_clinic_settings_for_user, _user(role), clinic.pk)


def test_every_history_kind_fetches_through_an_access_helper():
    for kind, entry in history.REGISTRY.items():
        name = getattr(entry.get_object, "__name__", "")
        assert name.startswith("get_") and name.endswith("_for_user"), kind


def test_own_staff_profile_is_the_signed_in_persons():
    profile = StaffProfileFactory()
    StaffProfileFactory()
    assert access.own_staff_profile(profile.user) == profile
    assert access.own_staff_profile(_user(Role.DERMATOLOGIST)) is None
