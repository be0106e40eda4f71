"""Views of the treatments app: the plan page and its live recommendation, plan detail and
transitions, the product list, lots and lot recall."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.access import CLINICAL_READERS, role_required
from clinic.concurrency import StaleEdit
from clinic.models import Role
from treatments.access import get_assessment_for_plan, get_lot_for_user, get_plan_for_user
from treatments.forms.plans import (
    PlanForm,
    TransitionForm,
    WithdrawLotForm,
    initial_for,
    initial_from_plan,
    selection_from,
)
from treatments.models import (
    Lot,
    LotStatus,
    PlanState,
    Product,
    TransitionRefused,
    course_text,
    plans,
)
from treatments.services import plans as plan_services
from treatments.services import recall
from treatments.services.recommendation import NO_SCREEN, plan_context

CLINICIAN = Role.DERMATOLOGIST
CATALOGUE_READERS = CLINICAL_READERS


def _today():
    return timezone.localdate()


def _usable_lots(product, request):
    if product is None:
        return []
    return list(Lot.objects.usable(request.clinic).for_product(product))


def _plan_context(request, *, ctx, form, selection, rec, plan=None) -> dict:
    advice = rec.for_route(selection.route) if selection.route else None
    sessions, interval = selection.sessions, selection.interval_days
    return {
        "ctx": ctx,
        "assessment": ctx.assessment,
        "patient": ctx.assessment.patient,
        "form": form,
        "rec": rec,
        "selection": selection,
        "chosen_advice": advice,
        "course_preview": (
            course_text(sessions, interval)
            if sessions and interval and min(sessions, interval) > 0
            else ""
        ),
        "usable_lots": _usable_lots(selection.product, request),
        "no_screen": NO_SCREEN if ctx.screen is None else "",
        "plan": plan,
    }


def _plan_page(request, **kwargs):
    return render(request, "treatments/plans/form.html", _plan_context(request, **kwargs))


def _service_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "choice": form.choice,
        "sessions": data["sessions"],
        "interval_days": data["interval_days"],
        "laser_settings": data.get("laser_settings", ""),
        "notes": data.get("notes", ""),
    }


@role_required(CLINICIAN)
@require_http_methods(["GET", "POST"])
def plan_new(request, assessment_pk):
    """Start a treatment plan from an assessment, with the recommendation beside the form."""
    assessment = get_assessment_for_plan(request.user, assessment_pk)
    ctx = plan_context(assessment, policy=request.clinic.policy, on=_today())
    if request.method == "POST":
        selection = selection_from(request.POST, ctx)
        rec = ctx.recommend(product=selection.product, areas=selection.areas)
        form = PlanForm(request.POST, ctx=ctx, rec=rec, selection=selection)
        if form.is_valid():
            try:
                plan = plan_services.plan_create(ctx=ctx, author=request.user, **_service_kwargs(form))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Plan saved as {plan.get_state_display().lower()}.")
                return redirect("treatments:plan_detail", pk=plan.pk)
    else:
        rec = ctx.recommend()
        initial = initial_for(ctx, rec)
        selection = selection_from(initial, ctx)
        rec = ctx.recommend(areas=selection.areas)
        form = PlanForm(initial=initial, ctx=ctx, rec=rec, selection=selection)
    return _plan_page(request, ctx=ctx, form=form, selection=selection, rec=rec)


@role_required(CLINICIAN)
@require_POST
def plan_recommendation(request, assessment_pk):
    """The recommendation panel again for the choices on the page (htmx), with the route buttons
    and the route's own fields swapped out of band so that blocked routes stay unchoosable."""
    assessment = get_assessment_for_plan(request.user, assessment_pk)
    ctx = plan_context(assessment, policy=request.clinic.policy, on=_today())
    selection = selection_from(request.POST, ctx)
    rec = ctx.recommend(product=selection.product, areas=selection.areas)
    initial = {key: request.POST.get(key) for key in request.POST if key != "areas"}
    initial["areas"] = list(selection.areas)
    form = PlanForm(initial=initial, ctx=ctx, rec=rec, selection=selection)
    context = _plan_context(request, ctx=ctx, form=form, selection=selection, rec=rec)
    return render(request, "treatments/plans/form.html#refresh", context)


