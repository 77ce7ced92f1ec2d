from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "netralitas.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
