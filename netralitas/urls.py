from django.contrib import admin
from django.urls import include, path

from netralitas.api.views import api

urlpatterns = [
    path("", include("netralitas.reports.urls")),
    path("cek-sebelum-posting/", include("netralitas.selfcheck.urls")),
    path("panduan-netralitas/", include("netralitas.elections.urls")),
    path("pakta-integritas/", include("netralitas.registry.public_urls")),
    path("staf/pemantauan/", include("netralitas.monitoring.urls")),
    path("staf/integritas/", include("netralitas.registry.urls")),
    path("staf/dasbor/", include("netralitas.dashboards.urls")),
    path("staf/laporan-periode/", include("netralitas.dashboards.report_urls")),
    path("staf/", include("netralitas.cases.urls")),
    path("akun/", include("netralitas.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
