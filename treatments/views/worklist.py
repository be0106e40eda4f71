"""The dermatologist's worklist of items raised from the portal (a skin report beyond the
expected): the home's section and closing an item by saying what was done. A dermatologist closes
only the items on their own worklist (treatments.access.worklist_for_user)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.access import CLINICIANS, role_required
from treatments.access import get_worklist_item_for_user, worklist_for_user
from treatments.forms.portal import WorklistItemDoneForm
from treatments.services import portal

HOME_WORKLIST_ITEMS = 20


def _worklist_row(worklist_item, form=None) -> dict:
    """An item as the worklist shows it: why it was raised, and the form that closes it."""
    skin_report = worklist_item.skin_report
    reasons = (
        portal.skin_report_reasons(skin_report, ended_at=skin_report.session.ended_at)
        if skin_report is not None and skin_report.session.ended_at is not None
        else []
    )
    return {
        "worklist_item": worklist_item,
        "reasons": reasons,
        "form": form
        or WorklistItemDoneForm(
            worklist_item=worklist_item, auto_id=f"worklist-item-{worklist_item.pk}-%s"
        ),
    }


def _worklist_rows(worklist_items) -> list[dict]:
    return [_worklist_row(worklist_item) for worklist_item in worklist_items]


def open_worklist_items(user):
    """Open items on this dermatologist's worklist (treatments.access.worklist_for_user), newest
    first."""
    return (
        worklist_for_user(user)
        .filter(done_at__isnull=True)
        .select_related("patient", "skin_report__session")
        .order_by("-created_at", "-pk")
    )


def worklist_section(request) -> dict:
    worklist_items = open_worklist_items(request.user)
    return {
        "rows": _worklist_rows(worklist_items[:HOME_WORKLIST_ITEMS]),
        "total": worklist_items.count(),
    }


@role_required(*CLINICIANS)
@require_POST
def worklist_item_done(request, pk):
    """Close an item on the dermatologist's worklist; a refused note is shown at its field."""
    worklist_item = get_worklist_item_for_user(request.user, pk)
    form = WorklistItemDoneForm(
        request.POST, worklist_item=worklist_item, auto_id=f"worklist-item-{worklist_item.pk}-%s"
    )
    if form.is_valid():
        try:
            portal.worklist_item_done(
                worklist_item=worklist_item, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            if "outcome" not in getattr(error, "error_dict", {}):
                messages.info(request, " ".join(error.messages))
                return redirect("home")
            form.add_error("outcome", error.error_dict["outcome"])
        else:
            messages.success(request, f"Done: {worklist_item.title}.")
            return redirect("home")
    return render(
        request,
        "treatments/portal/worklist_item_done.html",
        {"row": _worklist_row(worklist_item, form)},
    )
