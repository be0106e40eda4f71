"""Workflows of the treatments app: writing a plan, moving it between states, withdrawing a lot.

Each is atomic and keyword-only. The clinical checks are made here again, whatever the form did:
a service is the last line before the database.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.concurrency import save_versioned
from clinic.lib.screening import ClinicPolicy
from clinic.lib.vocabulary import Route
from patients.models import Assessment
from treatments.models import Lot, PlanState, TransitionRefused, TreatmentPlan, Workflow, plans
from treatments.services.recommendation import (
    Choice,
    PlanContext,
    choice_errors,
    justification_needed,
    plan_context,
    snapshot,
)

#: The states a plan may be saved in from the plan page.
SAVE_STATES = (PlanState.DRAFT, PlanState.PLANNED)


def _checked(ctx: PlanContext, choice: Choice) -> dict:
    if choice.state not in SAVE_STATES:
        raise ValidationError({NON_FIELD_ERRORS: "A plan is saved as a draft or as planned."})
    errors, rec = choice_errors(ctx, choice)
    if errors:
        raise ValidationError(errors)
    return snapshot(rec, ctx, choice)


def _fields(choice: Choice, *, sessions, interval_days, laser_settings, notes) -> dict:
    return {
        "route": choice.route,
        "product": choice.product,
        "areas": list(choice.areas),
        "sessions": sessions,
        "interval_days": interval_days,
        # Depths are kept for microneedling only, and only for the treated areas.
        "depths": (
            {area: str(choice.depths[area]) for area in choice.areas if area in choice.depths}
            if choice.route == Route.MICRONEEDLING
            else {}
        ),
        "laser_settings": laser_settings.strip() if choice.route == Route.LASER_ASSISTED else "",
        "justification": choice.justification.strip(),
        "notes": notes.strip(),
    }


@transaction.atomic
def plan_create(
    *,
    ctx: PlanContext,
    author,
    choice: Choice,
    sessions: int,
    interval_days: int,
    laser_settings: str = "",
    notes: str = "",
) -> TreatmentPlan:
    """Save a new plan as a draft or as planned, with the recommendation it was checked against.

    Raises ValidationError (by field) when the choice breaks a clinical rule: a blocked route, a
    product the patient or the clinic's policy rules out, a missing justification, a needle depth
    outside the area's range, or "planned" without a product or a screen.
    """
    recommendation = _checked(ctx, choice)
    plan = TreatmentPlan(
        patient=ctx.assessment.patient,
        assessment=ctx.assessment,
        author=author,
        recommendation=recommendation,
        screen=ctx.screen,
        state=choice.state,
        state_changed_by=author,
        **_fields(
            choice,
            sessions=sessions,
            interval_days=interval_days,
            laser_settings=laser_settings,
            notes=notes,
        ),
    )
    plan.full_clean(exclude=["recommendation"])
    plan._history_user = author
    plan._change_reason = f"Created as {PlanState(choice.state).label.lower()}"
    plan.save()
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: TreatmentPlan,
    loaded_version: int,
    ctx: PlanContext,
    by,
    choice: Choice,
    sessions: int,
    interval_days: int,
    laser_settings: str = "",
    notes: str = "",
) -> TreatmentPlan:
    """Change a draft or planned plan; saving it as draft or planned, as the clinician chose.

    Raises StaleEdit when someone else saved the plan since ``loaded_version``, and
    TransitionRefused when the plan has left the states in which it may be edited.
    """
    current = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if current.state not in plans.EDITABLE:
        raise TransitionRefused(
            f"A plan that is {current.get_state_display().lower()} can no longer be edited."
        )
    if current.state != choice.state:
        current.state_machine.check(current, choice.state, by=by)
    recommendation = _checked(ctx, choice)
    for name, value in _fields(
        choice,
        sessions=sessions,
        interval_days=interval_days,
        laser_settings=laser_settings,
        notes=notes,
    ).items():
        setattr(plan, name, value)
    plan.recommendation = recommendation
    plan.screen = ctx.screen
    if current.state != choice.state:
        plan.state = choice.state
        plan.state_changed_at = timezone.now()
        plan.state_changed_by = by
    plan.full_clean(exclude=["recommendation"])
    plan._history_user = by
    plan._change_reason = "Edited"
    save_versioned(plan, loaded_version=loaded_version)
    return plan


def _check_can_plan(plan: TreatmentPlan, ctx: PlanContext) -> dict:
    """The checks for "planned", against the latest screen on the day of the transition."""
    choice = Choice(
        route=plan.route,
        product=plan.product,
        areas=tuple(plan.areas),
        depths={area: Decimal(value) for area, value in plan.depths.items()},
        justification=plan.justification,
        state=PlanState.PLANNED,
    )
    errors, rec = choice_errors(ctx, choice)
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        if "justification" in errors:
            messages = [
                f"{justification_needed(rec, plan.route)} Edit the plan to add a justification."
            ]
        raise TransitionRefused(" ".join(messages))
    return snapshot(rec, ctx, choice)


@transaction.atomic
def plan_transition(
    *,
    plan: TreatmentPlan,
    to: str,
    by,
    reason: str = "",
    policy: ClinicPolicy,
    on: dt.date | None = None,
    via: Workflow | None = None,
) -> TreatmentPlan:
    """Move a plan to state ``to``, if the plan's state machine (plans.PLAN_STATES) lets ``by``
    make that change by hand, or the workflow ``via`` make it; raise TransitionRefused.

    - Planned -> in treatment is made only via the completion of the first session record.
    - Cancelling needs a reason (docs/clinical-rules.md §Workflow: cancelled at any point, with a
      reason).
    - Planning checks the plan again against the latest screen on the day: a route blocked since,
      a product now ruled out, or a new caution without a justification refuses it. The
      recommendation kept with the plan is then the one of that day.
    """
    locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    to = locked.transition_to(to, by=by, via=via).target
    reason = reason.strip()
    change_reason = to.label
    if to == PlanState.CANCELLED:
        if not reason:
            raise TransitionRefused("Say why the plan is cancelled.", field="reason")
        locked.cancel_reason = reason
        change_reason = f"Cancelled: {reason}"
    if to == PlanState.PLANNED:
        assessment = Assessment.objects.select_related("patient").get(pk=locked.assessment_id)
        ctx = plan_context(assessment, policy=policy, on=on or timezone.localdate())
        locked.recommendation = _check_can_plan(locked, ctx)
        locked.screen = ctx.screen
    locked.state_changed_at = timezone.now()
    locked.state_changed_by = by
    locked.version += 1
    locked._history_user = by
    locked._change_reason = change_reason
    locked.save()
    return locked


@transaction.atomic
def lot_withdraw(*, lot: Lot, by, reason: str) -> Lot:
    """Withdraw a lot from use (a recall): it is never offered again. Needs a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the lot is withdrawn."})
    locked = Lot.objects.select_for_update().get(pk=lot.pk)
    if locked.recalled_at is not None:
        raise ValidationError({"reason": "This lot has already been withdrawn."})
    locked.recalled_at = timezone.now()
    locked.recalled_by = by
    locked.recall_reason = reason
    locked._history_user = by
    locked._change_reason = f"Withdrawn: {reason}"
    locked.save()
    return locked
