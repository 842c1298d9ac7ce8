"""Events recorded where they happen, without their callers knowing: log-in and log-out
(Django's auth signals), role and assignment changes, workflow steps (approval, publication),
moderation, imports (web, command line and background tasks alike), and account changes.

Records made inside a transaction are deferred to its commit (:func:`.audit.record`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from vlrkit.web.security import audit, reauth, sessions, throttle, twofactor
from vlrkit.web.security.proxy import client_ip


def _fields(instance) -> dict[str, object]:  # noqa: ANN001
    """The model's own fields as plain values (robust to fields added later)."""
    out: dict[str, object] = {}
    for f in instance._meta.concrete_fields:
        if f.primary_key:
            continue
        value = getattr(instance, f.attname)
        out[f.attname] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
    return out


def _user_name(user_id) -> str:  # noqa: ANN001
    if user_id is None:
        return ""
    user = get_user_model().objects.filter(pk=user_id).first()
    return user.get_username() if user else str(user_id)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    if request is None:
        return
    username = str(credentials.get("username", ""))[:150]
    verdict = getattr(request, "vlr_throttled", None)
    if verdict is not None:
        audit.record(request, "login.failure", outcome="failure", actor=username,
                     detail={"reason": f"throttled-{verdict.reason}", "retry_after": verdict.retry_after})
        return
    throttle.login_failed(username, client_ip(request))
    audit.record(request, "login.failure", outcome="failure", actor=username, detail={"reason": "credentials"})


def on_logged_in(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    throttle.login_succeeded(user.get_username())
    sessions.started(request, user)
    if getattr(request, "session", None) is not None:
        reauth.mark(request)
    need = twofactor.pending(user) if not hasattr(user, "otp_device") or user.otp_device is None else ""
    event = "login.password" if need else "login.success"
    audit.record(request, event, actor=user.get_username(), actor_id=user.pk,
                 detail={"factors": ["password"], **({"second_factor": need} if need else {})})


def on_logged_out(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    if user is None:
        return
    audit.record(request, "logout", actor=user.get_username(), actor_id=user.pk)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        from vlrkit.web.security.models import SessionRecord

        SessionRecord.objects.filter(session_key=key).delete()


def _scope(instance) -> str:  # noqa: ANN001
    """A web record's edition as ``ENTITY/EDITION`` (edition codes are unique per entity only)."""
    entity, edition = getattr(instance, "entity", "") or "", getattr(instance, "edition", "") or ""
    return f"{entity}/{edition}" if entity else str(edition)


def on_membership(sender, instance, created=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    kind = sender.__name__.lower()
    granted = kwargs.get("signal") is post_save
    if granted and not created:
        event = f"{kind}.changed"
    else:
        event = f"{kind}.granted" if granted else f"{kind}.revoked"
    audit.record(None, event, target=_user_name(instance.user_id), edition=_scope(instance),
                 detail=_fields(instance), defer=True)


def on_workflow(sender, instance, created=False, **kwargs) -> None:  # noqa: ANN001, ANN003
    if created:
        audit.record(None, f"workflow.{instance.to_status}", edition=_scope(instance),
                     actor=_user_name(instance.user_id) or None, actor_id=instance.user_id,
                     detail={"from": instance.from_status, "to": instance.to_status, "note": instance.note[:500]},
                     defer=True)


def on_moderation(sender, instance, created=False, **kwargs) -> None:  # noqa: ANN001, ANN003
    if created:
        audit.record(None, "contribution.moderated", edition=_scope(instance), target=instance.contribution,
                     actor=_user_name(instance.user_id) or None, actor_id=instance.user_id,
                     detail={"decision": instance.decision}, defer=True)


def on_import(sender, instance, created=False, **kwargs) -> None:  # noqa: ANN001, ANN003
    if instance.status not in ("done", "partial"):
        return
    edition = f"{instance.edition.entity.code}/{instance.edition.code}" if instance.edition_id else ""
    audit.record(None, "data.import", edition=edition, actor=_user_name(instance.user_id) or None,
                 actor_id=instance.user_id,
                 detail={"import": instance.code, "status": instance.status, "path": instance.path[-200:],
                         "counts": {k: v for k, v in (instance.counts or {}).items() if isinstance(v, int)}},
                 defer=True)


_USER_FLAGS = ("is_active", "is_staff", "is_superuser")


def on_user_pre_save(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    old = sender.objects.filter(pk=instance.pk).values(*_USER_FLAGS).first() if instance.pk else None
    instance._vlr_old_flags = old


def on_user_saved(sender, instance, created=False, **kwargs) -> None:  # noqa: ANN001, ANN003
    old = getattr(instance, "_vlr_old_flags", None)
    if created:
        audit.record(None, "user.created", target=instance.get_username(),
                     detail={f: getattr(instance, f) for f in _USER_FLAGS}, defer=True)
    elif old is not None:
        changed = {f: getattr(instance, f) for f in _USER_FLAGS if old[f] != getattr(instance, f)}
        if changed:
            audit.record(None, "user.changed", target=instance.get_username(), detail=changed, defer=True)
    if old is not None and old["is_active"] and not instance.is_active:
        sessions.end_all(instance)  # ASVS 7.4.2: a disabled account keeps no session


def on_user_deleted(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    sessions.end_all(instance)
    audit.record(None, "user.deleted", target=instance.get_username(), defer=True)


def connect() -> None:
    from vlrkit.store.models import Import
    from vlrkit.web.models import Assignment, Membership, Moderation, WorkflowEvent

    user_login_failed.connect(on_login_failed, dispatch_uid="vlr-audit-login-failed")
    user_logged_in.connect(on_logged_in, dispatch_uid="vlr-audit-logged-in")
    user_logged_out.connect(on_logged_out, dispatch_uid="vlr-audit-logged-out")
    for model in (Membership, Assignment):
        post_save.connect(on_membership, sender=model, dispatch_uid=f"vlr-audit-{model.__name__}-save")
        post_delete.connect(on_membership, sender=model, dispatch_uid=f"vlr-audit-{model.__name__}-del")
    post_save.connect(on_workflow, sender=WorkflowEvent, dispatch_uid="vlr-audit-workflow")
    post_save.connect(on_moderation, sender=Moderation, dispatch_uid="vlr-audit-moderation")
    post_save.connect(on_import, sender=Import, dispatch_uid="vlr-audit-import")
    user = get_user_model()
    pre_save.connect(on_user_pre_save, sender=user, dispatch_uid="vlr-audit-user-pre")
    post_save.connect(on_user_saved, sender=user, dispatch_uid="vlr-audit-user-save")
    pre_delete.connect(on_user_deleted, sender=user, dispatch_uid="vlr-audit-user-del")
