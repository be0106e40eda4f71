"""Contraindication screens: each one a new dated record (DOMAIN.md "Contraindication screen")."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import CLINICIANS, role_required
from clinic.lib.screening import Level, screen_findings
from clinic.lib.vocabulary import Route
from patients.access import get_patient_for_user, get_screen_for_user
from patients.chart import latest_screen
from patients.forms.screens import ScreenForm
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
def screen_detail(request, pk, screen_pk):
    patient = get_patient_for_user(request.user, pk)
    screen = get_screen_for_user(request.user, screen_pk, patient=patient)
    findings = screen_findings(screen.facts(), policy=request.clinic.policy, on=screen.screened_on)
    per_route = [
        {
            "route": route,
            "blocked": [f for f in findings if route in f.routes and f.level == Level.BLOCKED],
            "caution": [f for f in findings if route in f.routes and f.level == Level.CAUTION],
        }
        for route in Route
    ]
    return render(
        request,
        "patients/screen_detail.html",
        {"patient": patient, "screen": screen, "findings": findings, "per_route": per_route},
    )
