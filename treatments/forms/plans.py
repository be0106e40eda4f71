"""Forms of the treatments app: the plan page, plan transitions, lot withdrawal, the catalogue."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from clinic.lib.routes import Recommendation, Suitability, depth_range
from clinic.lib.vocabulary import Allergen, Area, Route
from clinic.validators import CheckedTextMixin
from treatments.models import (
    MAX_INTERVAL_DAYS,
    MAX_SESSIONS,
    Lot,
    PlanState,
    Product,
    TreatmentPlan,
)
from treatments.services.recommendation import (
    Choice,
    PlanContext,
    choice_errors,
    justification_needed,
)

PLAN_VERSION_LOST = (
    "This form lost track of the version of the plan it was opened at, so it cannot be saved "
    "safely. Open the plan again and make your changes there."
)
UNKNOWN_STATE = "Unknown plan state: it is not one a plan can move to; use one of the buttons."


def depth_field_name(area: str) -> str:
    return f"depth_{area}"


@dataclass(frozen=True, slots=True)
class Selection:
    """What the plan page currently shows as chosen, read leniently (for the live preview)."""

    route: str | None
    product: Product | None
    areas: tuple[str, ...]
    sessions: int | None
    interval_days: int | None


@dataclass(frozen=True, slots=True)
class DepthRow:
    area: str
    field: forms.BoundField
    chosen: bool


@dataclass(frozen=True, slots=True)
class RouteState:
    value: str
    label: str
    blocked: bool


JUSTIFICATION_HELP = (
    "Needed when you choose a route with cautions or one other than the top-ranked."
)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def selection_from(data, ctx: PlanContext) -> Selection:
    """The current choices from a QueryDict (or a dict of initial values), ignoring bad values.

    Only products offered to this patient are previewed; the form refuses any other with the
    reason when it is saved.
    """
    getlist = data.getlist if hasattr(data, "getlist") else lambda k: data.get(k) or []
    route = data.get("route")
    route = route if route in Route.values else None
    product_pk = str(data.get("product") or "")
    product = next((p for p in ctx.offered_products if str(p.pk) == product_pk), None)
    chosen = set(getlist("areas"))
    areas = tuple(area.value for area in Area if area.value in chosen)
    return Selection(
        route=route,
        product=product,
        areas=areas,
        sessions=_int_or_none(data.get("sessions")),
        interval_days=_int_or_none(data.get("interval_days")),
    )


def initial_for(ctx: PlanContext, rec: Recommendation) -> dict:
    """A new plan starts from the recommendation: the top route, its typical course, its areas.

    Needle depths are left for the dermatologist to give: the page shows each area's range.
    """
    top = rec.top
    initial: dict = {"areas": ctx.default_areas}
    if top is not None:
        course = top.course
        initial |= {
            "route": top.route.value,
            "sessions": course.sessions_min,
            "interval_days": course.interval_days_max,
        }
    return initial


def initial_from_plan(plan: TreatmentPlan) -> dict:
    initial = {
        "route": plan.route,
        "product": plan.product_id or "",
        "areas": list(plan.areas),
        "sessions": plan.sessions,
        "interval_days": plan.interval_days,
        "laser_settings": plan.laser_settings,
        "justification": plan.justification,
        "notes": plan.notes,
        "version": plan.version,
    }
    for area, depth in plan.depths.items():
        initial[depth_field_name(area)] = depth
    return initial


class RouteSelect(forms.RadioSelect):
    """Radio buttons for the routes; a blocked route's button is disabled (it cannot be chosen)."""

    def __init__(self, *args, blocked=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.blocked = frozenset(blocked)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.blocked:
            option["attrs"]["disabled"] = True
            option["selected"] = False
            option["attrs"].pop("checked", None)
        return option


def _route_label(route: Route, rec: Recommendation) -> str:
    advice = rec.for_route(route)
    if advice.suitability == Suitability.BLOCKED:
        return f"{route.label} (blocked)"
    return f"{route.label} ({advice.suitability.value}, ranked {advice.rank})"


def _product_label(product: Product) -> str:
    made_for = ", ".join(label.lower() for label in product.route_labels)
    form = product.get_form_display().lower()
    return f"{product.name} – {product.source_text.lower()}, {form}, for {made_for}"


class PlanForm(CheckedTextMixin, forms.Form):
    """The dermatologist's choice of route, product, areas and course, checked against the rules.

    ``rec`` is the recommendation the page shows next to the form: it labels the route buttons
    (blocked ones disabled) and says when a justification is needed.
    """

    route = forms.ChoiceField(
        label="Route",
        choices=Route.choices,
        error_messages={"required": "Choose a route.", "invalid_choice": "Choose a route."},
    )
    product = forms.CharField(label="Product", required=False)
    areas = forms.MultipleChoiceField(
        label="Treated areas",
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one treated area."},
    )
    sessions = forms.IntegerField(
        label="Number of sessions",
        min_value=1,
        max_value=MAX_SESSIONS,
        error_messages={
            "required": "Give the number of sessions.",
            "min_value": "A course has at least 1 session.",
            "max_value": f"A course has at most {MAX_SESSIONS} sessions.",
        },
    )
    interval_days = forms.IntegerField(
        label="Interval between sessions (days)",
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        error_messages={
            "required": "Give the interval between sessions, in days.",
            "min_value": "The interval between sessions must be at least 1 day.",
            "max_value": f"The interval between sessions can be at most {MAX_INTERVAL_DAYS} days.",
        },
    )
    laser_settings = forms.CharField(
        label="Laser settings and notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Device, wavelength, energy and passes for laser-assisted infusion.",
    )
    justification = forms.CharField(
        label="Justification", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="Clinical notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    state = forms.ChoiceField(
        choices=[(PlanState.DRAFT, "draft"), (PlanState.PLANNED, "planned")],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "A plan is saved as a draft or as planned."},
    )
    version = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": PLAN_VERSION_LOST},
    )

    def __init__(self, *args, ctx: PlanContext, rec: Recommendation, selection: Selection, **kw):
        super().__init__(*args, **kw)
        self.ctx = ctx
        self.rec = rec
        self.selection = selection
        blocked = {a.route.value for a in rec.advice if a.suitability == Suitability.BLOCKED}
        route = self.fields["route"]
        route.choices = [(r.value, _route_label(r, rec)) for r in Route]
        route.widget = RouteSelect(choices=route.choices, blocked=blocked)
        self.fields["product"].widget = forms.Select(
            choices=[("", "Choose later (a draft only)")]
            + [(str(p.pk), _product_label(p)) for p in ctx.offered_products]
        )
        self.fields[
            "product"
        ].help_text = (
            "Only products the clinic may use and the patient is not allergic to are listed."
        )
        for area in Area:
            limit = depth_range(area, concerns=ctx.concern_scores)
            self.fields[depth_field_name(area)] = forms.DecimalField(
                label=f"Needle depth, {area.label.lower()} (mm)",
                required=False,
                max_digits=4,
                decimal_places=2,
                help_text=f"Allowed for the {area.label.lower()}: "
                f"{limit.min_mm}–{limit.max_mm} mm.",
            )
        justification = self.fields["justification"]
        justification.help_text = JUSTIFICATION_HELP
        needed = selection.route and justification_needed(rec, selection.route)
        if needed and selection.route not in blocked:
            justification.help_text = f"Required. {needed}"

    @property
    def depth_rows(self) -> list[DepthRow]:
        """Every area's needle-depth field, and whether its area is chosen (only those show)."""
        return [
            DepthRow(area.value, self[depth_field_name(area)], area.value in self.selection.areas)
            for area in Area
        ]

    @property
    def route_states(self) -> list[RouteState]:
        """Each route's button label and whether it is blocked, as the recommendation says."""
        return [
            RouteState(
                route.value,
                _route_label(route, self.rec),
                self.rec.for_route(route).suitability == Suitability.BLOCKED,
            )
            for route in Route
        ]

    @property
    def chosen_blocked(self) -> Route | None:
        """The route the page had chosen, when the recommendation now blocks it."""
        route = self.selection.route
        if route and self.rec.for_route(route).suitability == Suitability.BLOCKED:
            return Route(route)
        return None

    def clean_product(self) -> Product | None:
        value = self.cleaned_data["product"]
        if not value:
            return None
        product = next((p for p in self.ctx.products if str(p.pk) == str(value)), None)
        if product is None:
            product = Product.objects.filter(pk=_int_or_none(value) or 0).first()
        if product is None:
            raise ValidationError("Choose a product from the list.")
        return product

    def clean(self):
        data = super().clean()
        route, areas = data.get("route"), data.get("areas")
        if (
            not route
            or not areas
            or any(depth_field_name(a) in self.errors for a in areas)
            or "product" in self.errors
        ):
            return data
        depths = {}
        for area in areas:
            value = data.get(depth_field_name(area))
            if value is not None:
                depths[area] = value
        self.choice = Choice(
            route=route,
            product=data.get("product"),
            areas=tuple(a.value for a in Area if a.value in areas),
            depths=depths,
            justification=data.get("justification", ""),
            state=data.get("state") or PlanState.DRAFT,
        )
        errors, _ = choice_errors(self.ctx, self.choice)
        for name, messages in errors.items():
            for message in messages:
                self.add_error(None if name == "__all__" else name, message)
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                for message in errors:
                    self.add_error(None if name == "__all__" else _known(self, name), message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


def _known(form, name):
    return name if name in form.fields else None


class TransitionForm(CheckedTextMixin, forms.Form):
    to = forms.ChoiceField(
        choices=PlanState.choices,
        widget=forms.HiddenInput,
        error_messages={"required": UNKNOWN_STATE, "invalid_choice": UNKNOWN_STATE},
    )
    reason = forms.CharField(
        label="Reason for cancelling",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to cancel the plan; kept with it.",
    )


class WithdrawLotForm(CheckedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawal",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the lot is withdrawn."},
        help_text="e.g. the manufacturer's recall notice. A withdrawn lot is never offered again.",
    )


class ProductAdminForm(CheckedTextMixin, forms.ModelForm):
    """The catalogue entry as the manager edits it: routes and allergens as tick boxes."""

    routes = forms.MultipleChoiceField(
        label="Made for routes",
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one route the product is made for."},
    )
    allergens = forms.MultipleChoiceField(
        choices=Allergen.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "manufacturer",
            "active",
            "source",
            "species",
            "isolation_method",
            "form",
            "routes",
            "allergens",
            "storage",
            "gmp_certified",
            "gmp_certificate",
            "notes",
        ]


class LotAdminForm(CheckedTextMixin, forms.ModelForm):
    """A lot as the manager records it; Lot.clean() checks the dates and quantities."""

    class Meta:
        model = Lot
        fields = [
            "product",
            "lot_number",
            "expiry_date",
            "received_on",
            "quantity_received",
            "quantity_remaining",
            "unit",
        ]
