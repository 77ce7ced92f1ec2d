from django.urls import path

from netralitas.elections import views

app_name = "guidance"
urlpatterns = [path("", views.guidance_index, name="index")]
