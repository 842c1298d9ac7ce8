"""The second factor: TOTP (django-otp's device, RFC 6238) and single-use backup codes.

Who must use one: everyone who enrolled a device, and — when ``VLRKIT_REQUIRE_2FA`` is on —
every administrator and coordinator (``VLRKIT_2FA_ROLES``), who is sent to enrolment right after
the password.  Until the second factor is verified, :mod:`.middleware` lets such a session reach
only the verification (or enrolment) page, log-out and the language switch.

TOTP codes are checked by django-otp: each code is accepted once (``last_t``), failures are
throttled exponentially per device, and after enrolment a code is valid only in its own 30-second
step (``tolerance`` 0, ASVS 6.5.5) shifted by the clock drift learnt at enrolment.
"""

from __future__ import annotations

import secrets
from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vlrkit.web.security import setting
from vlrkit.web.security.models import BackupCode, BackupCodeDevice, code_digest

#: Steps either side of now accepted while enrolling (to learn the phone's clock drift), and after.
ENROL_TOLERANCE = 1
TOLERANCE = 0
#: Random bytes per backup code: 15 bytes = 120 bits = 24 base32 characters.
CODE_BYTES = 15
DEVICE_NAME = "authenticator"


def has_device(user) -> bool:  # noqa: ANN001
    """Whether ``user`` has a confirmed authenticator (backup codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required(user) -> bool:  # noqa: ANN001
    """Whether ``user`` must have a second factor (the setting and their roles)."""
    if not setting("VLRKIT_REQUIRE_2FA") or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    from vlrkit.web.roles import roles_of

    return bool(roles_of(user, None) & set(setting("VLRKIT_2FA_ROLES")))


def pending(user) -> str:  # noqa: ANN001
    """What the session still needs: ``"verify"``, ``"enrol"`` or ``""`` (nothing)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return ""
    if has_device(user):
        return "verify"
    return "enrol" if required(user) else ""


def start_enrolment(user) -> TOTPDevice:  # noqa: ANN001
    """A new, unconfirmed authenticator for ``user`` (replacing an unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False, tolerance=ENROL_TOLERANCE)


def enrolling(user) -> TOTPDevice | None:  # noqa: ANN001
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as an SVG QR code (drawn here, nothing fetched)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` with one code from the app; the user's older authenticators go."""
    if not device.verify_token(_digits(token)):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed, device.tolerance = True, TOLERANCE
    device.save()
    return True


def _digits(token: str) -> str:
    return "".join(ch for ch in str(token) if ch.isdigit())


def new_backup_codes(user) -> list[str]:  # noqa: ANN001
    """Replace ``user``'s backup codes; returns the new ones (shown once, never stored)."""
    codes = []
    for _ in range(setting("VLRKIT_BACKUP_CODES")):
        raw = b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").lower()
        codes.append("-".join(raw[i:i + 4] for i in range(0, len(raw), 4)))
    with transaction.atomic():
        BackupCodeDevice.objects.filter(user=user).delete()
        device = BackupCodeDevice.objects.create(user=user, name="backup codes", confirmed=True)
        BackupCode.objects.bulk_create([BackupCode(device=device, digest=code_digest(c)) for c in codes])
    return codes


def backup_codes_left(user) -> int:  # noqa: ANN001
    return BackupCode.objects.filter(device__user=user).count()


def verify(user, token: str):  # noqa: ANN001, ANN201 - a django-otp Device or None
    """The device that accepts ``token`` (6 digits: the authenticator; else a backup code)."""
    token = (token or "").strip()
    if not token:
        return None
    digits = _digits(token)
    if len(digits) == len(token.replace(" ", "")) and len(digits) <= 8:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        with transaction.atomic():
            if device is not None and device.verify_token(digits):
                return device
        return None
    device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    with transaction.atomic():
        if device is not None and device.verify_token(token):
            return device
    return None


def throttled_for(user) -> int:  # noqa: ANN001
    """Seconds until the authenticator accepts another try after repeated wrong codes (0: now)."""
    from django.utils import timezone

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


def remove_all(user) -> int:  # noqa: ANN001
    """Remove every second factor of ``user`` (their own choice, or an administrator's reset)."""
    n = TOTPDevice.objects.filter(user=user).delete()[0]
    return n + BackupCodeDevice.objects.filter(user=user).delete()[0]


def method_of(device) -> str:  # noqa: ANN001
    return "backup_code" if isinstance(device, BackupCodeDevice) else "totp"
