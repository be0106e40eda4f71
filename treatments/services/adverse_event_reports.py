"""The report pack of an adverse event: what FDA MedWatch form 3500 and the MHRA Yellow Card ask
(docs/clinical-rules.md §Serious adverse events, "What a report needs").

The patient is described by age at onset and sex only, never by name, date of birth or contact:
the pack goes outside the clinic. Other products used are what the dermatologist recorded, and
every other lot the patient received in the 90 days before the onset.
"""

import datetime as dt

from django.utils import timezone

from clinic.lib.adverse_events import REPORTING_BUSINESS_DAYS
from clinic.models import ClinicSettings
from treatments.models import AdverseEvent, TreatmentSession

#: How far back other sessions' products count as "other products used".
OTHER_PRODUCTS_DAYS = 90

FORMS = ("FDA MedWatch 3500", "MHRA Yellow Card")


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _product(session: TreatmentSession | None, event: AdverseEvent, zone) -> dict:
    lot = event.lot or (session.lot if session else None)
    product = lot.product if lot else (session.plan.product if session else None)
    facts = {
        "name": product.name if product else None,
        "manufacturer": product.manufacturer if product else None,
        "regulatory_status": product.regulatory_status if product else None,
        "source": product.source_text if product else None,
        "form": product.get_form_display() if product else None,
        "lot_number": lot.lot_number if lot else None,
        "expiry_date": _date(lot.expiry_date) if lot else None,
        "route": session.plan.get_route_display() if session else None,
        "treatment_date": (
            _date(timezone.localdate(session.started_at, zone)) if session else None
        ),
        "amount": None,
        "areas": [],
        "device": None,
    }
    if session is not None:
        if session.amount is not None and lot is not None:
            facts["amount"] = lot.amount_text(session.amount)
        facts["areas"] = session.plan.area_labels
        facts["device"] = session.device or None
    return facts


def _other_lots(event: AdverseEvent, zone) -> list[dict]:
    since = event.onset_on - dt.timedelta(days=OTHER_PRODUCTS_DAYS)
    sessions = (
        TreatmentSession.objects.filter(patient_id=event.patient_id, lot__isnull=False)
        .exclude(pk=event.session_id)
        .select_related("lot__product", "plan")
        .order_by("started_at")
    )
    rows = []
    for session in sessions:
        day = timezone.localdate(session.started_at, zone)
        if since <= day <= event.onset_on:
            rows.append(
                {
                    "product": session.lot.product.name,
                    "manufacturer": session.lot.product.manufacturer,
                    "lot_number": session.lot.lot_number,
                    "route": session.plan.get_route_display(),
                    "treatment_date": _date(day),
                }
            )
    return rows


def adverse_event_report(event: AdverseEvent) -> dict:
    """The facts a regulator's form asks for, as plain values (the JSON and the printable page
    are both made from this)."""
    clinic = ClinicSettings.load()
    zone = clinic.zone
    session = event.session
    return {
        "forms": list(FORMS),
        "reference": f"AE-{event.pk}",
        "reporter": {
            "clinic": clinic.name,
            "recorded_by": str(event.reported_by),
            "recorded_on": _date(timezone.localdate(event.created_at, zone)),
        },
        "patient": {
            "age_at_onset": event.patient.age_on(event.onset_on),
            "sex": event.patient.get_sex_display(),
        },
        "event": {
            "kind": event.get_kind_display(),
            "description": event.description,
            "severity": event.get_severity_display(),
            "serious": event.is_serious,
            "serious_criteria": event.serious_criteria_labels,
            "onset_date": _date(event.onset_on),
            "treatment_given": event.action_taken or None,
            "outcome": event.get_outcome_display(),
            "resolved_date": _date(event.resolved_on),
        },
        "product": _product(session, event, zone),
        "other_products": {
            "recorded": event.other_products or None,
            "other_lots_received": _other_lots(event, zone),
        },
        "reporting": {
            "business_days": REPORTING_BUSINESS_DAYS,
            "known_serious_on": _date(event.serious_on),
            "deadline": _date(event.reporting_deadline),
            "reported_on": _date(event.reported_on),
            "report_reference": event.report_reference or None,
        },
    }
