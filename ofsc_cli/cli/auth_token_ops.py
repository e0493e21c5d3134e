"""The OAuth2 token-service operations as ``ofsc auth token-v1`` and ``ofsc auth token-v2``.

:data:`TOKEN_COMMANDS` are their declarations, for the ``auth`` group to include.  Each
command prints the token service's answer as JSON on stdout and nowhere else (never logged).
"""

from __future__ import annotations

from ofsc_cli.cli.declare import DRY_RUN, Call, Command, Opt
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.oauth2 import OAuth2

__all__ = ["TOKEN_COMMANDS"]

GRANTS = ("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer")

PARAMS = (
    Opt(
        "--grant-type",
        help="client_credentials or the jwt-bearer grant type URN.",
        default=GRANTS[0],
        to_op=False,
    ),
    Opt(
        "--assertion",
        help="Signed JWT (jwt-bearer grant); '@FILE' reads one.",
        metavar="JWT|@FILE",
        to_op=False,
    ),
    Opt(
        "--scope",
        help="ofsc_dynamic_scope: URLs the token is limited to.",
        to_op=False,
    ),
)


def _read_assertion(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def _token(call: Call) -> None:
    from ofsc_cli.models import dump
    from ofsc_cli.output import json_dumps

    grant_type = call.values["grant_type"]
    assertion = call.values["assertion"]
    if grant_type not in GRANTS:
        raise UsageError(f"--grant-type: use one of {', '.join(GRANTS)}")
    if grant_type == GRANTS[1] and not assertion:
        raise UsageError("--assertion is required with the jwt-bearer grant")
    if assertion is not None and assertion.startswith("@"):
        assertion = _read_assertion(assertion[1:])
    result = call.execute(None, grant_type, assertion=assertion, dynamic_scope=call.values["scope"])
    if result is DRY_RUN:
        return
    call.obj.stdout.write(json_dumps(dump(result), indent=2) + "\n")
    call.obj.stdout.flush()


TOKEN_COMMANDS = (
    Command(
        "token-v2",
        "Request a token from the token service v2 and print its answer as JSON.",
        (
            "ofsc auth token-v2",
            "ofsc auth token-v2 --grant-type urn:ietf:params:oauth:grant-type:jwt-bearer"
            " --assertion @client.jwt",
        ),
        op=OAuth2.token_v2,
        params=PARAMS,
        run=_token,
    ),
    Command(
        "token-v1",
        "Request a token from the deprecated token service v1 and print its answer.",
        "ofsc auth token-v1",
        op=OAuth2.token_v1,
        params=PARAMS,
        run=_token,
    ),
)
"""The token commands, declared; the ``auth`` group includes them."""
