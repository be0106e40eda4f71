"""Products, lots and plans."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.records import melasma_v
from treatments.models import Lot, PlanState, Product, TreatmentPlan


class ProductFactory(factory.django.DjangoModelFactory):
    """A plant-derived serum made for every route, with no allergens."""

    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Test serum {n}")
    manufacturer = "Test Labs"
    source = "plant"
    form = "serum"
    isolation_method = "tff"
    gmp_certified = True
    storage = "2–8 °C"
    routes = factory.LazyFunction(
        lambda: ["topical", "transdermal", "microneedling", "laser_assisted"]
    )
    allergens = factory.LazyFunction(list)


def salmon_product(**kwargs) -> Product:
    return ProductFactory(
        name=kwargs.pop("name", "SalmoGen E-50"),
        source="animal",
        species="salmon",
        form="lyophilised",
        allergens=["fish"],
        **kwargs,
    )


def human_product(**kwargs) -> Product:
    return ProductFactory(name=kwargs.pop("name", "MSC-Exo"), source="human", **kwargs)


class LotFactory(factory.django.DjangoModelFactory):
    """A usable lot: a year to expiry, ten vials of which eight are left."""

    class Meta:
        model = Lot

    product = factory.SubFactory(ProductFactory)
    lot_number = factory.Sequence(lambda n: f"L{n:04d}")
    expiry_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    quantity_received = Decimal(10)
    quantity_remaining = Decimal(8)
    unit = "vial"


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft microneedling plan for the face (made directly, bypassing the rule checks)."""

    class Meta:
        model = TreatmentPlan

    assessment = factory.LazyFunction(melasma_v)
    patient = factory.LazyAttribute(lambda o: o.assessment.patient)
    author = factory.LazyAttribute(lambda o: o.assessment.author)
    route = "microneedling"
    product = factory.SubFactory(ProductFactory)
    areas = factory.LazyFunction(lambda: ["face"])
    depths = factory.LazyFunction(lambda: {"face": "1.0"})
    sessions = 4
    interval_days = 42
    state = PlanState.DRAFT
