"""The Django app of vlrkit's web application."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vlrkit.web"
    label = "web"
    verbose_name = "vlrkit web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vlrkit.web import snapshot

        snapshot.connect()  # store rows bump their edition's part; roles bump the memberships stamp
