"""The one permission layer every view uses: who may open what.

Views never compare roles by hand. They say which roles may use them with
``@role_required(...)``; anonymous visitors are sent to the login page by
``LoginRequiredMiddleware`` before any view runs, and a signed-in user of
another role gets 403. Records whose very existence is private (another
patient's chart, say) are fetched through per-kind access helpers in each app
(``get_<kind>_for_user``) that answer 404 instead.

The groups of roles below are the only place roles are listed together; views,
history kinds and access helpers name a group. Templates and the navigation ask
``may_open(user, url_name)`` (the ``can`` filter), which reads the roles the
view behind the URL declared, so who sees a link is decided by the page itself.
"""

from collections.abc import Callable
from functools import lru_cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, URLResolver, get_resolver

from clinic.models import ClinicSettings, Role, Room, StaffProfile

#: Clinical records and the work on them: screens, assessments, photos, plans, sessions.
CLINICIANS = (Role.DERMATOLOGIST,)
#: Who reads what the clinic keeps about its products, lots and rooms.
CLINICAL_READERS = (Role.DERMATOLOGIST, Role.MANAGER)
#: Who registers patients, books and reads the non-clinical side of a patient.
DESK = (Role.FRONT_DESK, Role.DERMATOLOGIST)
MANAGERS = (Role.MANAGER,)
PATIENTS = (Role.PATIENT,)
#: Everyone who works at the clinic.
STAFF = (Role.DERMATOLOGIST, Role.FRONT_DESK, Role.MANAGER)


def role_required(*roles: Role) -> Callable:
    """Let only signed-in users with one of ``roles`` through; others get 403."""
    if not roles:
        raise ValueError("role_required needs at least one role.")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def get_visible_or_404(records: QuerySet, pk) -> Model:
    """One of ``records`` (what the user may see) by primary key; 404 for anything else,
    a key that is not a number included (it may come from a query string)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(records, pk=pk)


# --- Who may open a named URL --------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str, found: dict) -> None:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            _walk(pattern, namespace, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.setdefault(prefix + pattern.name, pattern.callback)


@lru_cache(maxsize=8)
def _views_by_name(resolver: URLResolver) -> dict[str, Callable]:
    found: dict[str, Callable] = {}
    _walk(resolver, "", found)
    return found


def view_for(url_name: str) -> Callable:
    """The view behind a named URL ("treatments:plan_detail"); LookupError if there is none."""
    try:
        return _views_by_name(get_resolver())[url_name]
    except KeyError:
        raise LookupError(f"No URL is named {url_name!r}.") from None


def may_open(user, url_name: str) -> bool:
    """Whether ``user`` gets the page behind ``url_name`` rather than 403 or the login page.

    A view guarded by ``role_required`` answers with its ``allowed_roles``. Django's admin lets
    in active staff accounts (``AdminSite.has_permission``). Any other view is open to every
    signed-in user with a role (``LoginRequiredMiddleware`` keeps the others out).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if url_name.startswith("admin:"):
        return user.is_staff
    roles = getattr(view_for(url_name), "allowed_roles", None)
    if roles is None:
        return user.role is not None
    return user.has_role(*roles)


# --- The clinic's own records --------------------------------------------------------------


def get_clinic_settings_for_user(user, pk) -> ClinicSettings:
    records = (
        ClinicSettings.objects.all() if user.has_role(*MANAGERS) else ClinicSettings.objects.none()
    )
    return get_visible_or_404(records, pk)


def get_room_for_user(user, pk) -> Room:
    records = Room.objects.all() if user.has_role(*CLINICAL_READERS) else Room.objects.none()
    return get_visible_or_404(records, pk)


def get_staff_profile_for_user(user, pk) -> StaffProfile:
    records = StaffProfile.objects.select_related("user")
    return get_visible_or_404(records if user.has_role(*MANAGERS) else records.none(), pk)


def own_staff_profile(user) -> StaffProfile | None:
    """The signed-in person's own staff profile, or None when the manager has not set one up."""
    return StaffProfile.objects.select_related("user").filter(user=user).first()
