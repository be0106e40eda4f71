"""Before-and-after comparisons of photos of the same view: the dermatologist picks any two of
a patient's photos; the patient sees the first and latest of each view of their own, while their
photo consent stands. Photos are fetched only through patients.access.photos_for_user."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import CLINICIANS, PATIENTS, role_required
from clinic.forms import add_service_errors
from patients.access import get_own_patient, get_patient_for_user, photos_for_user
from patients.models import ConsentKind, Photo
from patients.services.photos import alt_text
from treatments.services import comparisons


class CompareForm(forms.Form):
    before = forms.TypedChoiceField(label="Before", coerce=int)
    after = forms.TypedChoiceField(label="After", coerce=int)

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, f"{alt_text(p)} (photo {p.pk})") for p in photos]
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices


@role_required(*CLINICIANS)
@require_GET
def photo_compare(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    photos = photos_for_user(request.user).filter(patient=patient)
    listed = list(photos.order_by("view", "area", "taken_on", "pk"))
    comparison = None
    if "before" in request.GET:
        form = CompareForm(request.GET, photos=listed)
        if form.is_valid():
            try:
                comparison = comparisons.compare(
                    photos,
                    before_pk=form.cleaned_data["before"],
                    after_pk=form.cleaned_data["after"],
                )
            except Photo.DoesNotExist:
                raise Http404 from None
            except ValidationError as error:
                add_service_errors(form, error)
    else:
        suggested = comparisons.first_and_latest(photos)
        initial = {}
        if suggested:
            comparison = suggested[-1]
            initial = {"before": comparison.before.photo.pk, "after": comparison.after.photo.pk}
        form = CompareForm(initial=initial, photos=listed)
    return render(
        request,
        "treatments/comparisons/compare.html",
        {"patient": patient, "form": form, "comparison": comparison, "photos": listed},
    )


@role_required(*PATIENTS)
@require_GET
def portal_compare(request):
    patient = get_own_patient(request.user)
    photos = photos_for_user(request.user)
    return render(
        request,
        "treatments/comparisons/portal.html",
        {
            "comparisons": comparisons.first_and_latest(photos),
            "consented": patient.has_valid_consent(ConsentKind.PHOTO),
        },
    )
