"""Who may open the adverse event pages: the event's page and its changes are the
dermatologist's; the report pack (no name in it) and marking it reported also the clinic
manager's, who files reports with the regulator."""

from tests.url_expectations import DERM, DERM_AND_MANAGER, Case


def _event(request):
    from tests.treatments.adverse_events.factories import adverse_event

    return {"pk": adverse_event(serious=True).pk}


CASES = {
    "treatments:adverse_event_detail": Case(allowed=DERM, kwargs=_event),
    "treatments:adverse_event_edit": Case(allowed=DERM, kwargs=_event),
    # A resolution without a date: the page again with the message at the field.
    "treatments:adverse_event_resolve": Case(allowed=DERM, kwargs=_event, method="post"),
    "treatments:adverse_event_report": Case(allowed=DERM_AND_MANAGER, kwargs=_event),
    "treatments:adverse_event_report_json": Case(allowed=DERM_AND_MANAGER, kwargs=_event),
    # Without a reference: the report pack again with the message at the field.
    "treatments:adverse_event_mark_reported": Case(
        allowed=DERM_AND_MANAGER, kwargs=_event, method="post"
    ),
}
