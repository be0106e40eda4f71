"""The patient registry: find, register (with the duplicate check), edit and archive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import DESK, role_required
from clinic.concurrency import StaleEdit
from patients.access import get_patient_for_user
from patients.forms.registry import PatientEditForm, PatientRegisterForm, PatientSearchForm
from patients.models import Patient
from patients.services import merges
from patients.services import records as services

PAGE_SIZE = 25


@role_required(*DESK)
@require_http_methods(["GET"])
def patient_list(request):
    form = PatientSearchForm(request.GET or None)
    patients = Patient.objects.only(*LIST_FIELDS)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if not form.cleaned_data["archived"]:
            patients = patients.active()
        patients = patients.in_name_order(query)
    else:
        patients = patients.active()
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "patients/list.html", {"form": form, "page": page, "query": query})


LIST_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "mobile",
    "email",
    "archived_at",
)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def patient_register(request):
    form = PatientRegisterForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = merges.possible_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            mobile=data["mobile"],
        )
        if duplicates and not data["not_a_duplicate"]:
            form.add_error(
                "not_a_duplicate",
                "These patients may be the same person. Open one of them, or tick this box "
                "to register a new patient.",
            )
        else:
            patient = services.patient_register(form=form)
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/register.html", {"form": form, "duplicates": duplicates})


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def patient_edit(request, pk):
    patient = get_patient_for_user(request.user, pk)
    form = PatientEditForm(
        request.POST or None, instance=patient, initial={"version": patient.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(form=form, loaded_version=form.cleaned_data["version"])
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        else:
            messages.success(request, "The patient's details are saved.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/edit.html", {"form": form, "patient": patient})


@role_required(*DESK)
@require_POST
def patient_archive(request, pk):
    patient = get_patient_for_user(request.user, pk)
    services.patient_archive(patient=patient)
    messages.success(request, f"{patient.full_name} is archived. Their records are kept.")
    return redirect("patients:detail", pk=patient.pk)


@role_required(*DESK)
@require_POST
def patient_unarchive(request, pk):
    patient = get_patient_for_user(request.user, pk)
    services.patient_unarchive(patient=patient)
    messages.success(request, f"{patient.full_name} is active again.")
    return redirect("patients:detail", pk=patient.pk)
