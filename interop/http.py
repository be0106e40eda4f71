"""A FHIR Bundle as a download."""

from django.http import HttpResponse

from interop.fhir.export import bundle_json


def bundle_response(patient, *, filename: str, drafts: bool = True) -> HttpResponse:
    response = HttpResponse(
        bundle_json(patient, drafts=drafts), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
