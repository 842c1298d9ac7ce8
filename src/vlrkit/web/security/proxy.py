"""The client's address (ASVS 5.0 V8.1/V16.2: who and where): ``REMOTE_ADDR``, and the
``X-Forwarded-For`` chain only when the request comes from a trusted proxy.

``VLRKIT_TRUSTED_PROXIES`` lists the proxies' addresses or networks (``127.0.0.1``,
``10.0.0.0/24``).  A request from one of them gets, as ``REMOTE_ADDR``, the right-most address
of ``X-Forwarded-For`` that is not itself a trusted proxy (a client cannot forge what its own
proxy appended); the proxy's address stays in ``META["VLRKIT_PROXY_ADDR"]``.  A request from
anywhere else loses every ``X-Forwarded-*`` and ``Forwarded`` header before Django reads it, so
no one can claim another address or ``https`` by sending a header.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from vlrkit.web.security import setting

PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_BY", "HTTP_FORWARDED", "HTTP_X_REAL_IP")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def trusted_networks() -> tuple[Network, ...]:
    value = setting("VLRKIT_TRUSTED_PROXIES")
    if isinstance(value, str):
        value = value.split(",")
    return _networks(tuple(value))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:5678"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr, networks) -> bool:  # noqa: ANN001
    return addr is not None and any(addr in n for n in networks)


def client_from(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address given the peer and its ``X-Forwarded-For`` value."""
    if not _trusted(_address(peer), networks):
        return peer
    hops = [h for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:
            return peer  # a malformed chain: believe no part of it
        if not _trusted(addr, networks):
            return str(addr)
    return str(_address(hops[0])) if hops else peer


class TrustedProxyMiddleware:
    """Set ``REMOTE_ADDR`` to the client's address; drop proxy headers nobody trusted sent."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        networks = trusted_networks()
        if networks and _trusted(_address(peer), networks):
            meta["VLRKIT_PROXY_ADDR"] = peer
            meta["REMOTE_ADDR"] = client_from(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), networks)
        else:
            for header in PROXY_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str:  # noqa: ANN001
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") or ""
