"""The plan page and its live recommendation, plan detail and plan transitions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.access import role_required
from clinic.concurrency import StaleEdit
from clinic.models import Role
from treatments.access import get_assessment_for_plan, get_plan_for_user
from treatments.forms.plans import (
    PlanForm,
    TransitionForm,
    initial_for,
    initial_from_plan,
    selection_from,
)
from treatments.models import (
    Lot,
    PlanState,
    TransitionRefused,
    course_text,
    plans,
)
from treatments.services import plans as plan_services
from treatments.services.recommendation import NO_SCREEN, plan_context

CLINICIAN = Role.DERMATOLOGIST


def _usable_lots(product, request):
    if product is None:
        return []
    return list(Lot.objects.usable(request.clinic).for_product(product))


def _ctx(request, assessment):
    """What the plan pages decide from: the assessment, its screen, the clinic's policy, today."""
    return plan_context(assessment, policy=request.clinic.policy, on=request.clinic.today())


def _chosen(ctx, source):
    """The choices in ``source`` (posted, or a plan's), and the recommendation for their product
    and areas."""
    selection = selection_from(source, ctx)
    return selection, ctx.recommend(product=selection.product, areas=selection.areas)


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
    ctx = _ctx(request, assessment)
    if request.method == "POST":
        selection, rec = _chosen(ctx, request.POST)
        form = PlanForm(request.POST, ctx=ctx, rec=rec, selection=selection)
        if form.is_valid():
            try:
                plan = plan_services.plan_create(
                    ctx=ctx, author=request.user, **_service_kwargs(form)
                )
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
    """The recommendation panel again for the choices on the page (htmx).

    Only the panel and the status line are swapped, never an input: what the user typed while
    the request was on its way stays as typed. The panel carries each route's label and whether
    it is blocked, which the route buttons take (static/js/plan-form.js).
    """
    assessment = get_assessment_for_plan(request.user, assessment_pk)
    ctx = _ctx(request, assessment)
    selection, rec = _chosen(ctx, request.POST)
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
    ctx = _ctx(request, assessment)
    if request.method == "POST":
        selection, rec = _chosen(ctx, request.POST)
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
        selection, rec = _chosen(ctx, initial)
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
                on=request.clinic.today(),
            )
        except TransitionRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, f"The plan is now {plan.get_state_display().lower()}.")
            return redirect("treatments:plan_detail", pk=plan.pk)
    return _detail_page(request, plan, form)
