"""The front desk's list of patients' requests to move or cancel, and marking one handled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import DESK, role_required
from treatments.access import (
    CHANGE_REQUEST_DETAILS,
    change_requests_for_user,
    get_change_request_for_user,
)
from treatments.forms.portal import HandleRequestForm
from treatments.services import portal

HOME_REQUESTS = 5
RECENTLY_HANDLED = 10


def _open_requests(user):
    return (
        change_requests_for_user(user)
        .filter(handled_at__isnull=True)
        .select_related(*CHANGE_REQUEST_DETAILS)
        .order_by("created_at", "pk")
    )


@role_required(*DESK)
@require_GET
def change_requests(request):
    """Open requests, oldest first, each with a form to say what was done."""
    rows = [
        {"request": r, "form": HandleRequestForm(auto_id=f"request-{r.pk}-%s")}
        for r in _open_requests(request.user)
    ]
    handled = list(
        change_requests_for_user(request.user)
        .filter(handled_at__isnull=False)
        .select_related(*CHANGE_REQUEST_DETAILS, "handled_by")
        .order_by("-handled_at", "-pk")[:RECENTLY_HANDLED]
    )
    return render(
        request, "treatments/portal/change_requests.html", {"rows": rows, "handled": handled}
    )


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def change_request_handle(request, pk):
    change_request = get_change_request_for_user(request.user, pk)
    form = HandleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal.change_request_handle(
                change_request=change_request,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Request from {change_request.appointment.patient} marked handled."
            )
            return redirect("treatments:change_requests")
    return render(
        request,
        "treatments/portal/change_request_handle.html",
        {"change_request": change_request, "form": form},
    )


def requests_section(request) -> dict:
    requests = _open_requests(request.user)
    return {"requests": list(requests[:HOME_REQUESTS]), "total": requests.count()}
