"""Tables of authentication, sessions and the audit log.

:class:`AuditEntry` rows are append-only: the model refuses updates and deletes, and the
migration adds database triggers that refuse them too (SQLite and PostgreSQL).  They name users
by user name and id, not by foreign key, so the log outlives the accounts it speaks of.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class AppendOnly(Exception):
    """An audit entry was about to be changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")


class AuditEntry(models.Model):
    """One security event: who, when, from where, what, with the hash of the entry before it."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    event = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=16, default="success")  # success | failure | denied
    actor = models.CharField(max_length=150, blank=True, default="", db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    ip = models.CharField(max_length=45, blank=True, default="")
    user_agent = models.CharField(max_length=300, blank=True, default="")
    method = models.CharField(max_length=8, blank=True, default="")
    path = models.CharField(max_length=500, blank=True, default="")
    edition = models.CharField(max_length=64, blank=True, default="")
    target = models.CharField(max_length=150, blank=True, default="")
    detail = models.TextField(blank=True, default="{}")  # canonical JSON, hashed as written
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if not self._state.adding:
            raise AppendOnly("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise AppendOnly("the audit log is append-only")

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor}"


class AuditHead(models.Model):
    """The last entry of the chain (one row): the lock every writer takes, and the check that
    the newest entries were not removed."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")


class LoginThrottle(models.Model):
    """Failed log-ins counted under one key: ``account:<name>`` or ``ip:<address>``
    (and ``rate:<form>:<address>`` for the rate limits of anonymous forms)."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)


class SessionRecord(models.Model):
    """Who holds a session, since when, from where, and when it was last used."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records")
    created = models.DateTimeField()
    last_seen = models.DateTimeField()
    ip = models.CharField(max_length=45, blank=True, default="")
    user_agent = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-last_seen"]


class ResetLink(models.Model):
    """A one-time password-reset link an administrator issued; only its SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reset_links")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField()
    expires = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.CharField(max_length=150, blank=True, default="")


def code_digest(code: str) -> str:
    """SHA-256 of a normalised backup code (the codes carry 120 random bits: ASVS 6.5.2)."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Single-use backup codes as a django-otp device.

    django-otp's own static device keeps its 40-bit tokens in clear; ASVS 6.5.2 asks for codes
    of at least 112 bits or a salted password hash.  These codes have 120 bits and only their
    SHA-256 is stored; each is deleted when used."""

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:  # noqa: ANN001 - django-otp's signature
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(digest=code_digest(str(token))).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)
