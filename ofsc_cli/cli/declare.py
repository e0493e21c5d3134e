"""One declaration per command.

Every ``ofsc`` command is a :class:`Command`: the verb, the client operation it calls (if
any), its arguments and options (:class:`Arg`, :class:`Opt`, literal flags you can grep),
its body (:class:`Body`), help text, at least one example, output columns, and whether it
pages or is destructive.  :func:`build` turns a :class:`Group` of declarations into click
commands; everything users expect of a command comes from here, written once:

* ``--file/-F`` for a body (JSON/YAML, ``-`` for stdin), checked against the body model;
* ``--yes/-y`` and a confirmation on a terminal for a destructive verb (``confirm=``); a
  declined confirmation prints "cancelled" and exits with :data:`EXIT_CANCELLED`;
* ``--dry-run`` on every command that writes (prints the request, sends nothing);
* the list flow of paged operations: one page (a readable one on a terminal), ``--limit N``,
  ``--offset``, ``--all`` (``--concurrency`` pages at a time), and a hint on stderr when more
  items exist;
* repeated list options accumulate (``--areas A --areas B`` is ``A,B``);
* ``--help`` ends with the declaration's examples.

Custom actions that need code give ``run=``: a function of one :class:`Call`, which offers
the converted values and the same building blocks (``execute``, ``render``, ``body``,
``confirm``, ``pages``).  The operation key each command carries (``Command.op``) is what
the coverage map reads (:mod:`ofsc_cli.cli.coverage`): nothing is typed twice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from typer import _click as click
from typer.core import TyperArgument, TyperCommand, TyperGroup

from ofsc_cli.cli._groups import SuggestingGroup
from ofsc_cli.cli.errors import EXIT_CANCELLED, UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext

__all__ = [
    "DRY_RUN",
    "INT64",
    "MAX_ITEMS",
    "TERMINAL_PAGE",
    "Arg",
    "Body",
    "Call",
    "Command",
    "DeclaredCommand",
    "DeclaredGroup",
    "Group",
    "Opt",
    "build",
    "check_date",
    "check_number",
    "declarations",
    "item_model",
]

DRY_RUN = object()
"""What :meth:`Call.execute` returns when the request was printed instead of sent."""

MAX_ITEMS = 1_000_000_000
"""The bound of ``--limit`` and ``--offset``: no list holds a billion items."""
INT64 = (-(2**63), 2**63 - 1)
"""The range of the API's integers (ids, counts)."""
TERMINAL_PAGE = 50
"""Items asked for by one page on a terminal (without ``--limit``/``--all``): a screenful
to read, not the API's default of 100 or more (2,000 for activities)."""

KINDS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "list",
        "words",
        "date",
        "time",
        "route-day",
        "week-day",
        "choice",
    }
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ROUTE_DAYS = ("nonScheduled", "multiday")
_ENVELOPE = frozenset({"items", "totalResults", "links", "offset", "limit", "hasMore"})


