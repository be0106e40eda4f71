"""Products and lots: the model rules, the product list page and the catalogue in the admin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clinic.lib.screening import ClinicPolicy
from clinic.models import Role
from tests.factories import LotFactory, ProductFactory, human_product, salmon_product
from tests.helpers import assert_queries_do_not_grow
from treatments.models import Lot, LotStatus, Product

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
DEFAULT = ClinicPolicy()


def test_product_facts_are_what_the_rules_read():
    facts = salmon_product(routes=["microneedling"]).facts()
    assert (facts.source, facts.species, facts.allergens) == ("animal", "salmon", {"fish"})
    assert facts.routes == {"microneedling"}


def test_an_animal_derived_product_needs_its_species():
    product = ProductFactory.build(source="animal", species="")
    with pytest.raises(ValidationError) as refused:
        product.full_clean()
    assert "species" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(source="animal", species="")


def test_a_product_needs_a_known_route():
    with pytest.raises(ValidationError) as refused:
        ProductFactory.build(routes=["injection"]).full_clean()
    assert "routes" in refused.value.message_dict
    with pytest.raises(ValidationError):
        ProductFactory.build(routes=[]).full_clean()


def test_human_derived_is_not_usable_while_the_policy_forbids_it():
    product = human_product()
    assert product.policy_problem(DEFAULT) == (
        "Not usable: the clinic's policy forbids human-derived products"
    )
    assert product.policy_problem(ClinicPolicy(human_derived_allowed=True)) == ""
    assert list(Product.objects.allowed_by(DEFAULT)) == []


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, LotStatus.USABLE),
        ({"expiry_date": TODAY}, LotStatus.USABLE),  # usable up to and including its expiry date
        ({"expiry_date": TODAY - dt.timedelta(days=1)}, LotStatus.EXPIRED),
        ({"quantity_remaining": Decimal(0)}, LotStatus.EMPTY),
        ({"recalled_at": timezone.now(), "recall_reason": "Recall notice"}, LotStatus.RECALLED),
    ],
    ids=["usable", "expires-today", "expired", "empty", "withdrawn"],
)
def test_lot_status_and_usable_agree(fields, status):
    fields.setdefault("expiry_date", TODAY + dt.timedelta(days=30))
    lot = LotFactory(**fields)
    assert lot.status(on=TODAY, policy=DEFAULT) == status
    usable = Lot.objects.usable(on=TODAY, policy=DEFAULT)
    assert (lot in usable) == (status == LotStatus.USABLE)


def test_a_lot_of_a_forbidden_product_is_not_usable():
    lot = LotFactory(product=human_product(), expiry_date=TODAY + dt.timedelta(days=30))
    assert lot.status(on=TODAY, policy=DEFAULT) == LotStatus.FORBIDDEN
    assert not Lot.objects.usable(on=TODAY, policy=DEFAULT).exists()
    allowed = ClinicPolicy(human_derived_allowed=True)
    assert Lot.objects.usable(on=TODAY, policy=allowed).get() == lot


@pytest.mark.parametrize(
    "fields",
    [
        {"quantity_remaining": Decimal(11)},
        {"quantity_remaining": Decimal(-1)},
        {"quantity_received": Decimal(0), "quantity_remaining": Decimal(0)},
    ],
    ids=["more-than-received", "negative", "nothing-received"],
)
def test_the_database_refuses_impossible_quantities(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        LotFactory(**fields)


def test_a_lot_number_is_unique_per_product():
    lot = LotFactory(lot_number="A1")
    LotFactory(lot_number="A1")  # another product may reuse it
    with pytest.raises(IntegrityError), transaction.atomic():
        LotFactory(product=lot.product, lot_number="A1")


# --- The product list page ---------------------------------------------------------------------


def product_list(client):
    return client.get(reverse("treatments:product_list"))


def test_product_list_shows_usable_lots_only(client_for):
    product = ProductFactory(name="Rose serum")
    today = timezone.localdate()
    LotFactory(product=product, lot_number="GOOD-1", quantity_remaining=Decimal(3))
    LotFactory(product=product, lot_number="OLD-1", expiry_date=today - dt.timedelta(days=1))
    LotFactory(product=product, lot_number="EMPTY-1", quantity_remaining=Decimal(0))
    response = product_list(client_for(Role.DERMATOLOGIST))
    assert response.status_code == 200
    assert "GOOD-1" in response.text
    assert "3 of 10 vials left" in response.text
    assert "OLD-1" not in response.text
    assert "EMPTY-1" not in response.text


def test_product_list_says_a_human_derived_product_is_not_usable(client_for):
    product = human_product()
    LotFactory(product=product, lot_number="MSC-1")
    response = product_list(client_for(Role.MANAGER))
    assert "Not usable: the clinic&#x27;s policy forbids human-derived products" in response.text
    assert "MSC-1" not in response.text
    assert reverse("admin:treatments_product_changelist") in response.text


def test_product_list_queries_do_not_grow(client_for):
    client = client_for(Role.DERMATOLOGIST)

    def grow():
        for _ in range(3):
            LotFactory.create_batch(2, product=ProductFactory())

    LotFactory()
    assert_queries_do_not_grow(lambda: product_list(client), grow, limit=8)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_desk_and_patients_do_not_see_the_catalogue(client_for, role):
    assert product_list(client_for(role)).status_code == 403


# --- The catalogue in the admin ----------------------------------------------------------------


def product_form(**overrides):
    data = {
        "name": "Rose serum",
        "manufacturer": "Botanica",
        "active": "on",
        "source": "plant",
        "species": "",
        "isolation_method": "tff",
        "form": "serum",
        "routes": ["topical", "microneedling"],
        "allergens": ["fragrance"],
        "storage": "2–8 °C",
        "gmp_certified": "on",
        "gmp_certificate": "GMP-1",
        "notes": "",
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "1000",
        "lots-0-lot_number": "RS-1",
        "lots-0-expiry_date": "2030-01-31",
        "lots-0-received_on": "2026-11-01",
        "lots-0-quantity_received": "20",
        "lots-0-quantity_remaining": "20",
        "lots-0-unit": "vial",
    }
    data.update(overrides)
    return data


def test_manager_adds_a_product_with_a_lot_in_the_admin(client_for):
    client = client_for(Role.MANAGER)
    response = client.post(reverse("admin:treatments_product_add"), product_form())
    assert response.status_code == 302, response.context["adminform"].errors
    product = Product.objects.get()
    assert (product.routes, product.allergens) == (["topical", "microneedling"], ["fragrance"])
    assert product.lots.get().lot_number == "RS-1"
    assert client.get(reverse("admin:treatments_lot_changelist")).status_code == 200


def test_admin_refuses_an_animal_product_without_species_and_more_remaining_than_received(
    client_for,
):
    client = client_for(Role.MANAGER)
    response = client.post(
        reverse("admin:treatments_product_add"),
        product_form(source="animal", **{"lots-0-quantity_remaining": "25"}),
    )
    assert response.status_code == 200
    assert "Say which species an animal-derived product comes from." in response.text
    assert "The quantity remaining cannot exceed the quantity received." in response.text
    assert not Product.objects.exists()


def test_dermatologists_do_not_edit_the_catalogue(client_for):
    response = client_for(Role.DERMATOLOGIST).get(reverse("admin:treatments_product_add"))
    assert response.status_code == 302  # to the admin login: the admin is the manager's


def test_the_admin_lists_say_what_is_usable(client_for):
    client = client_for(Role.MANAGER)
    LotFactory(product=human_product(), lot_number="MSC-1")
    LotFactory(lot_number="OLD-1", expiry_date=timezone.localdate() - dt.timedelta(days=1))
    products = client.get(reverse("admin:treatments_product_changelist"))
    assert "Not usable: the clinic&#x27;s policy forbids human-derived products" in products.text
    lots = client.get(reverse("admin:treatments_lot_changelist"))
    assert "Expired" in lots.text
    assert "Not usable: policy forbids the product" in lots.text
