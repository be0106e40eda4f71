"""Two completions at once, on both databases.

The session row is locked for the completion, so the same session is completed once and its lot
charged once; the lot row is locked too, so two sessions that between them want more than the
lot holds cannot both take it (and the database's check constraint would refuse it anyway).
PostgreSQL locks the rows; SQLite starts every transaction with BEGIN IMMEDIATE (settings), so
the second completion waits for the first to commit and then sees it.
"""

import threading
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, transaction

from clinic.models import ClinicSettings
from tests.treatments.sessions.factories import applied_session
from treatments.models import Lot, SessionStatus, TreatmentSession
from treatments.services import sessions


def _race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes: list[object] = [None] * len(targets)

    def run(index, session):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                outcomes[index] = sessions.session_complete(
                    session=session,
                    by=session.clinician,
                    reactions=[],
                    post_care=[],
                    clinic=ClinicSettings.load(),
                    notify=False,
                )
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_same_session_completed_twice_at_once_takes_the_amount_once(committed):
    session = applied_session(amount="1")

    outcomes = _race([session, session])

    assert sum(isinstance(o, TreatmentSession) for o in outcomes) == 1
    assert sum(isinstance(o, sessions.SessionLocked) for o in outcomes) == 1
    assert Lot.objects.get(pk=session.lot_id).quantity_remaining == Decimal(7)


def test_two_sessions_cannot_both_take_the_last_of_a_lot(committed):
    first = applied_session(amount="3")
    lot = first.lot
    second = applied_session(lot=lot, amount="3", product=first.plan.product)
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=Decimal(4))

    outcomes = _race([first, second])

    completed = [o for o in outcomes if isinstance(o, TreatmentSession)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(completed) == 1 and len(refused) == 1
    assert "Only 1 vial left in lot" in " ".join(refused[0].messages)
    assert Lot.objects.get(pk=lot.pk).quantity_remaining == Decimal(1)
    assert TreatmentSession.objects.filter(status=SessionStatus.COMPLETED).count() == 1
