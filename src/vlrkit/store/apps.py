from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "vlrkit.store"
    label = "store"
    verbose_name = "vlrkit review store"
    default_auto_field = "django.db.models.BigAutoField"
