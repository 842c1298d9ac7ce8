"""The web's small window on the store's editions: status look-up (cached) and the edition list."""

from __future__ import annotations

from django.core.cache import cache

STATUS_CACHE_SECONDS = 30


def _key(code: str) -> str:
    from vlrkit.web.snapshot import version

    return f"vlr:edition-status:{code}:v{version()}"  # any change of the store bumps the version


def edition_status(code: str) -> str | None:
    """The status of edition ``code`` (``draft`` … ``published``), or ``None`` if there is none."""
    status = cache.get(_key(code))
    if status is None:
        from vlrkit.store.models import Edition

        status = Edition.objects.filter(code=code).values_list("status", flat=True).first() or ""
        cache.set(_key(code), status, STATUS_CACHE_SECONDS)
    return status or None


def forget(code: str) -> None:
    """Drop cached facts about edition ``code`` (after its status or data changed)."""
    cache.delete(_key(code))
    cache.delete(f"vlr:edition-version:{code}")


def all_editions() -> list:
    """Every edition, newest first."""
    from vlrkit.store.models import Edition

    return list(Edition.objects.order_by("-year", "-id"))
