"""A dermatologist records a microneedling session from today's checked-in appointment.

The path a dermatologist walks: open the checked-in appointment's session, the day's screen
(nothing changed), skin preparation, the application with a lot and a depth of 1.0 mm on the
face, the real end time of the session, complete; the lot's quantity dropped, the aftercare
shows exact times counted from that end, and a later correction appears as an addendum.
"""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clinic.lib.aftercare import aftercare_for
from clinic.models import ClinicSettings, Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import ConsentFactory, LotFactory, ProductFactory, UserFactory
from tests.treatments.sessions.factories import checked_in_appointment, planned_plan
from treatments.models import Lot, SessionStatus, TreatmentSession


def test_dermatologist_records_a_session_and_corrects_it_with_an_addendum(page):
    derm = UserFactory(
        role=Role.DERMATOLOGIST, email="amelia@example.test", first_name="Amelia", last_name="Hart"
    )
    product = ProductFactory(name="Rose serum")
    plan = planned_plan(product=product)
    ConsentFactory(patient=plan.patient)
    lot = LotFactory(product=product, lot_number="RV-2401", quantity_remaining=Decimal(8))
    # Booked half an hour ago, on the minute; the session really ended 20 minutes in.
    starts = (timezone.now() - dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    appointment = checked_in_appointment(plan=plan, starts_at=starts)
    ended = timezone.localtime(starts + dt.timedelta(minutes=20), ClinicSettings.load().zone)

    log_in(page, derm.email)
    # Today's checked-in appointment: the course page offers to record the session.
    page.goto(reverse("treatments:course", args=[plan.pk]))
    check_a11y(page)
    page.get_by_role("button", name="Record session 1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment session: Microneedling")
    expect(page.locator("main")).to_contain_text("0.5–1.5 mm")
    check_a11y(page)

    # 1. Anything changed? Nothing: the answers start from the last screen.
    page.get_by_role("button", name="Record the day's screen").click()
    expect(page.get_by_role("status").first).to_contain_text("The day's screen is recorded.")
    expect(page.locator("main")).to_contain_text("Nothing blocks microneedling today.")
    check_a11y(page)

    # 2. Skin preparation.
    page.get_by_label("Gentle cleansing done: the skin is prepared").check()
    page.get_by_role("button", name="Confirm the preparation").click()
    expect(page.get_by_role("status").first).to_contain_text("Skin preparation recorded.")
    check_a11y(page)

    # 3. The application: a depth outside the face's range is refused, then 1.0 mm.
    page.get_by_role("combobox", name="Lot").select_option(value=str(lot.pk))
    page.get_by_label("Amount used").fill("1.5")
    page.get_by_label("Device").fill("Dermapen 4, 16-needle cartridge")
    page.get_by_label("Needle depth, face (mm)").fill("1.8")
    page.get_by_role("button", name="Record the application").click()
    expect(page.locator("main")).to_contain_text(
        "1.8 mm is outside the range allowed for the face (0.5–1.5 mm)."
    )
    check_a11y(page)
    page.get_by_label("Needle depth, face (mm)").fill("1.0")
    page.get_by_role("button", name="Record the application").click()
    expect(page.get_by_role("status").first).to_contain_text("The application is recorded.")
    check_a11y(page)

    # 4. The session's times, reactions, care given, completion. The start is the appointment's;
    # the end is typed, and the aftercare counts from it.
    expect(page.get_by_label("Started at")).to_have_value(f"{timezone.localtime(starts):%H:%M}")
    page.get_by_label("Ended at").fill(f"{ended:%H:%M}")
    page.get_by_label("Mild redness").check()
    page.get_by_label("Sun protection applied (broad-spectrum SPF 30+)").check()
    page.get_by_label("Calming product applied").check()
    page.get_by_role("button", name="Complete the session").click()
    expect(page.get_by_role("status").first).to_contain_text("The session is completed and locked.")
    care = aftercare_for(plan.route, ended_at=ended)
    no_makeup_text = next(i.text for i in care.instructions if i.key == "no_makeup")
    expect(page.locator("#aftercare")).to_contain_text(no_makeup_text)
    expect(page.locator("#aftercare")).to_contain_text(f"{ended:%H:%M}")
    check_a11y(page)

    assert Lot.objects.get(pk=lot.pk).quantity_remaining == Decimal("6.5")
    session = TreatmentSession.objects.get(appointment=appointment)
    assert session.status == SessionStatus.COMPLETED
    assert session.started_at == starts
    assert session.ended_at == ended

    # The printable aftercare, with the exact times kept with the session.
    page.get_by_role("link", name="Printable aftercare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Aftercare for {plan.patient.full_name}"
    )
    no_makeup = next(i for i in session.aftercare["instructions"] if i["key"] == "no_makeup")
    expect(page.locator("main")).to_contain_text(no_makeup["text"])
    check_a11y(page)

    # A later correction is an addendum; the record stays as it was.
    page.goto(reverse("treatments:session_detail", args=[session.pk]))
    page.get_by_label("Correction or addition").fill("The forehead was treated at 0.75 mm.")
    page.get_by_role("button", name="Add the addendum").click()
    expect(page.locator("#addenda")).to_contain_text("The forehead was treated at 0.75 mm.")
    expect(page.locator("#addenda")).to_contain_text("Amelia Hart")
    check_a11y(page)
    assert TreatmentSession.objects.get(pk=session.pk).depths == {"face": "1.0"}
