"""How treatments views fetch records: one helper per kind, filtered by the user.

``<kind>s_for_user(user)`` is what the user's role may see of a kind; ``get_<kind>_for_user(user,
pk)`` is one of those with what its pages show, or 404: another patient's record, a kind the role
never sees and a record that does not exist all answer the same. Views are also limited to the
roles that use them (clinic.access.role_required); these helpers are the second lock, and the one
that tells one patient's records from another's.

- Plans: the desk and dermatologists see every plan (the desk books courses from them); a patient
  their own once planned (a draft is the clinician's working copy).
- Appointments: the desk and dermatologists every one; a patient their own.
- Sessions: dermatologists every record; the desk the completed ones (it prints their aftercare);
  a patient their own.
- Follow-ups are clinical: dermatologists only.
- Worklist items: the dermatologist an item is assigned to, or any dermatologist while it is
  assigned to nobody.
- Patients' requests to move or cancel: the desk and dermatologists; a patient their own.
- Products and lots: dermatologists and the clinic manager.
- Emails and texts to patients: the desk and dermatologists.
- Clinical alerts: dermatologists; a patient their own.
- Adverse events: dermatologists; the clinic manager too, who files the report pack (no name in
  it) and tracks the reporting deadline.
- Waitlist entries: the desk and dermatologists every one; a patient their own. An offer only to
  its own patient, by its link's token.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clinic.access import CLINICAL_READERS, CLINICIANS, DESK, PATIENTS, get_visible_or_404
from clinic.models import AppointmentType
from patients.access import assessments_for_user
from patients.models import Assessment
from treatments.models import (
    AdverseEvent,
    Appointment,
    CalendarFeed,
    ChangeRequest,
    ClinicalAlert,
    FollowUp,
    Lot,
    OutboundMessage,
    PlanState,
    Product,
    SessionAddendum,
    SessionStatus,
    TreatmentPlan,
    TreatmentSession,
    WaitlistEntry,
    WaitlistOffer,
    WorklistItem,
)

# --- Plans and the assessments they start from ------------------------------------------------


def plans_for_user(user) -> QuerySet[TreatmentPlan]:
    if user.has_role(*DESK):
        return TreatmentPlan.objects.all()
    if user.has_role(*PATIENTS):
        return TreatmentPlan.objects.filter(patient__user=user).exclude(state=PlanState.DRAFT)
    return TreatmentPlan.objects.none()


def get_plan_for_user(user, pk) -> TreatmentPlan:
    return get_visible_or_404(
        plans_for_user(user).select_related(
            "patient", "assessment", "product", "author", "state_changed_by", "screen"
        ),
        pk,
    )


def get_assessment_for_plan(user, pk) -> Assessment:
    """An assessment the user may see that a plan may start from: its patient is not archived."""
    return get_visible_or_404(
        assessments_for_user(user)
        .filter(patient__archived_at__isnull=True)
        .select_related("patient")
        .prefetch_related("concerns"),
        pk,
    )


# --- Appointments ----------------------------------------------------------------------------


def appointments_for_user(user) -> QuerySet[Appointment]:
    if user.has_role(*DESK):
        return Appointment.objects.all()
    if user.has_role(*PATIENTS):
        return Appointment.objects.filter(patient__user=user)
    return Appointment.objects.none()


def get_appointment_for_user(user, pk, *, review_of: TreatmentPlan | None = None) -> Appointment:
    """An appointment with its patient, type, practitioner, room, plan and author.

    ``review_of``: only a follow-up review of that plan's patient, not cancelled (the review a
    follow-up is recorded against).
    """
    appointments = appointments_for_user(user).with_calendar_details().select_related("created_by")
    if review_of is not None:
        appointments = appointments.holding().filter(
            patient_id=review_of.patient_id, appointment_type__kind=AppointmentType.Kind.FOLLOW_UP
        )
    return get_visible_or_404(appointments, pk)


# --- Sessions and their aftercare --------------------------------------------------------------


def sessions_for_user(user) -> QuerySet[TreatmentSession]:
    if user.has_role(*CLINICIANS):
        return TreatmentSession.objects.all()
    if user.has_role(*DESK):
        return TreatmentSession.objects.filter(status=SessionStatus.COMPLETED)
    if user.has_role(*PATIENTS):
        return TreatmentSession.objects.filter(patient__user=user)
    return TreatmentSession.objects.none()


def get_session_for_user(user, pk) -> TreatmentSession:
    """A session with everything its pages show, in one query (plus its addenda, adverse events
    and the assessment's concerns)."""
    return get_visible_or_404(
        sessions_for_user(user)
        .select_related(
            "patient",
            "plan__product",
            "plan__assessment",
            "appointment__appointment_type",
            "appointment__practitioner__user",
            "appointment__room",
            "clinician__staff_profile",
            "lot__product",
            "prescreen__author",
        )
        .prefetch_related(
            "plan__assessment__concerns",
            Prefetch("addenda", queryset=SessionAddendum.objects.select_related("author")),
            Prefetch("adverse_events", queryset=AdverseEvent.objects.select_related("reported_by")),
        ),
        pk,
    )


def get_aftercare_for_user(user, pk) -> TreatmentSession:
    """A completed session, for the aftercare its patient was given."""
    return get_visible_or_404(
        sessions_for_user(user)
        .filter(status=SessionStatus.COMPLETED)
        .select_related("patient", "plan", "clinician"),
        pk,
    )


# --- Follow-ups --------------------------------------------------------------------------------


def follow_ups_for_user(user) -> QuerySet[FollowUp]:
    if user.has_role(*CLINICIANS):
        return FollowUp.objects.all()
    return FollowUp.objects.none()


def get_follow_up_for_user(user, pk) -> FollowUp:
    return get_visible_or_404(
        follow_ups_for_user(user).select_related(
            "plan__patient", "plan__assessment", "clinician", "appointment__appointment_type"
        ),
        pk,
    )


# --- The dermatologists' worklist and the desk's requests ------------------------------------


def worklist_for_user(user) -> QuerySet[WorklistItem]:
    if user.has_role(*CLINICIANS):
        return WorklistItem.objects.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    return WorklistItem.objects.none()


def get_worklist_item_for_user(user, pk) -> WorklistItem:
    return get_visible_or_404(
        worklist_for_user(user).select_related("patient", "skin_report__session"), pk
    )


#: What a change request's pages show of its appointment.
CHANGE_REQUEST_DETAILS = (
    "appointment__patient",
    "appointment__appointment_type",
    "appointment__practitioner__user",
    "appointment__room",
)


def change_requests_for_user(user) -> QuerySet[ChangeRequest]:
    if user.has_role(*DESK):
        return ChangeRequest.objects.all()
    if user.has_role(*PATIENTS):
        return ChangeRequest.objects.filter(appointment__patient__user=user)
    return ChangeRequest.objects.none()


def get_change_request_for_user(user, pk) -> ChangeRequest:
    return get_visible_or_404(
        change_requests_for_user(user).select_related(*CHANGE_REQUEST_DETAILS), pk
    )


# --- The catalogue ---------------------------------------------------------------------------


def products_for_user(user) -> QuerySet[Product]:
    if user.has_role(*CLINICAL_READERS):
        return Product.objects.all()
    return Product.objects.none()


def get_product_for_user(user, pk) -> Product:
    return get_visible_or_404(products_for_user(user), pk)


def lots_for_user(user) -> QuerySet[Lot]:
    if user.has_role(*CLINICAL_READERS):
        return Lot.objects.all()
    return Lot.objects.none()


def get_lot_for_user(user, pk) -> Lot:
    return get_visible_or_404(lots_for_user(user).select_related("product", "recalled_by"), pk)


# --- Calendar feeds ------------------------------------------------------------------------------


def get_live_feed(token: str) -> CalendarFeed:
    """The feed of ``token`` while it is live (not revoked, not expired) and its owner can
    still log in; else 404.

    Nobody is signed in when a calendar app reads a feed: the secret token is the only key.
    """
    return get_object_or_404(
        CalendarFeed.objects.select_related("staff__user").filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        ),
        token=token,
        revoked_at__isnull=True,
        staff__user__is_active=True,
    )


