"""Follow-up reviews and the course at a glance.

- ``followup_new`` / ``followup_detail`` (dermatologists): record a follow-up and read it.
- ``course_page`` (dermatologists and the front desk): a plan walked through the workflow with the
  viewer's next action; the desk sees no clinical detail.
- ``portal_course`` (the patient, their own plans only): the read-only walk.

What follow-ups and courses add to other pages (the chart's progress panel and timeline, the
homes' "courses" sections) is registered in treatments/apps.py, from
treatments/services/followups.py and treatments/services/course_sections.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.decorators import audited, model_patient
from audit.models import AccessKind
from clinic.access import CLINICIANS, DESK, PATIENTS, role_required
from clinic.forms import add_service_errors
from clinic.models import Role
from patients.access import photos_for_user
from patients.services import assessments as assessment_services
from patients.services.photos import alt_text as photo_alt_text
from treatments.access import get_appointment_for_user, get_follow_up_for_user, get_plan_for_user
from treatments.forms.followups import FollowUpForm
from treatments.models import FollowUp, FollowUpDecision, TreatmentPlan
from treatments.services import comparisons, course, course_walk, followups


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def followup_new(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk)
    appointment = None
    if "appointment" in request.GET:
        appointment = get_appointment_for_user(
            request.user, request.GET["appointment"], review_of=plan
        )
    concerns = list(plan.assessment.concerns.all())
    slots = followups.photo_slots(plan)
    rating = followups.latest_rating(plan)
    if request.method == "POST":
        form = FollowUpForm(request.POST, request.FILES, concerns=concerns, slots=slots)
        if form.is_valid():
            data = form.service_data()
            try:
                follow_up = followups.followup_record(
                    plan=plan,
                    clinician=request.user,
                    policy=request.clinic.policy,
                    appointment=appointment,
                    **data,
                )
            except ValidationError as error:  # a TransitionRefused too
                add_service_errors(form, error)
            else:
                if follow_up.decision == FollowUpDecision.ADJUST:
                    messages.info(request, f"Follow-up recorded. {followups.ADJUST_NOTE}")
                    return redirect("treatments:plan_detail", pk=plan.pk)
                plan.refresh_from_db(fields=["state"])
                messages.success(
                    request,
                    f"Follow-up recorded. The plan is now {plan.get_state_display().lower()}.",
                )
                return redirect("treatments:followup_detail", pk=follow_up.pk)
    else:
        initial = {}
        if rating is not None:
            initial = {"gais_patient": rating.gais, "satisfaction": rating.satisfaction}
        form = FollowUpForm(initial=initial, concerns=concerns, slots=slots)
    refusal = ""
    if plan.state not in followups.REVIEWABLE:
        refusal = followups.not_reviewable_message(plan.state)
    return render(
        request,
        "treatments/followups/form.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "form": form,
            "appointment": appointment,
            "rating": rating,
            "refusal": refusal,
            "photo_consent": assessment_services.has_photo_consent(plan.patient),
        },
    )


@role_required(*CLINICIANS)
@require_GET
@audited(AccessKind.FOLLOW_UP, patient=model_patient(FollowUp, "plan__patient_id"))
def followup_detail(request, pk):
    follow_up = get_follow_up_for_user(request.user, pk)
    return render(
        request,
        "treatments/followups/detail.html",
        {
            "follow_up": follow_up,
            "plan": follow_up.plan,
            "patient": follow_up.plan.patient,
            "scores": followups.score_rows(follow_up),
            "photos": [
                (photo, photo_alt_text(photo)) for photo in follow_up.photos.order_by("view", "pk")
            ],
            "pairs": comparisons.for_follow_up(photos_for_user(request.user), follow_up),
        },
    )


@role_required(*DESK)
@require_GET
@audited(AccessKind.COURSE, patient=model_patient(TreatmentPlan))
def course_page(request, pk):
    plan = get_plan_for_user(request.user, pk)
    walked = course_walk.walk(
        course.load_course(plan),
        role=request.user.role,
        now=timezone.now(),
        tz=request.clinic.zone,
    )
    return render(
        request,
        "treatments/course/page.html",
        {"plan": plan, "patient": plan.patient, "course": walked},
    )


@role_required(*PATIENTS)
@require_GET
@audited(AccessKind.COURSE, patient=model_patient(TreatmentPlan))
def portal_course(request, pk):
    plan = get_plan_for_user(request.user, pk)
    walked = course_walk.walk(
        course.load_course(plan), role=Role.PATIENT, now=timezone.now(), tz=request.clinic.zone
    )
    return render(request, "treatments/course/portal.html", {"plan": plan, "course": walked})