@role_required(CLINICIAN)
@require_GET
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    return _detail_page(request, plan, TransitionForm())


def _detail_page(request, plan, transition_form, status=200):
    # The buttons: the changes this user may make by hand now, from the plan's state machine.
    allowed = plan.allowed_transitions(by=request.user)
    actions = [
        {"to": row.target, "label": row.label}
        for row in allowed
        if row.target != PlanState.CANCELLED
    ]
    can_cancel = any(row.target == PlanState.CANCELLED for row in allowed)
    snapshot_routes = plan.recommendation.get("routes", [])
    return render(
        request,
        "treatments/plans/detail.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "actions": actions,
            "can_cancel": can_cancel,
            "by_workflows": plan.state_machine.by_workflows(plan),
            "can_edit": plan.state in plans.EDITABLE,
            "transition_form": transition_form,
            "snapshot": plan.recommendation,
            "snapshot_routes": snapshot_routes,
        },
        status=status,
    )


@role_required(CLINICIAN)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    """Change a draft or planned plan (before its first session)."""
    plan = get_plan_for_user(request.user, pk)
    if plan.state not in plans.EDITABLE:
        messages.error(
            request, f"A plan that is {plan.get_state_display().lower()} can no longer be edited."
        )
        return redirect("treatments:plan_detail", pk=plan.pk)
    assessment = get_assessment_for_plan(request.user, plan.assessment_id)
    ctx = plan_context(assessment, policy=request.clinic.policy, on=_today())
    if request.method == "POST":
        selection = selection_from(request.POST, ctx)
        rec = ctx.recommend(product=selection.product, areas=selection.areas)
        form = PlanForm(request.POST, ctx=ctx, rec=rec, selection=selection)
        if form.is_valid():
            try:
                plan_services.plan_update(
                    plan=plan,
                    loaded_version=form.cleaned_data.get("version") or 0,
                    ctx=ctx,
                    by=request.user,
                    **_service_kwargs(form),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except StaleEdit as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Plan saved.")
                return redirect("treatments:plan_detail", pk=plan.pk)
    else:
        initial = initial_from_plan(plan)
        selection = selection_from(initial, ctx)
        rec = ctx.recommend(product=selection.product, areas=selection.areas)
        form = PlanForm(initial=initial, ctx=ctx, rec=rec, selection=selection)
    return _plan_page(request, ctx=ctx, form=form, selection=selection, rec=rec, plan=plan)


@role_required(CLINICIAN)
@require_POST
def plan_transition(request, pk):
    plan = get_plan_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            plan = plan_services.plan_transition(
                plan=plan,
                to=form.cleaned_data["to"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                policy=request.clinic.policy,
                on=_today(),
            )
        except TransitionRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, f"The plan is now {plan.get_state_display().lower()}.")
            return redirect("treatments:plan_detail", pk=plan.pk)
    return _detail_page(request, plan, form)


@role_required(*CATALOGUE_READERS)
@require_GET
def product_list(request):
    """The catalogue with each product's usable lots (the manager edits it in the admin)."""
    policy = request.clinic.policy
    usable = Lot.objects.usable(on=_today(), policy=policy).order_by("expiry_date", "lot_number")
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
    today = _today()
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
            "status": lot.status(on=_today(), policy=request.clinic.policy),
            "rows": recall.recall_rows(lot),
            "adverse_events": list(lot.adverse_events.select_related("patient")),
            "form": form,
        },
        status=status,
    )


@role_required(*CATALOGUE_READERS)
@require_GET
def lot_recall(request, pk):
    """Every session, patient and contact that received the lot."""
    return _recall_page(request, get_lot_for_user(request.user, pk), WithdrawLotForm())


@role_required(*CATALOGUE_READERS)
@require_GET
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
