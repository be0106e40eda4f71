"""The clinic manager cannot take over or mint clinical accounts (README "Roles").

Giving the dermatologist role, and changing a dermatologist's password or email address, need a
superuser. The manager's forced posts are refused with a message and change nothing; every such
change that is made is recorded and listed for dermatologists.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from clinic.admin import ONLY_SUPERUSER_EMAIL, ONLY_SUPERUSER_GRANTS
from clinic.models import AccountChange, Role, User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
TAKEN_OVER = "taken over pw 12345"


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    if value is None:
        return ""
    return getattr(value, "pk", value)


def _admin_form_data(response) -> dict:
    """What the admin change page would post back unchanged: its form and inline formsets."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        data[name] = _value(form.initial.get(name, field.initial))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for subform in formset.forms:
            for name in subform.fields:
                data[subform.add_prefix(name)] = _value(subform.initial.get(name))
    return {key: value for key, value in data.items() if value is not None}


def _group(role: Role) -> Group:
    return Group.objects.get(name=role.value)


@pytest.fixture
def manager_client(db):
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


@pytest.fixture
def root(db):
    return User.objects.create_superuser(email="root@example.test", password="x" * 20)


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def hart(db):
    return UserFactory(email="hart@example.test", role=Role.DERMATOLOGIST)


def _change_page(client, user):
    response = client.get(reverse("admin:clinic_user_change", args=[user.pk]))
    assert response.status_code == 200
    return response


# --- The manager is refused -------------------------------------------------------------------


def test_manager_cannot_set_a_dermatologists_password(manager_client, hart):
    url = reverse("admin:auth_user_password_change", args=[hart.pk])
    assert manager_client.get(url).status_code == 403
    response = manager_client.post(
        url, {"password1": TAKEN_OVER, "password2": TAKEN_OVER, "usable_password": "true"}
    )
    assert response.status_code == 403
    assert "Only a superuser can set a dermatologist" in response.text
    hart.refresh_from_db()
    assert hart.check_password(PASSWORD)
    assert not AccountChange.objects.exists()


def test_a_deactivated_dermatologist_is_protected_too(manager_client, hart):
    User.objects.filter(pk=hart.pk).update(is_active=False)
    url = reverse("admin:auth_user_password_change", args=[hart.pk])
    response = manager_client.post(url, {"password1": TAKEN_OVER, "password2": TAKEN_OVER})
    assert response.status_code == 403
    hart.refresh_from_db()
    assert hart.check_password(PASSWORD)


def test_manager_cannot_change_a_dermatologists_email(manager_client, hart):
    page = _change_page(manager_client, hart)
    assert "../password/" not in page.text  # no reset button the manager may not use
    data = _admin_form_data(page) | {"email": "attacker@example.test"}
    response = manager_client.post(reverse("admin:clinic_user_change", args=[hart.pk]), data)
    assert response.status_code == 200
    assert ONLY_SUPERUSER_EMAIL.replace("'", "&#x27;") in response.text
    hart.refresh_from_db()
    assert hart.email == "hart@example.test"
    # ...so a password reset cannot be sent to the attacker's address either.
    Client().post(reverse("password_reset"), {"email": "attacker@example.test"})
    assert mail.outbox == []
    assert not AccountChange.objects.exists()


def test_manager_cannot_give_the_dermatologist_role_to_an_account(manager_client, db):
    desk = UserFactory(role=Role.FRONT_DESK)
    data = _admin_form_data(_change_page(manager_client, desk))
    data["groups"] = [_group(Role.FRONT_DESK).pk, _group(Role.DERMATOLOGIST).pk]
    response = manager_client.post(reverse("admin:clinic_user_change", args=[desk.pk]), data)
    assert response.status_code == 200
    assert ONLY_SUPERUSER_GRANTS.replace("'", "&#x27;") in response.text
    assert set(desk.groups.values_list("name", flat=True)) == {Role.FRONT_DESK.value}
    assert not AccountChange.objects.exists()


