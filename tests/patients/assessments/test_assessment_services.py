"""assessment_create / assessment_update: the rules hold whatever calls them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clinic.concurrency import StaleEdit
from clinic.lib.vocabulary import Area, Concern
from clinic.models import Role
from patients.models import Assessment, AssessmentConcern
from patients.services.assessments import (
    ConcernScore,
    assessment_create,
    assessment_update,
    masi_total,
)
from tests.factories import (
    AssessmentConcernFactory,
    AssessmentFactory,
    PatientFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REGIONS = {
    "forehead": {"area": 2, "darkness": 2, "homogeneity": 2},
    "right_malar": {"area": 0, "darkness": 0, "homogeneity": 0},
    "left_malar": {"area": 0, "darkness": 0, "homogeneity": 0},
    "chin": {"area": 0, "darkness": 0, "homogeneity": 0},
}


def melasma(severity=3, areas=(Area.FACE,)):
    return ConcernScore(concern=Concern.MELASMA, severity=severity, areas=areas)


def create(**overrides):
    kwargs = {
        "patient": PatientFactory(),
        "author": UserFactory(role=Role.DERMATOLOGIST),
        "fitzpatrick": 5,
        "skin_type": "oily",
        "concerns": [melasma()],
        **overrides,
    }
    return assessment_create(**kwargs)


def test_masi_is_computed_from_the_regions():
    assert create(masi_regions=REGIONS).masi == Decimal("2.4")


def test_masi_of_incomplete_regions_is_refused():
    with pytest.raises(ValidationError):
        create(masi_regions={"forehead": REGIONS["forehead"]})
    assert not Assessment.objects.exists()


def test_no_regions_means_no_masi():
    assert masi_total({}) is None
    assert create().masi is None


def test_severity_outside_0_to_4_is_refused():
    with pytest.raises(ValidationError, match="Severity is 0"):
        create(concerns=[melasma(severity=7)])
    assert not Assessment.objects.exists()


def test_a_concern_needs_an_area():
    with pytest.raises(ValidationError, match="Choose at least one area for Melasma"):
        create(concerns=[melasma(areas=())])


def test_severity_zero_is_not_stored():
    create(concerns=[melasma(), ConcernScore(concern=Concern.ACNE, severity=0, areas=())])
    assert list(AssessmentConcern.objects.values_list("concern", flat=True)) == ["melasma"]


def test_fitzpatrick_outside_i_to_vi_is_refused():
    with pytest.raises(ValidationError):
        create(fitzpatrick=7)


def test_update_keeps_unchanged_concern_rows_and_removes_dropped_ones():
    assessment = AssessmentFactory()
    kept = AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3)
    AssessmentConcernFactory(assessment=assessment, concern="acne", severity=1)
    assessment_update(
        assessment=assessment,
        loaded_version=1,
        fitzpatrick=4,
        skin_type="dry",
        concerns=[melasma(), ConcernScore(concern=Concern.ECZEMA, severity=2, areas=(Area.HANDS,))],
        assessed_on=assessment.assessed_on,
    )
    rows = {row.concern: row for row in AssessmentConcern.objects.all()}
    assert set(rows) == {"melasma", "eczema"}
    assert rows["melasma"].pk == kept.pk
    assert rows["melasma"].history.count() == 1  # not rewritten
    assert assessment.version == 2


def test_update_from_a_stale_version_is_refused_and_changes_nothing():
    assessment = AssessmentFactory(fitzpatrick=3)
    Assessment.objects.filter(pk=assessment.pk).update(version=2)
    with pytest.raises(StaleEdit):
        assessment_update(
            assessment=assessment,
            loaded_version=1,
            fitzpatrick=6,
            skin_type="dry",
            concerns=[melasma()],
            assessed_on=assessment.assessed_on,
        )
    assessment.refresh_from_db()
    assert assessment.fitzpatrick == 3
    assert not AssessmentConcern.objects.exists()