# -- the declaration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """A positional argument; passed to the operation positionally, in order.

    ``kind``: ``str``, ``int``, ``float``, ``date`` (YYYY-MM-DD), ``time``
    (YYYY-MM-DD HH:MM:SS), ``route-day`` (a date, ``nonScheduled`` or ``multiday``),
    ``week-day`` (a date or ``mon``…``sun``), ``choice`` (one of ``choices``) or ``words``
    (every remaining word, as a list).  ``required=False`` makes it optional (``None`` when
    left out)."""

    name: str
    metavar: str
    help: str = ""
    kind: str = "str"
    choices: tuple[str, ...] = ()
    required: bool = True
    bounds: tuple[float, float] | None = None
    to_op: bool = True
    """False: the value is for a custom ``run`` only, not passed to the operation."""
    complete: Callable[[str], list[str]] | None = None
    """Shell completion of the value (choices complete by themselves)."""

    @property
    def label(self) -> str:
        return self.metavar


@dataclass(frozen=True)
class Opt:
    """An option; passed to the operation by keyword ``name`` (left out when not given).

    ``flag`` is the long flag as users type it (``"--date-from"``; a boolean with a negative
    form is ``"--x/--no-x"``); ``name`` defaults to the flag in snake case.  Kinds as for
    :class:`Arg`, plus ``bool`` (a flag) and ``list`` (comma-separated and repeatable: the
    values accumulate).  ``body=True`` options feed :attr:`Body.build` instead of the call;
    ``to_op=False`` ones are for a custom ``run`` only."""

    flag: str
    name: str = ""
    help: str = ""
    kind: str = "str"
    metavar: str | None = None
    short: str | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    default: Any = None
    body: bool = False
    to_op: bool = True
    bounds: tuple[float, float] | None = None
    complete: Callable[[str], list[str]] | None = None
    """Shell completion of the value (choices complete by themselves)."""
    aliases: tuple[str, ...] = ()
    """Other long flags of the same option (``--media-type`` for ``--content-type``)."""

    @property
    def key(self) -> str:
        if self.name:
            return self.name
        return self.flag.split("/", 1)[0].lstrip("-").replace("-", "_")

    @property
    def label(self) -> str:
        return self.flag.split("/", 1)[0]


@dataclass(frozen=True)
class Body:
    """The request body: ``--file`` (JSON or YAML, ``-`` for stdin) checked against
    ``model`` (each element when ``array``), or built from the ``body`` options by ``build``
    (which returns ``None`` when none of them was given).  ``key`` names the body field
    that must agree with the command's first argument (``workZoneLabel`` = LABEL).
    ``envelope``: an ``array`` may also come as ``{"items": [...]}`` (errors name
    ``items[i]``), the form the API's collection-wide writes take.  ``schema``: a file is
    also checked against the operation's request schema in the API catalog, refusing fields
    the schema does not define unless ``closed=False``.  ``model`` may be a
    :class:`~ofsc_cli.models.refs.ModelRef` (a command module's ``LazyModels``): it is
    imported when a body is first checked (:attr:`model_type`)."""

    model: type[Any] | None = None
    array: bool = False
    build: Callable[[Mapping[str, Any]], Any] | None = None
    key: str | None = None
    required: bool = True
    envelope: bool = False
    schema: bool = False
    closed: bool = True

    @property
    def model_type(self) -> type[Any] | None:
        """The body model itself (a reference imported now), or ``None`` when there is none.
        Raises :class:`ImportError`/:class:`AttributeError` for a reference to a model that
        does not exist (a programming error in a declaration)."""
        from ofsc_cli.models.refs import ModelRef

        model = self.model
        if isinstance(model, ModelRef):
            resolved: type[Any] = model.resolve()
            return resolved
        return model


@dataclass(frozen=True)
class Command:
    """One command.  See the module docstring for what comes from each field."""

    verb: str
    help: str
    example: str | tuple[str, ...]
    op: Any = None
    """The client operation, as declared on its namespace class (``Metadata.get_work_zone``)."""
    params: tuple[Arg | Opt, ...] = ()
    columns: tuple[str, ...] = ()
    body: Body | None = None
    confirm: str | None = None
    """A destructive verb: the question, formatted with the values (``"Delete '{label}'?"``)."""
    paging: bool | None = None
    """Offer the list flow; default: the operation is an offset-paged collection."""
    concurrency: int = 8
    page_size: int | None = None
    """``limit`` sent with each page (default: the operation's own)."""
    spans: tuple[tuple[str, str, int | None], ...] = ()
    """``(first, last, max_days)`` date pairs checked before sending."""
    api_fields: str | None = None
    """The operation's keyword that receives the global ``--fields`` (sent to the API)."""
    done: str | None = None
    """Printed on stderr after success (formatted with the values)."""
    what: str = "items"
    dry_run: bool | None = None
    """Offer ``--dry-run``; default: the operation is not a GET."""
    run: Callable[[Call], Any] | None = None
    """A custom action; without it the standard flow runs the operation."""
    also: tuple[Any, ...] = ()
    """Other operations a custom action may run (``--v1``, polling a status)."""
    aliases: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def examples(self) -> tuple[str, ...]:
        return (self.example,) if isinstance(self.example, str) else self.example

    @property
    def op_key(self) -> str | None:
        """``"GET /rest/..."`` of the operation, the key of the coverage map."""
        return None if self.op is None else str(self.op.spec.key)

    @property
    def op_keys(self) -> tuple[str, ...]:
        """The keys of every operation the command may run (``op`` first, then ``also``)."""
        ops = ((self.op,) if self.op is not None else ()) + self.also
        return tuple(str(o.spec.key) for o in ops)

    @property
    def pages(self) -> bool:
        if self.paging is not None:
            return self.paging
        return self.op is not None and self.op.spec.paging == "offset"

    @property
    def writes(self) -> bool:
        if self.dry_run is not None:
            return self.dry_run
        return self.op is not None and self.op.spec.method != "GET"


@dataclass(frozen=True)
class Group:
    """A command group.  ``default`` is the verb run when the first word is not one of the
    group's commands (``activities links 4225`` = ``activities links list 4225``)."""

    name: str
    help: str
    commands: tuple[Command | Group, ...] = ()
    default: str | None = None
    aliases: tuple[str, ...] = ()


# -- conversion -------------------------------------------------------------------------------


def check_number(value: float, label: str, bounds: tuple[float, float] | None = None) -> None:
    """A usage error naming ``label`` unless ``value`` is finite and within ``bounds``
    (default: :data:`INT64`)."""
    low, high = bounds or INT64
    if not math.isfinite(value):
        raise UsageError(f"{label}: {value} is not a finite number")
    if not low <= value <= high:
        raise UsageError(f"{label}: {value} is out of range: use a number from {low} to {high}")


def check_date(value: str, label: str) -> str:
    """``value`` if it is a real ``YYYY-MM-DD`` date in the accepted years; a usage error
    naming ``label`` otherwise."""
    from ofsc_cli.client.dates import check_day

    try:
        if not _DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid {label} '{value}': expected a date as YYYY-MM-DD") from None
    check_day(day, label)
    return value


def _convert(p: Arg | Opt, value: Any) -> Any:
    if value is None or value == ():
        return None if p.kind in ("list", "words") or value is None else value
    if p.kind in ("int", "float"):
        check_number(value, p.label, p.bounds)
        return value
    if p.kind == "bool":
        return value
    if p.kind == "words":
        return list(value)
    if p.kind == "list":
        parts = [part.strip() for v in value for part in str(v).split(",") if part.strip()]
        if not parts:
            raise UsageError(f"{p.label}: give at least one value")
        return parts
    text = str(value)
    if p.kind == "date":
        return check_date(text, p.label)
    if p.kind == "time":
        if not _TIME.match(text):
            raise UsageError(f"{p.label}: '{text}' is not YYYY-MM-DD HH:MM:SS")
        return text
    if p.kind in ("route-day", "week-day"):
        special = _ROUTE_DAYS if p.kind == "route-day" else _WEEKDAYS
        if text in special:
            return text
        try:
            return check_date(text, p.label)
        except UsageError:
            raise UsageError(
                f"invalid {p.label} '{text}': expected YYYY-MM-DD or one of {', '.join(special)}"
            ) from None
    return text


def _check_span(
    values: Mapping[str, Any], first: str, last: str, max_days: int | None, labels: str
) -> None:
    start, end = values.get(first), values.get(last)
    if start is None or end is None:
        return
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days
    if days < 0:
        raise UsageError(f"invalid range {labels}: {start} is after {end}")
    if max_days is not None and days + 1 > max_days:
        raise UsageError(
            f"invalid range {labels}: {days + 1} days; the API accepts at most {max_days}"
        )


def item_model(op: Any) -> type[Any] | None:
    """The model of one item an operation returns (a page's item type, or the response)."""
    if op is None:
        return None
    response = op.spec.response
    meta = getattr(response, "__pydantic_generic_metadata__", None)
    if meta and meta.get("args"):
        inner = meta["args"][0]
        return inner if isinstance(inner, type) else None
    return response if isinstance(response, type) and hasattr(response, "model_fields") else None


# -- running a command ------------------------------------------------------------------------


@dataclass
class Call:
    """One run of a declared command: the context, the converted values, and the standard
    building blocks, for the standard flow and for custom ``run`` functions alike."""

    obj: AppContext
    command: Command
    values: dict[str, Any]
    dry_run: bool = False
    yes: bool = False
    file: str | None = None
    all: bool = False
    limit: int | None = None
    offset: int = 0
    concurrency: int = 8

    # the operation's arguments, from the declaration

    def args(self) -> list[Any]:
        return [self.values[p.name] for p in self.command.params if isinstance(p, Arg) and p.to_op]

    def kwargs(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for p in self.command.params:
            if not isinstance(p, Opt) or p.body or not p.to_op:
                continue
            value = self.values.get(p.key)
            # A plain flag that is off is left out; an explicit --no-x is sent as False.
            if value is not None and (value is not False or "/" in p.flag):
                found[p.key] = value
        if self.command.api_fields is not None:
            found[self.command.api_fields] = self.api_fields()
        return found

    def api_fields(self) -> list[str] | None:
        """The API ``fields`` for the global ``--fields``: each top-level name once."""
        if not self.obj.fields:
            return None
        names = [f.split(".", 1)[0].split("[", 1)[0] for f in self.obj.fields]
        return list(dict.fromkeys(n for n in names if n))

    # building blocks

    def execute(self, op: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Run ``op`` (default: the command's) with the current profile's client, or print
        the request with ``--dry-run`` (returns :data:`DRY_RUN`)."""
        declared = op if op is not None else self.command.op
        client = self.obj.client()
        namespace = getattr(client, declared.spec.namespace)
        built = declared.build(namespace, *args, **kwargs)
        # A reading command offering --dry-run prints its GETs too; the GETs a writing
        # command makes first (the current state) still run.
        main = self.command.op
        reads = main is not None and main.spec.method == "GET"
        if self.dry_run and (declared.spec.method != "GET" or reads):
            print_request(self.obj, client.build(declared.spec, built))
            return DRY_RUN
        return client.execute(declared.spec, built)

    def bound(self, op: Any = None) -> Any:
        """``op`` bound to the sync client (``.iter()``, ``.pages()``)."""
        spec = (op if op is not None else self.command.op).spec
        return getattr(getattr(self.obj.client(), spec.namespace), spec.name)

    def confirm(self, question: str) -> None:
        """Ask on a terminal; refuse without ``--yes`` otherwise (nothing asked on a dry run)."""
        if self.dry_run:
            return
        confirm(self.obj, question, self.yes)

    def body(self, key: str | None = None, op: Any = None) -> Any:
        """The request body (see :class:`Body`) for ``op`` (default: the command's);
        ``None`` when it is optional and not given."""
        declared = self.command.body
        if declared is None:
            return None
        return read_body(declared, self.file, self.values, key, op=op or self.command.op)

    def render(self, result: Any, columns: Sequence[str] | None = None) -> None:
        """An operation's result: a page or an ``items`` envelope as a list (its other
        members, such as a route's start time, go to stderr), anything else as one object."""
        from ofsc_cli.models import dump

        if result is DRY_RUN or result is None:
            return
        data = dump(result)
        renderer = self._renderer(columns)
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            renderer.write_items(data["items"])
            extras = {k: v for k, v in data.items() if k not in _ENVELOPE}
            if extras:
                self.obj.info(", ".join(f"{k}: {v}" for k, v in extras.items()))
        elif isinstance(data, list):
            renderer.write_items(data)
        else:
            renderer.write_object(data)

    def write(self, items: Iterable[Any], columns: Sequence[str] | None = None) -> int:
        """Write items as they arrive; if fetching fails part way, the error says how many
        were written.  "no results" on a terminal when there were none."""
        from ofsc_cli.errors import OFSError
        from ofsc_cli.models import dump

        count = 0

        def counted() -> Iterator[Any]:
            nonlocal count
            for item in items:
                count += 1
                yield item if type(item) is dict else dump(item)

        try:
            written: int = self._renderer(columns).write_items(counted())
        except OFSError as error:
            if count:
                error.message = (
                    f"export incomplete: {count} {self.command.what} written; {error.message}"
                )
            raise
        if written == 0 and self.obj.stderr_tty:
            self.obj.info("no results")
        return written

    def _renderer(self, columns: Sequence[str] | None) -> Any:
        cols = tuple(self.command.columns if columns is None else columns)
        model = item_model(self.command.op)
        return self.obj.renderer(cols, model=model)

    def items(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every item of the command's paged operation from ``--offset``, in order: with
        ``--all`` from the start, ``--concurrency`` pages at a time.  An operation that is
        not offset-paged answers every item in one call (``--offset`` skips some)."""
        op = self.command.op
        if op.spec.paging != "offset":
            from itertools import islice

            result = self.execute(None, *args, **kwargs)
            yield from islice(getattr(result, "items", None) or [], self.offset, None)
        elif self.all and self.offset == 0:
            yield from iter_all(self.obj, op, *args, concurrency=self.concurrency, **kwargs)
        else:
            yield from self.bound().iter(*args, offset=self.offset, **kwargs)

    def list_flow(self, *args: Any, **kwargs: Any) -> None:
        """The one list flow: ``--all``/``--limit`` stream items, otherwise one page (a
        readable one on a terminal) with a hint on stderr when more exist."""
        from itertools import islice

        if self.command.op.spec.paging != "offset":  # ``paging=True`` on a whole collection
            self.write(islice(self.items(*args, **kwargs), self.limit))
            return
        if self.command.page_size is not None and "limit" not in kwargs:
            kwargs["limit"] = self.command.page_size
        if self.all or self.limit:
            self.write(islice(self.items(*args, **kwargs), self.limit))
            return
        if self.obj.stdout_tty and "limit" in self.command.op.spec.query:
            # (an operation without ``limit``, such as lastKnownPositions, pages as it does)
            kwargs["limit"] = min(kwargs.get("limit") or TERMINAL_PAGE, TERMINAL_PAGE)
        page = self.execute(None, *args, offset=self.offset or None, **kwargs)
        shown = self.write(getattr(page, "items", None) or [])
        total = getattr(page, "totalResults", None)
        if getattr(page, "hasMore", None) or (total is not None and self.offset + shown < total):
            of = f" of {total}" if total is not None else ""
            self.obj.info(f"Showing {shown}{of}; use --all for every item or --limit N.")


def standard(call: Call) -> None:
    """The standard flow: confirm, read the body, run the operation (or list), render."""
    cmd = call.command
    call.obj.check_fields(item_model(cmd.op))  # an obvious --fields typo: nothing sent
    for first, last, max_days in cmd.spans:
        labels = "/".join(p.label for p in cmd.params if _name(p) in (first, last))
        _check_span(call.values, first, last, max_days, labels)
    args = call.args()
    kwargs = call.kwargs()
    if cmd.body is not None:
        key = str(args[0]) if args and cmd.body.key else None
        body = call.body(key)
        if body is not None or cmd.body.required:
            args.append(body)
    if cmd.confirm is not None:
        call.confirm(cmd.confirm.format(**call.values))
    if cmd.pages:
        call.list_flow(*args, **kwargs)
        return
    result = call.execute(None, *args, **kwargs)
    call.render(result)
    if cmd.done is not None and result is not DRY_RUN:
        call.obj.info(cmd.done.format(**call.values))


def confirm(obj: AppContext, question: str, yes: bool) -> None:
    """Ask on a terminal; refuse without ``--yes`` otherwise."""
    if yes:
        return
    if not obj.interactive:
        raise UsageError(f"{question.rstrip('?')}: refusing without --yes (not a terminal)")
    import typer

    if not typer.confirm(question, default=False, err=True):
        typer.echo("cancelled", err=True)
        raise typer.Exit(EXIT_CANCELLED)


def read_body(
    body: Body,
    file: str | None,
    values: Mapping[str, Any],
    key: str | None = None,
    *,
    op: Any = None,
) -> Any:
    """The body from ``--file`` or the body options (see :class:`Body`); ``op`` is the
    operation whose catalog schema a ``schema`` body is checked against."""
    from ofsc_cli.cli._input import load_body, validate_body

    if file is None:
        built = body.build(values) if body.build is not None else None
        if built is None and body.required:
            raise UsageError("give the body with --file PATH (JSON or YAML; '-' for stdin)")
        return built
    if body.schema and op is not None:
        from ofsc_cli.cli._input import read_checked_body

        data = read_checked_body(file, op, closed=body.closed)
    else:
        data = load_body(file)
    source = "<stdin>" if file == "-" else file
    if key is not None and body.key and isinstance(data, dict):
        found = data.get(body.key)
        if found is not None and str(found) != key:
            raise UsageError(f"{source}: {body.key} is '{found}' but the argument is '{key}'")
    if body.array:
        if body.envelope and isinstance(data, dict) and isinstance(data.get("items"), list):
            data = data["items"]
        if not isinstance(data, list):
            expected = 'an array or {"items": [...]}' if body.envelope else "a JSON array"
            raise UsageError(f"{source}: expected {expected}, got {type(data).__name__}")
        name = "items[{}]" if body.envelope else "item {}"
        model = body.model_type
        for index, element in enumerate(data):
            validate_body(model, element, source=f"{source}: {name.format(index)}")
        return data
    return validate_body(body.model_type, data, source=source)


def print_request(obj: AppContext, request: Any) -> None:
    """``--dry-run``: the request on stdout (method, redacted URL, body), nothing sent."""
    import json

    from ofsc_cli.client.http import redact_url

    lines = [f"{request.method} {redact_url(request.url)}"]
    content_type = request.headers.get("content-type")
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    data = request.read()  # multipart bodies are streams until read
    if data:
        lines.append("")
        try:
            lines.append(json.dumps(json.loads(data), indent=2, ensure_ascii=False))
        except (ValueError, RecursionError):  # not JSON, or too deep to show as JSON
            lines.append(f"<{len(data)} bytes>")
    obj.stdout.write("\n".join(lines) + "\n")
    obj.info("dry run: nothing was sent")


def bulk_read_client(obj: AppContext) -> Any:
    """A new async client (the caller closes it) whose retries suit bulk reads: 500 is
    retried too, and each retry is announced on stderr (one line, unless --quiet)."""
    client = obj.async_client()
    client.retry = client.retry.for_bulk_reads()
    client.on_retry = obj.retry_notice
    return client


def iter_all(
    obj: AppContext, declared: Any, *args: Any, concurrency: int = 8, **kwargs: Any
) -> Iterator[Any]:
    """Every item of a paged GET, fetched ``concurrency`` pages at a time, in order.

    The pages are fetched by the async client in a background thread (see
    :mod:`ofsc_cli.cli._bridge`) and cross to this thread whole.  Items are the JSON objects
    exactly as received (no model round trip, which is most of the CPU of a large export)."""
    from collections.abc import AsyncIterator

    from ofsc_cli.cli._bridge import iterate_async

    spec = declared.spec

    async def pages() -> AsyncIterator[list[Any]]:
        async with bulk_read_client(obj) as client:
            bound = getattr(getattr(client, spec.namespace), spec.name).raw()
            async for page in bound.pages(*args, concurrency=concurrency, **kwargs):
                yield page.items

    for items in iterate_async(pages, buffer=max(2, concurrency)):
        yield from items


# -- building click commands ----------------------------------------------------------------


def _name(p: Arg | Opt) -> str:
    return p.name if isinstance(p, Arg) else p.key


_METAVARS = {
    "int": "N",
    "float": "NUMBER",
    "date": "YYYY-MM-DD",
    "time": "'YYYY-MM-DD HH:MM:SS'",
    "list": "A,B…",
    "route-day": "DATE",
    "week-day": "DATE",
}
_TYPES: dict[str, Any] = {"int": int, "float": float, "bool": bool}


def _param(name: str, annotation: Any, info: Any) -> click.Parameter:
    """A click parameter from typer's ``typer.Option``/``typer.Argument`` info and a type,
    built by typer's own parameter builder (so types, ranges, choices, completion and help
    behave as in any typer command).  The one place that reaches into typer's builder."""
    from typer.main import _get_param
    from typer.models import ParamMeta

    param: click.Parameter = _get_param(ParamMeta(name=name, default=info, annotation=annotation))
    return param


def _annotation(p: Arg | Opt) -> Any:
    from typing import Literal

    if p.kind == "words":
        return list[str] if p.required else list[str] | None
    if p.kind == "list":
        return list[str] | None
    if isinstance(p, Opt) and p.kind == "bool":
        return bool | None if "/" in p.flag else bool
    base: Any = Literal[p.choices] if p.kind == "choice" else _TYPES.get(p.kind, str)
    return base if p.required else base | None


def _option(
    name: str, *decls: str, annotation: Any, default: Any = None, **kw: Any
) -> click.Parameter:
    import typer

    return _param(name, annotation, typer.Option(default, *decls, **kw))


def _click_param(p: Arg | Opt) -> click.Parameter:
    import typer

    if isinstance(p, Arg):
        info: Any = typer.Argument(
            ... if p.required else None,
            metavar=p.metavar,
            help=p.help,
            show_default=False,
            autocompletion=p.complete,
        )
        argument = _param(p.name, _annotation(p), info)
        argument.__class__ = DeclaredArgument  # same object, readable usage and help
        return argument
    decls = [p.flag, *p.aliases] + ([p.short] if p.short else [])
    if p.kind == "bool":
        default = p.default if "/" in p.flag else bool(p.default)
        return _option(
            p.key,
            *decls,
            annotation=_annotation(p),
            default=default,
            help=p.help,
            show_default=False,
        )
    metavar = p.metavar or ("|".join(p.choices) if p.choices else _METAVARS.get(p.kind, "TEXT"))
    return _option(
        p.key,
        *decls,
        annotation=_annotation(p),
        default=... if p.required else p.default,
        metavar=metavar,
        help=p.help,
        show_default=p.default is not None and p.kind != "list",
        show_choices=False,
        autocompletion=p.complete,
    )


def _standard_params(cmd: Command) -> list[click.Parameter]:
    params: list[click.Parameter] = []
    if cmd.body is not None:
        text = "Body as JSON or YAML; '-' reads stdin."
        if cmd.body.build is not None:
            text += " Instead of the options below."
        required = cmd.body.required and cmd.body.build is None
        params.append(
            _option(
                "file",
                "--file",
                "-F",
                annotation=str if required else str | None,
                default=... if required else None,
                metavar="PATH",
                help=text,
            )
        )
    if cmd.confirm is not None:
        params.append(
            _option(
                "yes",
                "--yes",
                "-y",
                annotation=bool,
                default=False,
                help="Do not ask for confirmation.",
            )
        )
    if cmd.pages:
        params += [
            _option(
                "all_", "--all", "-a", annotation=bool, default=False, help="Fetch every page."
            ),
            _option(
                "limit_",
                "--limit",
                "-n",
                annotation=int | None,
                min=1,
                max=MAX_ITEMS,
                metavar="N",
                help="Show at most N items.",
            ),
            _option(
                "offset_",
                "--offset",
                annotation=int,
                default=0,
                min=0,
                max=MAX_ITEMS,
                metavar="N",
                show_default=False,
                help="Start at this item.",
            ),
            _option(
                "concurrency_",
                "--concurrency",
                annotation=int,
                default=cmd.concurrency,
                min=1,
                max=32,
                metavar="N",
                help="Pages fetched at once with --all.",
            ),
        ]
    if cmd.writes:
        params.append(
            _option(
                "dry_run",
                "--dry-run",
                annotation=bool,
                default=False,
                help="Print the request (method, URL, body); send nothing.",
            )
        )
    return params


class DeclaredArgument(TyperArgument):
    """An argument shown as users type it: ``LABEL``, ``[DATE]``, ``PATH...`` in the usage
    line (not ``{LABEL}``), and no ``<str>`` type tag in the argument list."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        if not self.required and not name.startswith("["):
            name = f"[{name}]"
        return [f"{name}..." if self.nargs != 1 else name]

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None


class DeclaredCommand(TyperCommand):
    """A click command made from a :class:`Command` (kept as ``declaration``)."""

    def __init__(self, declaration: Command, name: str, **kwargs: Any) -> None:
        # Plain help, as the console script shows it (no rich boxes that wrap examples).
        super().__init__(name, rich_markup_mode=None, **kwargs)
        self.declaration = declaration

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from ofsc_cli.cli._coerce import install

        install(self.get_params(ctx))  # values coerced without typer's pydantic adapters
        return super().parse_args(ctx, args)


def _epilog(cmd: Command) -> str:
    lines = "\n".join(f"  {e}" for e in cmd.examples)
    return f"Examples:\n\n\b\n{lines}"


def _check(cmd: Command) -> None:
    """Refuse a declaration without an example, or with a parameter of an unknown kind."""
    if not cmd.examples or not all(e.startswith("ofsc ") for e in cmd.examples):
        raise ValueError(f"{cmd.verb}: give at least one example starting with 'ofsc '")
    for p in cmd.params:
        if p.kind not in KINDS:
            raise ValueError(f"{_name(p)}: unknown kind {p.kind!r}")


def build_command(cmd: Command) -> DeclaredCommand:
    """The click command of one declaration (already checked by :func:`build`)."""

    def callback(**raw: Any) -> None:
        from typer._click.globals import get_current_context

        from ofsc_cli.cli.context import AppContext

        ctx = get_current_context()
        obj = ctx.find_object(AppContext)
        if obj is None:
            obj = ctx.ensure_object(AppContext)
        values = {_name(p): _convert(p, raw.get(_name(p))) for p in cmd.params}
        call = Call(
            obj=obj,
            command=cmd,
            values=values,
            dry_run=bool(raw.get("dry_run")),
            yes=bool(raw.get("yes")),
            file=raw.get("file"),
            all=bool(raw.get("all_")),
            limit=raw.get("limit_"),
            offset=int(raw.get("offset_") or 0),
            concurrency=int(raw.get("concurrency_") or cmd.concurrency),
        )
        (cmd.run or standard)(call)

    return DeclaredCommand(
        cmd,
        cmd.verb,
        params=[*(_click_param(p) for p in cmd.params), *_standard_params(cmd)],
        callback=callback,
        help=cmd.help,
        epilog=_epilog(cmd),
        hidden=cmd.hidden,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


class DeclaredGroup(SuggestingGroup):
    """A group made from a :class:`Group`; runs ``default_verb`` when the first word is
    not one of its commands.  Its commands and sub-groups are built from the declaration
    when first asked for, so that a run builds only the groups it goes through (``ofsc
    metadata work-zones list`` builds the 8 commands of work zones, not the 86 of
    ``metadata``)."""

    default_verb: str | None = None
    declaration: Group | None = None
    _unbuilt: tuple[Command | Group, ...] = ()
    _commands: MutableMapping[str, click.Command]

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        unbuilt, self._unbuilt = self._unbuilt, ()
        for item in unbuilt:
            sub: click.Command = _build(item) if isinstance(item, Group) else build_command(item)
            self.add_command(sub)
            for alias in item.aliases:
                self.add_command(sub, alias)
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from ofsc_cli.cli._coerce import install

        install(self.get_params(ctx))  # values coerced without typer's pydantic adapters
        if (
            self.default_verb is not None
            and args
            and args[0] not in self.commands
            and args[0] not in ("-h", "--help")
        ):
            args = [self.default_verb, *args]
        return super().parse_args(ctx, args)


def build(group: Group) -> DeclaredGroup:
    """The click group of a :class:`Group` declaration, commands and sub-groups included
    (each declaration is checked now; the click commands are made when first asked for)."""
    _check_tree(group)
    return _build(group)


def _check_tree(group: Group) -> None:
    for item in group.commands:
        if isinstance(item, Group):
            _check_tree(item)
        else:
            _check(item)


def _build(group: Group) -> DeclaredGroup:
    help_text = group.help
    if group.default is not None:
        help_text += f" (`{group.name} ARG…` is short for `{group.name} {group.default} ARG…`.)"
    built = DeclaredGroup(
        rich_markup_mode=None,
        name=group.name,
        help=help_text,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.default_verb = group.default
    built.declaration = group
    built._unbuilt = group.commands  # built on first use (see DeclaredGroup)
    return built


def declarations(command: click.Command, prefix: str = "ofsc") -> Iterator[tuple[str, Command]]:
    """Every declared command under ``command`` with its command line (``"ofsc metadata
    work-zones list"``), walking the real click tree (aliases once)."""
    if isinstance(command, DeclaredCommand):
        yield prefix, command.declaration
        return
    if isinstance(command, TyperGroup):
        ctx = click.Context(command, info_name=prefix.rsplit(" ", 1)[-1])
        seen: set[int] = set()
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or id(sub) in seen or sub.name != name:
                continue
            seen.add(id(sub))
            yield from declarations(sub, f"{prefix} {name}")
