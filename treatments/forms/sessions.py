"""Forms of the treatment session page, the adverse event page and the addenda.

The forms parse what was typed into Python types; the clinical checks (lot usable, depth in
range, areas open on the day, the session's times on its day) are made by
treatments/services/session_checks.py, whose errors the views show at the matching field.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from clinic.lib.vocabulary import NEEDLING_ROUTES, Area, Route
from clinic.lib.zones import area_of, zones_of
from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.forms.registry import DateInput
from patients.forms.screens import ScreenForm
from treatments.forms.adverse_events import AdverseEventEditForm, serious_criteria_field
from treatments.models import AdverseEvent, Lot, TreatmentSession
from treatments.services.session_checks import (
    Application,
    ZoneApplication,
    depth_ranges,
    session_day,
    zone_field,
)
from treatments.services.sessions import POST_CARE, REACTIONS


def depth_field_name(area: str) -> str:
    return f"depth_{area}"


class _OwnIds:
    """The session page shows several forms at once: each form's ids start with its own prefix
    (two fields called "notes" must not share an id). Field names stay as they are."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PrescreenForm(_OwnIds, ScreenForm):
    """The day's "anything changed?" screen: the full screen's questions, dated the session's day,
    starting from the last screen's answers; and a justification when a caution applies."""

    caution_justification = forms.CharField(
        label="Why it is safe to go ahead despite a caution",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when today's answers raise a caution for the route; kept with "
        "the day's screen.",
    )

    id_prefix = "prescreen"

    class Meta(ScreenForm.Meta):
        fields = [name for name in ScreenForm.Meta.fields if name != "screened_on"]


class PrepForm(CheckedTextMixin, _OwnIds, forms.Form):
    id_prefix = "prep"
    skin_prepared = forms.BooleanField(
        label="Gentle cleansing done: the skin is prepared",
        error_messages={"required": "Tick to confirm the skin was cleansed."},
    )


def _lot_label(lot: Lot) -> str:
    return f"{lot.lot_number}: expires {lot.expiry_date:%-d %b %Y}, {lot.remaining_text} left"


