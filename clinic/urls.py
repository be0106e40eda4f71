from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import views
from clinic.forms import LoginForm, ThrottledPasswordResetForm
from clinic.twofactor import views as two_factor
from treatments.views import online_booking
from treatments.views.portal import PortalActivateView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("history/<slug:kind>/<int:pk>/", views.record_history, name="record_history"),
    path("clinic/account-changes/", views.account_changes, name="account_changes"),
    path("clinic/policy/", views.clinical_policy, name="clinical_policy"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("accounts/session/", views.session_status, name="session_status"),
    path(
        "accounts/password/change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,
            subject_template_name="emails/password_reset-subject.txt",
            email_template_name="emails/password_reset-body.txt",
            html_email_template_name="emails/password_reset-body.html",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("welcome/<uidb64>/<token>/", PortalActivateView.as_view(), name="portal_activate"),
    # Booking a first consultation online: public, at the site's root like the portal's welcome.
    path("book/", online_booking.book, name="book"),
    path("book/confirm/", online_booking.book_confirm, name="book_confirm"),
    path("book/booked/", online_booking.book_done, name="book_done"),
    path("patients/", include("patients.urls")),
    path("treatments/", include("treatments.urls")),
    path("audit/", include("audit.urls")),
    path("fhir/", include("interop.urls")),
    path("admin/", admin.site.urls),
]
