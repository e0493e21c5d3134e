"""OAuth2 token service models."""

from __future__ import annotations

from ofsc_cli.models._base import OFSModel


class TokenResponse(OFSModel):
    """An issued access token: ``access_token`` (v2) or ``token`` (v1), its type and lifetime."""

    access_token: str | None = None
    token: str | None = None
    token_type: str | None = None
    expires_in: int | None = None

    def __repr__(self) -> str:  # never show the token
        return f"TokenResponse(token_type={self.token_type!r}, expires_in={self.expires_in!r})"

    __str__ = __repr__
