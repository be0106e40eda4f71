"""The manager reads the clinic on the demo data: this week's figures on the home, then every
report (chart, text alternative, tables), a narrowed one, and the flagged lot's recall page,
with the accessibility check on each page. A dermatologist sees the low-stock warning."""

import pytest
from django.core.management import call_command

from clinic.demo import DEMO_PASSWORD
from tests.browser.conftest import check_a11y, expect_console_error, log_in

REPORTS = ["Outcomes", "Courses", "Utilisation", "Attendance", "Adverse events", "Stock"]


@pytest.fixture
def demo_clinic(page, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


def test_the_manager_walks_every_report(page, demo_clinic):
    log_in(page, "manager@demo.clinic", DEMO_PASSWORD)
    home = page.get_by_role("region", name="This week")
    assert "Sessions completed" in home.inner_text()
    assert "SalmoGen E-50" in page.get_by_role("region", name="Stock running low").inner_text()
    check_a11y(page)

    page.get_by_role("link", name="Reports").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reports"
    check_a11y(page)
    for title in REPORTS:
        page.goto("/treatments/reports/")
        page.get_by_role("link", name=title, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert page.get_by_role("img").first.is_visible()
        assert page.locator("figcaption").inner_text()
        assert page.locator("table tbody tr").count() > 0
        check_a11y(page)

    page.goto("/treatments/reports/outcomes/")
    gais = page.get_by_role("table").filter(has_text="Patient in the portal (n)")
    assert gais.locator("tbody tr").count() > 0
    page.get_by_label("Route", exact=True).select_option(label="Topical")
    page.get_by_role("button", name="Show").click()
    assert "route=topical" in page.url
    check_a11y(page)

    page.goto("/treatments/reports/adverse-events/")
    assert "RV-2409" in page.locator("tr.table-warning").first.inner_text() or "RV-2401" in (
        page.locator("tr.table-warning").first.inner_text()
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").first.click()
    assert download.value.suggested_filename.startswith("adverse-events-products-")

    page.goto("/treatments/lots/")
    page.get_by_role("link", name="RV-2409").first.click()
    assert page.get_by_role("alert").filter(has_text="above the clinic's threshold").is_visible()
    check_a11y(page)

    expect_console_error(page, "400 (Bad Request)")
    page.goto("/treatments/reports/attendance/?start=2026-12-01&end=2026-11-01")
    assert "The range ends before it starts" in page.content()
    check_a11y(page)


def test_a_dermatologist_is_warned_of_low_stock(page, demo_clinic):
    log_in(page, "derm@demo.clinic", DEMO_PASSWORD)
    assert "SalmoGen E-50" in page.get_by_role("region", name="Stock running low").inner_text()
    check_a11y(page)
