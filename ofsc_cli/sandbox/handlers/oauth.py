"""OAuth2 token service (v1 and v2).

The client authenticates with Basic credentials (checked by the emulator before this runs);
the form body needs ``grant_type``.  The JWT-bearer grant is accepted with any non-empty
``assertion`` (the sandbox does not verify signatures).  ``ofsc_dynamic_scope`` is accepted
and not enforced.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request
from ofsc_cli.sandbox.router import Call, route

_GRANTS = ("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer")


def _issue(call: Call, token_field: str) -> Response:
    try:
        form = parse_qs(call.request.body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        raise bad_request("The form body is not valid UTF-8.") from None
    grant = (form.get("grant_type") or [""])[0]
    if not grant:
        raise bad_request("'grant_type' is required.")
    if grant not in _GRANTS:
        raise bad_request(f"Unsupported grant_type '{grant}'.")
    if grant == _GRANTS[1] and not (form.get("assertion") or [""])[0]:
        raise bad_request("The jwt-bearer grant needs an 'assertion'.")
    token, ttl = call.emulator.auth.issue()
    return Response.json({token_field: token, "token_type": "bearer", "expires_in": ttl})


@route("POST", "/rest/oauthTokenService/v2/token")
def token_v2(call: Call) -> Response:
    return _issue(call, "access_token")


@route("POST", "/rest/oauthTokenService/v1/token")
def token_v1(call: Call) -> Response:
    return _issue(call, "token")