def own_live_feed(user) -> CalendarFeed | None:
    """The signed-in practitioner's live feed, or None (no staff profile, or no live feed)."""
    return CalendarFeed.objects.filter(staff__user=user, revoked_at__isnull=True).first()


# --- Patient messages (the outbox) -------------------------------------------------------------


def messages_for_user(user) -> QuerySet[OutboundMessage]:
    """The desk and dermatologists see every email and text; nobody else any."""
    if not user.has_role(*DESK):
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.all()


def get_message_for_user(user, pk) -> OutboundMessage:
    return get_object_or_404(
        messages_for_user(user).select_related("appointment__patient"), pk=pk
    )


# --- Clinical alerts ---------------------------------------------------------------------------


def alerts_for_user(user) -> QuerySet[ClinicalAlert]:
    """Dermatologists see every alert (any of them may handle one); a patient their own."""
    if user.has_role(*CLINICIANS):
        return ClinicalAlert.objects.all()
    if user.has_role(*PATIENTS):
        return ClinicalAlert.objects.filter(patient__user=user)
    return ClinicalAlert.objects.none()


def get_alert_for_user(user, pk) -> ClinicalAlert:
    return get_object_or_404(
        alerts_for_user(user).select_related("patient", "responsible", "handled_by"), pk=pk
    )


# --- Adverse events ------------------------------------------------------------------------------


def adverse_events_for_user(user) -> QuerySet[AdverseEvent]:
    if user.has_role(*CLINICAL_READERS):
        return AdverseEvent.objects.all()
    return AdverseEvent.objects.none()


def get_adverse_event_for_user(user, pk) -> AdverseEvent:
    """An adverse event with its patient, session, plan, product and lot, in one query."""
    return get_visible_or_404(
        adverse_events_for_user(user).select_related(
            "patient",
            "reported_by",
            "report_recorded_by",
            "session__plan__product",
            "session__lot__product",
            "lot__product",
        ),
        pk,
    )


# --- The waitlist --------------------------------------------------------------------------------


def waitlist_entries_for_user(user) -> QuerySet[WaitlistEntry]:
    """The desk and dermatologists every entry; a patient their own."""
    if user.has_role(*DESK):
        return WaitlistEntry.objects.all()
    if user.has_role(*PATIENTS):
        return WaitlistEntry.objects.filter(patient__user=user)
    return WaitlistEntry.objects.none()


def get_waitlist_entry_for_user(user, pk) -> WaitlistEntry:
    return get_visible_or_404(
        waitlist_entries_for_user(user).select_related(
            "patient", "appointment_type", "practitioner__user", "plan"
        ),
        pk,
    )


def get_waitlist_offer_for_user(user, token: str) -> WaitlistOffer:
    """A patient's own offer, by its link's token; 404 for anyone else's (or none)."""
    if not user.has_role(*PATIENTS):
        raise Http404
    return get_object_or_404(
        WaitlistOffer.objects.filter(entry__patient__user=user).select_related(
            "entry__patient", "entry__appointment_type", "slot__appointment_type",
            "slot__practitioner__user", "slot__room",
        ),
        token=token,
    )
