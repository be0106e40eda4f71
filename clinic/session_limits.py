"""How long a login lasts: staff are logged out after STAFF_IDLE_MINUTES without a request and
STAFF_SESSION_HOURS after logging in; patients after PATIENT_IDLE_MINUTES idle. A staff
session's cookie ends with the browser.

The times are kept in the session. The last request's time is written at most once a minute,
so an ordinary page does not save the session on every request; the idle limit is therefore
exact to within a minute. ``static/js/session-timeout.js`` warns a minute before either limit
and can keep the session alive without leaving the page, so nothing typed is lost.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve
from django.utils import timezone

from clinic.access import STAFF

LOGGED_IN_AT = "session_logged_in_at"
LAST_SEEN = "session_last_seen"
#: Requests that do not count as the person being there: the page's own check of the time left.
NOT_ACTIVITY = frozenset({"session_status"})
TOUCH_EVERY = dt.timedelta(minutes=1)


def is_staff_session(user) -> bool:
    return user.is_superuser or user.role in STAFF


def idle_limit(user) -> dt.timedelta:
    staff = is_staff_session(user)
    minutes = settings.STAFF_IDLE_MINUTES if staff else settings.PATIENT_IDLE_MINUTES
    return dt.timedelta(minutes=minutes)


def absolute_limit(user) -> dt.timedelta | None:
    return dt.timedelta(hours=settings.STAFF_SESSION_HOURS) if is_staff_session(user) else None


def start_at_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the clock starts, and a staff cookie ends with the browser."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now().timestamp()
    session[LOGGED_IN_AT] = now
    session[LAST_SEEN] = now
    if is_staff_session(user):
        session.set_expiry(0)


def time_left(request, now: dt.datetime | None = None) -> tuple[int, bool] | None:
    """Seconds until this session ends, and whether activity can put that off (False when the
    absolute limit comes first); None for a session without the clock (one from before these
    limits), which gets it at its next request."""
    session = request.session
    if LAST_SEEN not in session:
        return None
    now = now or timezone.now()
    user = request.user
    ends = dt.datetime.fromtimestamp(session[LAST_SEEN], dt.UTC) + idle_limit(user)
    extendable = True
    absolute = absolute_limit(user)
    if absolute is not None and LOGGED_IN_AT in session:
        final = dt.datetime.fromtimestamp(session[LOGGED_IN_AT], dt.UTC) + absolute
        if final <= ends:
            ends, extendable = final, False
    return int((ends - now).total_seconds()), extendable


def touch(request, now: dt.datetime | None = None, force: bool = False) -> None:
    now = now or timezone.now()
    session = request.session
    last = session.get(LAST_SEEN)
    if force or last is None or now.timestamp() - last >= TOUCH_EVERY.total_seconds():
        session[LAST_SEEN] = now.timestamp()
    session.setdefault(LOGGED_IN_AT, now.timestamp())


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            left = time_left(request)
            if left is not None and left[0] <= 0:
                logout(request)
                messages.info(request, "You were logged out to keep patients' records safe.")
                return redirect_to_login(request.get_full_path())
            if _url_name(request) not in NOT_ACTIVITY:
                touch(request)
        return self.get_response(request)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None
