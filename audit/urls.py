from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.access_report, name="report"),
    path("report.csv", views.access_report_csv, name="report_csv"),
]
