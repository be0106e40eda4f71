"""The form for a time already agreed lives outside the free times (#slots), which a search
replaces: a search that lands while someone types a time there leaves what they typed. A search
sends the typed form along the first time only, and afterwards only its hidden fields, which
follow the search (the appointment type, the search itself)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.helpers import form_fields
from tests.treatments.scheduling.factories import MONDAY, at

pytestmark = pytest.mark.django_db

TYPED = ("book-starts_at", "book-practitioner", "book-room")


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def _search(world, **extra):
    return {"type": world.consultation.pk, "start": "2026-06-15", "end": "2026-06-16", **extra}


def test_the_booking_page_puts_the_typed_form_beside_the_free_times(world, desk):
    url = reverse("treatments:appointment_new", args=[world.patient.pk])
    fields = form_fields(desk.get(url, _search(world)).text)
    for name in TYPED:
        [field] = fields[name]
        assert "typed" in field["within"] and "slots" not in field["within"]
    [shown] = fields["typed_shown"]
    assert shown["attrs"]["id"] == "typed-shown"


def test_a_first_search_brings_the_typed_form_out_of_band(world, desk):
    url = reverse("treatments:slot_search", args=[world.patient.pk])
    fields = form_fields(desk.get(url, _search(world), HTTP_HX_REQUEST="true").text)
    for name in TYPED:
        [field] = fields[name]
        assert field["within"][0] == "typed" and field["oob"] == ["true"]


def test_a_later_search_leaves_the_typed_fields_alone_and_updates_the_hidden_ones(world, desk):
    url = reverse("treatments:slot_search", args=[world.patient.pk])
    response = desk.get(
        url, _search(world, type=world.review.pk, typed_shown="1"), HTTP_HX_REQUEST="true"
    )
    assert "Monday 15 June 2026" in response.text  # the free times came
    fields = form_fields(response.text)
    assert not set(TYPED) & set(fields)  # nothing someone may be typing in is replaced
    [kind] = fields["book-type"]
    assert kind["within"] == ["typed-search"] and kind["oob"] == ["innerHTML"]
    assert kind["attrs"]["value"] == str(world.review.pk)  # the new search's type
    [searched] = fields["type"]
    assert searched["within"] == ["typed-search"]


def test_a_search_that_cannot_be_made_takes_the_typed_form_away(world, desk):
    url = reverse("treatments:slot_search", args=[world.patient.pk])
    response = desk.get(url, {"typed_shown": "1", "start": "2026-06-15"}, HTTP_HX_REQUEST="true")
    assert "No search was made" in response.text
    assert 'id="typed" hx-swap-oob="true"' in response.text
    assert "book-starts_at" not in response.text


def test_moving_keeps_the_typed_time_outside_the_free_times_too(world, desk):
    appointment = world.book(at(MONDAY + dt.timedelta(days=1), 10))
    url = reverse("treatments:appointment_move", args=[appointment.pk])
    page = form_fields(desk.get(url).text)
    [starts] = page["book-starts_at"]
    assert "typed" in starts["within"] and "slots" not in starts["within"]
    search = {"start": "2026-06-16", "end": "2026-06-16", "typed_shown": "1"}
    later = desk.get(url, search, HTTP_HX_REQUEST="true")
    assert "10:15 · Dr Amelia Hart · Consultation 1" in later.text
    assert not set(TYPED) & set(form_fields(later.text))
    assert 'id="typed-search" hx-swap-oob="innerHTML"' in later.text
