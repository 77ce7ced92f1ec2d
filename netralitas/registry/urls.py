from django.urls import path

from netralitas.registry import views

# Staff pages, included at staf/integritas/.
app_name = "integrity"
urlpatterns = [
    path("", views.progress, name="progress"),
    path("instansi/<str:code>/", views.agency_detail, name="agency"),
    path("instansi/<str:code>/kepala/", views.agency_head, name="agency_head"),
    path("instansi/<str:code>/tautan.csv", views.agency_links, name="agency_links"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee"),
    path("pegawai/<int:pk>/unggah/", views.pact_upload, name="pact_upload"),
    path("pegawai/<int:pk>/tautan/", views.pact_link, name="pact_link"),
    path("pakta/<int:pk>/berkas/", views.pact_file, name="pact_file"),
    path("sosialisasi/", views.events, name="events"),
    path("sosialisasi/baru/", views.event_create, name="event_create"),
    path("sosialisasi/<int:pk>/", views.event_detail, name="event"),
]
