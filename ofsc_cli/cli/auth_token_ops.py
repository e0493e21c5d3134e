"""The OAuth2 token-service operations as ``ofsc auth token-v1`` and ``ofsc auth token-v2``.

``ofsc_cli.cli.auth_cmd`` calls :func:`add_token_commands` on its app.  Each command prints
the token service's answer as JSON on stdout and nowhere else (never logged).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ofsc_cli.cli._resource import DRY_RUN, DryRunOpt, execute
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.client.api.oauth2 import OAuth2

__all__ = ["COMMANDS", "add_token_commands"]

COMMANDS: dict[str, str] = {
    "POST /rest/oauthTokenService/v1/token": "ofsc auth token-v1",
    "POST /rest/oauthTokenService/v2/token": "ofsc auth token-v2",
}
"""Operation key -> the command that runs it (read by ``ofsc api catalog --coverage``)."""

GRANTS = ("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer")


def _token_command(declared: Any, doc: str) -> Any:
    def command(
        ctx: typer.Context,
        grant_type: Annotated[
            str,
            typer.Option(
                "--grant-type", help="client_credentials or the jwt-bearer grant type URN."
            ),
        ] = GRANTS[0],
        assertion: Annotated[
            str | None,
            typer.Option("--assertion", help="Signed JWT (jwt-bearer grant); '@FILE' reads one."),
        ] = None,
        scope: Annotated[
            str | None,
            typer.Option("--scope", help="ofsc_dynamic_scope: URLs the token is limited to."),
        ] = None,
        dry_run: DryRunOpt = False,
    ) -> None:
        from ofsc_cli.cli.errors import UsageError
        from ofsc_cli.models import dump
        from ofsc_cli.output import json_dumps

        obj = get_app(ctx)
        if grant_type not in GRANTS:
            raise UsageError(f"--grant-type: use one of {', '.join(GRANTS)}")
        if grant_type == GRANTS[1] and not assertion:
            raise UsageError("--assertion is required with the jwt-bearer grant")
        if assertion is not None and assertion.startswith("@"):
            assertion = _read_assertion(assertion[1:])
        result = execute(
            obj, declared, grant_type, assertion=assertion, dynamic_scope=scope, dry_run=dry_run
        )
        if result is DRY_RUN:
            return
        obj.stdout.write(json_dumps(dump(result), indent=2) + "\n")
        obj.stdout.flush()

    command.__doc__ = doc
    return command


def _read_assertion(path: str) -> str:
    from ofsc_cli.cli.errors import UsageError

    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def add_token_commands(app: typer.Typer) -> None:
    """Add ``token-v1`` and ``token-v2`` to the ``auth`` group."""
    app.command("token-v2")(
        _token_command(
            OAuth2.token_v2,
            "Request a token from the token service v2 and print its answer as JSON.\n\n"
            "Example: ofsc auth token-v2 -o json",
        )
    )
    app.command("token-v1")(
        _token_command(
            OAuth2.token_v1,
            "Request a token from the deprecated token service v1 and print its answer.\n\n"
            "Example: ofsc auth token-v1",
        )
    )
