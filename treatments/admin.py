"""The product catalogue in the clinic admin: the clinic manager keeps products and their lots."""

from django.contrib import admin
from django.db.models import BooleanField, Value
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from clinic.lib.screening import ClinicPolicy
from treatments.forms.plans import LotAdminForm, ProductAdminForm
from treatments.models import AdverseEvent, AftercareText, Lot, Product


def _with_policy(queryset, request):
    """Carry the clinic's human-derived switch on each row, so a list costs no query per row."""
    allowed = request.clinic.human_derived_allowed
    return queryset.annotate(human_allowed=Value(allowed, output_field=BooleanField()))


def _policy(obj) -> ClinicPolicy:
    return ClinicPolicy(human_derived_allowed=obj.human_allowed)


class LotInline(admin.TabularInline):
    model = Lot
    form = LotAdminForm
    extra = 0
    fields = [
        "lot_number",
        "expiry_date",
        "received_on",
        "quantity_received",
        "quantity_remaining",
        "unit",
    ]
    show_change_link = True


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    form = ProductAdminForm
    inlines = [LotInline]
    list_display = ["name", "manufacturer", "source", "form", "gmp_certified", "active", "usable"]
    list_filter = ["source", "form", "gmp_certified", "active"]
    search_fields = ["name", "manufacturer", "species", "lots__lot_number"]
    fieldsets = [
        (None, {"fields": ["name", "manufacturer", "active"]}),
        ("Origin", {"fields": ["source", "species", "isolation_method"]}),
        ("Form and use", {"fields": ["form", "routes", "allergens", "storage"]}),
        ("Quality", {"fields": ["gmp_certified", "gmp_certificate"]}),
        ("Stock", {"fields": ["low_stock_level"]}),
        ("Approval", {"fields": ["regulatory_status"]}),
        (None, {"fields": ["notes"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # A product that was ever planned or used must stay for the record; lots protect it too.
        return False

    def get_queryset(self, request):
        return _with_policy(super().get_queryset(request), request)

    @admin.display(description="Usable")
    def usable(self, obj):
        return obj.policy_problem(_policy(obj)) or "Yes"


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    form = LotAdminForm
    list_display = [
        "lot_number",
        "product",
        "expiry_date",
        "quantity_remaining",
        "unit",
        "status_now",
    ]
    list_filter = ["product", "expiry_date"]
    list_select_related = ["product"]
    search_fields = ["lot_number", "product__name"]
    readonly_fields = ["recalled_at", "recalled_by", "recall_reason"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return _with_policy(super().get_queryset(request), request)

    @admin.display(description="Status")
    def status_now(self, obj):
        return obj.status(on=timezone.localdate(), policy=_policy(obj)).label


# --- Aftercare wording and adverse events --------------------------------------------------------


@admin.register(AftercareText)
class AftercareTextAdmin(admin.ModelAdmin):
    """The manager publishes the clinic's aftercare wording per route. A published text is never
    edited: a change is a new version, and every session keeps the text it was given."""

    list_display = ["route", "version", "published_at", "in_use"]
    list_filter = ["route"]
    fields = ["route", "text", "published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_is_current()

    @admin.display(description="In use", boolean=True)
    def in_use(self, obj):
        return obj.is_current

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def get_changeform_initial_data(self, request):
        # "?route=microneedling" starts the new version from the current one's words.
        initial = super().get_changeform_initial_data(request)
        current = AftercareText.current(initial.get("route", ""))
        if current is not None and "text" not in initial:
            initial["text"] = current.text
        return initial

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AdverseEvent)
class AdverseEventAdmin(SimpleHistoryAdmin):
    """Adverse events, read-only: dermatologists record them on the session and chart pages."""

    list_display = ["onset_on", "kind", "severity", "outcome", "patient", "lot"]
    list_filter = ["kind", "severity", "outcome"]
    list_select_related = ["patient", "lot__product"]
    search_fields = ["lot__lot_number", "patient__last_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
