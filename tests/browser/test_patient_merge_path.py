"""Duplicate records in a browser: the desk merges a plain duplicate at once; two clinical
records wait for a dermatologist, who confirms from the home page."""

import datetime as dt

from clinic.models import Role
from patients.models import Patient, PatientMerge
from tests.browser.conftest import check_a11y, log_in
from tests.factories import PatientFactory, ScreenFactory, UserFactory

BORN = dt.date(1988, 4, 12)


def _open(page, patient):
    page.goto(f"/patients/{patient.pk}/")
    check_a11y(page)


def test_desk_merges_a_duplicate_and_a_dermatologist_confirms_a_clinical_one(page):
    UserFactory(email="desk@example.test", role=Role.FRONT_DESK)
    UserFactory(email="derm@example.test", role=Role.DERMATOLOGIST)
    olivia = PatientFactory(first_name="Olivia", last_name="Bennett", date_of_birth=BORN)
    typo = PatientFactory(first_name="Olivia", last_name="Benett", date_of_birth=BORN)
    liv = PatientFactory(first_name="Liv", last_name="Bennett", date_of_birth=BORN)
    ScreenFactory(patient=olivia)
    ScreenFactory(patient=liv)

    log_in(page, "desk@example.test")
    _open(page, olivia)
    page.get_by_role("link", name="Merge a duplicate record").click()
    check_a11y(page)
    assert page.get_by_text("Liv Bennett").first.is_visible()

    # Forgetting the check is refused next to the field.
    page.get_by_label("Olivia Benett", exact=False).check()
    page.get_by_role("button", name="Merge the records").click()
    assert page.get_by_text("Confirm that you have checked both records.").is_visible()
    check_a11y(page)

    page.get_by_label("Olivia Benett", exact=False).check()
    page.get_by_label("I have checked that both records are the same person").check()
    page.get_by_role("button", name="Merge the records").click()
    page.wait_for_url(f"**/patients/{olivia.pk}/")
    assert page.get_by_text("duplicate record is merged into this one").is_visible()
    check_a11y(page)
    assert Patient.objects.get(pk=typo.pk).merged_into_id == olivia.pk

    # Liv's record holds a screen, as Olivia's does: it waits for a dermatologist.
    page.get_by_role("link", name="Merge a duplicate record").click()
    page.get_by_label("Liv Bennett", exact=False).check()
    page.get_by_label("I have checked that both records are the same person").check()
    page.get_by_role("button", name="Merge the records").click()
    assert page.get_by_text("a dermatologist confirms the merge").is_visible()
    check_a11y(page)
    assert PatientMerge.objects.get(merged=liv).status == PatientMerge.Status.PENDING

    page.get_by_role("button", name="Log out").click()
    log_in(page, "derm@example.test")
    check_a11y(page)
    page.get_by_role("link", name="Review the records to merge").click()
    check_a11y(page)
    page.get_by_label("Merge the records").check()
    page.get_by_role("button", name="Decide").click()
    assert page.get_by_text("are merged").is_visible()
    check_a11y(page)
    assert Patient.objects.get(pk=liv.pk).merged_into_id == olivia.pk
