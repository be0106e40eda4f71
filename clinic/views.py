from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic import history
from clinic import home as home_sections
from clinic.access import STAFF, role_required
from clinic.models import Role, Room, StaffProfile

HOME_TEMPLATES = {
    Role.DERMATOLOGIST: "clinic/home_dermatologist.html",
    Role.FRONT_DESK: "clinic/home_front_desk.html",
    Role.PATIENT: "clinic/home_patient.html",
    Role.MANAGER: "clinic/home_manager.html",
}


@require_GET
def home(request):
    """Each role lands on its own home; an account without a role is told so."""
    role = request.user.role
    if role is None:
        return render(request, "clinic/home_no_role.html", status=403)
    context = {"sections": home_sections.sections_for(request, role)}
    if role == Role.MANAGER:
        clinic = request.clinic
        context |= {
            "clinic": clinic,
            "opening_hours": list(clinic.opening_hours.all()),
            "rooms": list(Room.objects.filter(active=True)),
            "staff": list(StaffProfile.objects.select_related("user")),
        }
    return render(request, HOME_TEMPLATES[role], context)


@login_not_required
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Each kind of record says which roles may read its history (clinic/history.py); this only keeps
# patients out altogether.
@role_required(*STAFF)
@require_GET
def record_history(request, kind, pk):
    entry = history.REGISTRY.get(kind)
    if entry is None:
        raise Http404
    if request.user.role not in entry.roles:
        raise PermissionDenied
    obj = entry.get_object(request.user, pk)
    return render(
        request,
        "clinic/history.html",
        {
            "object": obj,
            "verbose_name": obj._meta.verbose_name,
            "entries": history.entries_for(obj),
        },
    )
