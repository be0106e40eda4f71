"""The Reports section: an index, and one page and one CSV download per report.

HTTP only: the filters come from the query string through ``ReportFilterForm``, the figures from
``treatments.services.reports``.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from clinic.access import CLINICAL_READERS, role_required
from treatments.forms.reports import ReportFilterForm
from treatments.services.reports import REPORTS, SPECS, ReportFilters, build_report, table_csv

YEAR = dt.timedelta(days=364)


def _defaults(spec, today: dt.date) -> dict:
    """A year: the last one (today included), or the next one for a report that looks ahead."""
    start, end = (today, today + YEAR) if spec.forward else (today - YEAR, today)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _filters(request, spec) -> tuple[ReportFilterForm, ReportFilters | None]:
    data = _defaults(spec, request.clinic.today())
    for name in ("start", "end", "practitioner", "route", "product"):
        if name in request.GET:
            data[name] = request.GET[name].replace("\x00", "")
    form = ReportFilterForm(data)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    return form, ReportFilters(
        start=cleaned["start"],
        end=cleaned["end"],
        zone=request.clinic.zone,
        practitioner=cleaned["practitioner"],
        route=cleaned["route"],
        product=cleaned["product"],
    )


@role_required(*CLINICAL_READERS)
@require_GET
def report_index(request):
    reports = [
        {"spec": spec, "url": reverse(f"treatments:report_{spec.slug.replace('-', '_')}")}
        for spec in REPORTS
        if request.user.has_role(*spec.roles)
    ]
    return render(request, "treatments/reports/index.html", {"reports": reports})


def _page(slug: str):
    spec = SPECS[slug]
    name = slug.replace("-", "_")

    @role_required(*spec.roles)
    @require_GET
    def page(request):
        form, filters = _filters(request, spec)
        report = None
        status = 200
        if filters is not None:
            report = build_report(slug, filters, clinic=request.clinic, user=request.user)
        else:
            status = 400
        return render(
            request,
            "treatments/reports/report.html",
            {
                "spec": spec,
                "form": form,
                "report": report,
                "query": request.GET.urlencode(),
                "csv_url": reverse(f"treatments:report_{name}_csv"),
            },
            status=status,
        )

    @role_required(*spec.roles)
    @require_GET
    def download(request):
        _, filters = _filters(request, spec)
        if filters is None:
            return HttpResponse(
                "The filters are not valid: open the report to correct them.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        report = build_report(slug, filters, clinic=request.clinic, user=request.user)
        table = report.table(request.GET.get("table", report.tables[0].slug))
        if table is None:
            raise Http404("No such table in this report.")
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        filename = f"{slug}-{table.slug}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    page.__name__ = page.__qualname__ = f"report_{name}"
    download.__name__ = download.__qualname__ = f"report_{name}_csv"
    return page, download


report_outcomes, report_outcomes_csv = _page("outcomes")
report_courses, report_courses_csv = _page("courses")
report_utilisation, report_utilisation_csv = _page("utilisation")
report_attendance, report_attendance_csv = _page("attendance")
report_adverse_events, report_adverse_events_csv = _page("adverse-events")
report_stock, report_stock_csv = _page("stock")
