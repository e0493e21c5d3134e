"""``file get|info|set|delete KEY LABEL``: the file-property commands of every entity that
has them (activities, resources, users, inventories; service requests: read only).

Downloads to a file go through the resumable :func:`ofsc_cli.client._download.download`
(``<file>.part``, ``Range`` resume, atomic rename, progress bar on stderr); without
``--output-file`` the bytes stream to stdout (refused on a terminal).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ofsc_cli.cli._resource import DRY_RUN, DryRunOpt, YesOpt, confirm, execute, render_result
from ofsc_cli.cli.context import app
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client._download import DownloadResult

__all__ = ["MAX_FILE_BYTES", "add_file_commands", "download_file"]

MAX_FILE_BYTES = 5_000_000
"""The largest file property the API stores (5 MB)."""

OutputFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--output-file",
        help="Save here (resumable, replaced only when complete); default: stdout.",
    ),
]
AcceptOpt = Annotated[
    str | None, typer.Option("--accept", help="Media type to ask for (default: any).")
]
ContentTypeOpt = Annotated[
    str | None,
    typer.Option(
        "--content-type", "--media-type", help="Media type (default: guessed from the name)."
    ),
]


def download_file(obj: AppContext, declared: Any, *args: Any, dest: Path) -> DownloadResult:
    """Stream a GET operation's body to ``dest`` with a progress bar (resumable)."""
    from ofsc_cli.client._download import download
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
    from ofsc_cli.client._reader import open_input

    try:
        with open_input(file) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{file}: more than 5 MB; a file property holds at most 5 MB")
    return data


def add_file_commands(
    parent: typer.Typer,
    *,
    entity: str,
    key_metavar: str,
    key_help: str,
    get: Any,
    put: Any = None,
    delete: Any = None,
    numeric_key: bool = False,
) -> None:
    """Add the ``file`` group to ``parent``: ``get`` and ``info`` (from the declared GET
    operation ``get``), ``set`` and ``delete`` when ``put`` / ``delete`` are given.

    ``entity`` names the owner in messages ("activity", "user"…); ``numeric_key`` makes the
    key a whole number (checked before anything is sent)."""
    files = typer.Typer(
        name="file",
        help=f"File properties of a {entity} (photos, signatures…).",
        no_args_is_help=True,
    )
    key_arg: Any = typer.Argument(metavar=key_metavar, help=key_help)
    label_arg: Any = typer.Argument(metavar="PROPERTY", help="File property label.")

    def key_of(value: str) -> int | str:
        if not numeric_key:
            return value
        if not value.isdigit():
            raise UsageError(f"{key_metavar} must be a whole number, not {value!r}")
        return int(value)

    def owner(key: int | str) -> str:
        return f"{entity} {key}" if numeric_key else f"{entity} '{key}'"

    @files.command("get")
    def get_(
        ctx: typer.Context,
        key: str = key_arg,
        label: str = label_arg,
        output_file: OutputFileOpt = None,
        accept: AcceptOpt = None,
    ) -> None:
        """Download a file property (to --output-file: resumes a partial download)."""
        obj = app(ctx)
        kwargs = {"accept": accept} if accept else {}
        if output_file is None:
            _to_stdout(obj, get, key_of(key), label, **kwargs)
            return
        if not output_file.parent.is_dir():
            raise UsageError(
                f"cannot write {output_file}: the directory {output_file.parent} does not "
                "exist; nothing was downloaded"
            )
        result = download_file(obj, get, key_of(key), label, dest=output_file, **kwargs)
        how = f" (resumed from byte {result.resumed_from})" if result.resumed_from else ""
        how += " (restarted: the server sent the whole file)" if result.restarted else ""
        obj.info(f"saved {result.path} ({result.size} bytes){how}")

    @files.command("info")
    def info(ctx: typer.Context, key: str = key_arg, label: str = label_arg) -> None:
        """Show a file property's metadata (name, media type, size)."""
        import json

        obj = app(ctx)
        data = execute(obj, get, key_of(key), label, accept="application/json")
        try:
            render_result(obj, json.loads(data))
        except ValueError:
            raise UsageError("the server did not describe the file (no JSON metadata)") from None

    if put is not None:

        @files.command("set")
        def set_(
            ctx: typer.Context,
            key: str = key_arg,
            label: str = label_arg,
            file: Path = typer.Option(..., "--file", "-F", help="The file to upload."),
            content_type: ContentTypeOpt = None,
            dry_run: DryRunOpt = False,
        ) -> None:
            """Upload a file property (at most 5 MB)."""
            import mimetypes

            obj = app(ctx)
            content = _read_upload(file)
            media = content_type or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            value = key_of(key)
            result = execute(
                obj,
                put,
                value,
                label,
                content,
                media_type=media,
                filename=file.name,
                dry_run=dry_run,
            )
            if result is not DRY_RUN:
                obj.info(
                    f"stored {file} ({len(content)} bytes, {media}) as {label} of {owner(value)}"
                )

    if delete is not None:

        @files.command("delete")
        def delete_(
            ctx: typer.Context,
            key: str = key_arg,
            label: str = label_arg,
            yes: YesOpt = False,
            dry_run: DryRunOpt = False,
        ) -> None:
            """Remove a file property."""
            obj = app(ctx)
            value = key_of(key)
            if not dry_run:
                confirm(obj, f"Delete {label} of {owner(value)}?", yes)
            if execute(obj, delete, value, label, dry_run=dry_run) is not DRY_RUN:
                obj.info(f"deleted {label} of {owner(value)}")

    parent.add_typer(files, name="file")
