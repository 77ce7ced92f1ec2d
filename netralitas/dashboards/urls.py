from django.urls import path

from netralitas.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("daftar/<slug:entity>/", views.drilldown, name="drilldown"),
]
