from django.contrib import admin
from django.urls import include, path

from netralitas.api.views import api

urlpatterns = [
    path("", include("netralitas.reports.urls")),
    path("cek-sebelum-posting/", include("netralitas.selfcheck.urls")),
    path("staf/pemantauan/", include("netralitas.monitoring.urls")),
    path("staf/", include("netralitas.cases.urls")),
    path("akun/", include("netralitas.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
