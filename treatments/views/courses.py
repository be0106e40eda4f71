"""A plan's course in one step, for the front desk and dermatologists: the remaining sessions
previewed on the earliest fitting slots, adjusted, then booked all at once or not at all
(treatments.services.courses)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import DESK, role_required
from clinic.forms import add_service_errors
from clinic.lib import slots
from clinic.models import Role, Room, StaffProfile
from treatments.access import get_plan_for_user
from treatments.forms.scheduling import CourseFormSet, CourseStartForm
from treatments.services import courses, scheduling


@dataclass(frozen=True, slots=True)
class PreviewRow:
    number: int
    start: dt.datetime
    end: dt.datetime
    practitioner: StaffProfile
    room: Room
    same_practitioner: bool
    note: str


def _preview_rows(result: slots.CourseResult, resources, first_number: int) -> list[PreviewRow]:
    return [
        PreviewRow(
            number=first_number + index,
            start=placed.start,
            end=placed.end,
            practitioner=resources.staff[placed.practitioner_id],
            room=resources.room_records[placed.room_id],
            same_practitioner=placed.same_practitioner,
            note=placed.note,
        )
        for index, placed in enumerate(result.slots)
    ]


def _course_choices(formset) -> list[courses.CourseChoice]:
    return [
        courses.CourseChoice(
            starts_at=form.cleaned_data["starts_at"],
            practitioner=form.cleaned_data["practitioner"],
            room=form.cleaned_data["room"],
            short_interval_reason=form.cleaned_data["short_interval_reason"],
        )
        for form in formset.forms
    ]


#: Service errors about the whole course rather than one session of it.
COURSE_LEVEL = ("plan", "patient", "appointment_type")


def _course_errors(formset, refusal: courses.CourseRefused) -> list[str]:
    """Put each refused session's errors on its row; return those about the whole course."""
    course_errors: list[str] = []
    for index, error in refusal.refusals.items():
        row = formset.forms[index]
        by_key = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for key, errors in by_key.items():
            if key in COURSE_LEVEL or key not in row.fields:
                for message in (m for e in errors for m in e):
                    if message not in course_errors:
                        course_errors.append(message)
            else:
                add_service_errors(row, ValidationError({key: errors}))
    return course_errors


def _course_page(request, context):
    return render(request, "treatments/scheduling/course_preview.html", context)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def course_preview(request, plan_pk):
    """The remaining sessions of a plan placed on the earliest fitting slots, the plan's interval
    apart and with the same practitioner when possible; the user adjusts any row and confirms.
    Booking is all or nothing."""
    plan = get_plan_for_user(request.user, plan_pk)
    state = courses.course_state(plan)
    can_approve = scheduling.can_approve_short_interval(request.user)
    context = {
        "plan": plan,
        "patient": plan.patient,
        "appointment_type": state.appointment_type,
        "booked": state.booked,
        "problem": state.problem,
        "is_clinician": request.user.role == Role.DERMATOLOGIST,
        "consent_missing": state.consent_missing,
        "start_form": CourseStartForm(request.GET or None),
        "rows": [],
        "formset": None,
        "course_errors": [],
    }

    if request.method == "POST":
        formset = CourseFormSet(
            request.POST, first_number=state.first_number, can_approve=can_approve
        )
        context |= {"formset": formset, "refused": True}
        if state.problem:
            context["course_errors"] = [state.problem]
        elif formset.is_valid():
            try:
                appointments = courses.course_book(
                    plan=plan,
                    choices=_course_choices(formset),
                    by=request.user,
                    clinic=request.clinic,
                )
            except courses.CourseRefused as refusal:
                context["course_errors"] = _course_errors(formset, refusal)
            except ValidationError as exc:
                context["course_errors"] = exc.messages
            else:
                count = len(appointments)
                messages.success(request, f"{count} session{'s' if count != 1 else ''} booked.")
                return redirect("treatments:appointment_detail", pk=appointments[0].pk)
        return _course_page(request, context)

    if state.problem:
        return _course_page(request, context)
    start_form = context["start_form"]
    from_day, preferred = None, None
    if start_form.is_bound and start_form.is_valid():
        from_day = start_form.cleaned_data["earliest"]
        preferred = start_form.cleaned_data["practitioner"]
    try:
        result, resources = courses.course_preview(
            plan=plan,
            appointment_type=state.appointment_type,
            clinic=request.clinic,
            from_day=from_day,
            practitioner=preferred,
        )
    except ValidationError as exc:
        context["problem"] = " ".join(exc.messages)
        return _course_page(request, context)
    rows = _preview_rows(result, resources, state.first_number)
    context |= {
        "result": result,
        "rows": rows,
        "formset": CourseFormSet(
            initial=[
                {"starts_at": row.start, "practitioner": row.practitioner, "room": row.room}
                for row in rows
            ],
            first_number=state.first_number,
            can_approve=can_approve,
        ),
    }
    return _course_page(request, context)
