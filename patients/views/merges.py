"""Merging duplicate patient records: the desk or a dermatologist merges, a dermatologist confirms
a merge of two clinical records."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import CLINICIANS, DESK, role_required
from clinic.forms import add_service_errors
from patients.access import get_merge_for_user, get_patient_for_user, merges_for_user
from patients.forms.merges import MergeDecisionForm, MergeForm
from patients.models import PatientMerge
from patients.services import merges


def _summary(patient, user) -> dict:
    """What the user may see of a record when deciding: contacts, and how much it holds (the
    kinds of clinical record only for a dermatologist; the desk learns only whether there are)."""
    counts = merges.record_counts(patient)
    if not user.has_role(*CLINICIANS):
        counts = {kind: n for kind, n in counts.items() if kind in merges.DESK_SAFE_RECORDS}
    return {
        "patient": patient,
        "counts": {kind.replace("_", " "): n for kind, n in counts.items() if n},
        "clinical": merges.has_clinical_records(patient),
    }


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def patient_merge(request, pk):
    survivor = get_patient_for_user(request.user, pk)
    candidates = [] if survivor.merged_into_id else merges.duplicates_of(survivor)
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            merge = merges.merge_request(
                survivor=survivor, merged=form.cleaned_data["other"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if merge.status == PatientMerge.Status.DONE:
                messages.success(
                    request,
                    f"{merge.merged.full_name}'s duplicate record is merged into this one and "
                    "archived.",
                )
            else:
                messages.info(
                    request,
                    "Both records hold clinical records, so a dermatologist confirms the merge "
                    "before anything moves.",
                )
            return redirect("patients:detail", pk=survivor.pk)
    return render(
        request,
        "patients/merge.html",
        {
            "patient": survivor,
            "form": form,
            "this": _summary(survivor, request.user),
            "candidates": [_summary(other, request.user) for other in candidates],
        },
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET"])
def merge_list(request):
    pending = (
        merges_for_user(request.user)
        .filter(status=PatientMerge.Status.PENDING)
        .select_related("survivor", "merged", "requested_by")
    )
    rows = [
        {
            "merge": merge,
            "survivor": _summary(merge.survivor, request.user),
            "merged": _summary(merge.merged, request.user),
            "form": MergeDecisionForm(prefix=f"m{merge.pk}"),
        }
        for merge in pending
    ]
    return render(request, "patients/merge_list.html", {"rows": rows})


@role_required(*CLINICIANS)
@require_POST
def merge_decide(request, pk):
    merge = get_merge_for_user(request.user, pk)
    form = MergeDecisionForm(request.POST, prefix=f"m{merge.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "confirm":
                merges.merge_confirm(merge=merge, by=request.user)
                messages.success(request, f"The records of {merge.survivor.full_name} are merged.")
            else:
                merges.merge_decline(
                    merge=merge, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "The records stay apart.")
            return redirect("patients:merge_list")
        except ValidationError as error:
            add_service_errors(form, error)
    rows = [
        {
            "merge": merge,
            "survivor": _summary(merge.survivor, request.user),
            "merged": _summary(merge.merged, request.user),
            "form": form,
        }
    ]
    return render(request, "patients/merge_list.html", {"rows": rows}, status=400)
