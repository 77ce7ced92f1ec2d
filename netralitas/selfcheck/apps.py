from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfCheckConfig(AppConfig):
    name = "netralitas.selfcheck"
    label = "selfcheck"
    verbose_name = _("Self-check before posting")
    default_auto_field = "django.db.models.BigAutoField"
