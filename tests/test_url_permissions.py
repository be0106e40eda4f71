"""Every named URL, every role: allowed, forbidden, anonymous (STYLE.md "Tests")."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clinic.models import Role
from tests.url_expectations import CASES

# Django's own admin guards itself (is_staff); it is tested in test_admin.
SKIPPED_NAMESPACES = {"admin"}


def _named_urls(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_urls(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_named_url_has_an_expectation():
    names = set(_named_urls())
    missing = names - set(CASES)
    stale = set(CASES) - names
    assert not missing, f"URLs with no permission expectation: {sorted(missing)}"
    assert not stale, f"Expectations for URLs that no longer exist: {sorted(stale)}"


def _url(name, case, request):
    kwargs = case.kwargs(request) if callable(case.kwargs) else case.kwargs
    return reverse(name, kwargs=kwargs)


def _call(client, case, url):
    return getattr(client, case.method)(url, case.data or {})


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("name", sorted(CASES))
def test_role_gets_expected_status(name, role, client_for, request):
    case = CASES[name]
    url = _url(name, case, request)
    response = _call(client_for(role), case, url)
    if role in case.per_role:
        expected = case.per_role[role]
    else:
        expected = case.ok if role in case.allowed else case.denied
    assert response.status_code == expected, f"{role.label} on {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_is_sent_to_login_unless_public(name, client_for, request):
    case = CASES[name]
    url = _url(name, case, request)
    response = _call(client_for(None), case, url)
    if case.public:
        expected = case.anonymous if case.anonymous is not None else case.ok
        if case.ok == 302 and case.anonymous is None:
            expected = 200  # the login page itself
        assert response.status_code == expected
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
