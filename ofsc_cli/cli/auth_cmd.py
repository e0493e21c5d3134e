"""``ofsc auth``: check credentials, print tokens, manage the token cache."""

from __future__ import annotations

import time

import typer

from ofsc_cli.cli.auth_token_ops import COMMANDS as TOKEN_COMMANDS
from ofsc_cli.cli.auth_token_ops import add_token_commands
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as get_app

app = typer.Typer(help="Check credentials and get tokens.", no_args_is_help=True)

COMMANDS: dict[str, str] = {}


def cheap_call(obj: AppContext) -> float:
    """One inexpensive authenticated call (first page of one work zone); returns ms."""
    client = obj.client()
    start = time.perf_counter()
    client.metadata.list_work_zones(limit=1)
    return (time.perf_counter() - start) * 1000


@app.command("test")
def test_cmd(ctx: typer.Context) -> None:
    """Verify the credentials with a cheap call; print instance and auth method."""
    obj = get_app(ctx)
    elapsed = cheap_call(obj)
    client = obj.client()
    settings = obj.settings()
    obj.renderer().write_object(
        {
            "profile": settings.profile_name,
            "instance": client.instance,
            "baseUrl": client.base_url,
            "auth": client.auth_method,
            "clientId": client.client_id,
            "ok": True,
            "ms": round(elapsed),
        }
    )


@app.command("token")
def token_cmd(ctx: typer.Context) -> None:
    """Print a bearer token (for curl); nothing else goes to stdout."""
    from ofsc_cli.client._auth import OAuth2ClientCredentials

    obj = get_app(ctx)
    client = obj.client()
    auth = client.auth
    if not isinstance(auth, OAuth2ClientCredentials):
        # Basic profiles can still get a token from the token service with their credentials.
        response = client.oauth2.token_v2()
        token = response.access_token or response.token or ""
    else:
        token = auth.get_token(client.http)
    obj.stdout.write(token + "\n")


@app.command("status")
def status_cmd(ctx: typer.Context) -> None:
    """Show the cached tokens (key: profile|auth|client@instance|base URL|token URL, and
    expiry); never the tokens."""
    from ofsc_cli.client._token_cache import TokenCache, default_token_cache_dir

    obj = get_app(ctx)
    now = time.time()
    rows = [
        {
            "key": key,
            "expiresAt": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(expires)),
            "remaining": f"{max(0, int(expires - now))}s",
            "valid": expires > now,
        }
        for key, expires in TokenCache(default_token_cache_dir()).list()
    ]
    if not rows:
        obj.info("no cached tokens")
    obj.renderer(("key", "expiresAt", "remaining", "valid")).write_items(rows)


@app.command("logout")
def logout_cmd(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Remove every cached token."),
) -> None:
    """Remove the cached token of the profile (or every one with --all)."""
    from ofsc_cli.client._factory import token_cache_key
    from ofsc_cli.client._token_cache import TokenCache, default_token_cache_dir

    obj = get_app(ctx)
    cache = TokenCache(default_token_cache_dir())
    if all_:
        obj.info(f"removed {cache.delete_all()} cached token(s)")
        return
    key = token_cache_key(obj.settings())
    removed = cache.delete(key)
    obj.info(f"{'removed' if removed else 'no'} cached token for {key}")


add_token_commands(app)
COMMANDS.update(TOKEN_COMMANDS)
