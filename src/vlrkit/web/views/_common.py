"""Helpers shared by the views: the edition object, forms' error text, pagination limits."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from vlrkit.web.editions import EditionKey

#: Rows shown per table page (history, observations).
PAGE_ROWS = 200


def edition_obj(key: EditionKey):
    """The store's Edition ``key`` (entity and edition code): never another entity's."""
    from vlrkit.store.models import Edition

    ed = Edition.objects.select_related("entity").filter(entity__code=key.entity, code=key.code).first()
    if ed is None:
        raise Http404(str(key))
    return ed


def indicator_obj(edition, code: str):
    from vlrkit.store.models import LocalIndicator

    return get_object_or_404(LocalIndicator, edition=edition, code=code)


def roles(request: HttpRequest) -> frozenset[str]:
    return getattr(request, "vlr_roles", frozenset())
