"""The navigation each role sees: only what that role may use.

Apps add their entries here as they grow; the base template renders whatever
the current user's role gets.
"""

from dataclasses import dataclass

from django.urls import reverse

from clinic.models import Role


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home", frozenset(Role)),
    NavItem("Patients", "patients:list", frozenset({Role.DERMATOLOGIST, Role.FRONT_DESK})),
    NavItem(
        "Calendar", "treatments:calendar_day", frozenset({Role.FRONT_DESK, Role.DERMATOLOGIST})
    ),
    NavItem("About exosomes", "patients:education", frozenset({Role.PATIENT})),
    NavItem("Clinic admin", "admin:index", frozenset({Role.MANAGER})),
    NavItem("Products", "treatments:product_list", frozenset({Role.DERMATOLOGIST, Role.MANAGER})),
    NavItem("Lot recall", "treatments:lot_list", frozenset({Role.DERMATOLOGIST, Role.MANAGER})),
    NavItem(
        "Requests", "treatments:change_requests", frozenset({Role.FRONT_DESK, Role.DERMATOLOGIST})
    ),
    NavItem("My appointments", "treatments:portal_appointments", frozenset({Role.PATIENT})),
    NavItem("My treatments", "treatments:portal_sessions", frozenset({Role.PATIENT})),
    NavItem("Calendar feed", "treatments:feed_settings", frozenset({Role.DERMATOLOGIST})),
    NavItem("Clinical policy", "clinical_policy", frozenset({Role.DERMATOLOGIST})),
    NavItem("Account changes", "account_changes", frozenset({Role.DERMATOLOGIST})),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated or user.role is None:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAV_ITEMS
        if user.role in item.roles
    ]
