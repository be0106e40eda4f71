from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic import history, services, session_limits
from clinic import home as home_sections
from clinic.access import CLINICIANS, STAFF, role_required
from clinic.forms import ClinicalPolicyForm
from clinic.models import AccountChange, ClinicSettings, PolicyChange, Role, Room, StaffProfile

RECENT = 100

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


@require_http_methods(["GET", "POST"])
def session_status(request):
    """How long this login has left (GET, which does not count as activity); POST keeps it
    alive, as the warning's "Stay logged in" does without leaving the page."""
    if request.method == "POST":
        session_limits.touch(request, force=True)
    seconds, extendable = session_limits.time_left(request) or (0, False)
    return JsonResponse({"seconds_left": max(seconds, 0), "extendable": extendable})


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


@role_required(*CLINICIANS)
@require_GET
def account_changes(request):
    """Who gave or took away roles, and whose clinician password or email changed: so that an
    account taken over is noticed by the people whose patients it would reach."""
    changes = AccountChange.objects.select_related("by", "account")[:RECENT]
    return render(request, "clinic/account_changes.html", {"changes": changes})


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def clinical_policy(request):
    """The clinical policy switches: a dermatologist changes them, giving the reason."""
    clinic = ClinicSettings.load()
    form = ClinicalPolicyForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.clinic_policy_change(
                by=request.user, values=form.values(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = ", ".join(change.get_setting_display().lower() for change in changes)
            messages.success(request, f"Clinical policy changed: {names}.")
            return redirect("clinical_policy")
    changes = PolicyChange.objects.select_related("by")[:RECENT]
    return render(
        request,
        "clinic/clinical_policy.html",
        {"form": form, "clinic": clinic, "changes": changes},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, recording a clinician's new password in the account changes."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_record(
            by=self.request.user,
            account=self.request.user,
            kind=AccountChange.Kind.PASSWORD_CHANGED,
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, recording a clinician's password reset in the account changes."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_record(
            by=None, account=form.user, kind=AccountChange.Kind.PASSWORD_RESET
        )
        return response
