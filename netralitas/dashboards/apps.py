from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "netralitas.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards and period reports")
    default_auto_field = "django.db.models.BigAutoField"
