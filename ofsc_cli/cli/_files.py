"""``file get|info|set|delete KEY PROPERTY``: the file-property commands of every entity that
has them (activities, resources, users, inventories; service requests: read only), declared
once by :func:`file_group` for each owner.

Downloads to a file go through the resumable :func:`ofsc_cli.client.download.download`
(``<file>.part``, ``Range`` resume, atomic rename, progress bar on stderr); without
``--output-file`` the bytes stream to stdout (refused on a terminal).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsc_cli.cli.declare import DRY_RUN, Arg, Call, Command, Group, Opt
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client.download import DownloadResult

__all__ = ["MAX_FILE_BYTES", "download_file", "file_commands", "file_group"]

MAX_FILE_BYTES = 5_000_000
"""The largest file property the API stores (5 MB)."""


def download_file(obj: AppContext, declared: Any, *args: Any, dest: Path) -> DownloadResult:
    """Stream a GET operation's body to ``dest`` with a progress bar (resumable)."""
    from ofsc_cli.client.download import download
    from ofsc_cli.output import progress

    with progress(
        None, dest.name, enabled=obj.show_progress, stream=obj.stderr, color=not obj.no_color
    ) as bar:
        seen = [0]

        def report(done: int, total: int | None) -> None:
            if total is not None:
                bar.update(total=total)
            bar.advance(done - seen[0])
            seen[0] = done

        return download(obj.client(), declared, *args, dest=dest, progress=report)


def _to_stdout(obj: AppContext, declared: Any, *args: Any, **kwargs: Any) -> None:
    """Stream a GET operation's body to stdout (binary when it has a buffer)."""
    if obj.stdout_tty:
        raise UsageError("binary content: use --output-file PATH (or redirect stdout)")
    client = obj.client()
    built = declared.build(getattr(client, declared.spec.namespace), *args, **kwargs)
    request = client.request_kwargs(declared.spec, built)
    method, url = request.pop("method"), request.pop("url")
    out = getattr(obj.stdout, "buffer", None)
    with client.stream(method, url, **request) as response:
        for chunk in response.iter_bytes():
            if out is not None:
                out.write(chunk)
            else:
                obj.stdout.write(chunk.decode("utf-8", "replace"))
    (out or obj.stdout).flush()


def _read_upload(file: Path) -> bytes:
    """The bytes to upload: a regular file (not a directory, device or FIFO), at most 5 MB."""
    from ofsc_cli.client.reader import open_input

    try:
        with open_input(file) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{file}: more than 5 MB; a file property holds at most 5 MB")
    return data


# -- the declarations -------------------------------------------------------------------------


def _key(call: Call, metavar: str, numeric: bool) -> int | str:
    """The owner's key: a whole number when the owner's ids are (checked before sending)."""
    value = str(call.values["key"])
    if not numeric:
        return value
    if not value.isdigit():
        raise UsageError(f"{metavar} must be a whole number, not {value!r}")
    return int(value)


def _get(metavar: str, numeric: bool) -> Any:
    def run(call: Call) -> None:
        obj, label = call.obj, call.values["label"]
        accept = call.values["accept"]
        kwargs = {"accept": accept} if accept else {}
        key = _key(call, metavar, numeric)
        if call.values["output_file"] is None:
            _to_stdout(obj, call.command.op, key, label, **kwargs)
            return
        dest = Path(call.values["output_file"])
        if not dest.parent.is_dir():
            raise UsageError(
                f"cannot write {dest}: the directory {dest.parent} does not "
                "exist; nothing was downloaded"
            )
        result = download_file(obj, call.command.op, key, label, dest=dest, **kwargs)
        how = f" (resumed from byte {result.resumed_from})" if result.resumed_from else ""
        how += " (restarted: the server sent the whole file)" if result.restarted else ""
        obj.info(f"saved {result.path} ({result.size} bytes){how}")

    return run


def _info(metavar: str, numeric: bool) -> Any:
    def run(call: Call) -> None:
        import json

        key = _key(call, metavar, numeric)
        data = call.execute(None, key, call.values["label"], accept="application/json")
        try:
            described = json.loads(data)
        except ValueError:
            raise UsageError("the server did not describe the file (no JSON metadata)") from None
        call.render(described)

    return run


