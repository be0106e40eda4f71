"""Every record of a set of patients, loaded in a fixed number of queries whatever their number
(prefetches per relation), as the resource builders read them."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from patients.models import Assessment, Patient
from treatments.models import Appointment, FollowUp, TreatmentPlan, TreatmentSession


def with_records(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """``patients`` with every relation the export reads prefetched, and ``details_changed_at``:
    when the patient's own details (name, contact, address, ...) last changed, from their history
    (the record's creation is its first history row)."""
    last_change = (
        Patient.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return patients.annotate(details_changed_at=Subquery(last_change)).prefetch_related(
        "screens__author",
        Prefetch("consents", to_attr="fhir_consents", queryset=_consents()),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("author").prefetch_related("concerns"),
        ),
        "photos",
        Prefetch(
            "plans",
            queryset=TreatmentPlan.objects.select_related("product", "author").prefetch_related(
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related("clinician").prefetch_related(
                        "scores"
                    ),
                ),
                "patient_ratings",
            ),
        ),
        Prefetch(
            "appointments",
            queryset=Appointment.objects.select_related(
                "appointment_type", "practitioner__user", "room"
            ),
        ),
        Prefetch(
            "treatment_sessions",
            queryset=TreatmentSession.objects.select_related(
                "lot__product", "plan", "clinician__staff_profile"
            ),
        ),
        "adverse_events__session",
    )


def _consents():
    from patients.models import Consent

    return Consent.objects.select_related("text", "witnessed_by")


def one_patient(patient: Patient) -> Patient:
    """The patient again, with every record loaded."""
    return with_records(Patient.objects.filter(pk=patient.pk)).get()
