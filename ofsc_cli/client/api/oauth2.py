"""OAuth2 token service (``/rest/oauthTokenService``)."""

from __future__ import annotations

from ofsc_cli.client._endpoint import Args, Namespace, X, endpoint
from ofsc_cli.models.oauth2 import TokenResponse

__all__ = ["OAuth2"]

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _token_form(grant_type: str, assertion: str | None, scope: str | None) -> Args:
    data = {"grant_type": grant_type}
    if assertion is not None:
        data["assertion"] = assertion
    if scope is not None:
        data["ofsc_dynamic_scope"] = scope
    return Args(data=data, headers=_FORM)


class OAuth2(Namespace[X]):
    """The token services (``client.oauth2``): access tokens from the client credentials."""

    namespace = "oauth2"

    @endpoint("POST", "/rest/oauthTokenService/v2/token", response=TokenResponse, client_auth=True)
    def token_v2(
        self,
        grant_type: str = "client_credentials",
        *,
        assertion: str | None = None,
        dynamic_scope: str | None = None,
    ) -> Args:
        """Issue an access token (``access_token`` field)."""
        return _token_form(grant_type, assertion, dynamic_scope)

    @endpoint("POST", "/rest/oauthTokenService/v1/token", response=TokenResponse, client_auth=True)
    def token_v1(
        self,
        grant_type: str = "client_credentials",
        *,
        assertion: str | None = None,
        dynamic_scope: str | None = None,
    ) -> Args:
        """Issue an access token with the deprecated v1 service (``token`` field)."""
        return _token_form(grant_type, assertion, dynamic_scope)
