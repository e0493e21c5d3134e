"""``ofsc auth``: check credentials, print tokens, manage the token cache.

``test``, ``token``, ``status`` and ``logout`` run no operation of their own (``op=None``):
each is a declaration with its own ``run``.  The token-service commands are declared in
:mod:`ofsc_cli.cli.auth_token_ops`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ofsc_cli.cli.auth_token_ops import TOKEN_COMMANDS
from ofsc_cli.cli.declare import Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import EXIT_AUTH

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client import OFSC

__all__ = ["GROUP", "app", "cheap_call"]


def cheap_call(obj: AppContext) -> float:
    """One inexpensive authenticated call (first page of one work zone); returns ms."""
    client = obj.client()
    start = time.perf_counter()
    client.metadata.list_work_zones(limit=1)
    return (time.perf_counter() - start) * 1000


def _test(call: Call) -> None:
    obj = call.obj
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


def _token(call: Call) -> None:
    from ofsc_cli.client.auth import OAuth2ClientCredentials

    obj = call.obj
    client = obj.client()
    auth = client.auth
    if not isinstance(auth, OAuth2ClientCredentials):
        # Basic profiles can still get a token from the token service with their credentials.
        response = client.oauth2.token_v2()
        token = response.access_token or response.token or ""
    else:
        token = auth.get_token(client.http)
    obj.stdout.write(token + "\n")


IDENTITY_KEYS = (
    "instance",
    "base_url",
    "auth",
    "client_id",
    "client_secret",
    "client_secret_command",
)
"""Settings that decide who a profile is: one set in the environment is noted by ``status``."""
STATUS_COLUMNS = ("profile", "default", "instance", "auth", "clientId", "ok", "token", "error")
"""The table's columns; JSON also has ``baseUrl`` and ``tokenExpiresAt``."""


def _status(call: Call) -> None:
    import typer

    obj = call.obj
    check: bool = call.values["check"]
    if call.values["tokens"]:
        _list_cached_tokens(obj)
        return
    targets, default = _status_targets(obj)
    rows = []
    for name, profile in targets:
        sub = dataclasses.replace(
            obj, profile=profile, _settings=None, _client=None, _err_console=None
        )
        try:
            rows.append(_profile_status(sub, default=name == default, check=check))
        finally:
            sub.close()
    obj.renderer(STATUS_COLUMNS).write_items(rows)
    failed = [str(row["profile"]) for row in rows if row["ok"] is False]
    if failed:
        obj.stderr.write(f"ofsc: the credentials do not work: {', '.join(failed)}\n")
        obj.stderr.flush()
        raise typer.Exit(EXIT_AUTH)


def _status_targets(obj: AppContext) -> tuple[list[tuple[str, str | None]], str | None]:
    """``([(shown name, profile to resolve)], default profile name)``: the profile named by
    ``-p``/``OFSC_PROFILE``, else every profile of the file and the built-in ones, plus the
    anonymous ``env`` profile when the environment defines one (see ``resolve_settings``)."""
    from ofsc_cli.config.settings import ENV_VARS, known_profiles
    from ofsc_cli.config.store import default_config_path, load_config

    config = load_config(default_config_path())
    default = config.default_profile
    named = obj.profile or os.environ.get("OFSC_PROFILE")
    if named:
        return [(named, named)], default
    targets: list[tuple[str, str | None]] = [(n, n) for n in known_profiles(config.profiles)]
    if not default and (os.environ.get("OFSC_INSTANCE") or os.environ.get("OFSC_BASE_URL")):
        targets.append(("env", None))
        default = "env"
    shared = [ENV_VARS[k] for k in IDENTITY_KEYS if os.environ.get(ENV_VARS[k])]
    if shared:
        obj.info(f"ofsc: note: the environment's {', '.join(shared)} apply to every profile")
    return targets, default


def _profile_status(sub: AppContext, *, default: bool, check: bool) -> dict[str, object]:
    """One row of ``auth status`` for the profile of ``sub``.  A profile that cannot be
    resolved at all (unknown name, invalid environment) raises, as for any command."""
    from ofsc_cli.config.settings import effective_base_url
    from ofsc_cli.errors import OFSError

    settings = sub.settings()
    values = settings.values
    base_url = effective_base_url(values)
    instance = values.instance
    if not instance and base_url:
        instance = (urlsplit(base_url).hostname or "").split(".")[0] or None
    row: dict[str, object] = {
        "profile": settings.profile_name,
        "default": default,
        "instance": instance,
        "baseUrl": base_url,
        "auth": values.auth,
        "clientId": values.client_id,
        "ok": None,
        "error": None,
    }
    client = None
    try:
        settings.validate_for_connection()
        if check or not (values.client_secret is None and values.client_secret_command):
            settings.secret()  # without --check no command runs: only a literal secret is seen
        if check:
            client = sub.client()
            cheap_call(sub)
            row["ok"] = True
    except OFSError as error:
        row["ok"] = False
        row["error"] = str(error)
    row.update(_token_state(sub, client))
    return row


