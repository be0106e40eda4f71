"""Every path of the patients app, one concern (and one view module) at a time."""

from django.urls import path

from patients.views import (
    assessments,
    chart,
    consents,
    merges,
    photos,
    portal,
    registry,
    screens,
)

app_name = "patients"

urlpatterns = [
    # registry
    path("", registry.patient_list, name="list"),
    path("new/", registry.patient_register, name="register"),
    path("<int:pk>/edit/", registry.patient_edit, name="edit"),
    path("<int:pk>/archive/", registry.patient_archive, name="archive"),
    path("<int:pk>/unarchive/", registry.patient_unarchive, name="unarchive"),
    # merges
    path("<int:pk>/merge/", merges.patient_merge, name="merge"),
    path("merges/", merges.merge_list, name="merge_list"),
    path("merges/<int:pk>/decide/", merges.merge_decide, name="merge_decide"),
    # chart
    path("<int:pk>/", chart.patient_detail, name="detail"),
    # screens
    path("<int:pk>/screens/new/", screens.screen_new, name="screen_new"),
    path("<int:pk>/screens/<int:screen_pk>/", screens.screen_detail, name="screen_detail"),
    # consents
    path("<int:pk>/consents/<slug:kind>/sign/", consents.consent_sign, name="consent_sign"),
    path(
        "<int:pk>/consents/<int:consent_pk>/revoke/", consents.consent_revoke, name="consent_revoke"
    ),
    path("handover/", consents.handover_screen, name="handover"),
    path("portal/consents/", consents.portal_consents, name="portal_consents"),
    path(
        "portal/consents/<slug:kind>/sign/",
        consents.portal_consent_sign,
        name="portal_consent_sign",
    ),
    # assessments
    path("<int:patient_pk>/assessments/new/", assessments.assessment_new, name="assessment_new"),
    path("<int:patient_pk>/assessments/masi/", assessments.masi_preview, name="masi_preview"),
    path(
        "<int:patient_pk>/assessments/<int:pk>/",
        assessments.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "<int:patient_pk>/assessments/<int:pk>/edit/",
        assessments.assessment_edit,
        name="assessment_edit",
    ),
    # photos
    path(
        "<int:patient_pk>/assessments/<int:pk>/photos/new/",
        photos.photo_upload,
        name="photo_upload",
    ),
    path(
        "<int:patient_pk>/assessments/<int:pk>/photos/capture/",
        photos.photo_capture,
        name="photo_capture",
    ),
    path("photos/<int:pk>/", photos.photo, name="photo"),
    path("photos/<int:pk>/thumb/", photos.photo_thumb, name="photo_thumb"),
    # portal
    path("<int:pk>/portal/invite/", portal.invite, name="portal_invite"),
    path("about-exosomes/", portal.education, name="education"),
]
