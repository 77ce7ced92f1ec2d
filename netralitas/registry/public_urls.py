from django.urls import path

from netralitas.registry import views

# The employee's personal acknowledgement link, included at pakta-integritas/: public,
# no login; the signed token in the path is the credential (registry.pacts).
app_name = "pact"
urlpatterns = [
    path("<str:token>/", views.acknowledge, name="acknowledge"),
    path("<str:token>/selesai/", views.acknowledge_done, name="done"),
]
