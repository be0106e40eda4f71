"""Editing an ongoing adverse event, resolving it, and marking a serious one reported
(docs/clinical-rules.md §Adverse events, §Serious adverse events)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.lib.adverse_events import reporting_deadline
from clinic.models import ClinicSettings
from tests.factories import UserFactory
from tests.treatments.adverse_events.factories import adverse_event
from treatments.models import AdverseEvent
from treatments.services.adverse_events import (
    adverse_event_mark_reported,
    adverse_event_resolve,
    adverse_event_update,
)

pytestmark = pytest.mark.django_db


def _today():
    return ClinicSettings.load().today()


def test_an_ongoing_event_is_edited_and_becomes_serious_from_today():
    event = adverse_event()
    assert not event.is_serious and event.serious_on is None

    updated = adverse_event_update(
        event=event,
        by=event.reported_by,
        description="Blisters spreading to the jawline.",
        serious_criteria=["disfigurement", "intervention"],
    )

    assert updated.description == "Blisters spreading to the jawline."
    assert updated.serious_criteria == ["intervention", "disfigurement"]
    assert updated.serious_on == _today()
    assert updated.reporting_deadline == reporting_deadline(_today())
    assert updated.history.count() == 2


def test_a_resolved_event_cannot_be_edited():
    event = adverse_event()
    adverse_event_resolve(
        event=event, by=event.reported_by, outcome="resolved", resolved_on=_today()
    )
    with pytest.raises(ValidationError, match="its record is closed"):
        adverse_event_update(event=event, by=event.reported_by, description="Changed.")
    event.refresh_from_db()
    assert event.description == "Two small blisters on the left cheek."


def test_resolving_records_the_date_and_outcome():
    event = adverse_event()
    resolved = adverse_event_resolve(
        event=event,
        by=event.reported_by,
        outcome="sequelae",
        resolved_on=_today(),
        action_taken="Silicone gel for the scar.",
    )
    assert (resolved.outcome, resolved.resolved_on) == ("sequelae", _today())
    assert resolved.action_taken == "Silicone gel for the scar."


@pytest.mark.parametrize(
    ("outcome", "days", "field", "message"),
    [
        ("resolved", None, "resolved_on", "Give the date it resolved."),
        ("resolved", 1, "resolved_on", "The resolution cannot be in the future."),
        ("resolved", -400, "resolved_on", "It cannot resolve before its onset."),
        ("ongoing", 0, "outcome", "Choose how it ended."),
    ],
)
def test_a_bad_resolution_is_refused_and_nothing_changes(outcome, days, field, message):
    event = adverse_event()
    day = None if days is None else _today() + dt.timedelta(days=days)
    with pytest.raises(ValidationError) as refused:
        adverse_event_resolve(event=event, by=event.reported_by, outcome=outcome, resolved_on=day)
    assert message in refused.value.message_dict[field]
    event.refresh_from_db()
    assert (event.outcome, event.resolved_on) == ("ongoing", None)


def test_only_a_dermatologist_resolves():
    event = adverse_event()
    with pytest.raises(ValidationError, match=r"Your role cannot make this change\."):
        adverse_event_resolve(
            event=event,
            by=UserFactory(role="clinic_manager"),
            outcome="resolved",
            resolved_on=_today(),
        )


def test_a_resolved_event_cannot_be_resolved_again():
    event = adverse_event()
    adverse_event_resolve(
        event=event, by=event.reported_by, outcome="resolved", resolved_on=_today()
    )
    with pytest.raises(ValidationError, match="its record is closed"):
        adverse_event_resolve(
            event=event, by=event.reported_by, outcome="sequelae", resolved_on=_today()
        )


def test_a_serious_event_is_marked_reported_once_with_its_reference():
    event = adverse_event(serious=True)
    assert list(AdverseEvent.objects.to_report()) == [event]

    adverse_event_mark_reported(
        event=event, by=event.reported_by, reference="MW5012345", reported_on=_today()
    )

    event.refresh_from_db()
    assert (event.reported_on, event.report_reference) == (_today(), "MW5012345")
    assert event.report_recorded_by == event.reported_by
    assert not AdverseEvent.objects.to_report().exists()
    with pytest.raises(ValidationError, match="was marked reported on"):
        adverse_event_mark_reported(
            event=event, by=event.reported_by, reference="AGAIN", reported_on=_today()
        )


@pytest.mark.parametrize(
    ("serious", "reference", "days", "message"),
    [
        (False, "MW1", 0, "Only a serious adverse event is reported"),
        (True, "  ", 0, "Give the reference"),
        (True, "MW1", 2, "The report date cannot be in the future."),
    ],
)
def test_a_bad_report_is_refused(serious, reference, days, message):
    event = adverse_event(serious=serious)
    with pytest.raises(ValidationError, match=message):
        adverse_event_mark_reported(
            event=event,
            by=event.reported_by,
            reference=reference,
            reported_on=_today() + dt.timedelta(days=days),
        )
    event.refresh_from_db()
    assert event.reported_on is None


def test_a_reported_event_keeps_its_criteria():
    event = adverse_event(serious=True)
    adverse_event_mark_reported(
        event=event, by=event.reported_by, reference="YC-77", reported_on=_today()
    )
    with pytest.raises(ValidationError) as refused:
        adverse_event_update(event=event, by=event.reported_by, serious_criteria=[])
    assert "serious_criteria" in refused.value.message_dict


def test_an_unknown_criterion_is_refused():
    event = adverse_event()
    with pytest.raises(ValidationError) as refused:
        adverse_event_update(event=event, by=event.reported_by, serious_criteria=["sneezing"])
    assert "serious_criteria" in refused.value.message_dict


@pytest.mark.parametrize(
    ("update", "constraint"),
    [
        ({"outcome": "bogus"}, "adverse_event_outcome_valid"),
        ({"outcome": "resolved"}, "adverse_event_resolved_on_date"),
        ({"reported_on": dt.date(2026, 12, 1)}, "adverse_event_reported_with_reference"),
        ({"report_reference": "MW1"}, "adverse_event_reported_with_reference"),
    ],
)
def test_the_database_refuses_an_inconsistent_event(update, constraint):
    event = adverse_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        AdverseEvent.objects.filter(pk=event.pk).update(**update)
    assert AdverseEvent.objects.get(pk=event.pk).outcome == "ongoing"


def test_the_outcome_constraint_is_the_state_machines():
    [constraint] = [
        c for c in AdverseEvent._meta.constraints if c.name == "adverse_event_outcome_valid"
    ]
    assert constraint == AdverseEvent.state_machine.constraint("adverse_event_outcome_valid")
