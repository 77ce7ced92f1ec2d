from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "netralitas.elections"
    label = "elections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from netralitas.elections import checks  # noqa: F401  (registers the system check)
