"""The catalogue in the admin refuses what cannot be true: a lot that expires before it arrived,
a product name with a line break or nothing visible."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.models import Role
from clinic.validators import INVISIBLE_ONLY, ONE_LINE
from tests.factories import LotFactory, ProductFactory
from tests.treatments.catalogue.test_products import product_form
from treatments.models import Lot, Product
from treatments.models.catalogue import EXPIRES_BEFORE_RECEIPT

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client_for):
    return client_for(Role.MANAGER)


def lot_form(product, **overrides):
    return {
        "product": product.pk,
        "lot_number": "RS-9",
        "expiry_date": "2027-01-31",
        "received_on": "2026-11-01",
        "quantity_received": "10",
        "quantity_remaining": "10",
        "unit": "vial",
        **overrides,
    }


def test_a_lot_expiring_before_it_was_received_is_invalid():
    lot = LotFactory.build(
        product=ProductFactory(), received_on=dt.date(2026, 11, 1), expiry_date=dt.date(2026, 10, 1)
    )
    with pytest.raises(ValidationError) as refused:
        lot.full_clean()
    assert refused.value.message_dict["expiry_date"] == [EXPIRES_BEFORE_RECEIPT]


def test_a_lot_expiring_the_day_it_arrives_is_valid():
    lot = LotFactory.build(
        product=ProductFactory(), received_on=dt.date(2026, 11, 1), expiry_date=dt.date(2026, 11, 1)
    )
    lot.full_clean()


def test_the_lot_admin_refuses_an_expiry_before_receipt(manager_client):
    product = ProductFactory()
    response = manager_client.post(
        reverse("admin:treatments_lot_add"), lot_form(product, expiry_date="2026-10-31")
    )
    assert response.status_code == 200
    assert EXPIRES_BEFORE_RECEIPT in response.text
    assert not Lot.objects.exists()


def test_the_lot_admin_saves_a_good_lot(manager_client):
    product = ProductFactory()
    response = manager_client.post(reverse("admin:treatments_lot_add"), lot_form(product))
    assert response.status_code == 302
    assert Lot.objects.get().lot_number == "RS-9"


def test_the_product_page_refuses_a_lot_expiring_before_receipt(manager_client):
    response = manager_client.post(
        reverse("admin:treatments_product_add"),
        product_form(**{"lots-0-expiry_date": "2026-01-01", "lots-0-received_on": "2026-11-01"}),
    )
    assert response.status_code == 200
    assert EXPIRES_BEFORE_RECEIPT in response.text
    assert not Product.objects.exists()
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Rose\r\nserum", ONE_LINE),
        ("name", "\u200b\ufeff", INVISIBLE_ONLY),
        ("manufacturer", "Bota\nnica", ONE_LINE),
        ("gmp_certificate", "GMP\n1", ONE_LINE),
    ],
)
def test_the_product_admin_refuses_bad_one_line_text(manager_client, field, value, message):
    response = manager_client.post(
        reverse("admin:treatments_product_add"), product_form(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Product.objects.exists()


def test_the_lot_admin_refuses_a_lot_number_with_a_line_break(manager_client):
    product = ProductFactory()
    response = manager_client.post(
        reverse("admin:treatments_lot_add"), lot_form(product, lot_number="RS-9\r\nX")
    )
    assert response.status_code == 200
    assert ONE_LINE in response.text
    assert not Lot.objects.exists()