def test_manager_cannot_create_a_dermatologist(manager_client):
    response = manager_client.post(
        reverse("admin:clinic_user_add"),
        {
            "email": "new.derm@example.test",
            "first_name": "New",
            "last_name": "Derm",
            "groups": [_group(Role.DERMATOLOGIST).pk],
            "password1": TAKEN_OVER,
            "password2": TAKEN_OVER,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert ONLY_SUPERUSER_GRANTS.replace("'", "&#x27;") in response.text
    assert not User.objects.filter(email="new.derm@example.test").exists()
    assert not AccountChange.objects.exists()


# --- What the manager still does, recorded -----------------------------------------------------


def test_manager_keeps_staff_accounts_and_every_role_change_is_recorded(manager_client, db):
    desk = UserFactory(role=Role.FRONT_DESK)
    data = _admin_form_data(_change_page(manager_client, desk))
    data |= {"first_name": "Renamed", "groups": [_group(Role.MANAGER).pk]}
    response = manager_client.post(reverse("admin:clinic_user_change", args=[desk.pk]), data)
    assert response.status_code == 302
    desk.refresh_from_db()
    assert desk.first_name == "Renamed"
    recorded = {(c.kind, c.detail) for c in AccountChange.objects.filter(account=desk)}
    assert recorded == {
        (AccountChange.Kind.ROLE_GRANTED, "Clinic manager"),
        (AccountChange.Kind.ROLE_REMOVED, "Front desk"),
    }


def test_manager_may_take_the_dermatologist_role_away_and_it_is_recorded(manager_client, hart):
    data = _admin_form_data(_change_page(manager_client, hart)) | {"groups": []}
    response = manager_client.post(reverse("admin:clinic_user_change", args=[hart.pk]), data)
    assert response.status_code == 302
    assert not hart.groups.exists()
    change = AccountChange.objects.get()
    assert (change.kind, change.detail, change.account) == (
        AccountChange.Kind.ROLE_REMOVED,
        "Dermatologist",
        hart,
    )


def test_manager_may_edit_a_dermatologists_name(manager_client, hart):
    data = _admin_form_data(_change_page(manager_client, hart)) | {"last_name": "Hart-Jones"}
    response = manager_client.post(reverse("admin:clinic_user_change", args=[hart.pk]), data)
    assert response.status_code == 302
    hart.refresh_from_db()
    assert hart.last_name == "Hart-Jones"
    assert not AccountChange.objects.exists()


# --- A superuser may, and it is recorded and shown --------------------------------------------


def test_superuser_changes_are_recorded_and_shown_to_dermatologists(root_client, root, hart):
    desk = UserFactory(role=Role.FRONT_DESK, email="desk@example.test")
    data = _admin_form_data(_change_page(root_client, desk))
    data["groups"] = [_group(Role.DERMATOLOGIST).pk]
    assert (
        root_client.post(reverse("admin:clinic_user_change", args=[desk.pk]), data).status_code
        == 302
    )

    data = _admin_form_data(_change_page(root_client, hart)) | {"email": "amelia@example.test"}
    assert (
        root_client.post(reverse("admin:clinic_user_change", args=[hart.pk]), data).status_code
        == 302
    )

    response = root_client.post(
        reverse("admin:auth_user_password_change", args=[hart.pk]),
        {"password1": TAKEN_OVER, "password2": TAKEN_OVER, "usable_password": "true"},
    )
    assert response.status_code == 302
    hart.refresh_from_db()
    assert hart.check_password(TAKEN_OVER)

    recorded = [(c.by, c.account, c.kind, c.detail) for c in AccountChange.objects.order_by("pk")]
    Kind = AccountChange.Kind
    assert recorded == [
        (root, desk, Kind.ROLE_GRANTED, "Dermatologist"),
        (root, desk, Kind.ROLE_REMOVED, "Front desk"),
        (root, hart, Kind.EMAIL_CHANGED, "hart@example.test → amelia@example.test"),
        (root, hart, Kind.PASSWORD_SET, ""),
    ]

    reader = Client()
    reader.force_login(UserFactory(role=Role.DERMATOLOGIST))
    page = reader.get(reverse("account_changes")).text
    assert "Password set by an administrator" in page
    assert "hart@example.test → amelia@example.test" in page
    assert "Role given: Dermatologist" in page
    assert "(superuser)" in page
    assert TAKEN_OVER not in page and "md5$" not in page and "argon2" not in page


def test_a_clinicians_own_password_change_and_reset_are_recorded(client, hart):
    client.force_login(hart)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": TAKEN_OVER, "new_password2": TAKEN_OVER},
    )
    assert response.status_code == 302
    client.post(reverse("logout"))

    client.post(reverse("password_reset"), {"email": hart.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    new = "another long passphrase 7"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302

    recorded = [(c.by, c.kind) for c in AccountChange.objects.order_by("pk")]
    assert recorded == [
        (hart, AccountChange.Kind.PASSWORD_CHANGED),
        (None, AccountChange.Kind.PASSWORD_RESET),
    ]


def test_a_non_clinicians_own_password_change_is_not_listed(client, db):
    desk = UserFactory(role=Role.FRONT_DESK)
    client.force_login(desk)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": TAKEN_OVER, "new_password2": TAKEN_OVER},
    )
    assert not AccountChange.objects.exists()


def test_account_changes_are_append_only(hart):
    change = AccountChange.objects.create(account=hart, kind=AccountChange.Kind.PASSWORD_SET)
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        AccountChange.objects.update(detail="rewritten")
    with pytest.raises(TypeError):
        AccountChange.objects.all().delete()
    assert AccountChange.objects.get().detail == ""


def test_the_account_changes_page_is_empty_honestly(client_for):
    response = client_for(Role.DERMATOLOGIST).get(reverse("account_changes"))
    assert "No account changes are recorded." in response.text
