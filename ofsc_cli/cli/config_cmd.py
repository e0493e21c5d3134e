"""``ofsc config``: profiles in config.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.cli.errors import UsageError

app = typer.Typer(help="Manage profiles in config.toml.", no_args_is_help=True)


def _path() -> Path:
    from ofsc_cli.config import default_config_path

    return default_config_path()


def _target_profile(obj: AppContext) -> str:
    """The profile a write applies to: ``-p NAME``, else the file's default profile."""
    if obj.profile:
        return obj.profile
    from ofsc_cli.config import load_config

    default = load_config(_path()).default_profile
    if not default:
        raise UsageError("no profile given and no default_profile: use -p NAME")
    return default


@app.command("path")
def path_cmd(ctx: typer.Context) -> None:
    """Print the config file path (OFSC_CONFIG or the platform config dir)."""
    obj = get_app(ctx)
    obj.stdout.write(f"{_path()}\n")


@app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """List profiles; the default is marked."""
    from ofsc_cli.config import BUILTIN_PROFILES, list_profiles, load_config

    obj = get_app(ctx)
    path = _path()
    config = load_config(path)
    rows = []
    for name, is_default, is_builtin in list_profiles(path):
        profile = config.profiles.get(name)
        builtin = BUILTIN_PROFILES.get(name, {})
        instance = profile.instance if profile and profile.instance else builtin.get("instance")
        auth = profile.auth if profile and "auth" in profile.model_fields_set else None
        rows.append(
            {
                "name": name,
                "default": is_default,
                "instance": instance,
                "auth": auth or builtin.get("auth", "basic"),
                "source": "built-in" if is_builtin else "file",
            }
        )
    obj.renderer(("name", "default", "instance", "auth", "source")).write_items(rows)


@app.command("show")
def show_cmd(ctx: typer.Context) -> None:
    """Show the resolved settings of a profile with their source; secrets masked."""
    obj = get_app(ctx)
    settings = obj.settings()
    obj.info(f"profile: {settings.profile_name} ({settings.config_path})")
    rows = [
        {"key": key, "value": value, "source": source}
        for key, (value, source) in settings.masked().items()
    ]
    obj.renderer(("key", "value", "source")).write_items(rows)


@app.command("use")
def use_cmd(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Profile name.")]) -> None:
    """Make NAME the default profile."""
    from ofsc_cli.config import set_default_profile

    set_default_profile(_path(), name)
    get_app(ctx).info(f"default profile: {name}")


@app.command("set")
def set_cmd(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Setting name (see config.example.toml).")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Set KEY to VALUE in a profile (-p NAME, else the default profile)."""
    from ofsc_cli.config import set_value

    obj = get_app(ctx)
    profile = _target_profile(obj)
    set_value(_path(), profile, key, value)
    obj.info(f"{profile}: {key} set")


@app.command("unset")
def unset_cmd(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="Setting name.")]
) -> None:
    """Remove KEY from a profile (-p NAME, else the default profile)."""
    from ofsc_cli.config import unset_value

    obj = get_app(ctx)
    profile = _target_profile(obj)
    changed = unset_value(_path(), profile, key)
    obj.info(f"{profile}: {key} {'removed' if changed else 'was not set'}")


@app.command("validate")
def validate_cmd(
    ctx: typer.Context,
    check_connection: Annotated[
        bool, typer.Option("--check-connection", help="Also make one cheap API call.")
    ] = False,
) -> None:
    """Check the config file and the profile; --check-connection also calls the API."""
    from ofsc_cli.config import validate_file
    from ofsc_cli.errors import OFSConfigurationError

    obj = get_app(ctx)
    problems = validate_file(_path())
    if problems:
        for problem in problems:
            obj.stderr.write(f"ofsc: {problem}\n")
        raise typer.Exit(3)
    settings = obj.settings()
    settings.validate_for_connection()
    if check_connection:
        from ofsc_cli.cli.auth_cmd import cheap_call

        cheap_call(obj)
    elif settings.values.client_id is None:
        raise OFSConfigurationError(f"profile '{settings.profile_name}': no client_id")
    obj.info(f"profile '{settings.profile_name}' is valid")


@app.command("init")
def init_cmd(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option("--name", help="Profile name.")] = None,
    instance: Annotated[str | None, typer.Option("--instance", help="Instance name.")] = None,
    client_id: Annotated[str | None, typer.Option("--client-id")] = None,
    client_secret: Annotated[
        str | None, typer.Option("--client-secret", help="Stored in the file (mode 0600).")
    ] = None,
    client_secret_command: Annotated[
        str | None,
        typer.Option("--client-secret-command", help="Command printing the secret."),
    ] = None,
    auth: Annotated[str | None, typer.Option("--auth", help="basic or oauth2.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url")] = None,
    make_default: Annotated[
        bool | None, typer.Option("--default/--no-default", help="Make it the default.")
    ] = None,
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="Never prompt; fail on missing values.")
    ] = False,
) -> None:
    """Create or update a profile (asks for what is missing on a terminal)."""
    from ofsc_cli.config import list_profiles, write_profile

    obj = get_app(ctx)
    ask = obj.interactive and not non_interactive

    def need(
        value: str | None, label: str, *, hide: bool = False, default: str | None = None
    ) -> str:
        if value:
            return value
        if not ask:
            if default is not None:
                return default
            raise UsageError(f"config init: missing --{label.replace(' ', '-')}")
        answer: str = typer.prompt(label, default=default, hide_input=hide, err=True)
        return answer

    name = need(name or obj.profile, "name", default="default")
    if not base_url:
        instance = need(instance, "instance")
    client_id = need(client_id, "client id")
    if not client_secret and not client_secret_command:
        client_secret = need(None, "client secret", hide=True)
    auth = need(auth, "auth", default="basic")
    if auth not in ("basic", "oauth2"):
        raise UsageError(f"--auth must be basic or oauth2, not {auth!r}")
    values = {
        "instance": instance,
        "client_id": client_id,
        "client_secret": client_secret,
        "client_secret_command": client_secret_command,
        "auth": auth,
        "base_url": base_url,
    }
    path = _path()
    if make_default is None:
        make_default = not any(not builtin for _, _, builtin in list_profiles(path))
    write_profile(path, name, {k: v for k, v in values.items() if v}, make_default=make_default)
    obj.info(f"profile '{name}' written to {path}" + (" (default)" if make_default else ""))
