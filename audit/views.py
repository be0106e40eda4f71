"""The manager's access report, on screen and as a CSV download."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit import report
from audit.decorators import audited
from audit.forms import AccessReportForm
from audit.models import AccessKind
from clinic.access import MANAGERS, role_required

PER_PAGE = 50


def _entries(request):
    form = AccessReportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, report.filtered(
            patient=form.cleaned_data["patient"],
            user=form.cleaned_data["user"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    if form.is_bound:
        return form, None
    return form, report.filtered()


@role_required(*MANAGERS)
@require_GET
def access_report(request):
    form, entries = _entries(request)
    page = None
    if entries is not None:
        page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/report.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@role_required(*MANAGERS)
@require_GET
@audited(AccessKind.ACCESS_REPORT_CSV)
def access_report_csv(request):
    form, entries = _entries(request)
    if entries is None:
        return render(request, "audit/report.html", {"form": form, "page": None}, status=400)
    response = HttpResponse(
        report.report_csv(entries.iterator()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="access-report-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
