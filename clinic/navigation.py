"""The navigation each role sees: only what that role may use.

Each item names the URL it links to; who sees it is whoever the view behind that URL lets in
(``clinic.access.may_open`` reads the view's ``role_required``), so a page and its link never
disagree. Apps add their entries here as they grow; the base template renders what the user gets.
"""

from dataclasses import dataclass

from django.urls import reverse

from clinic.access import may_open


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home"),
    NavItem("Patients", "patients:list"),
    NavItem("Calendar", "treatments:calendar_day"),
    NavItem("About exosomes", "patients:education"),
    NavItem("Clinic admin", "admin:index"),
    NavItem("Products", "treatments:product_list"),
    NavItem("Lot recall", "treatments:lot_list"),
    NavItem("Reports", "treatments:reports"),
    NavItem("Requests", "treatments:change_requests"),
    NavItem("Waitlist", "treatments:waitlist_list"),
    NavItem("Failed messages", "treatments:failed_messages"),
    NavItem("My appointments", "treatments:portal_appointments"),
    NavItem("Book a session", "treatments:portal_book"),
    NavItem("Join the waitlist", "treatments:portal_waitlist"),
    NavItem("My treatments", "treatments:portal_sessions"),
    NavItem("Texts and emails", "treatments:portal_contact"),
    NavItem("My record", "treatments:my_record"),
    NavItem("My photos", "treatments:portal_compare"),
    NavItem("Calendar feed", "treatments:feed_settings"),
    NavItem("Alert texts", "treatments:alert_texts"),
    NavItem("Clinical policy", "clinical_policy"),
    NavItem("Account changes", "account_changes"),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated or user.role is None:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAV_ITEMS
        if may_open(user, item.url_name)
    ]
