"""A successful answer that does not fit its model still reaches the user.

The library raises :class:`~ofsc_cli.errors.OFSSerializationError` for such an answer and keeps
it on the error (``body``, ``content``; ``received`` is true).  The CLI's error edge
(``RootGroup.invoke``) hands that error to :func:`show_as_received`, once for every command:
the data is written as received, in the chosen output format (an ``items`` envelope as a list,
like every list command), one warning goes to stderr (``--debug`` adds the validation
problems) and the command exits 0.

That happens only while the command has written nothing to stdout: a streamed list whose later
page does not fit stays an error (exit 1), so a partial result is never mistaken for a whole one.
:func:`tracked` is the stream renderers write through, which records that output has begun.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.errors import OFSSerializationError

__all__ = ["show_as_received", "tracked"]


class _Tracked:
    """``stream`` as is, except that a write marks ``obj.data_written``."""

    def __init__(self, stream: TextIO, obj: AppContext) -> None:
        self._stream = stream
        self._obj = obj

    def write(self, text: str) -> int:
        if text:
            self._obj.data_written = True
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def tracked(stream: TextIO, obj: AppContext) -> TextIO:
    """``stream``, recording on ``obj`` when anything is written to it."""
    return cast("TextIO", _Tracked(stream, obj))


def show_as_received(obj: AppContext, error: OFSSerializationError) -> bool:
    """Write the answer ``error`` carries, with a warning; False if it cannot be shown
    (not a successful JSON answer, or the command already wrote part of its output)."""
    if not error.received or obj.data_written:
        return False
    model = error.model or "expected"
    obj.warn(f"the answer did not match the {model} model; shown as received (--debug for details)")
    if obj.debug and error.validation_error:
        obj.log(f"ofsc: debug: {error.validation_error}")
    body = error.body
    renderer = obj.renderer()
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        renderer.write_items(body["items"])
    elif isinstance(body, list):
        renderer.write_items(body)
    else:
        renderer.write_object(body)
    return True
