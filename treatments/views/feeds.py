"""Calendar files and feeds: an appointment as .ics, and each practitioner's private feed.

A practitioner's feed URL carries a secret token and is the only key to it: calendar apps
subscribe without logging in. Making a new address revokes the old one at once; revoking leaves
none; an address may be made to stop working by itself after a while. The feed gives appointment
types and patients' record numbers, their names only where the clinic turns them on, and nothing
clinical (see treatments.presentation.ics).
"""

import datetime as dt
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from audit.decorators import audited, model_patient
from audit.models import AccessKind
from audit.services import record_access
from clinic.access import CLINICIANS, DESK, PATIENTS, own_staff_profile, role_required
from clinic.compression import compression_off
from clinic.models import StaffProfile
from treatments.access import get_appointment_for_user, get_live_feed, own_live_feed
from treatments.models import Appointment, CalendarFeed
from treatments.presentation import ics

NO_PROFILE = (
    "Calendar feeds are for practitioners with a staff profile. Ask the clinic manager to set "
    "yours up."
)


# --- Services --------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


#: How long a new feed address works: days, or None for until it is revoked.
FEED_LIFETIMES = {"90": 90, "30": 30, "365": 365, "never": None}


@transaction.atomic
def calendar_feed_create(*, staff: StaffProfile, days: int | None = None) -> CalendarFeed:
    """A new feed address for ``staff``, working for ``days`` (None: until revoked); the
    address they had stops working at once."""
    # One at a time per person: the row lock orders two clicks, so neither breaks the
    # one-live-feed constraint.
    StaffProfile.objects.select_for_update().filter(pk=staff.pk).first()
    CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    expires_at = timezone.now() + dt.timedelta(days=days) if days is not None else None
    return CalendarFeed.objects.create(staff=staff, token=new_token(), expires_at=expires_at)


@transaction.atomic
def calendar_feed_revoke(*, staff: StaffProfile) -> int:
    """Stop ``staff``'s feed address from working; returns how many were live (0 or 1)."""
    return CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- Views -----------------------------------------------------------------------------------


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*DESK, *PATIENTS)
@require_GET
@audited(AccessKind.APPOINTMENT_ICS, patient=model_patient(Appointment))
def appointment_calendar(request, pk):
    """One appointment as an .ics file: the patient's copy for them, a practitioner's for staff."""
    appointment = get_appointment_for_user(request.user, pk)
    audience = "patient" if request.user.has_role(*PATIENTS) else "staff"
    body = ics.appointment_ics(appointment, audience=audience, clinic=request.clinic)
    day = timezone.localtime(appointment.starts_at, request.clinic.zone)
    return _calendar_response(body, filename=f"appointment-{day:%Y-%m-%d-%H%M}.ics")


@login_not_required
@require_safe
def feed(request, token):
    """A practitioner's appointments from 30 days ago to a year ahead, for calendar apps.

    Public by design: the token is the key. Unknown and revoked tokens get 404.
    """
    if len(token) > 64:
        raise Http404
    live = get_live_feed(token)
    start, end = ics.feed_window()
    body = ics.feed_ics(live.staff, start=start, end=end, clinic=request.clinic)
    # The feed is read by a calendar app on the practitioner's behalf: the read is theirs.
    record_access(
        by=live.staff.user, request=request, kind=AccessKind.FEED, obj_id=live.pk, patient=None
    )
    response = _calendar_response(body)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(
        label="What to do",
        choices=[("create", "Make a new feed address"), ("revoke", "Turn the feed off")],
    )
    lifetime = forms.ChoiceField(
        label="The address works for",
        choices=[
            ("90", "90 days"),
            ("30", "30 days"),
            ("365", "A year"),
            ("never", "Until I turn it off"),
        ],
        required=False,
    )

    def clean_lifetime(self) -> int | None:
        return FEED_LIFETIMES[self.cleaned_data["lifetime"] or "90"]


def _feed_urls(request, live: CalendarFeed | None) -> dict:
    if live is None:
        return {}
    url = request.build_absolute_uri(reverse("treatments:feed", args=[live.token]))
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
@compression_off  # the feed's private address is the same in every response
def feed_settings(request):
    """The practitioner's own feed: its address, a new address, or turning it off."""
    staff = own_staff_profile(request.user)
    form = FeedActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if staff is None:
            messages.error(request, NO_PROFILE)
            return redirect("treatments:feed_settings")
        if form.cleaned_data["action"] == "create":
            calendar_feed_create(staff=staff, days=form.cleaned_data["lifetime"])
            messages.success(
                request,
                "Your new feed address is ready. Any address you had before no longer works.",
            )
        elif calendar_feed_revoke(staff=staff):
            messages.success(request, "Your feed is turned off: its address no longer works.")
        else:
            messages.info(request, "You had no feed to turn off.")
        return redirect("treatments:feed_settings")
    live = own_live_feed(request.user)
    context = {
        "staff": staff,
        "live": live,
        "lifetimes": FeedActionForm.base_fields["lifetime"].choices,
        "names_shown": request.clinic.feed_shows_patient_names,
        "no_profile": NO_PROFILE if staff is None else "",
        "form_errors": (
            [*form.errors.get("action", []), *form.errors.get("lifetime", [])]
            if request.method == "POST"
            else None
        ),
        **_feed_urls(request, live),
    }
    return render(
        request,
        "treatments/feeds/settings.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
