"""Every status column of the treatments app is checked by the database too: a value outside its
choices is refused with an IntegrityError, whatever code writes it (SQLite and PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.treatments.sessions.factories import completed_session
from treatments.models import (
    Appointment,
    MessageKind,
    OutboundMessage,
    TreatmentPlan,
    TreatmentSession,
)

pytestmark = pytest.mark.django_db

#: (model, field, the constraint's name)
STATUS_COLUMNS = [
    (Appointment, "status", "appointment_status_valid"),
    (TreatmentSession, "status", "session_status_valid"),
    (OutboundMessage, "status", "message_status_valid"),
    (TreatmentPlan, "state", "plan_state_known"),
]


@pytest.fixture
def records():
    session = completed_session()
    message = OutboundMessage.objects.create(
        appointment=session.appointment,
        kind=MessageKind.AFTERCARE,
        schedule_version=session.appointment.schedule_version,
        send_after=timezone.now(),
    )
    return {
        Appointment: session.appointment,
        TreatmentSession: session,
        OutboundMessage: message,
        TreatmentPlan: session.plan,
    }


@pytest.mark.parametrize(
    ("model", "field", "name"), STATUS_COLUMNS, ids=[m.__name__ for m, _, _ in STATUS_COLUMNS]
)
def test_an_unknown_status_is_refused_by_the_database(records, model, field, name):
    record = records[model]
    before = getattr(record, field)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        model.objects.filter(pk=record.pk).update(**{field: "bogus"})
    assert name in str(refused.value) or "CHECK" in str(refused.value).upper()
    assert model.objects.values_list(field, flat=True).get(pk=record.pk) == before


@pytest.mark.parametrize(
    ("model", "field", "name"), STATUS_COLUMNS, ids=[m.__name__ for m, _, _ in STATUS_COLUMNS]
)
def test_the_constraint_is_the_state_machines(model, field, name):
    [constraint] = [c for c in model._meta.constraints if c.name == name]
    assert constraint == model.state_machine.constraint(name)
    assert model.state_machine.field == field
