"""The product catalogue: exosome products and their lots.

docs/clinical-rules.md §Exosome products.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.screening import ClinicPolicy, ProductFacts
from clinic.lib.vocabulary import Allergen, ProductForm, ProductSource, Route
from clinic.models import ClinicSettings

EXPIRES_BEFORE_RECEIPT = "A lot cannot expire before the day it was received: check both dates."
#: docs/clinical-rules.md §Approval status: every exosome product's status is "not approved".
NOT_APPROVED = "Not approved by the FDA or the MHRA: cosmetic use only"
HUMAN_DERIVED_FORBIDDEN = "Not usable: the clinic's policy forbids human-derived products"


class IsolationMethod(models.TextChoices):
    """How the exosomes were isolated (docs/clinical-rules.md §Exosome products)."""

    SIZE_EXCLUSION = "sec", "Size-exclusion chromatography"
    TANGENTIAL_FLOW = "tff", "Tangential flow filtration"


def _labels(enum, values) -> list[str]:
    return [enum(value).label for value in values]


class ProductQuerySet(models.QuerySet):
    def allowed_by(self, policy: ClinicPolicy):
        """Products the clinic's policy lets it use: human-derived only where the setting allows."""
        queryset = self.filter(active=True)
        if not policy.human_derived_allowed:
            queryset = queryset.exclude(source=ProductSource.HUMAN)
        return queryset


class Product(models.Model):
    """An exosome product in the clinic's catalogue."""

    name = models.CharField(max_length=120, unique=True)
    manufacturer = models.CharField(max_length=120)
    source = models.CharField(max_length=12, choices=ProductSource.choices)
    species = models.CharField(
        max_length=80, blank=True, help_text="For animal-derived products, e.g. salmon."
    )
    form = models.CharField(max_length=12, choices=ProductForm.choices)
    isolation_method = models.CharField(max_length=8, choices=IsolationMethod.choices)
    gmp_certified = models.BooleanField("GMP certified", default=False)
    gmp_certificate = models.CharField("GMP certificate reference", max_length=80, blank=True)
    storage = models.CharField(
        "storage conditions", max_length=160, help_text="e.g. 2–8 °C, away from light."
    )
    routes = models.JSONField(
        "made for routes", default=list, help_text="The administration routes it is made for."
    )
    allergens = models.JSONField(default=list, blank=True)
    active = models.BooleanField(
        default=True, help_text="Untick when the clinic stops stocking it: it is no longer offered."
    )
    notes = models.TextField(blank=True)
    low_stock_level = models.DecimalField(
        "low-stock level",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Warn on the homes when the usable stock is at or below this (in the lots' "
        "unit). Empty: no warning.",
    )
    regulatory_status = models.CharField(
        max_length=200,
        default=NOT_APPROVED,
        help_text="Shown on the plan and in the patient's consent (docs/clinical-rules.md "
        "§Approval status).",
    )

    history = HistoricalRecords()
    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=ProductSource.ANIMAL) | ~Q(species=""),
                name="product_animal_has_species",
                violation_error_message="Say which species an animal-derived product comes from.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.source == ProductSource.ANIMAL and not self.species.strip():
            errors["species"] = "Say which species an animal-derived product comes from."
        if not self.routes:
            errors["routes"] = "Choose at least one route the product is made for."
        elif not set(self.routes) <= set(Route.values):
            errors["routes"] = (
                "Unknown route: the routes are topical, transdermal, microneedling and "
                "laser-assisted infusion."
            )
        if not set(self.allergens or []) <= set(Allergen.values):
            errors["allergens"] = "Unknown allergen."
        if errors:
            raise ValidationError(errors)

    def facts(self) -> ProductFacts:
        """This product as the clinical rule modules read it."""
        return ProductFacts(
            name=self.name,
            source=ProductSource(self.source),
            species=self.species,
            allergens=frozenset(Allergen(a) for a in self.allergens),
            routes=frozenset(Route(r) for r in self.routes),
        )

    @property
    def route_labels(self) -> list[str]:
        return [route.label for route in Route if route.value in self.routes]

    @property
    def allergen_labels(self) -> list[str]:
        return [allergen.label for allergen in Allergen if allergen.value in self.allergens]

    @property
    def source_text(self) -> str:
        """'Animal-derived (salmon)'."""
        label = self.get_source_display()
        return f"{label} ({self.species})" if self.species else label

    def policy_problem(self, policy: ClinicPolicy) -> str:
        """Why the clinic may not use this product at all, or "" when it may."""
        if self.source == ProductSource.HUMAN and not policy.human_derived_allowed:
            return HUMAN_DERIVED_FORBIDDEN
        if not self.active:
            return "Not usable: the clinic no longer stocks it"
        return ""


