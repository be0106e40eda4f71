"""A NUL character anywhere in a request is turned away before it reaches a view or a query.

PostgreSQL refuses NUL inside a query, so any view that passed one on would answer 500 there.
These run on both databases; the last one shows, on PostgreSQL, what the middleware prevents.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from clinic.models import Role

FEED_WITH_NUL = "/treatments/feeds/ab%00cd.ics"


@pytest.mark.django_db
def test_a_nul_in_a_path_parameter_is_not_found(client):
    assert client.get(FEED_WITH_NUL).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reaches_the_view_as"),
    [
        ("/patients/?q=ben%00nett", {"q": ["bennett"]}),
        ("/patients/?page=1%00", {"page": ["1"]}),
        ("/patients/?q%00=x&q=y", {"q": ["x", "y"]}),
    ],
)
def test_a_nul_in_the_query_string_is_dropped_before_the_view(client_for, url, reaches_the_view_as):
    response = client_for(Role.FRONT_DESK).get(url)
    assert response.status_code == 200
    assert dict(response.wsgi_request.GET.lists()) == reaches_the_view_as


@pytest.mark.django_db
def test_a_nul_in_a_form_is_a_bad_request_and_nothing_is_recorded(client):
    from axes.models import AccessAttempt

    response = client.post(
        reverse("login"), {"username": "amelia\x00@example.test", "password": "x\x00"}
    )
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("login")).status_code == 400


@pytest.mark.django_db
def test_ordinary_requests_pass(client_for):
    assert client_for(Role.FRONT_DESK).get("/patients/?q=bennett").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_on_postgresql_the_nul_would_otherwise_reach_the_query(client, settings):
    assert client.get(FEED_WITH_NUL).status_code == 404
    settings.MIDDLEWARE = [
        m for m in django_settings.MIDDLEWARE if m != "clinic.middleware.NulByteMiddleware"
    ]
    with pytest.raises(ValueError, match="NUL"):
        Client().get(FEED_WITH_NUL)  # a new client loads the middleware without the guard


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_on_postgresql_a_nul_in_a_query_value_never_reaches_the_query(client_for):
    response = client_for(Role.MANAGER).get(reverse("treatments:lot_list"), {"q": "ab\x00c"})
    assert response.status_code == 200
