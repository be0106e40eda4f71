"""Clinical alerts: the dermatologist's page of one alert (read, handled with a note), the
patient's report of a reaction, and what the homes and the chart show of open alerts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import CLINICIANS, PATIENTS, role_required
from clinic.forms import add_service_errors
from patients import panels
from patients.access import get_own_patient
from treatments.access import alerts_for_user, get_alert_for_user
from treatments.forms.alerts import AlertHandleForm, AlertTextsForm, ReactionReportForm
from treatments.models import AlertSource, AlertStatus, AlertTexts, AlertUrgency, ClinicalAlert
from treatments.services import alerts

HOME_ALERTS = 20
PATIENT_REPORTS = 5


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def alert_detail(request, pk):
    alert = get_alert_for_user(request.user, pk)
    form = AlertHandleForm(request.POST if "outcome" in request.POST else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "read":
                alerts.alert_read(alert=alert, by=request.user)
                messages.success(request, "Marked read: the patient sees that the clinic read it.")
                return redirect("treatments:alert_detail", pk=alert.pk)
            if form.is_valid():
                alerts.alert_handle(
                    alert=alert, by=request.user, outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, "Alert handled.")
                return redirect("patients:detail", pk=alert.patient_id)
        except ValidationError as error:
            if form.is_bound:
                add_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(
        request,
        "treatments/alerts/detail.html",
        {
            "alert": alert,
            "form": form,
            "may_read": alert.status == AlertStatus.OPEN,
        },
    )


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_report_reaction(request):
    """The patient tells the clinic about a reaction; a dermatologist is alerted at once."""
    patient = get_own_patient(request.user)
    form = ReactionReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        severe = form.cleaned_data["severe"]
        try:
            alerts.alert_raise(
                patient=patient,
                reason=f"{patient.full_name} reports: {form.cleaned_data['what']}",
                urgency=AlertUrgency.URGENT if severe else AlertUrgency.SOON,
                source=AlertSource.ADVERSE_REACTION,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error, fields={"reason": "what"})
        else:
            messages.warning(
                request,
                "Thank you: a dermatologist has been told and the clinic will contact you. "
                "If it is an emergency, call 999 or go to A&E.",
            )
            return redirect("home")
    return render(request, "treatments/alerts/report_reaction.html", {"form": form})


# --- What other pages show ------------------------------------------------------------------


def dermatologist_alerts_section(request) -> dict:
    """The dermatologist's home: open alerts, urgent first; theirs and nobody's are marked."""
    rows = list(alerts.open_alerts()[:HOME_ALERTS])
    return {"alerts": rows, "me": request.user.pk}


def patient_reports_section(request) -> dict:
    """The patient's home: what they reported, whether the clinic read it, and its note (one
    query, through the access helper's own filter)."""
    reports = alerts_for_user(request.user).filter(
        source__in=[AlertSource.ADVERSE_REACTION, AlertSource.SKIN_REPORT]
    )
    return {"reports": list(reports[:PATIENT_REPORTS])}


def alerts_panel(patient, role) -> panels.Panel | None:
    """The chart's banner: the patient's unhandled alerts, until a dermatologist handles them."""
    if role not in CLINICIANS:
        return None
    open_ = list(
        ClinicalAlert.objects.filter(patient=patient)
        .exclude(status=AlertStatus.HANDLED)
        .select_related("responsible")
        .order_by("-urgency", "raised_at")
    )
    if not open_:
        return None
    return panels.Panel(
        key="clinical-alerts",
        title="Alerts to handle",
        template="treatments/alerts/_panel.html",
        context={"alerts": open_},
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def alert_texts(request):
    """The dermatologist chooses whether alerts are texted to them too."""
    current = AlertTexts.objects.filter(user=request.user).first()
    initial = {"enabled": current.enabled, "mobile": current.mobile} if current else {}
    form = AlertTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            alerts.alert_texts_set(
                user=request.user,
                enabled=form.cleaned_data["enabled"],
                mobile=form.cleaned_data["mobile"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("treatments:alert_texts")
    return render(request, "treatments/alerts/texts.html", {"form": form})
