"""``ofsc config``: profiles in config.toml.

These commands run no API operation (``op=None``): each is a declaration with its own
``run``.  ``config validate --check-connection`` makes the one cheap call of ``auth test``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ofsc_cli.cli.declare import Arg, Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import EXIT_CONFIG, UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext

__all__ = ["GROUP", "app", "complete_profile"]


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


def complete_profile(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of ``-p/--profile``: ``(name, description)`` of the config file's
    profiles, then the built-in ones.  The file is read only here, when a shell asks; a file
    that cannot be read offers the built-in profiles (completion never fails)."""
    from ofsc_cli.config.store import profile_choices

    return [choice for choice in profile_choices(_path()) if choice[0].startswith(incomplete)]


def _profile_names(incomplete: str) -> list[str]:
    """Shell completion of a profile NAME argument."""
    return [name for name, _ in complete_profile(incomplete)]


def _path_run(call: Call) -> None:
    call.obj.stdout.write(f"{_path()}\n")


def _list(call: Call) -> None:
    from ofsc_cli.config import BUILTIN_PROFILES, list_profiles, load_config

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
    call.obj.renderer(("name", "default", "instance", "auth", "source")).write_items(rows)


def _show(call: Call) -> None:
    obj = call.obj
    settings = obj.settings()
    obj.info(f"profile: {settings.profile_name} ({settings.config_path})")
    rows = [
        {"key": key, "value": value, "source": source}
        for key, (value, source) in settings.masked().items()
    ]
    obj.renderer(("key", "value", "source")).write_items(rows)


def _use(call: Call) -> None:
    from ofsc_cli.config import set_default_profile

    name = call.values["name"]
    set_default_profile(_path(), name)
    call.obj.info(f"default profile: {name}")


def _set(call: Call) -> None:
    from ofsc_cli.config import set_value

    key, value = call.values["key"], call.values["value"]
    profile = _target_profile(call.obj)
    set_value(_path(), profile, key, value)
    call.obj.info(f"{profile}: {key} set")


def _unset(call: Call) -> None:
    from ofsc_cli.config import unset_value

    key = call.values["key"]
    profile = _target_profile(call.obj)
    changed = unset_value(_path(), profile, key)
    call.obj.info(f"{profile}: {key} {'removed' if changed else 'was not set'}")


def _validate(call: Call) -> None:
    import typer

    from ofsc_cli.config import validate_file
    from ofsc_cli.errors import OFSConfigurationError

    obj = call.obj
    problems = validate_file(_path())
    if problems:
        for problem in problems:
            obj.stderr.write(f"ofsc: {problem}\n")
        raise typer.Exit(EXIT_CONFIG)
    settings = obj.settings()
    settings.validate_for_connection()
    if call.values["check_connection"]:
        from ofsc_cli.cli.auth_cmd import cheap_call

        cheap_call(obj)
    elif settings.values.client_id is None:
        raise OFSConfigurationError(f"profile '{settings.profile_name}': no client_id")
    obj.info(f"profile '{settings.profile_name}' is valid")


def _init(call: Call) -> None:
    import typer

    from ofsc_cli.config import list_profiles, write_profile
    from ofsc_cli.config.store import check_values

    obj, v = call.obj, call.values
    ask = obj.interactive and not v["non_interactive"]

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

    instance: str | None = v["instance"]
    base_url: str | None = v["base_url"]
    client_secret: str | None = v["client_secret"]
    client_secret_command: str | None = v["client_secret_command"]
    name = need(v["name"] or obj.profile, "name", default="default")
    check_values(name, {"instance": instance, "base_url": base_url})  # before any prompt
    if not base_url:
        instance = need(instance, "instance")
        check_values(name, {"instance": instance})
    client_id = need(v["client_id"], "client id")
    if not client_secret and not client_secret_command:
        client_secret = need(None, "client secret", hide=True)
    auth = need(v["auth"], "auth", default="basic")
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
    make_default: bool | None = v["make_default"]
    if make_default is None:
        make_default = not any(not builtin for _, _, builtin in list_profiles(path))
    write_profile(path, name, {k: v for k, v in values.items() if v}, make_default=make_default)
    obj.info(f"profile '{name}' written to {path}" + (" (default)" if make_default else ""))


KEY = Arg("key", "KEY", help="Setting name (see config.example.toml).")

GROUP = Group(
    "config",
    "Manage profiles in config.toml.",
    (
        Command(
            "path",
            "Print the config file path (OFSC_CONFIG or the platform config dir).",
            "ofsc config path",
            run=_path_run,
        ),
        Command(
            "list",
            "List profiles, the file's and the built-in ones; the default is marked.",
            ("ofsc config list", "ofsc config list -o json"),
            run=_list,
        ),
        Command(
            "show",
            "Show the resolved settings of a profile with their source; secrets masked.",
            ("ofsc config show", "ofsc config show -p prod --timeout 7 -o json"),
            run=_show,
        ),
        Command(
            "use",
            "Make NAME the default profile.",
            "ofsc config use prod",
            params=(Arg("name", "NAME", help="Profile name.", complete=_profile_names),),
            run=_use,
        ),
        Command(
            "set",
            "Set KEY to VALUE in a profile (-p NAME, else the default profile).",
            ("ofsc config set timeout 60 -p prod", "ofsc config set auth oauth2 -p prod"),
            params=(KEY, Arg("value", "VALUE", help="New value.")),
            run=_set,
        ),
        Command(
            "unset",
            "Remove KEY from a profile (-p NAME, else the default profile).",
            "ofsc config unset timeout -p prod",
            params=(Arg("key", "KEY", help="Setting name."),),
            run=_unset,
        ),
        Command(
            "validate",
            "Check the config file and the profile; --check-connection also calls the API.\n\n"
            "A problem in the file or the profile exits 3; credentials that do not work "
            "(with --check-connection) exit 4.",
            ("ofsc config validate -p prod", "ofsc config validate -p prod --check-connection"),
            params=(Opt("--check-connection", help="Also make one cheap API call.", kind="bool"),),
            run=_validate,
        ),
        Command(
            "init",
            "Create or update a profile (asks for what is missing on a terminal).\n\n"
            "Every value is checked before anything is written: a bad instance name or base "
            "URL exits 3.",
            (
                "ofsc config init",
                "ofsc config init --name prod --instance acme --client-id ofsc-cli"
                " --client-secret-command 'pass show ofsc/prod' --auth oauth2 --non-interactive",
            ),
            params=(
                Opt("--name", help="Profile name.", metavar="NAME"),
                Opt("--instance", help="Instance name.", metavar="NAME"),
                Opt("--client-id", help="Client id of the application.", metavar="ID"),
                Opt(
                    "--client-secret",
                    help="Stored in the file (mode 0600).",
                    metavar="SECRET",
                ),
                Opt(
                    "--client-secret-command",
                    help="Command printing the secret.",
                    metavar="COMMAND",
                ),
                Opt(
                    "--auth", help="Authentication method (default: basic).", metavar="basic|oauth2"
                ),
                Opt("--base-url", help="Base URL instead of the instance's.", metavar="URL"),
                Opt(
                    "--default/--no-default",
                    name="make_default",
                    help="Make it the default profile (default: only the file's first one).",
                    kind="bool",
                ),
                Opt(
                    "--non-interactive",
                    help="Never prompt; fail on missing values.",
                    kind="bool",
                ),
            ),
            run=_init,
        ),
    ),
)

app = build(GROUP)
