"""Django admin for the web's own tables: roles, assignments, workflow and moderation records."""

from __future__ import annotations

from django.contrib import admin

from vlrkit.web.models import Assignment, Membership, Moderation, Upload, WorkflowEvent


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "entity", "edition")
    list_filter = ("role", "entity", "edition")
    search_fields = ("user__username",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "entity", "edition", "goal", "indicator")
    list_filter = ("entity", "edition", "goal")
    search_fields = ("user__username", "indicator")


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ("entity", "edition", "from_status", "to_status", "user", "at")
    list_filter = ("entity", "edition")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the workflow record is an audit trail


@admin.register(Moderation)
class ModerationAdmin(admin.ModelAdmin):
    list_display = ("entity", "edition", "contribution", "decision", "user", "at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("entity", "edition", "name", "user", "status", "created")
    list_filter = ("status",)
