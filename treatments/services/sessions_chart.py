"""What treatment sessions add to other pages: the chart's timeline, the adverse events panel of
the dermatologist's chart, and the sessions that used a lot on its recall page.

Providers of patients.timeline, patients.panels and treatments.services.recall, registered in
treatments/apps.py. Each runs a fixed number of queries whatever the history.
"""

from django.urls import reverse
from django.utils import timezone

from clinic.access import CLINICIANS
from clinic.models import Role
from patients import panels, timeline
from treatments.models import AdverseEvent, SessionStatus, TreatmentSession
from treatments.services import recall


def session_entries(patient, role) -> list[timeline.Entry]:
    """Sessions and adverse events on the chart's timeline; two queries whatever the history.

    The front desk sees that a session took place, and its printable aftercare, nothing clinical
    (docs/clinical-rules.md §People: the desk issues printed aftercare).
    """
    if role == Role.FRONT_DESK:
        done = (
            TreatmentSession.objects.filter(patient=patient)
            .exclude(status=SessionStatus.IN_PROGRESS)
            .only("pk", "started_at", "status")
        )
        return [
            timeline.Entry(
                when=session.started_at,
                kind="Session",
                title=f"Treatment session, {timezone.localtime(session.started_at):%-d %b %Y}",
                url=(
                    reverse("treatments:aftercare", kwargs={"pk": session.pk})
                    if session.status == SessionStatus.COMPLETED
                    else ""
                ),
                detail="Printable aftercare" if session.status == SessionStatus.COMPLETED else "",
                badges=(session.get_status_display(),),
            )
            for session in done
        ]
    if role not in CLINICIANS:
        return []
    entries = []
    for session in TreatmentSession.objects.filter(patient=patient).select_related("plan", "lot"):
        if session.status == SessionStatus.NOT_TREATED:
            detail = session.not_treated_reason
        elif session.lot is not None and session.amount is not None:
            detail = f"Lot {session.lot.lot_number}, {session.lot.amount_text(session.amount)} used"
        else:
            detail = ""
        entries.append(
            timeline.Entry(
                when=session.started_at,
                kind="Session",
                title=f"Treatment session: {session.plan.get_route_display()}",
                url=reverse("treatments:session_detail", kwargs={"pk": session.pk}),
                detail=detail,
                badges=(session.get_status_display(),),
            )
        )
    for event in AdverseEvent.objects.filter(patient=patient):
        entries.append(
            timeline.Entry(
                when=event.onset_on,
                kind="Adverse event",
                title=f"Adverse event: {event}",
                url=(
                    reverse("treatments:session_detail", kwargs={"pk": event.session_id})
                    if event.session_id
                    else ""
                ),
                detail=event.description,
                badges=(event.get_outcome_display(),),
            )
        )
    return entries


def adverse_events_panel(patient, role) -> panels.Panel | None:
    """docs/clinical-rules.md §Treatment session: adverse events are shown on the patient's
    chart."""
    if role not in CLINICIANS:
        return None
    events = list(
        AdverseEvent.objects.filter(patient=patient).select_related(
            "session__plan", "lot", "reported_by"
        )
    )
    if not events:
        return None
    return panels.Panel(
        key="adverse-events",
        title="Adverse events",
        template="treatments/sessions/_adverse_events_panel.html",
        context={"events": events, "patient": patient},
    )


def session_recall_rows(lot) -> list[recall.RecallRow]:
    """Every completed session that used the lot, with the patient's contacts (one query)."""
    used = (
        TreatmentSession.objects.filter(lot=lot, status=SessionStatus.COMPLETED)
        .select_related("patient", "clinician")
        .order_by("ended_at", "pk")
    )
    return [
        recall.RecallRow(
            session_date=session.ended_at or session.started_at,
            patient_name=session.patient.full_name,
            date_of_birth=session.patient.date_of_birth,
            mobile=session.patient.mobile.as_e164 if session.patient.mobile else "",
            email=session.patient.email,
            practitioner=str(session.clinician),
            url=reverse("treatments:session_detail", kwargs={"pk": session.pk}),
        )
        for session in used
    ]