def _token_state(sub: AppContext, client: OFSC | None) -> dict[str, object]:
    """``token`` (a few words) and ``tokenExpiresAt`` of the profile: from the client that made
    the check, else from the token cache.  Never the token itself."""
    settings = sub.settings()
    values = settings.values
    if values.auth != "oauth2":
        return {"token": "no token (Basic auth)", "tokenExpiresAt": None}
    from ofsc_cli.client.auth import OAuth2ClientCredentials
    from ofsc_cli.config.settings import effective_base_url

    expires: float | None = None
    if client is not None and isinstance(client.auth, OAuth2ClientCredentials):
        expires = client.auth.expires_at
    if expires is None and values.token_cache and effective_base_url(values):
        from ofsc_cli.client.token_cache import TokenCache, default_token_cache_dir
        from ofsc_cli.factory import token_cache_key

        key = token_cache_key(settings)
        expires = dict(TokenCache(default_token_cache_dir()).list()).get(key)
    if expires is None:
        text = "none cached" if values.token_cache else "not cached (token_cache = false)"
        return {"token": text, "tokenExpiresAt": None}
    left = expires - time.time()
    text = f"valid, expires in {_duration(left)}" if left > 0 else "expired"
    when = dt.datetime.fromtimestamp(expires, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"token": text, "tokenExpiresAt": when}


def _duration(seconds: float) -> str:
    """``45s``, ``12m``, ``1h 05m``."""
    total = int(seconds)
    if total < 60:
        return f"{total}s"
    hours, minutes = divmod(total // 60, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def _list_cached_tokens(obj: AppContext) -> None:
    """``auth status --tokens``: every cached token's key (profile|auth|client@instance|base
    URL|token URL) and expiry."""
    from ofsc_cli.client.token_cache import TokenCache, default_token_cache_dir

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


def _logout(call: Call) -> None:
    from ofsc_cli.client.token_cache import TokenCache, default_token_cache_dir
    from ofsc_cli.factory import token_cache_key

    obj = call.obj
    cache = TokenCache(default_token_cache_dir())
    if call.values["all"]:
        obj.info(f"removed {cache.delete_all()} cached token(s)")
        return
    key = token_cache_key(obj.settings())
    removed = cache.delete(key)
    obj.info(f"{'removed' if removed else 'no'} cached token for {key}")


GROUP = Group(
    "auth",
    "Check credentials and get tokens.",
    (
        Command(
            "test",
            "Verify the credentials with a cheap call; print instance and auth method.\n\n"
            "Credentials that do not work exit 4.",
            ("ofsc auth test", "ofsc auth test -p prod -o json"),
            run=_test,
        ),
        Command(
            "token",
            "Print a bearer token (for curl); nothing else goes to stdout.\n\n"
            "An OAuth2 profile prints its token; a Basic profile asks the token "
            "service for one with its credentials.",
            "ofsc auth token -p prod",
            run=_token,
        ),
        Command(
            "status",
            "Show each profile: instance, auth, client id, working credentials, token expiry."
            "\n\n"
            "Every profile (built-in ones included), or -p NAME.  Never a secret or a token.  "
            "Exits 4 when the credentials of a checked profile do not work.",
            (
                "ofsc auth status",
                "ofsc auth status -p prod --no-check",
                "ofsc auth status --tokens -o json",
            ),
            params=(
                Opt(
                    "--check/--no-check",
                    help="Make one cheap call per profile to see whether its credentials work "
                    "(default; --no-check: show the settings and cached tokens only; no call, "
                    "no secret command).",
                    kind="bool",
                    default=True,
                ),
                Opt(
                    "--tokens",
                    help="List every cached OAuth2 token (key and expiry) instead.",
                    kind="bool",
                ),
            ),
            run=_status,
        ),
        Command(
            "logout",
            "Remove the cached token of the profile (or every one with --all).",
            ("ofsc auth logout -p prod", "ofsc auth logout --all"),
            params=(Opt("--all", help="Remove every cached token.", kind="bool"),),
            run=_logout,
        ),
        *TOKEN_COMMANDS,
    ),
)

app = build(GROUP)
