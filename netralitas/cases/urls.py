from django.urls import path

from netralitas.cases import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("laporan/", views.inbox, name="inbox"),
    path("laporan-bawaslu/", views.bawaslu_report_create, name="bawaslu_report_create"),
    path("laporan/<str:code>/", views.report_detail, name="report_detail"),
    path("laporan/<str:code>/identitas/", views.reveal_identity, name="reveal_identity"),
    path("laporan/<str:code>/buka-kasus/", views.open_case, name="open_case"),
    path("laporan/<str:code>/gabung/", views.attach, name="attach"),
    path("laporan/<str:code>/tolak/", views.dismiss, name="dismiss"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/<str:number>/", views.case_detail, name="case_detail"),
    path("kasus/<str:number>/berkas.json", views.case_file_download, name="case_file"),
    path("kasus/<str:number>/aksi/<slug:action>/", views.case_action, name="case_action"),
    path("instansi/", views.agency_summary, name="agency_summary"),
]
