from django.urls import path

from interop import views

app_name = "interop"

urlpatterns = [
    path("patients/<int:pk>/bundle.json", views.patient_bundle, name="patient_bundle"),
]
