"""The treatments demo: products of each source, lots (one expired, one nearly empty), and a
plan in every state; running it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from treatments.models import Lot, LotStatus, PlanState, Product, TreatmentPlan

pytestmark = pytest.mark.django_db


def test_demo_has_every_source_lot_status_and_plan_state(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Product.objects.count(), Lot.objects.count(), TreatmentPlan.objects.count())
    call_command("seed_demo")
    assert (Product.objects.count(), Lot.objects.count(), TreatmentPlan.objects.count()) == counts

    assert set(Product.objects.values_list("source", flat=True)) == {
        "human",
        "plant",
        "animal",
        "synthetic",
    }
    from clinic.models import ClinicSettings

    policy = ClinicSettings.load().policy
    today = timezone.localdate()
    statuses = {lot.lot_number: lot.status(on=today, policy=policy) for lot in Lot.objects.all()}
    assert statuses["RV-2312"] == LotStatus.EXPIRED
    assert statuses["MSC-5"] == LotStatus.FORBIDDEN
    assert Lot.objects.get(lot_number="SG-118").quantity_remaining == 1
    assert set(TreatmentPlan.objects.values_list("state", flat=True)) == set(PlanState.values)
    assert not TreatmentPlan.objects.exclude(author__email="derm@demo.clinic").exists()
    cancelled = TreatmentPlan.objects.get(state=PlanState.CANCELLED)
    assert cancelled.cancel_reason


def test_demo_patients_rate_their_courses_in_the_portal(settings):
    import datetime as dt

    from clinic.models import ClinicSettings
    from treatments.models import PatientRating
    from treatments.services.reports import ReportFilters
    from treatments.services.reports.outcomes import outcomes_report

    settings.DEBUG = True
    call_command("seed_demo")
    clinic = ClinicSettings.load()
    today = clinic.today()
    ratings = PatientRating.objects.all()
    assert ratings.exists()
    assert all(r.submitted_at.date() < today for r in ratings)
    report = outcomes_report(
        ReportFilters(start=today - dt.timedelta(days=180), end=today, zone=clinic.zone)
    )
    # The outcomes report's GAIS table counts them in its own column.
    rated_courses = ratings.values("plan").distinct().count()
    assert sum(row[4] for row in report.table("gais").rows) == rated_courses
