"""A dermatologist edits an ongoing adverse event (it turns out serious), opens its report
pack, resolves it; the manager sees the reporting deadline on their home and marks it
reported with the regulator's reference (docs/clinical-rules.md §Serious adverse events)."""

from django.urls import reverse
from playwright.sync_api import expect

from clinic.lib.adverse_events import reporting_deadline
from clinic.models import ClinicSettings, Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory
from tests.treatments.adverse_events.factories import adverse_event
from treatments.models import AdverseEvent


def test_an_adverse_event_is_edited_resolved_and_reported(page, browser, live_server):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    manager = UserFactory(role=Role.MANAGER, email="manager@example.test")
    event = adverse_event(by=derm)
    today = ClinicSettings.load().today()
    patient = event.patient

    log_in(page, derm.email)
    page.goto(reverse("patients:detail", args=[patient.pk]))
    page.get_by_role("link", name="Blistering, moderate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adverse event: Blistering")
    check_a11y(page)

    page.get_by_role("link", name="Edit the event").click()
    check_a11y(page)
    page.get_by_label("Severity").select_option("severe")
    page.get_by_label("Significant disfigurement", exact=False).check()
    page.get_by_label("Other products used").fill("Her own retinol serum.")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status").first).to_contain_text("The adverse event is updated.")
    deadline = f"{reporting_deadline(today):%A %-d %B %Y}"
    expect(page.locator("main")).to_contain_text(f"report by {deadline}")
    check_a11y(page)

    page.get_by_role("link", name="Report pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"AE-{event.pk}")
    main = page.locator("main")
    expect(main).to_contain_text(event.session.lot.lot_number)
    expect(main).to_contain_text("Her own retinol serum.")
    expect(main).not_to_contain_text(patient.last_name)
    check_a11y(page)
    page.get_by_role("link", name="The event's page").click()

    # Resolving without a date is refused at the field; then with the date.
    page.get_by_label("Resolved", exact=True).check()
    page.get_by_label("Resolved on").fill("")
    page.get_by_role("button", name="Resolve the event").click()
    expect(page.locator("main")).to_contain_text("Give the date it resolved.")
    check_a11y(page)
    page.get_by_label("Resolved on").fill(today.isoformat())
    page.get_by_role("button", name="Resolve the event").click()
    expect(page.get_by_role("status").first).to_contain_text("resolved and its record closed")
    expect(page.get_by_role("link", name="Edit the event")).to_have_count(0)
    check_a11y(page)

    # The manager files the report from their home.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    other = context.new_page()
    log_in(other, manager.email)
    expect(other.locator(f"#to-report-{event.pk}")).to_contain_text(
        f"{reporting_deadline(today):%A %-d %B}"
    )
    check_a11y(other)
    other.locator(f"#to-report-{event.pk} a").click()
    other.get_by_label("Report reference").fill("YC-2026-0042")
    other.get_by_role("button", name="Mark as reported").click()
    expect(other.locator("main")).to_contain_text("reference YC-2026-0042")
    check_a11y(other)
    other.goto("/")
    expect(other.locator(f"#to-report-{event.pk}")).to_have_count(0)
    context.close()

    event.refresh_from_db()
    assert (event.outcome, event.report_reference) == ("resolved", "YC-2026-0042")
    assert AdverseEvent.objects.to_report().count() == 0
