"""Django's admin site and the security tables: nothing here is edited through it.

django-otp registers an admin for TOTP devices that shows each device's secret key and QR code;
an administrator who can read another person's key can pass as them, so it is removed.  Second
factors are reset on the Users page (``/security/users/``), the audit log is read on its own page.
"""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
