"""The Django app of authentication, sessions and the audit log."""

from __future__ import annotations

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "vlrkit.web.security"
    label = "vlr_security"
    verbose_name = "vlrkit security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vlrkit.web.security import signals

        signals.connect()
