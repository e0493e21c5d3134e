"""Authentication for the OFS REST APIs, as :class:`httpx.Auth` schemes.

Two schemes, both accepted by every OFS endpoint:

* :class:`BasicAuth` sends ``Authorization: Basic base64("<client_id>@<instance>:<secret>")``.
* :class:`OAuth2ClientCredentials` obtains a bearer token from the token service
  (``POST {base_url}/rest/oauthTokenService/v2/token``, ``grant_type=client_credentials``, the
  client authenticated by the Basic header above), sends ``Authorization: Bearer <token>``, and
  refreshes the token shortly before it expires or once after a 401.

How the OAuth2 scheme shares code between sync and async clients (httpx's pattern)::

    _flow(request)            the request flow, written once as a generator: it yields
                              _TokenNeeded (get me a usable token) and then the request itself,
                              and on a 401 asks for a fresh token once and resends once.
    _token_flow(need)         the token fetch, written once as a generator: re-checks whether a
                              usable token already exists, else yields the token request and
                              stores the answer (in memory and in the optional disk cache).
    sync_auth_flow / get_token      thin drivers: a threading.Lock around the token fetch,
    async_auth_flow / aget_token    or an asyncio.Lock (one per event loop); they read the
                                    token response body, which the pure flows cannot do.

Locks are held only while a token is fetched, with a check before and after taking the lock,
so N concurrent requests that find an expired token cause exactly one token request.  With a
disk cache the fetch also holds the cache entry's file lock (:meth:`TokenCache.entry_lock`), so
N processes that find no usable token cause one token request too: the others wait for the
lock (at most ``lock_timeout`` seconds, then they fetch their own) and find the token cached.

A token is cached under :func:`~ofsc_cli.client.token_cache.scoped_token_key` (the caller's
label, client id, instance, API base URL and token endpoint) and is only ever attached to
requests for the API's own origin (scheme, host, port): a request elsewhere is refused with
:class:`OFSValidationError` before anything is sent.  Neither the client secret nor any token
appears in ``repr``, ``str`` or exception messages.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ofsc_cli.client.token_cache import CachedToken, EntryLock, TokenCache, scoped_token_key
from ofsc_cli.errors import (
    OFSAPIError,
    OFSAuthenticationError,
    OFSError,
    OFSSerializationError,
    OFSValidationError,
)

if TYPE_CHECKING:
    import asyncio

__all__ = ["BasicAuth", "OAuth2ClientCredentials", "basic_auth_header", "token_url_for"]

_log = logging.getLogger(__name__)

#: Lifetime assumed when the token service omits ``expires_in`` (the value OFS sends today).
DEFAULT_EXPIRES_IN = 3600.0
#: Seconds between two tries of a cache entry's lock held by another process.
_LOCK_POLL = 0.05
_REDACTED = "***"


def token_url_for(base_url: str) -> str:
    """Returns the token service (v2) of the API at ``base_url``."""
    return f"{base_url.rstrip('/')}/rest/oauthTokenService/v2/token"


def basic_auth_header(client_id: str, instance: str, secret: str) -> str:
    """Returns the ``Authorization`` value of OFS Basic auth for ``client_id`` at ``instance``
    and ``secret``.
    """
    raw = f"{client_id}@{instance}:{secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


class BasicAuth(httpx.Auth):
    """OFS Basic authentication: ``client_id@instance`` as user name, the secret as password."""

    def __init__(self, client_id: str, instance: str, secret: str) -> None:
        """Authenticate as ``client_id`` at ``instance`` with ``secret`` (the header is made
        now; the secret is not kept otherwise).
        """
        self.client_id = client_id
        self.instance = instance
        self._header = basic_auth_header(client_id, instance, secret)

    def __repr__(self) -> str:
        return f"BasicAuth(client_id={self.client_id!r}, instance={self.instance!r}, secret='***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with the Basic header (httpx calls this).  Yields the request; returns
        nothing.
        """
        request.headers["Authorization"] = self._header
        yield request


@dataclass(slots=True)
class _TokenNeeded:
    """What the request flow yields to its driver: "put a usable token in ``token``".

    ``stale`` is the token a request was just refused with (None on the first attempt); a usable
    token is an unexpired one, not within the refresh margin, and different from ``stale``.
    """

    stale: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def result(self) -> str:
        if self.token is None:  # a driver bug, not a user error
            raise RuntimeError("the auth driver did not supply a token")
        return self.token


