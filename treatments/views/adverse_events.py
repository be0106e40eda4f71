"""An adverse event's page: correct it while ongoing, resolve it, and its report pack.

- ``adverse_event_detail``, ``adverse_event_edit``, ``adverse_event_resolve`` (dermatologists).
- ``adverse_event_report`` (printable) and ``adverse_event_report_json`` (the same facts as
  JSON), and ``adverse_event_mark_reported``: dermatologists and the clinic manager, who files
  reports with the regulator. The pack carries no name (treatments/services/adverse_event_reports).

Recording an event is on the session pages (treatments/views/sessions.py); the homes' list of
serious events to report is registered in treatments/apps.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.access import CLINICAL_READERS, CLINICIANS, role_required
from clinic.forms import add_service_errors
from clinic.lib.adverse_events import business_days_left
from treatments.access import adverse_events_for_user, get_adverse_event_for_user
from treatments.forms.adverse_events import (
    AdverseEventEditForm,
    AdverseEventReportedForm,
    AdverseEventResolveForm,
)
from treatments.services import adverse_events
from treatments.services.adverse_event_reports import adverse_event_report as report_facts


def _detail_context(request, event, **forms) -> dict:
    return {
        "event": event,
        "patient": event.patient,
        "transitions": event.allowed_transitions(by=request.user),
        "resolve_form": forms.get("resolve_form")
        or AdverseEventResolveForm(initial={"resolved_on": request.clinic.today()}),
        "reported_form": forms.get("reported_form")
        or AdverseEventReportedForm(initial={"reported_on": request.clinic.today()}),
        "today": request.clinic.today(),
    }


@role_required(*CLINICIANS)
@require_GET
def adverse_event_detail(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    return render(request, "treatments/adverse_events/detail.html", _detail_context(request, event))


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def adverse_event_edit(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    form = AdverseEventEditForm(request.POST or None, instance=None, initial=_initial(event))
    if request.method == "POST" and form.is_valid():
        try:
            adverse_events.adverse_event_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The adverse event is updated.")
            return redirect("treatments:adverse_event_detail", pk=event.pk)
    return render(
        request,
        "treatments/adverse_events/edit.html",
        {"form": form, "event": event, "patient": event.patient},
    )


def _initial(event) -> dict:
    return {name: getattr(event, name) for name in adverse_events.EDITABLE_FIELDS}


@role_required(*CLINICIANS)
@require_POST
def adverse_event_resolve(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    form = AdverseEventResolveForm(request.POST)
    if form.is_valid():
        try:
            adverse_events.adverse_event_resolve(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The adverse event is resolved and its record closed.")
            return redirect("treatments:adverse_event_detail", pk=event.pk)
    return render(
        request,
        "treatments/adverse_events/detail.html",
        _detail_context(request, event, resolve_form=form),
    )


@role_required(*CLINICAL_READERS)
@require_GET
def adverse_event_report(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    return render(
        request,
        "treatments/adverse_events/report.html",
        _detail_context(request, event) | {"report": report_facts(event)},
    )


@role_required(*CLINICAL_READERS)
@require_GET
def adverse_event_report_json(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    response = JsonResponse(report_facts(event), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{event.pk}.json"'
    return response


@role_required(*CLINICAL_READERS)
@require_POST
def adverse_event_mark_reported(request, pk):
    event = get_adverse_event_for_user(request.user, pk)
    form = AdverseEventReportedForm(request.POST)
    if form.is_valid():
        try:
            adverse_events.adverse_event_mark_reported(
                event=event, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The report is recorded with its reference.")
            return redirect("treatments:adverse_event_report", pk=event.pk)
    return render(
        request,
        "treatments/adverse_events/report.html",
        _detail_context(request, event, reported_form=form) | {"report": report_facts(event)},
    )


#: How many events to report the homes list (the oldest deadlines first).
HOME_EVENTS = 10


def to_report_section(request) -> dict:
    """Serious events not yet reported, with their deadlines: the dermatologist's and the
    manager's homes (two queries)."""
    events = adverse_events_for_user(request.user).to_report().select_related("patient")
    today = request.clinic.today()
    rows = []
    for event in events[:HOME_EVENTS]:
        left = business_days_left(event.reporting_deadline, today)
        rows.append(
            {
                "event": event,
                "deadline": event.reporting_deadline,
                "days_left": left,
                "days_late": -left,
            }
        )
    return {"rows": rows, "total": events.count() if len(rows) == HOME_EVENTS else len(rows)}
