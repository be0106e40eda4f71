"""One patient with a record of every kind the export maps."""

from decimal import Decimal

from django.utils import timezone

from tests.factories import AssessmentConcernFactory, ScreenFactory
from tests.treatments.followups.factories import (
    photo,
    photo_consent,
    rating,
    recorded_follow_up,
)
from tests.treatments.sessions.factories import completed_session
from treatments.models import AdverseEvent


def full_record():
    """A completed microneedling session (lot, depth), and around it a screen, an assessment with
    MASI, Glogau and IGA, photo consent and a photo, a follow-up, a rating and an adverse event."""
    session = completed_session()
    patient, plan = session.patient, session.plan
    assessment = plan.assessment
    assessment.masi, assessment.glogau, assessment.iga = Decimal("7.5"), 2, 1
    assessment.save()
    AssessmentConcernFactory(assessment=assessment, concern="fine_lines", severity=1)
    ScreenFactory(patient=patient, other_allergies="Latex")
    photo_consent(patient)
    photo(patient, assessment=assessment)
    recorded_follow_up(plan, reviewed_on=timezone.localdate(), scores={"melasma": 2})
    rating(plan)
    AdverseEvent.objects.create(
        patient=patient,
        session=session,
        lot=session.lot,
        kind="blistering",
        description="Two small blisters on the left cheek",
        severity="moderate",
        onset_on=timezone.localdate(),
        reported_by=session.clinician,
    )
    return session
