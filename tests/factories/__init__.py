"""The test factories, one set for the whole suite: each model's factory once, with traits for
its usual variants. Each test folder's ``factories.py`` builds its scenarios from these."""

from tests.factories.catalogue import (
    LotFactory,
    PlanFactory,
    ProductFactory,
    human_product,
    salmon_product,
)
from tests.factories.clinic import (
    ALL_ROUTES,
    AppointmentTypeFactory,
    RoomFactory,
    consultation_type,
    laser_type,
    microneedling_type,
    review_type,
    topical_type,
    treatment_type,
)
from tests.factories.people import PatientFactory, StaffProfileFactory, UserFactory
from tests.factories.records import (
    AssessmentConcernFactory,
    AssessmentFactory,
    ConsentFactory,
    ConsentTextFactory,
    ScreenFactory,
    melasma_v,
)
from tests.factories.scheduling import AppointmentFactory, CalendarFeedFactory

__all__ = [
    "ALL_ROUTES",
    "AppointmentFactory",
    "AppointmentTypeFactory",
    "AssessmentConcernFactory",
    "AssessmentFactory",
    "CalendarFeedFactory",
    "ConsentFactory",
    "ConsentTextFactory",
    "LotFactory",
    "PatientFactory",
    "PlanFactory",
    "ProductFactory",
    "RoomFactory",
    "ScreenFactory",
    "StaffProfileFactory",
    "UserFactory",
    "consultation_type",
    "human_product",
    "laser_type",
    "melasma_v",
    "microneedling_type",
    "review_type",
    "salmon_product",
    "topical_type",
    "treatment_type",
]