class LotUnit(models.TextChoices):
    """A lot's unit: the value is the unit of one ("vial"), the label of several ("vials")."""

    VIAL = "vial", "vials"
    AMPOULE = "ampoule", "ampoules"
    ML = "ml", "ml"
    JAR = "jar", "jars"

    def of(self, quantity: Decimal) -> str:
        """'1 vial', '1.5 vials', '0 vials', '12.5 ml': a quantity in this unit, in words."""
        return f"{_quantity(quantity)} {self.value if quantity == 1 else self.label}"


class LotStatus(models.TextChoices):
    USABLE = "usable", "Usable"
    EXPIRED = "expired", "Expired"
    EMPTY = "empty", "Empty"
    RECALLED = "recalled", "Withdrawn (recall)"
    FORBIDDEN = "forbidden", "Not usable: policy forbids the product"


class LotQuerySet(models.QuerySet):
    def usable(
        self,
        clinic: "ClinicSettings | None" = None,
        *,
        on: dt.date | None = None,
        policy: ClinicPolicy | None = None,
    ):
        """Lots that may be used on ``on``: in date, not empty, not withdrawn, product allowed.

        Without ``on`` and ``policy``: today on the clinic's clock and the clinic's policy, from
        ``clinic`` (the request's ``request.clinic``) or, when not given, the clinic's settings.
        A lot is usable up to and including its expiry date ("use by");
        docs/clinical-rules.md §Lots: an expired lot cannot be used.
        """
        if on is None or policy is None:
            clinic = clinic or ClinicSettings.load()
            on = on or clinic.today()
            policy = policy or clinic.policy
        products = Product.objects.allowed_by(policy)
        return self.filter(
            expiry_date__gte=on,
            quantity_remaining__gt=0,
            recalled_at__isnull=True,
            product__in=products,
        )

    def for_product(self, product: "Product | None"):
        """The lots of ``product`` (none without one), the first to expire first."""
        return (
            self.filter(product=product)
            .select_related("product")
            .order_by("expiry_date", "lot_number")
        )


class Lot(models.Model):
    """One delivered lot (batch) of a product. Every session records the lot it used."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField(help_text="Usable up to and including this date.")
    received_on = models.DateField(default=timezone.localdate)
    quantity_received = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    quantity_remaining = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    unit = models.CharField(max_length=8, choices=LotUnit.choices, default=LotUnit.VIAL)
    recalled_at = models.DateTimeField("withdrawn at", null=True, blank=True, editable=False)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recall_reason = models.TextField("reason for withdrawal", blank=True, editable=False)

    history = HistoricalRecords()
    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["product__name", "expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot_number"], name="lot_number_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0), name="lot_received_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_remaining__gte=0)
                & Q(quantity_remaining__lte=F("quantity_received")),
                name="lot_remaining_within_received",
                violation_error_message="The quantity remaining must be between 0 and the "
                "quantity received.",
            ),
            models.CheckConstraint(
                condition=Q(recalled_at__isnull=True) | ~Q(recall_reason=""),
                name="lot_recall_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.product.name}, lot {self.lot_number}"

    def clean(self):
        errors = {}
        if (
            self.quantity_received is not None
            and self.quantity_remaining is not None
            and self.quantity_remaining > self.quantity_received
        ):
            errors["quantity_remaining"] = (
                "The quantity remaining cannot exceed the quantity received."
            )
        if (
            self.expiry_date is not None
            and self.received_on is not None
            and self.expiry_date < self.received_on
        ):
            errors["expiry_date"] = EXPIRES_BEFORE_RECEIPT
        if errors:
            raise ValidationError(errors)

    def status(self, *, on: dt.date, policy: ClinicPolicy) -> LotStatus:
        if self.recalled_at is not None:
            return LotStatus.RECALLED
        if self.expiry_date < on:
            return LotStatus.EXPIRED
        if self.quantity_remaining <= 0:
            return LotStatus.EMPTY
        if self.product.policy_problem(policy):
            return LotStatus.FORBIDDEN
        return LotStatus.USABLE

    def amount_text(self, amount: Decimal) -> str:
        """An amount of this lot with its unit: '1 vial', '1.5 vials'."""
        return LotUnit(self.unit).of(amount)

    @property
    def remaining_text(self) -> str:
        """What is left, with the unit: '7 vials', '1 vial'."""
        return self.amount_text(self.quantity_remaining)

    @property
    def quantity_text(self) -> str:
        """'3 of 20 vials', '1 of 1 vial'."""
        return f"{_quantity(self.quantity_remaining)} of {self.amount_text(self.quantity_received)}"


def _quantity(value: Decimal) -> str:
    """12.50 -> '12.5', 20.00 -> '20' (never '2E+1')."""
    return f"{value.normalize():f}"
