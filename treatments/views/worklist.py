"""The dermatologist's tasks raised from the portal (a skin check-in beyond the expected): the
home's section and closing a task by saying what was done. A dermatologist closes only the tasks
on their own worklist (treatments.access.tasks_for_user)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic.access import CLINICIANS, role_required
from treatments.access import get_task_for_user, tasks_for_user
from treatments.forms.portal import TaskDoneForm
from treatments.services import portal

HOME_TASKS = 20


def _task_row(task, form=None) -> dict:
    """A task as the worklist shows it: why it was raised, and the form that closes it."""
    check_in = task.check_in
    reasons = (
        portal.check_in_reasons(check_in, ended_at=check_in.session.ended_at)
        if check_in is not None and check_in.session.ended_at is not None
        else []
    )
    return {
        "task": task,
        "reasons": reasons,
        "form": form or TaskDoneForm(task=task, auto_id=f"task-{task.pk}-%s"),
    }


def _task_rows(tasks) -> list[dict]:
    return [_task_row(task) for task in tasks]


def open_tasks(user):
    """Open tasks on this dermatologist's worklist (treatments.access.tasks_for_user), newest
    first."""
    return (
        tasks_for_user(user)
        .filter(done_at__isnull=True)
        .select_related("patient", "check_in__session")
        .order_by("-created_at", "-pk")
    )


def tasks_section(request) -> dict:
    tasks = open_tasks(request.user)
    return {"rows": _task_rows(tasks[:HOME_TASKS]), "total": tasks.count()}


@role_required(*CLINICIANS)
@require_POST
def task_done(request, pk):
    """Close a task on the dermatologist's worklist; a refused note is shown at its field."""
    task = get_task_for_user(request.user, pk)
    form = TaskDoneForm(request.POST, task=task, auto_id=f"task-{task.pk}-%s")
    if form.is_valid():
        try:
            portal.task_done(task=task, by=request.user, outcome=form.cleaned_data["outcome"])
        except ValidationError as error:
            if "outcome" not in getattr(error, "error_dict", {}):
                messages.info(request, " ".join(error.messages))
                return redirect("home")
            form.add_error("outcome", error.error_dict["outcome"])
        else:
            messages.success(request, f"Done: {task.title}.")
            return redirect("home")
    return render(request, "treatments/portal/task_done.html", {"row": _task_row(task, form)})
