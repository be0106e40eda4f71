"""The patient portal's doorway: the desk invites, the patient chooses a password; education."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from clinic.access import DESK, role_required
from clinic.models import Role
from patients.access import get_patient_for_user
from patients.services.portal import portal_invite


@role_required(*DESK)
@require_POST
def invite(request, pk):
    patient = get_patient_for_user(request.user, pk)
    try:
        portal_invite(
            patient=patient,
            base_url=settings.SITE_URL,
            clinic_name=request.clinic.name,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"An invitation to the portal is on its way to {patient.email}.")
    return redirect("patients:detail", pk=patient.pk)


@role_required(*Role)
@require_GET
def education(request):
    """docs/clinical-rules.md §Patient education: the myths and facts from the seed articles."""
    return render(request, "patients/education.html")


class ActivateView(auth_views.PasswordResetConfirmView):
    """The one-time link from the invitation: the patient chooses their password."""

    template_name = "patients/portal_activate.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Log in with your email address.")
        return super().form_valid(form)
