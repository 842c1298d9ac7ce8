from django.apps import AppConfig


class StoreAlignConfig(AppConfig):
    name = "vlrkit.store.align"
    label = "store_align"
    verbose_name = "vlrkit policy alignment"
    default_auto_field = "django.db.models.BigAutoField"