def _set(metavar: str, numeric: bool, owner: str) -> Any:
    def run(call: Call) -> None:
        import mimetypes

        file = Path(call.values["file"])
        label = call.values["label"]
        content = _read_upload(file)
        media = (
            call.values["content_type"]
            or mimetypes.guess_type(file.name)[0]
            or "application/octet-stream"
        )
        key = _key(call, metavar, numeric)
        result = call.execute(None, key, label, content, media_type=media, filename=file.name)
        if result is not DRY_RUN:
            call.obj.info(
                f"stored {file} ({len(content)} bytes, {media}) as {label} of "
                + owner.format(key=key)
            )

    return run


def _delete(metavar: str, numeric: bool, owner: str) -> Any:
    def run(call: Call) -> None:
        label = call.values["label"]
        key = _key(call, metavar, numeric)
        call.confirm(f"Delete {label} of {owner.format(key=key)}?")
        if call.execute(None, key, label) is not DRY_RUN:
            call.obj.info(f"deleted {label} of {owner.format(key=key)}")

    return run


def file_commands(
    *,
    entity: str,
    key_metavar: str,
    key_help: str,
    prefix: str,
    example_key: str,
    example_property: str,
    get: Any,
    put: Any = None,
    delete: Any = None,
    numeric_key: bool = False,
) -> tuple[Command, ...]:
    """The ``file`` commands of one owner: ``get`` and ``info`` (from the GET operation
    ``get``), ``set`` and ``delete`` when ``put`` / ``delete`` are given.

    ``entity`` names the owner in messages ("activity", "user"…); ``numeric_key`` makes the
    key a whole number (checked before anything is sent).  ``prefix`` is the owner's command
    line (``"ofsc core activities"``); ``example_key``/``example_property`` fill the examples."""
    owner = f"{entity} {{key}}" if numeric_key else f"{entity} '{{key}}'"
    key = Arg("key", key_metavar, key_help, to_op=False)
    label = Arg("label", "PROPERTY", "File property label.", to_op=False)
    line = f"{prefix} file {{verb}} {example_key} {example_property}"
    commands = [
        Command(
            "get",
            "Download a file property (to --output-file: resumes a partial download).",
            (
                line.format(verb="get") + f" --output-file {example_property}.png",
                line.format(verb="get") + " > file.bin",
            ),
            op=get,
            params=(
                key,
                label,
                Opt(
                    "--output-file",
                    help="Save here (resumable, replaced only when complete); default: stdout.",
                    metavar="PATH",
                    to_op=False,
                ),
                Opt("--accept", help="Media type to ask for (default: any).", to_op=False),
            ),
            run=_get(key_metavar, numeric_key),
        ),
        Command(
            "info",
            "Show a file property's metadata (name, media type, size).",
            line.format(verb="info"),
            op=get,
            params=(key, label),
            run=_info(key_metavar, numeric_key),
        ),
    ]
    if put is not None:
        commands.append(
            Command(
                "set",
                "Upload a file property (at most 5 MB).",
                line.format(verb="set") + f" --file {example_property}.png",
                op=put,
                params=(
                    key,
                    label,
                    Opt(
                        "--file",
                        short="-F",
                        help="The file to upload.",
                        metavar="PATH",
                        required=True,
                        to_op=False,
                    ),
                    Opt(
                        "--content-type",
                        aliases=("--media-type",),
                        help="Media type (default: guessed from the name).",
                        to_op=False,
                    ),
                ),
                run=_set(key_metavar, numeric_key, owner),
            )
        )
    if delete is not None:
        commands.append(
            Command(
                "delete",
                "Remove a file property.",
                line.format(verb="delete") + " --yes",
                op=delete,
                params=(key, label),
                confirm=f"Delete {{label}} of {entity} {{key}}?",
                run=_delete(key_metavar, numeric_key, owner),
            )
        )
    return tuple(commands)


def file_group(
    *,
    entity: str,
    key_metavar: str,
    key_help: str,
    prefix: str,
    example_key: str,
    example_property: str,
    get: Any,
    put: Any = None,
    delete: Any = None,
    numeric_key: bool = False,
) -> Group:
    """The ``file`` group of one owner (see :func:`file_commands`)."""
    return Group(
        "file",
        f"File properties of {'an' if entity[:1] in 'aeiou' else 'a'} {entity} "
        "(photos, signatures…).",
        file_commands(
            entity=entity,
            key_metavar=key_metavar,
            key_help=key_help,
            prefix=prefix,
            example_key=example_key,
            example_property=example_property,
            get=get,
            put=put,
            delete=delete,
            numeric_key=numeric_key,
        ),
    )
