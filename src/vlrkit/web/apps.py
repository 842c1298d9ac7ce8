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

        snapshot.connect()
        from django.db.models.signals import post_delete, post_save

        from vlrkit.web import roles
        from vlrkit.web.models import Membership

        post_save.connect(roles.forget_memberships, sender=Membership, dispatch_uid="vlr-memberships-save")
        post_delete.connect(roles.forget_memberships, sender=Membership, dispatch_uid="vlr-memberships-del")
