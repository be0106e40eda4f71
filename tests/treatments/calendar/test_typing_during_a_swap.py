"""A date typed into the calendar while a navigation is on its way survives its landing: every
request of the calendar replaces the one in flight (hx-sync), and the date and "show" fields are
marked hx-preserve, which static/js/clinic.js honours only for a field someone typed in (the
browser walk is tests/browser/test_typing_during_a_swap.py)."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.helpers import form_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "fields"), [("calendar_day", ["date"]), ("calendar_week", ["date", "who"])]
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "swap"])
def test_the_calendar_keeps_what_is_typed_into_its_form(clinic, client_for, name, fields, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(Role.FRONT_DESK).get(reverse(f"treatments:{name}"), **headers)
    html = response.text
    assert '<div id="calendar" class="calendar"' in html
    assert 'hx-sync="this:replace"' in html.split('<div id="calendar"', 1)[1].split(">", 1)[0]
    found = form_fields(html)
    for field in fields:
        [entry] = found[field]
        assert entry["attrs"]["id"] == f"id_{field}"  # htmx matches a preserved field by its id
        assert "hx-preserve" in entry["attrs"]
        assert "calendar" in entry["within"]
