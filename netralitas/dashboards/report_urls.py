"""/staf/laporan-periode/: the period report's form and download (report_views)."""

from django.urls import path

from netralitas.dashboards import report_views

app_name = "period_reports"
urlpatterns = [
    # One URL: the form, and with ?download=1 the file, so the dashboard's link and a
    # bookmarked download share their query string.
    path("", report_views.period_report, name="form"),
]
