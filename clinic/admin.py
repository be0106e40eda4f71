"""The clinic manager's workshop: staff, rooms, hours and settings, in the Django admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.contrib.auth.templatetags.auth import render_password_as_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from clinic import services
from clinic.access import CLINICIANS, STAFF
from clinic.lib.vocabulary import Route
from clinic.models import (
    AccountChange,
    AppointmentType,
    ClinicSettings,
    OpeningHours,
    Role,
    Room,
    StaffProfile,
    TimeOff,
    User,
    WorkingHours,
)
from clinic.twofactor import services as two_factor

# An authenticator secret is never shown, not even to a superuser: a lost factor is reset
# (UserAdmin's action), not copied.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

admin.site.site_header = "Exoclinic administration"
admin.site.site_title = "Exoclinic"
admin.site.index_title = "Clinic set-up"


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0


_CLINICAL_NAMES = frozenset(role.value for role in CLINICIANS)
_CLINICAL_LABELS = " or ".join(role.label.lower() for role in CLINICIANS)
ONLY_SUPERUSER_GRANTS = (
    f"Only a superuser can give the {_CLINICAL_LABELS} role: it opens every patient's chart."
)
ONLY_SUPERUSER_EMAIL = (
    f"Only a superuser can change a {_CLINICAL_LABELS}'s email address: a password reset "
    "goes there."
)
ONLY_SUPERUSER_PASSWORD = f"Only a superuser can set a {_CLINICAL_LABELS}'s password."


class PasswordWithoutResetWidget(ReadOnlyPasswordHashWidget):
    """The password summary without the "Reset password" button, for whoever may not use it."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("<div>{}</div>", render_password_as_hash(value))


class ClinicalAccountGuard:
    """What the admin's user forms refuse to anyone but a superuser (README "Roles").

    Giving a clinical role, and changing the email address of someone who holds one, each
    answer a form error that says so; nothing is saved. The admin sets ``acting_user``.
    """

    acting_user: User | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.roles_before = (
            set(instance.groups.values_list("name", flat=True)) if instance.pk else set()
        )
        self.email_before = instance.email if instance.pk else ""
        self.clinician_before = bool(self.roles_before & _CLINICAL_NAMES)
        if self.clinician_before and not self.acting_user_is_superuser:
            if "email" in self.fields:
                self.fields["email"].help_text = ONLY_SUPERUSER_EMAIL
            if "password" in self.fields:
                self.fields["password"].widget = PasswordWithoutResetWidget()
                self.fields["password"].help_text = ONLY_SUPERUSER_PASSWORD
        if "groups" in self.fields and not self.acting_user_is_superuser:
            self.fields["groups"].help_text = ONLY_SUPERUSER_GRANTS

    @property
    def acting_user_is_superuser(self) -> bool:
        return self.acting_user is not None and self.acting_user.is_superuser

    def clean_email(self):
        email = self.cleaned_data["email"]
        if (
            self.clinician_before
            and not self.acting_user_is_superuser
            and email.lower() != self.email_before.lower()
        ):
            raise ValidationError(ONLY_SUPERUSER_EMAIL, code="clinician_email")
        return email

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        granted = {group.name for group in groups} - self.roles_before
        if granted & _CLINICAL_NAMES and not self.acting_user_is_superuser:
            raise ValidationError(ONLY_SUPERUSER_GRANTS, code="clinical_role")
        return groups


class ClinicUserChangeForm(ClinicalAccountGuard, UserChangeForm):
    pass


