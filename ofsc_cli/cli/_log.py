"""``--verbose``/``--debug`` HTTP logging through httpx event hooks, secrets masked."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from ofsc_cli.client.http import redact_url

__all__ = ["http_log_hooks", "mask_headers"]

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def mask_headers(headers: httpx.Headers) -> dict[str, str]:
    """Headers with credentials replaced: ``Authorization: Basic ****``."""
    masked: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} ****".strip()
        masked[name] = value
    return masked


def _body_preview(content: bytes, limit: int = 2000) -> str:
    text = content[:limit].decode("utf-8", "replace")
    for key in ("client_secret", "access_token", "assertion", "password"):
        if key in text:
            return "<body hidden: contains credentials>"
    return text + ("…" if len(content) > limit else "")


def http_log_hooks(
    log: Callable[[str], None], *, debug: bool, asynchronous: bool = False
) -> dict[str, list[Callable[..., Any]]]:
    """Event hooks logging one line per request/response (headers and bodies with --debug).

    ``asynchronous`` gives coroutine hooks, as ``httpx.AsyncClient`` requires."""

    def on_request(request: httpx.Request) -> None:
        request.extensions["ofsc_start"] = time.perf_counter()
        log(f"> {request.method} {redact_url(request.url)}")
        if debug:
            for name, value in mask_headers(request.headers).items():
                log(f"> {name}: {value}")
            if request.content:
                log(f"> {_body_preview(request.content)}")

    def on_response(response: httpx.Response) -> None:
        start = response.request.extensions.get("ofsc_start", time.perf_counter())
        elapsed = (time.perf_counter() - start) * 1000
        log(f"< {response.status_code} {response.reason_phrase} ({elapsed:.0f} ms)")
        if debug:
            for name, value in mask_headers(response.headers).items():
                log(f"< {name}: {value}")

    if not asynchronous:
        return {"request": [on_request], "response": [on_response]}

    async def on_request_async(request: httpx.Request) -> None:
        on_request(request)

    async def on_response_async(response: httpx.Response) -> None:
        on_response(response)

    return {"request": [on_request_async], "response": [on_response_async]}
