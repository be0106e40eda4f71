"""Contraindication screens: each one a new dated record (docs/clinical-rules.md §Contraindication
screen)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.decorators import audited
from audit.models import AccessKind
from clinic.access import CLINICIANS, role_required
from clinic.lib.screening import screen_findings
from patients.access import get_patient_for_user, get_screen_for_user
from patients.chart import latest_screen
from patients.forms.screens import ScreenForm
from patients.screens import route_rows, screen_answers
from patients.services import records as services


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def screen_new(request, pk):
    patient = get_patient_for_user(request.user, pk)
    previous = latest_screen(patient)
    form = ScreenForm(request.POST or None, initial=ScreenForm.initial_from(previous))
    if request.method == "POST" and form.is_valid():
        screen = services.screen_record(patient=patient, author=request.user, form=form)
        messages.success(request, "The screen is recorded.")
        return redirect("patients:screen_detail", patient.pk, screen.pk)
    return render(
        request,
        "patients/screen_form.html",
        {"form": form, "patient": patient, "previous": previous},
    )


@role_required(*CLINICIANS)
@require_GET
@audited(AccessKind.SCREEN, obj="screen_pk", patient="pk")
def screen_detail(request, pk, screen_pk):
    patient = get_patient_for_user(request.user, pk)
    screen = get_screen_for_user(request.user, screen_pk, patient=patient)
    findings = screen_findings(screen.facts(), policy=request.clinic.policy, on=screen.screened_on)
    return render(
        request,
        "patients/screen_detail.html",
        {
            "patient": patient,
            "screen": screen,
            "findings": findings,
            "per_route": route_rows(findings),
            "answers": screen_answers(screen),
        },
    )