class ClinicUserCreationForm(ClinicalAccountGuard, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = ClinicUserChangeForm
    add_form = ClinicUserCreationForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role_names", "is_active"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [StaffProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Role and access", {"fields": ["is_active", "groups", "is_staff"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [
        *fieldsets[:2],
        (
            "Role and access",
            {"fields": ["is_active", "groups", "is_staff", "is_superuser", "user_permissions"]},
        ),
        fieldsets[3],
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "groups", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor login (lost phone)")
    def reset_two_factor(self, request, queryset):
        done, refused = [], []
        for account in queryset:
            try:
                two_factor.two_factor_reset(by=request.user, account=account)
            except PermissionDenied:
                refused.append(str(account))
            else:
                done.append(str(account))
        if done:
            self.message_user(
                request,
                f"Two-factor login reset for {', '.join(done)}: they set it up again when they "
                "next log in.",
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                f"Not reset: {', '.join(refused)}. Only a superuser resets a "
                f"{_CLINICAL_LABELS}'s, and nobody resets their own.",
                messages.ERROR,
            )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        services.account_changes_record(
            by=request.user,
            account=user,
            roles_before=form.roles_before,
            roles_after=set(user.groups.values_list("name", flat=True)),
            email_before=form.email_before,
            email_after=user.email,
        )

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and user.is_clinician and not request.user.is_superuser:
            raise PermissionDenied(ONLY_SUPERUSER_PASSWORD)
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None:
            before = user.password
            user.refresh_from_db(fields=["password"])
            if user.password != before:
                services.account_password_record(
                    by=request.user, account=user, kind=AccountChange.Kind.PASSWORD_SET
                )
        return response

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        # A clinic manager manages roles, never superuser powers or raw permissions.
        return self.superuser_fieldsets if request.user.is_superuser else self.fieldsets

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        if request.user.is_superuser:
            return users
        # A clinic manager keeps staff accounts: never a superuser's, and never a patient's
        # (portal accounts come from the invitation and lead to clinical data).
        return users.filter(is_superuser=False).exclude(groups__name=Role.PATIENT.value)

    def has_change_permission(self, request, obj=None):
        protected = obj is not None and (obj.is_superuser or obj.has_role(Role.PATIENT))
        if protected and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj == request.user and not request.user.is_superuser:
            # Nobody gives themselves another role.
            readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # Managers give staff roles; patients get their accounts through the invitation.
            kwargs["queryset"] = Group.objects.exclude(name=Role.PATIENT.value)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Role")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(SimpleHistoryAdmin):
    inlines = [OpeningHoursInline]
    fieldsets = [
        (None, {"fields": ["name", "address", "phone", "email", "time_zone"]}),
        ("Reports", {"fields": ["adverse_event_threshold"]}),
        ("Booking", {"fields": ["online_booking", "screen_valid_days", "notice_hours",
                                 "waitlist_hold_minutes"]}),
        ("Messages", {"fields": ["same_day_reminder_at"]}),
        ("Privacy", {"fields": ["require_two_factor_front_desk", "feed_shows_patient_names"]}),
        (
            "Clinical policy",
            {
                "fields": list(ClinicSettings.POLICY_FIELDS),
                "description": (
                    "A dermatologist changes these, giving the reason, on their Clinical "
                    "policy page; each change is listed there."
                ),
            },
        ),
    ]
    # Read-only here for everyone, superusers too: every change needs a dermatologist's
    # sign-off and a reason (clinic_policy_change), which this form cannot give.
    readonly_fields = list(ClinicSettings.POLICY_FIELDS)

    def has_add_permission(self, request):
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class RoomForm(forms.ModelForm):
    routes = forms.MultipleChoiceField(
        label="Routes it can host",
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Treatments are given in procedure rooms; a consultation room hosts none.",
    )

    class Meta:
        model = Room
        fields = ["name", "kind", "routes", "active", "notes"]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    form = RoomForm
    list_display = ["name", "kind", "route_names", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]

    @admin.display(description="Routes")
    def route_names(self, obj):
        return ", ".join(Route(r).label for r in obj.routes) or "—"


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


#: How many of the appointments a time off covers its message names.
TIME_OFF_LISTED = 20


class TimeOffFormSet(forms.BaseInlineFormSet):
    """Saves time off even over booked appointments, then tells whoever saved it which
    appointments now need moving (``request`` is set by ``TimeOffInline.get_formset``)."""

    request = None

    def save(self, commit=True):
        saved = super().save(commit)
        if commit and self.request is not None:
            for time_off in [*self.new_objects, *(obj for obj, _ in self.changed_objects)]:
                _warn_of_appointments_under(self.request, time_off)
        return saved


def _warn_of_appointments_under(request, time_off: TimeOff) -> None:
    # The clinic's records know nothing of appointments; only this message reaches into them.
    from treatments.services.time_off import appointments_under

    covered = list(appointments_under(time_off)[: TIME_OFF_LISTED + 1])
    if not covered:
        return
    listed = "; ".join(
        f"{timezone.localtime(a.starts_at):%a %d %b %Y %H:%M}, {a.patient.full_name} "
        f"({a.appointment_type.name})"
        for a in covered[:TIME_OFF_LISTED]
    )
    if len(covered) > TIME_OFF_LISTED:
        listed += "; and more"
    start, end = timezone.localtime(time_off.starts_at), timezone.localtime(time_off.ends_at)
    count = f"{len(covered)} booked appointment" + ("" if len(covered) == 1 else "s")
    if len(covered) > TIME_OFF_LISTED:
        count = f"more than {TIME_OFF_LISTED} booked appointments"
    messages.warning(
        request,
        f"{time_off.staff.display_name}'s time off from {start:%a %d %b %Y %H:%M} to "
        f"{end:%a %d %b %Y %H:%M} covers {count}, which now "
        f"{'needs' if len(covered) == 1 else 'need'} moving: {listed}. The front desk sees "
        "them marked “Needs moving” on the calendar and on its home page.",
    )


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    formset = TimeOffFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})


@admin.register(StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "job_title", "is_practitioner"]
    list_filter = ["is_practitioner"]
    list_select_related = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    inlines = [WorkingHoursInline, TimeOffInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # A staff profile belongs to a member of staff: never to a patient's portal login.
            kwargs["queryset"] = (
                User.objects.filter(groups__name__in=[role.value for role in STAFF])
                .exclude(groups__name=Role.PATIENT.value)
                .distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "route", "duration_minutes", "buffer_minutes", "active"]
    list_filter = ["kind", "active"]
