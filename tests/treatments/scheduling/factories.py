"""A small clinic to book in: opening hours, practitioners, rooms, appointment types, and a
patient whose microneedling plan is ready for booking.

Times are Europe/London. Most tests run on Monday 15 June 2026 at 08:00, far from a clock change.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic.models import AppointmentType, ClinicSettings, OpeningHours, Role, Room, WorkingHours
from tests.factories import (
    ALL_ROUTES,
    AppointmentTypeFactory,
    ConsentFactory,
    ConsentTextFactory,
    PlanFactory,
    RoomFactory,
    StaffProfileFactory,
    UserFactory,
    microneedling_type,
    review_type,
)
from treatments.models import PlanState
from treatments.services import scheduling

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 8, 0, tzinfo=LONDON)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local wall-clock time in London."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def open_clinic(*, days=range(7), opens=dt.time(9), closes=dt.time(18)) -> ClinicSettings:
    clinic = ClinicSettings.load()
    clinic.time_zone = "Europe/London"
    clinic.save()
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            clinic=clinic,
            weekday=weekday,
            defaults={"closed": weekday not in days, "opens": opens, "closes": closes},
        )
    return clinic


def practitioner(
    *, first_name="Amelia", last_name="Hart", days=range(7), starts=dt.time(9), ends=dt.time(18)
):
    user = UserFactory(role=Role.DERMATOLOGIST, first_name=first_name, last_name=last_name)
    staff = StaffProfileFactory(user=user, title="Dr")
    for weekday in days:
        WorkingHours.objects.create(staff=staff, weekday=weekday, starts=starts, ends=ends)
    return staff


def treatment_consent(patient):
    return ConsentFactory(patient=patient, text=ConsentTextFactory(kind="treatment"))


def ready_plan(*, consent=True, state=PlanState.PLANNED, **fields):
    """A planned microneedling plan, 4 sessions 42 days apart, with treatment consent."""
    plan = PlanFactory(state=state, **fields)
    if consent:
        treatment_consent(plan.patient)
    return plan


@dataclass
class Clinic:
    clinic: ClinicSettings
    hart: object
    mehta: object
    room_a: Room
    room_b: Room
    consult: Room
    consultation: AppointmentType
    microneedling: AppointmentType
    review: AppointmentType
    plan: object
    desk: object

    @property
    def patient(self):
        return self.plan.patient

    def book(
        self,
        starts_at,
        *,
        patient=None,
        appointment_type=None,
        practitioner=None,
        room=None,
        by=None,
        **kw,
    ):
        """Book through the service, as of the day before (past times are allowed that way); by
        the desk unless ``by`` says who."""
        appointment_type = appointment_type or self.consultation
        return scheduling.appointment_book(
            patient=patient or self.patient,
            appointment_type=appointment_type,
            practitioner=practitioner or self.hart,
            room=room or (self.consult if appointment_type.kind != "treatment" else self.room_a),
            starts_at=starts_at,
            by=by or self.desk,
            clinic=self.clinic,
            now=kw.pop("now", starts_at - dt.timedelta(days=1)),
            **kw,
        )


def make_clinic(**plan_fields) -> Clinic:
    """Open every day 09:00-18:00; Dr Hart works every day, Dr Mehta only on Tuesdays."""
    clinic = open_clinic()
    return Clinic(
        clinic=clinic,
        hart=practitioner(),
        mehta=practitioner(first_name="Rohan", last_name="Mehta", days=[1]),
        room_a=RoomFactory(name="Treatment room A", kind="procedure", routes=ALL_ROUTES),
        room_b=RoomFactory(
            name="Treatment room B",
            kind="procedure",
            routes=["topical", "transdermal", "microneedling"],
        ),
        consult=RoomFactory(name="Consultation 1", kind="consultation", routes=[]),
        consultation=AppointmentTypeFactory(),
        microneedling=microneedling_type(),
        review=review_type(),
        plan=ready_plan(**plan_fields),
        desk=UserFactory(role=Role.FRONT_DESK),
    )
