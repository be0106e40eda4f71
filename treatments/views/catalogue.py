"""The product catalogue as dermatologists and the manager read it: products with their usable
lots, every lot with its status, a lot's recall list and its withdrawal from use."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.decorators import audited
from audit.models import AccessKind
from clinic.access import CLINICAL_READERS, role_required
from treatments.access import get_lot_for_user
from treatments.forms.plans import WithdrawLotForm
from treatments.models import Lot, LotStatus, Product
from treatments.services import plans as plan_services
from treatments.services import recall
from treatments.services.reports.adverse import lot_signal

CATALOGUE_READERS = CLINICAL_READERS


@role_required(*CATALOGUE_READERS)
@require_GET
def product_list(request):
    """The catalogue with each product's usable lots (the manager edits it in the admin)."""
    policy = request.clinic.policy
    usable = Lot.objects.usable(request.clinic).order_by("expiry_date", "lot_number")
    products = list(
        Product.objects.prefetch_related(Prefetch("lots", queryset=usable, to_attr="usable_lots"))
    )
    rows = [{"product": p, "problem": p.policy_problem(policy)} for p in products]
    return render(request, "treatments/catalogue/product_list.html", {"rows": rows})


@role_required(*CATALOGUE_READERS)
@require_GET
def lot_list(request):
    """Every lot, usable or not, with its status: where a recall starts."""
    policy = request.clinic.policy
    today = request.clinic.today()
    # A NUL byte cannot reach PostgreSQL; anything else is just a search string.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    lots = Lot.objects.select_related("product")
    if query:
        lots = lots.filter(lot_number__icontains=query) | lots.filter(
            product__name__icontains=query
        )
    rows = [{"lot": lot, "status": lot.status(on=today, policy=policy)} for lot in lots]
    return render(
        request,
        "treatments/catalogue/lot_list.html",
        {"rows": rows, "query": query, "usable": LotStatus.USABLE},
    )


def _recall_page(request, lot, form, status=200):
    return render(
        request,
        "treatments/catalogue/lot_recall.html",
        {
            "lot": lot,
            "status": lot.status(on=request.clinic.today(), policy=request.clinic.policy),
            "rows": recall.recall_rows(lot),
            "adverse_events": list(lot.adverse_events.select_related("patient")),
            "signal": lot_signal(lot, clinic=request.clinic),
            "form": form,
        },
        status=status,
    )


@role_required(*CATALOGUE_READERS)
@require_GET
@audited(AccessKind.RECALL, patients=recall.patients_named)
def lot_recall(request, pk):
    """Every session, patient and contact that received the lot."""
    return _recall_page(request, get_lot_for_user(request.user, pk), WithdrawLotForm())


@role_required(*CATALOGUE_READERS)
@require_GET
@audited(AccessKind.RECALL_CSV, patients=recall.patients_named)
def lot_recall_csv(request, pk):
    lot = get_lot_for_user(request.user, pk)
    body = recall.recall_csv(lot, recall.recall_rows(lot))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    safe_number = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in lot.lot_number)
    response["Content-Disposition"] = f'attachment; filename="recall-lot-{safe_number}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*CATALOGUE_READERS)
@require_POST
def lot_withdraw(request, pk):
    """Withdraw a lot from use: it is never offered again, and the recall list stays."""
    lot = get_lot_for_user(request.user, pk)
    form = WithdrawLotForm(request.POST)
    if form.is_valid():
        try:
            plan_services.lot_withdraw(lot=lot, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reason", message)
        else:
            messages.success(request, f"Lot {lot.lot_number} is withdrawn from use.")
            return redirect(reverse("treatments:lot_recall", kwargs={"pk": lot.pk}))
    return _recall_page(request, lot, form)
