"""Pages for a signed-in person are never stored: the back button after logout shows nothing."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory

NEVER_CACHE = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.DERMATOLOGIST, lambda: reverse("home")),
        (Role.FRONT_DESK, lambda: reverse("patients:list")),
        (Role.DERMATOLOGIST, lambda: reverse("patients:detail", args=[PatientFactory().pk])),
        (Role.PATIENT, lambda: reverse("home")),
        (Role.MANAGER, lambda: reverse("admin:index")),
    ],
    ids=["derm home", "patient list", "chart", "portal", "admin"],
)
def test_signed_in_pages_are_not_stored(client_for, role, url):
    client = client_for(role, is_staff=role == Role.MANAGER)
    response = client.get(url())
    assert response.status_code == 200
    # Exactly these, or Django's never_cache set that already includes them (the admin).
    assert _directives(response) in ({"no-store", "private"}, NEVER_CACHE)


@pytest.mark.django_db
def test_a_redirect_for_a_signed_in_person_is_not_stored_either(client_for):
    response = client_for(Role.DERMATOLOGIST).get(reverse("login"))
    assert response.status_code == 302
    assert _directives(response) in ({"no-store", "private"}, NEVER_CACHE)


@pytest.mark.django_db
def test_a_pages_own_cache_lifetime_gives_way_for_a_signed_in_person(client, client_for):
    from tests.factories import CalendarFeedFactory
    from tests.treatments.messaging.factories import clinic

    clinic()
    url = reverse("treatments:feed", args=[CalendarFeedFactory().token])
    assert client.get(url)["Cache-Control"] == "private, max-age=300"  # calendar apps
    assert _directives(client_for(Role.DERMATOLOGIST).get(url)) == {"no-store", "private"}


@pytest.mark.django_db
def test_a_page_that_already_says_no_store_and_private_keeps_its_header(client_for):
    from tests.patients.assessments.helpers import make_photo

    photo = make_photo()
    response = client_for(Role.DERMATOLOGIST).get(reverse("patients:photo", args=[photo.pk]))
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_anonymous_pages_keep_their_own_caching(client):
    assert "no-store" not in _directives(client.get(reverse("password_reset")))


@pytest.mark.django_db
def test_static_files_keep_their_cache_lifetime_for_a_signed_in_person(client_for, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    response = client_for(Role.DERMATOLOGIST).get("/static/css/clinic.css")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
    assert "max-age" in response["Cache-Control"]
