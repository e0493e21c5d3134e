"""Authentication of emulator requests: Basic client credentials and Bearer tokens.

Basic: ``<client_id>@<instance>:<client_secret>`` from :class:`EmulatorConfig`, or
``<application label>@<instance>:<secret>`` once a secret was generated for an active
application (``POST applications/{label}/custom-actions/generateClientSecret``).
Bearer: a token issued by the token service, valid for ``token_ttl`` seconds of the
emulator's clock.  The token service itself accepts Basic only.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from ofsc_cli.sandbox._http import OFSHTTPError, Request

if TYPE_CHECKING:
    from ofsc_cli.sandbox.app import EmulatorConfig
    from ofsc_cli.sandbox.store import Store

__all__ = ["APP_SECRETS", "Authenticator"]

#: Store collection holding generated application secrets (key: application label).
APP_SECRETS = "applicationSecrets"


def _unauthorized(detail: str) -> OFSHTTPError:
    return OFSHTTPError(401, "Unauthorized", detail)


class Authenticator:
    """Checks credentials and issues tokens."""

    def __init__(self, config: EmulatorConfig, store: Store, clock: Callable[[], float]) -> None:
        self.config = config
        self.store = store
        self.clock = clock

    def check(self, request: Request, *, token_service: bool = False) -> str:
        """The client id the request authenticates as; a 401 OFS error otherwise."""
        header = request.header("authorization")
        if not header:
            raise _unauthorized("Authentication required: send Basic credentials or a token.")
        scheme, _, value = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            return self._basic(value.strip())
        if scheme == "bearer" and not token_service:
            return self._bearer(value.strip())
        if token_service:
            raise _unauthorized("The token service accepts Basic client credentials only.")
        raise _unauthorized(f"Unsupported authorization scheme '{scheme}'.")

    def _basic(self, value: str) -> str:
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorized("Malformed Basic credentials.") from None
        user, sep, secret = decoded.partition(":")
        client_id, at, instance = user.rpartition("@")
        if not sep or not at or instance != self.config.instance:
            raise _unauthorized("Invalid client credentials.")
        if client_id == self.config.client_id and hmac.compare_digest(
            secret.encode(), self.config.client_secret.encode()
        ):
            return client_id
        stored = self.store.get(APP_SECRETS, client_id)
        app = self.store.get("applications", client_id)
        if (
            isinstance(stored, str)
            and app
            and app.get("status", "active") == "active"
            and hmac.compare_digest(secret.encode(), stored.encode())
        ):
            return client_id
        raise _unauthorized("Invalid client credentials.")

    def _bearer(self, token: str) -> str:
        expires_at = self.store.token_expiry(token)
        if expires_at is None:
            raise _unauthorized("Invalid access token.")
        if self.clock() >= expires_at:
            raise _unauthorized("The access token has expired.")
        return "bearer"

    def issue(self) -> tuple[str, int]:
        """A new access token and its lifetime in seconds."""
        token = secrets.token_urlsafe(32)
        ttl = int(self.config.token_ttl)
        self.store.add_token(token, self.clock() + self.config.token_ttl)
        return token, ttl