class ApplicationForm(CheckedTextMixin, _OwnIds, forms.Form):
    """Lot, amount, areas and, per route, the device and needle depths or the laser settings."""

    id_prefix = "application"

    lot = forms.IntegerField(
        label="Lot",
        widget=forms.Select,
        error_messages={"required": "Choose the lot you used.", "invalid": "Choose a lot."},
    )
    amount = forms.DecimalField(
        label="Amount used",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "The amount must be more than 0."},
    )
    areas = forms.MultipleChoiceField(
        label="Treated areas",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    zones = forms.MultipleChoiceField(
        label="Treated zones",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose zones of the plan's areas from the chart."},
    )

    def __init__(self, *args, session: TreatmentSession, lots: list[Lot], **kwargs):
        plan = session.plan
        self.session = session
        self.route = Route(plan.route)
        kwargs.setdefault("initial", self.initial_for(session))
        super().__init__(*args, **kwargs)
        self.fields["lot"].widget.choices = [("", "Choose a lot")] + [
            (lot.pk, _lot_label(lot)) for lot in lots
        ]
        self.fields["lot"].help_text = (
            f"Usable lots of {plan.product.name}: in date, not empty, not withdrawn."
            if plan.product
            else "The plan has no product."
        )
        self.fields["areas"].choices = [(a.value, a.label) for a in Area if a.value in plan.areas]
        self.fields["areas"].help_text = "Or tick the treated zones below: a zone adds its area."
        self.fields["amount"].help_text = (
            "In the lot's unit (vials, ampoules, ml or jars); left empty, the zones' amounts "
            "added up."
        )
        self.zone_choices = zones_of(plan.areas)
        self.fields["zones"].choices = [(z.value, z.label) for z in self.zone_choices]
        for zone in self.zone_choices:
            name = zone.label.lower()
            self.fields[zone_field(zone, "amount")] = forms.DecimalField(
                label=f"Amount on the {name}",
                required=False,
                max_digits=8,
                decimal_places=2,
                min_value=Decimal("0.01"),
                error_messages={"min_value": "The amount must be more than 0."},
            )
            if self.route == Route.MICRONEEDLING:
                limit = depth_ranges(plan)[area_of(zone).value]
                self.fields[zone_field(zone, "depth")] = forms.DecimalField(
                    label=f"Needle depth on the {name} (mm)",
                    required=False,
                    max_digits=4,
                    decimal_places=2,
                    help_text=f"{limit.min_mm}\u2013{limit.max_mm} mm",
                )
            if self.route == Route.LASER_ASSISTED:
                self.fields[zone_field(zone, "laser")] = forms.CharField(
                    label=f"Laser settings on the {name}",
                    required=False,
                    max_length=200,
                    help_text="Empty: the session's settings.",
                )
        if self.route in NEEDLING_ROUTES:
            self.fields["device"] = forms.CharField(
                label="Device",
                max_length=120,
                required=False,
                help_text="e.g. the microneedling pen and cartridge, or the laser.",
            )
        if self.route == Route.MICRONEEDLING:
            for area, limit in depth_ranges(plan).items():
                name = Area(area).label.lower()
                planned = plan.depths.get(area)
                self.fields[depth_field_name(area)] = forms.DecimalField(
                    label=f"Needle depth, {name} (mm)",
                    required=False,
                    max_digits=4,
                    decimal_places=2,
                    help_text=f"Allowed for the {name}: {limit.min_mm}\u2013{limit.max_mm} mm"
                    + (f"; planned {planned} mm." if planned else "."),
                )
        if self.route == Route.LASER_ASSISTED:
            self.fields["laser_settings"] = forms.CharField(
                label="Laser settings",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Device, wavelength, energy and passes.",
            )

    @staticmethod
    def initial_for(session: TreatmentSession) -> dict:
        """What was recorded, or the plan's areas, depths and laser settings to start from."""
        plan = session.plan
        initial = {
            "lot": session.lot_id,
            "amount": session.amount,
            "areas": list(session.areas or plan.areas),
            "device": session.device,
            "laser_settings": session.laser_settings or plan.laser_settings,
        }
        depths = session.depths or plan.depths
        for area, depth in depths.items():
            initial[depth_field_name(area)] = depth
        initial["zones"] = [row["zone"] for row in session.zones]
        for row in session.zones:
            initial[zone_field(row["zone"], "amount")] = row.get("amount")
            initial[zone_field(row["zone"], "depth")] = row.get("depth")
            initial[zone_field(row["zone"], "laser")] = row.get("laser_settings")
        return initial

    def zone_rows(self):
        """For the table of zones: [(zone, checkbox, [its bound fields])], area by area."""
        boxes = {box.data["value"]: box for box in self["zones"]}
        return [
            (
                zone,
                boxes[zone.value],
                [
                    self[zone_field(zone, part)]
                    for part in ("amount", "depth", "laser")
                    if zone_field(zone, part) in self.fields
                ],
            )
            for zone in self.zone_choices
        ]

    @property
    def depth_fields(self):
        return [self[name] for name in self.fields if name.startswith("depth_")]

    def _zones(self) -> tuple[ZoneApplication, ...]:
        data = self.cleaned_data
        return tuple(
            ZoneApplication(
                zone=zone,
                amount=data.get(zone_field(zone, "amount")),
                depth=data.get(zone_field(zone, "depth")),
                laser_settings=data.get(zone_field(zone, "laser")) or "",
            )
            for zone in data.get("zones") or ()
        )

    def clean_lot(self) -> Lot | None:
        value = self.cleaned_data["lot"]
        lot = Lot.objects.select_related("product").filter(pk=value).first()
        if lot is None:
            raise forms.ValidationError("Choose a lot from the list.")
        return lot

    def application(self) -> Application:
        data = self.cleaned_data
        areas = tuple(data.get("areas") or ())
        return Application(
            lot=data.get("lot"),
            amount=data.get("amount"),
            areas=areas,
            device=data.get("device", ""),
            depths={
                area: data[depth_field_name(area)]
                for area in areas
                if data.get(depth_field_name(area)) is not None
            },
            laser_settings=data.get("laser_settings", ""),
            zones=self._zones(),
        )


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _on_day(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """``time`` on ``day`` on the clinic's clock; refused when the clocks skip it that day."""
    moment = dt.datetime.combine(day, time.replace(second=0, microsecond=0), tzinfo=zone)
    # In the hour the clocks go forward, a wall time does not exist: it comes back shifted.
    if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(
        tzinfo=None
    ):
        raise forms.ValidationError(
            f"{time:%H:%M} does not exist on {day:%-d %B}: the clocks went forward."
        )
    return moment


class CompleteForm(CheckedTextMixin, _OwnIds, forms.Form):
    """The session's times, the reactions, the care given and notes.

    The times are typed on the appointment's day, on the clinic's clock; the service checks that
    they are not in the future and that the end is not before the start.
    """

    id_prefix = "complete"
    started_at = forms.TimeField(
        label="Started at",
        widget=_time_input(),
        required=False,
        error_messages={"invalid": "Give the start as a time, e.g. 10:05."},
    )
    ended_at = forms.TimeField(
        label="Ended at",
        widget=_time_input(),
        required=False,
        error_messages={"invalid": "Give the end as a time, e.g. 10:50."},
    )
    immediate_reactions = forms.MultipleChoiceField(
        label="Immediate reactions (the expected ones)",
        choices=list(REACTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if there were none. Anything else is an adverse event: "
        "record it below.",
    )
    post_care = forms.MultipleChoiceField(
        label="Post-treatment care given",
        choices=list(POST_CARE.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label="Session notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, session: TreatmentSession, zone: ZoneInfo, **kwargs):
        self.zone = zone
        self.day = session_day(session.appointment, zone)
        started = timezone.localtime(session.started_at, zone)
        kwargs.setdefault("initial", {"started_at": started.time()})
        super().__init__(*args, **kwargs)
        day = f"{self.day:%A} {self.day.day} {self.day:%B}"
        booked_end = timezone.localtime(session.appointment.ends_at, zone)
        self.fields[
            "started_at"
        ].help_text = f"On {day}, the day of the appointment. Empty keeps {started:%H:%M}."
        self.fields["ended_at"].help_text = (
            f"Empty means now, or the appointment's end ({booked_end:%H:%M}) once that has "
            "passed. The aftercare times count from the end."
        )
        if session.appointment.ends_at <= timezone.now():
            # The appointment is over: its end is the best guess, shown for the clinician to
            # check. (Before then the end is left empty: a time filled in now would be stale by
            # the time the form is sent.)
            self.initial.setdefault("ended_at", booked_end.time())

    def clean_started_at(self) -> dt.datetime | None:
        time = self.cleaned_data["started_at"]
        return _on_day(self.day, time, self.zone) if time is not None else None

    def clean_ended_at(self) -> dt.datetime | None:
        time = self.cleaned_data["ended_at"]
        return _on_day(self.day, time, self.zone) if time is not None else None


class NotTreatedForm(CheckedTextMixin, _OwnIds, forms.Form):
    id_prefix = "not_treated"
    reason = forms.CharField(
        label="Why the session did not go ahead",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the session did not go ahead."},
        help_text="Kept with the session; the appointment is cancelled with this reason so that "
        "the session can be booked again.",
    )


class AddendumForm(CheckedTextMixin, _OwnIds, forms.Form):
    id_prefix = "addendum"
    text = forms.CharField(
        label="Correction or addition",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the correction or addition."},
        help_text="Kept with your name and the time; the session record itself does not change.",
    )


def _session_label(session: TreatmentSession) -> str:
    when = timezone.localtime(session.started_at)
    lot = f", lot {session.lot.lot_number}" if session.lot else ""
    return f"{session.plan.get_route_display()} session of {when:%-d %b %Y}{lot}"


class AdverseEventForm(CheckedTextMixin, forms.ModelForm):
    """An adverse event: what, how severe, since when, what was done, how it ended."""

    session = forms.TypedChoiceField(
        label="Session",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The session it followed, if any: its lot is recorded with the event.",
    )
    resolved_on = forms.DateField(
        label="Resolved on",
        required=False,
        widget=DateInput(),
        validators=[validate_not_before_1900],
        help_text="Only when it has already resolved.",
    )
    serious_criteria = serious_criteria_field()

    class Meta:
        model = AdverseEvent
        fields = [
            "kind",
            "severity",
            "onset_on",
            "description",
            "action_taken",
            "outcome",
            "serious_criteria",
            "other_products",
        ]
        labels = AdverseEventEditForm.Meta.labels
        widgets = AdverseEventEditForm.Meta.widgets
        error_messages = AdverseEventEditForm.Meta.error_messages

    field_order = [
        "session",
        "kind",
        "severity",
        "onset_on",
        "description",
        "action_taken",
        "outcome",
        "resolved_on",
        "serious_criteria",
        "other_products",
    ]

    def __init__(self, *args, sessions: list[TreatmentSession], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["onset_on"].validators.append(validate_not_before_1900)
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [("", "Not linked to a session")] + [
            (s.pk, _session_label(s)) for s in sessions
        ]

    def clean_session(self) -> TreatmentSession | None:
        value = self.cleaned_data["session"]
        return self.sessions.get(value) if value is not None else None
