"""A small clinic with a history, built directly so that each figure can be worked out by hand.

Time is frozen at Wednesday 17 June 2026, 12:00 in London; the reports' range in most tests is
June 2026 (1-30 June, both included).
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from tests.factories import (
    AppointmentFactory,
    AppointmentTypeFactory,
    AssessmentConcernFactory,
    LotFactory,
    PatientFactory,
    PlanFactory,
    ProductFactory,
    RoomFactory,
    melasma_v,
    microneedling_type,
)
from tests.treatments.calendar.factories import LONDON, local, open_clinic, practitioner
from treatments.models import (
    FollowUp,
    FollowUpScore,
    PatientRating,
    PlanState,
    TreatmentSession,
)
from treatments.services.reports import ReportFilters

NOW = dt.datetime(2026, 6, 17, 11, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 17)
JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def june(**narrowing) -> ReportFilters:
    return ReportFilters(start=JUNE[0], end=JUNE[1], zone=LONDON, **narrowing)


def in_range(start: dt.date, end: dt.date, **narrowing) -> ReportFilters:
    return ReportFilters(start=start, end=end, zone=LONDON, **narrowing)


def small_clinic() -> SimpleNamespace:
    """Open 09:00-18:00 every day; Dr Hart works 09-17 (8 h), Dr Mehta 12-18 (6 h)."""
    product = ProductFactory(name="Rosa serum")
    return SimpleNamespace(
        settings=open_clinic(),
        hart=practitioner("Amelia", "Hart"),
        mehta=practitioner("Rohan", "Mehta", starts=dt.time(12), ends=dt.time(18)),
        room=RoomFactory(name="Treatment room A",
                         routes=["topical", "transdermal", "microneedling", "laser_assisted"]),
        treatment=microneedling_type(),
        consultation=AppointmentTypeFactory(),
        product=product,
        lot=LotFactory(product=product, lot_number="R-1", quantity_remaining=Decimal(8)),
    )


def plan(world, *, severity=3, route="microneedling", state=PlanState.IN_TREATMENT, **fields):
    """A plan of ``world.product`` whose assessment scored melasma ``severity``."""
    assessment = melasma_v()
    assessment.concerns.update(severity=severity)
    return PlanFactory(assessment=assessment, route=route, product=world.product, state=state,
                       **fields)


def add_concern(plan_, concern: str, severity: int) -> None:
    AssessmentConcernFactory(assessment=plan_.assessment, concern=concern, severity=severity)


def appointment(world, *, starts_at, status="completed", kind=None, who=None, plan_=None,
                **fields):
    return AppointmentFactory(
        patient=plan_.patient if plan_ else PatientFactory(),
        appointment_type=kind or world.treatment,
        practitioner=who or world.hart,
        room=world.room,
        starts_at=starts_at,
        status=status,
        plan=plan_,
        **fields,
    )


def session(world, plan_, *, starts_at, amount="1", lot=None, who=None) -> TreatmentSession:
    """A completed treatment session of ``plan_`` at ``starts_at``."""
    booked = appointment(world, starts_at=starts_at, plan_=plan_, who=who)
    return TreatmentSession.objects.create(
        appointment=booked,
        plan=plan_,
        patient=plan_.patient,
        clinician=(who or world.hart).user,
        status="completed",
        lot=lot or world.lot,
        amount=Decimal(amount),
        started_at=booked.starts_at,
        ended_at=booked.ends_at,
    )


def follow_up(plan_, *, on: dt.date, scores: dict, gais=3, gais_patient=None, satisfaction=None,
              clinician=None) -> FollowUp:
    review = FollowUp.objects.create(
        plan=plan_,
        clinician=clinician or plan_.author,
        reviewed_on=on,
        gais_clinician=gais,
        gais_patient=gais_patient,
        satisfaction=satisfaction,
        decision="continue",
    )
    for concern, severity in scores.items():
        FollowUpScore.objects.create(follow_up=review, concern=concern, severity=severity)
    return review


def portal_rating(plan_, *, at: dt.datetime, gais: int, satisfaction: int = 4) -> PatientRating:
    """The patient's own rating of ``plan_`` in the portal, given at ``at``."""
    rating = PatientRating.objects.create(plan=plan_, gais=gais, satisfaction=satisfaction)
    PatientRating.objects.filter(pk=rating.pk).update(submitted_at=at)
    return rating


__all__ = ["LONDON", "NOW", "TODAY", "local"]
