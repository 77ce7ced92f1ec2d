from django.urls import path

from netralitas.selfcheck import views

app_name = "selfcheck"
urlpatterns = [path("", views.check, name="check")]
