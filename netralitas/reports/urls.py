from django.urls import path

from netralitas.reports import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.report_create, name="report_create"),
    path("lapor/terkirim/<str:code>/", views.report_done, name="report_done"),
    path("lacak/", views.track, name="track"),
]
