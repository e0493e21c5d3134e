"""Where a client may connect: the one check of a base URL, used by the client constructors
and by the configuration (so a profile is refused for the same reasons as a library call).

Pure and standard-library only: no I/O, no httpx.

A base URL is refused when its scheme is not ``http``/``https``, it has no host, an invalid
port, user info (credentials belong in the client's options, never in a URL), a query or a
fragment, or whitespace/control characters; and when it is plain ``http://`` to a host other
than a loopback one (``localhost``, 127.0.0.0/8, ``::1``) without ``allow_insecure_http``:
Basic credentials and tokens would cross the network in clear text.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

__all__ = ["base_url_problem", "is_loopback_host", "proxy_url_problem", "redact_userinfo"]

PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def is_loopback_host(host: str) -> bool:
    """Returns True when ``host`` is ``localhost``, in 127.0.0.0/8 or ``::1`` (brackets
    allowed).
    """
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redact_userinfo(url: str) -> str:
    """Returns ``url`` with any ``user:password@`` replaced by ``****@`` (for messages)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "****@" + authority.rpartition("@")[2]
    return f"{scheme}{sep}{authority}{slash}{tail}"


def _split(url: str, what: str) -> tuple[SplitResult | None, str | None]:
    if not isinstance(url, str) or not url:
        return None, f"{what} must be a non-empty URL string"
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None, f"{what} must not contain whitespace or control characters"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return None, f"{what} is not a valid URL ({exc})"
    try:
        port = parts.port
    except ValueError:
        return None, f"{what} has an invalid port (use 1-65535)"
    if port == 0:
        return None, f"{what} has an invalid port (use 1-65535)"
    return parts, None


def base_url_problem(url: str, *, allow_insecure_http: bool = False) -> str | None:
    """Returns why ``url`` cannot be a client's base URL, or ``None`` when it can (plain
    ``http://`` only to a loopback host unless ``allow_insecure_http``).
    """
    parts, problem = _split(url, "base_url")
    if parts is None:
        return problem
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return "base_url must be an http:// or https:// URL with a host"
    if parts.username is not None or parts.password is not None:
        return "base_url must not contain credentials"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "base_url must not have a query or a fragment"
    if scheme == "http" and not allow_insecure_http and not is_loopback_host(parts.hostname):
        return (
            f"refusing plain http:// to non-loopback host '{parts.hostname}': "
            "use https:// or set allow_insecure_http"
        )
    return None


def proxy_url_problem(url: str) -> str | None:
    """Returns why ``url`` cannot be a proxy URL, or ``None`` when it can (credentials
    allowed).
    """
    parts, problem = _split(url, "proxy")
    if parts is None:
        return problem
    if parts.scheme.lower() not in PROXY_SCHEMES or not parts.hostname:
        return f"proxy must be a {', '.join(s + '://' for s in PROXY_SCHEMES)} URL with a host"
    return None
