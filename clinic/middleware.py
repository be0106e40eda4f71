import logging
from urllib.parse import urlsplit

from django.core.exceptions import BadRequest
from django.db import DatabaseError
from django.http import Http404, QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from clinic.models import ClinicSettings

log = logging.getLogger(__name__)


def _load_clinic():
    return ClinicSettings.load()


class ClinicMiddleware:
    """Puts the clinic record on the request and shows times in the clinic's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.clinic = SimpleLazyObject(_load_clinic)
        try:
            timezone.activate(request.clinic.zone)
        except DatabaseError:
            # The database is down: let /healthz say so instead of failing here.
            log.warning("Clinic settings unavailable; using the default time zone.")
            timezone.activate(timezone.get_default_timezone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NulByteMiddleware:
    """Keeps NUL characters away from views and queries.

    No one types a NUL, and PostgreSQL refuses one inside a query ("A string literal cannot
    contain NUL characters"), which would surface as a 500 from whichever view passed it on.
    A path with one answers 404 (no page has such a name). In the query string, which people
    paste and edit in the address bar, NULs are dropped and the page answers as if they had
    never been typed (as the lot search always did). A form or a cookie with one answers 400.
    Runs before sessions, authentication and Axes, so nothing downstream ever sees one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            raise Http404
        if _has_nul(request.COOKIES):
            raise BadRequest("A cookie contains a NUL character.")
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("The form contains a NUL character.")
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        return self.get_response(request)


NUL = "\x00"


def _has_nul(data) -> bool:
    if isinstance(data, QueryDict):
        return any(
            NUL in key or any(NUL in value for value in values) for key, values in data.lists()
        )
    return any(NUL in key or NUL in value for key, value in data.items())


def _without_nul(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in data.lists():
        for value in values:
            clean.appendlist(key.replace(NUL, ""), value.replace(NUL, ""))
    clean._mutable = False
    return clean


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person are never stored by the browser or any cache.

    Nearly every page carries patient data; with ``no-store`` the back button after logging out
    (or the next person at a shared desk) finds nothing to show. Static files are served by
    WhiteNoise before this runs and keep their long cache lifetimes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
            if not {"no-store", "private"} <= directives:
                response["Cache-Control"] = "no-store, private"
        return response


class HtmxLoginRedirectMiddleware:
    """Sends the whole page, not the fragment, to the login or second-step page.

    htmx follows a redirect inside its request and swaps whatever it lands on into the target,
    so a fragment asked for by a session that has ended (idle or absolute limit), or that has not
    yet proved its second factor, would show the login form inside a table cell. Every path that
    sends a person to sign in answers with a redirect to one of those pages (Django's
    ``LoginRequiredMiddleware``, ``role_required``, the session limits, the second step); this
    turns such a redirect, for an htmx request only, into an ``HX-Redirect`` for the browser,
    with ``next`` pointing at the page the person was on rather than at the fragment.
    Sits after ``HtmxMiddleware`` (it reads ``request.htmx``) and above those paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code not in REDIRECTS:
            return response
        target = urlsplit(response.get("Location", ""))
        if target.netloc or target.path not in _sign_in_paths():
            return response
        query = QueryDict(target.query, mutable=True)
        page = request.htmx.current_url_abs_path
        if page:
            query["next"] = page
        url = target.path + ("?" + query.urlencode() if query else "")
        return HttpResponseClientRedirect(url)


REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _sign_in_paths() -> frozenset[str]:
    from django.conf import settings

    return frozenset(
        {
            resolve_url(settings.LOGIN_URL),
            reverse("two_factor_verify"),
            reverse("two_factor_setup"),
        }
    )
