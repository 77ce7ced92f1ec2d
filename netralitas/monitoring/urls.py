from django.urls import path

from netralitas.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("temuan/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("temuan/<int:pk>/konfirmasi/", views.confirm, name="confirm"),
    path("temuan/<int:pk>/abaikan/", views.dismiss, name="dismiss"),
    path("temuan/<int:pk>/penulis/", views.set_author, name="set_author"),
]