class OAuth2ClientCredentials(httpx.Auth):
    """OFS OAuth2 client-credentials authentication with automatic token refresh.

    ``client_id``, ``instance`` and ``secret`` are the client credentials (sent, as Basic, to
    the token service only).  ``token_url`` is the token service
    (``{base_url}/rest/oauthTokenService/v2/token``; the v1 service's ``token`` field is
    accepted too); ``base_url`` is the API the token is for
    (default: the token service's origin), the only origin it is ever sent to.  A token is
    refreshed when fewer than ``refresh_margin`` seconds of it remain, and once after a 401
    answer.  With a ``cache`` the token is also kept on disk so that other processes reuse it,
    under :attr:`cache_key`: ``cache_key`` (a label, such as the CLI's profile name) scoped by
    :func:`~ofsc_cli.client.token_cache.scoped_token_key`.  Processes fetching the token of one
    entry wait for each other up to ``lock_timeout`` seconds.  ``clock`` returns epoch seconds
    (tests pass a fake one).

    One instance may be shared by threads using :class:`httpx.Client` and by tasks using
    :class:`httpx.AsyncClient`, on any number of event loops.
    """

    # The request body is read up front so that the request can be resent after a 401.
    requires_request_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        instance: str,
        secret: str,
        *,
        base_url: str | None = None,
        cache: TokenCache | None = None,
        cache_key: str | None = None,
        refresh_margin: float = 300.0,
        lock_timeout: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token_url = token_url
        self.base_url = base_url if base_url is not None else _origin_url(token_url)
        self.client_id = client_id
        self.instance = instance
        self.refresh_margin = refresh_margin
        self.lock_timeout = lock_timeout
        self.cache = cache
        self.cache_key = scoped_token_key(
            cache_key if cache_key is not None else "default",
            auth="oauth2",
            client_id=client_id,
            instance=instance,
            base_url=self.base_url,
            token_url=token_url,
        )
        self._api_origin = _origin(self.base_url)
        self._secret = secret
        self._basic = basic_auth_header(client_id, instance, secret)
        self._clock = clock
        self._token: CachedToken | None = None
        self._sync_lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._async_locks_guard = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"OAuth2ClientCredentials(token_url={_display_url(self.token_url)!r}, "
            f"client_id={self.client_id!r}, instance={self.instance!r}, secret='***')"
        )

    # -- public helpers --------------------------------------------------------------------------

    @property
    def expires_at(self) -> float | None:
        """Expiry (epoch seconds) of the token held in memory, or None if there is none."""
        token = self._token
        return None if token is None else token.expires_at

    def invalidate(self) -> None:
        """Forget the current token, in memory and in the disk cache; the next use fetches one."""
        self._token = None
        if self.cache is not None:
            try:
                self.cache.delete(self.cache_key)
            except OSError as exc:
                _log.debug("could not delete the cached token: %s", exc)

    def get_token(self, client: httpx.Client) -> str:
        """Returns a usable access token, fetched through ``client`` if needed (for ``ofsc auth
        token``).  Raises :class:`~ofsc_cli.errors.OFSAuthenticationError` when the token service
        refuses the credentials, :class:`~ofsc_cli.errors.OFSSerializationError` when it answers
        without a token.
        """
        need = _TokenNeeded()
        obtain = self._sync_obtain(need)
        try:
            request = next(obtain)
            while True:
                request = obtain.send(client.send(request, auth=None))
        except StopIteration:
            pass
        return need.result()

    async def aget_token(self, client: httpx.AsyncClient) -> str:
        """Returns a usable access token, fetched through ``client`` if needed (async
        :meth:`get_token`, raising the same errors).
        """
        need = _TokenNeeded()
        obtain = self._async_obtain(need)
        try:
            request = await anext(obtain)
            while True:
                request = await obtain.asend(await client.send(request, auth=None))
        except StopAsyncIteration:
            pass
        return need.result()

    # -- the flows, written once (no I/O, no locks) ----------------------------------------------

    def _usable_token(self, stale: str | None) -> str | None:
        """A token with more than the refresh margin left and not ``stale``: from memory, else
        from the disk cache (which another process may have refreshed); None if there is none."""
        now = self._clock()

        def usable(token: CachedToken | None) -> bool:
            return (
                token is not None
                and token.access_token != stale
                and token.remaining(now) >= self.refresh_margin
            )

        token = self._token
        if not usable(token) and self.cache is not None:
            token = self.cache.load(self.cache_key)
            if usable(token):
                self._token = token
        return token.access_token if token is not None and usable(token) else None

    def _flow(self, request: httpx.Request) -> Generator[httpx.Request | _TokenNeeded, Any, None]:
        """The request flow: yields :class:`_TokenNeeded` (the driver fills it in and sends
        nothing back) or a request (the driver sends back its response)."""
        if _origin(str(request.url)) != self._api_origin:
            raise OFSValidationError(
                f"refusing to send the token for {_display_url(self.base_url)} to "
                f"{_display_url(str(request.url))} (another origin)"
            )
        need = _TokenNeeded()
        yield need
        token = need.result()
        request.headers["Authorization"] = f"Bearer {token}"
        response: httpx.Response = yield request
        if response.status_code != 401:
            return
        retry = _TokenNeeded(stale=token)  # refreshed unless another request already did
        yield retry
        request.headers["Authorization"] = f"Bearer {retry.result()}"
        yield request

    def _token_flow(self, need: _TokenNeeded) -> Generator[httpx.Request, httpx.Response, None]:
        """Fill in ``need.token``, requesting a new token unless a usable one exists by now.

        Run with the token lock held; the response sent back must have been read already.
        """
        need.token = self._usable_token(need.stale)
        if need.token is not None:
            return
        issued_at = self._clock()
        started = time.perf_counter()
        token_request = self._build_token_request()
        response = yield token_request
        from ofsc_cli.client.log import auth_secrets, log_token

        log_token(token_request, response, started, auth_secrets(self))
        token = self._parse_token_response(response, issued_at)
        self._token = token
        if self.cache is not None:
            try:
                self.cache.save(self.cache_key, token.access_token, token.expires_at)
            except OSError as exc:
                _log.debug("could not save the token to the disk cache: %s", exc)
        need.token = token.access_token

    def _wait_for_entry(self, need: _TokenNeeded) -> Generator[float, None, EntryLock | None]:
        """Take the lock of the disk cache entry (whoever fetches its token holds it), yielding
        the seconds to wait between tries.  Returns the lock, held; or None when there is no
        disk cache or no lock can be made there, when ``lock_timeout`` passed in vain (the
        token is then fetched without the lock), or when a usable token turned up meanwhile
        (another process fetched it: ``need.token``)."""
        lock = self.cache.entry_lock(self.cache_key) if self.cache is not None else None
        if lock is None:
            return None
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                if lock.try_acquire():
                    return lock
            except OSError as exc:
                _log.debug("could not lock the cached token: %s", exc)
                return None
            need.token = self._usable_token(need.stale)
            if need.token is not None:
                return None
            if time.monotonic() >= deadline:
                _log.debug(
                    "the cached token is still locked after %g s: fetching", self.lock_timeout
                )
                return None
            yield _LOCK_POLL

    def _build_token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": self._basic, "Accept": "application/json"},
        )

    def _parse_token_response(self, response: httpx.Response, issued_at: float) -> CachedToken:
        """The token in a token-service answer, or the :class:`OFSError` explaining its absence."""
        if not response.is_success:
            raise self._token_error(response)
        try:
            body = response.json()
        except ValueError:
            body = None
        token = None
        if isinstance(body, dict):
            token = body.get("access_token") or body.get("token")
        if not isinstance(token, str) or not token:
            raise OFSSerializationError(
                f"The token service at {_display_url(self.token_url)} answered HTTP "
                f"{response.status_code} without an access token",
                status_code=response.status_code,
                method="POST",
                url=_display_url(self.token_url),
            )
        return CachedToken(token, issued_at + _expires_in(body.get("expires_in")))

    def _token_error(self, response: httpx.Response) -> OFSError:
        """An :class:`OFSAuthenticationError` (400/401/403) or :class:`OFSAPIError` describing a
        refused token request, with the OFS error fields and nothing secret."""
        url = _display_url(self.token_url)
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        fields = body if isinstance(body, dict) else {}

        def text(name: str) -> str | None:
            value = fields.get(name)
            return self._redact(str(value)) if value is not None else None

        title, detail = text("title"), text("detail")
        message = f"Token request to {url} failed: HTTP {status}"
        message += "".join(f": {part}" for part in (title, detail) if part)
        kind = OFSAuthenticationError if status in (400, 401, 403) else OFSAPIError
        return kind(
            message,
            status_code=status,
            method="POST",
            url=url,
            type=text("type"),
            title=title,
            status=text("status"),
            detail=detail,
            error_code=text("o:errorCode"),
        )

    def _redact(self, text: str) -> str:
        for secret in (self._secret, self._basic.removeprefix("Basic ")):
            if secret:
                text = text.replace(secret, _REDACTED)
        return text

    # -- sync driver -----------------------------------------------------------------------------

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with a bearer token, fetching or refreshing it first (sync clients;
        httpx calls this).  Yields the requests to send; returns nothing.  Raises
        :class:`~ofsc_cli.errors.OFSAuthenticationError` when the token service refuses the
        credentials, :class:`~ofsc_cli.errors.OFSSerializationError` when it answers without
        a token, and :class:`~ofsc_cli.errors.OFSValidationError` for a request to another
        origin.
        """
        if self.requires_request_body:
            request.read()
        flow = self._flow(request)
        try:
            step = next(flow)
            while True:
                if isinstance(step, _TokenNeeded):
                    yield from self._sync_obtain(step)
                    step = flow.send(None)
                else:
                    step = flow.send((yield step))
        except StopIteration:
            return
        finally:
            flow.close()

    def _sync_obtain(self, need: _TokenNeeded) -> Generator[httpx.Request, httpx.Response, None]:
        """Fill in ``need`` from memory, else fetch under the thread lock (double-checked)."""
        need.token = self._usable_token(need.stale)
        if need.token is not None:
            return
        with self._sync_lock:
            wait = self._wait_for_entry(need)
            try:
                while True:
                    time.sleep(next(wait))
            except StopIteration as done:
                entry: EntryLock | None = done.value
            try:
                fetch = self._token_flow(need)
                request = next(fetch)
                while True:
                    response = yield request
                    response.read()
                    request = fetch.send(response)
            except StopIteration:
                return
            finally:
                if entry is not None:
                    entry.release()

    # -- async driver ----------------------------------------------------------------------------

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Send ``request`` with a bearer token, fetching or refreshing it first (async clients;
        httpx calls this), as :meth:`sync_auth_flow` does: it yields the requests to send and
        raises the same errors.
        """
        if self.requires_request_body:
            await request.aread()
        flow = self._flow(request)
        try:
            step = next(flow)
            while True:
                if isinstance(step, _TokenNeeded):
                    obtain = self._async_obtain(step)
                    try:
                        token_request = await anext(obtain)
                        while True:
                            token_request = await obtain.asend((yield token_request))
                    except StopAsyncIteration:
                        pass
                    finally:
                        await obtain.aclose()
                    step = flow.send(None)
                else:
                    step = flow.send((yield step))
        except StopIteration:
            return
        finally:
            flow.close()

    async def _async_obtain(
        self, need: _TokenNeeded
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Fill in ``need`` from memory, else fetch under this loop's lock (double-checked)."""
        need.token = self._usable_token(need.stale)
        if need.token is not None:
            return
        import asyncio

        async with self._async_lock():
            wait = self._wait_for_entry(need)
            try:
                while True:
                    await asyncio.sleep(next(wait))
            except StopIteration as done:
                entry: EntryLock | None = done.value
            try:
                fetch = self._token_flow(need)
                request = next(fetch)
                while True:
                    response = yield request
                    await response.aread()
                    request = fetch.send(response)
            except StopIteration:
                return
            finally:
                if entry is not None:
                    entry.release()

    def _async_lock(self) -> asyncio.Lock:
        """The token lock of the running event loop (an asyncio lock belongs to one loop)."""
        import asyncio

        loop = asyncio.get_running_loop()
        with self._async_locks_guard:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock


def _expires_in(value: Any) -> float:
    """Seconds of validity announced by the token service (a default when absent or invalid)."""
    if isinstance(value, bool):
        return DEFAULT_EXPIRES_IN
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return DEFAULT_EXPIRES_IN
    return seconds if 0 < seconds < float("inf") else DEFAULT_EXPIRES_IN


def _origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, the port filled in for http and https."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return ("", url, None)
    scheme = parsed.scheme.lower()
    return scheme, parsed.host.lower(), parsed.port or {"http": 80, "https": 443}.get(scheme)


def _origin_url(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    try:
        text = str(httpx.URL(url).copy_with(userinfo=b"", path="/", query=None, fragment=None))
        return text.rstrip("/")
    except (httpx.InvalidURL, TypeError, ValueError):
        return url


def _display_url(url: str) -> str:
    """``url`` without user info, query or fragment (safe for messages)."""
    try:
        return str(httpx.URL(url).copy_with(userinfo=b"", query=None, fragment=None))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "<invalid URL>"
