"""``ofsc api``: send any OFS REST request, checked against the API catalog first.

Usage (like ``gh api``)::

    ofsc api GET /ofscMetadata/v1/workZones -f limit=10
    ofsc api PATCH /ofscCore/v1/activities/4225 --input patch.json
    ofsc api /ofscCore/v1/users --paginate -o ndjson
    ofsc api catalog --coverage --family capacity -o json

The path is relative to ``/rest`` (a full ``/rest/...`` path is accepted too).  The method
defaults to GET, or POST once fields or ``--input`` are given.  ``-f key=value`` adds a string
field and ``-F key=value`` a typed one (``true``/``false``/``null``, numbers, ``@file``,
``@-`` for stdin); fields go to the query string for GET/DELETE and to the JSON body otherwise
(to the query when ``--input`` supplies the body; to the form for form-encoded operations).
``key[]=v`` appends to an array and ``key[sub]=v`` nests an object.

Before anything is sent, the request is checked against the catalog: the path must match an
operation template, the method must be allowed there, query parameters must be known, typed
correctly and the required ones present, and a JSON body must match the operation's schema
(types, required fields, enumerations, sizes; unknown fields only where the schema is closed).
A refused request exits 2 with a message listing what is valid; ``--no-validate`` skips the
checks.  On an HTTP error the body still goes to stdout and one ``ofsc: ...`` line to stderr,
with the usual exit code.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.declare import Arg, Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import UsageError

if TYPE_CHECKING:
    import httpx

    from ofsc_cli.catalog import Catalog, Operation
    from ofsc_cli.output import Renderer

__all__ = [
    "GROUP",
    "RequestPlan",
    "app",
    "build_plan",
    "check_body",
    "check_query",
    "check_request",
    "complete_target",
    "normalize_path",
    "parse_fields",
]

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
QUERY_METHODS = frozenset({"GET", "DELETE", "HEAD", "OPTIONS"})
MAX_PROBLEMS = 10
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")


API_HELP = (
    "Send any API request, checked against the catalog first (like `gh api`).\n\n"
    "ofsc api [METHOD] PATH [-f key=value] [-F key=value] [--input FILE|-] [-H 'Name: value']"
    " [--paginate] [--include] [--raw] [--no-validate] [--dry-run]\n\n"
    "PATH is relative to /rest; METHOD defaults to GET, or POST with fields or --input."
    " -f adds a string field, -F a typed one (true, false, null, numbers, @file); fields go"
    " to the query for GET/DELETE and to the JSON body otherwise."
    " Every option: ofsc api request --help.\n\n"
    "Examples: ofsc api GET /ofscMetadata/v1/workZones -f limit=10;"
    " ofsc api /ofscCore/v1/users --paginate -o ndjson;"
    " ofsc api catalog --coverage --family capacity"
)


# ----------------------------------------------------------------------------- the request


class _FileValue:
    """The content of an ``@file`` typed field (text for JSON, bytes for uploads)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{self.name}: not UTF-8 text (use --input for binary)") from None


@dataclass
class RequestPlan:
    """What ``ofsc api`` is about to send (before validation)."""

    method: str
    path: str
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False
    content: bytes | None = None
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def normalize_path(path: str) -> tuple[str, dict[str, list[str]]]:
    """``/rest/...`` path and the query parsed from a ``?...`` suffix."""
    from urllib.parse import parse_qs, urlsplit

    if "://" in path:
        raise UsageError(f"give a path relative to /rest, not a URL: {path}")
    from ofsc_cli.client.paths import check_path_segments
    from ofsc_cli.errors import OFSValidationError

    parts = urlsplit(path)
    try:
        check_path_segments(parts.path.strip().strip("/"))
    except OFSValidationError as exc:
        raise UsageError(str(exc)) from None
    clean = "/" + parts.path.strip().lstrip("/")
    if clean != "/rest" and not clean.startswith("/rest/"):
        clean = "/rest" + clean
    clean = clean.rstrip("/") if clean != "/" else clean
    return clean, parse_qs(parts.query, keep_blank_values=True)


def _typed(value: str, read_stdin: Callable[[], bytes], *, name: str = "-F") -> Any:
    """A ``-F`` value typed; numbers JSON cannot carry (``1e999``, 5,000 digits) refused."""
    if value == "true":
        return True
    if value == "false":
        return False
    if value == "null":
        return None
    shown = value if len(value) <= 24 else f"{value[:10]}…{value[-4:]} ({len(value)} characters)"
    if _INT.match(value):
        try:
            return int(value)
        except ValueError:
            limit = sys.get_int_max_str_digits()
            raise UsageError(f"{name}: {shown} is an integer longer than {limit} digits") from None
    if _FLOAT.match(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise UsageError(f"{name}: {shown} is too large for a JSON number")
        return number
    if value.startswith("@"):
        from ofsc_cli.client.reader import read_input

        file = value[1:]
        if file == "-":
            return _FileValue("<stdin>", read_stdin())
        return _FileValue(file, read_input(file, what="a field value"))
    return value


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    match = _KEY.match(key)
    if not match:
        raise UsageError(f"invalid field name '{key}': use name, name[] or name[sub]")
    parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
    node: Any = target
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        following = None if last else parts[i + 1]
        if part == "":
            if not isinstance(node, list):
                raise UsageError(f"invalid field name '{key}': [] must follow an array")
            if last:
                node.append(value)
                return
            # key[][sub]=v fills the last object until ``sub`` repeats (as gh api does).
            reuse = (
                following != ""
                and node
                and isinstance(node[-1], dict)
                and (following not in node[-1] or i + 2 < len(parts))
            )
            if not reuse:
                node.append([] if following == "" else {})
            node = node[-1]
            continue
        if not isinstance(node, dict):
            raise UsageError(f"invalid field name '{key}': cannot nest inside an array item")
        if last:
            node[part] = value
            return
        if part not in node:
            node[part] = [] if following == "" else {}
        node = node[part]
        if following == "" and not isinstance(node, list):
            raise UsageError(f"field '{key}': '{part}' is already set to a non-array")


def parse_fields(
    raw: Sequence[str],
    typed: Sequence[str],
    *,
    read_stdin: Callable[[], bytes] | None = None,
) -> dict[str, Any]:
    """The fields of ``-f`` (strings) and ``-F`` (typed) options, nested where asked."""
    reader = read_stdin or _read_stdin
    fields: dict[str, Any] = {}
    for option, items, typed_values in (("-f", raw, False), ("-F", typed, True)):
        for item in items:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise UsageError(f"{option} {item!r}: expected key=value")
            typed = _typed(value, reader, name=f"-F {key}") if typed_values else value
            _assign(fields, key, typed)
    return fields


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP field name (an RFC 9110 token)."""
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
"""An HTTP field value as sent: printable ASCII, spaces and tabs (no CR, LF or NUL)."""


def parse_headers(values: Sequence[str]) -> dict[str, str]:
    """``-H 'Name: value'`` options as a dict.  A name that is not a token, or a value with
    a control character (CR/LF would split the header; NUL, DEL…) or non-ASCII text, is a
    usage error; the value is never echoed (it may be a secret)."""
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        name, content = name.strip(" \t"), content.strip(" \t")
        if not sep or not name:
            raise UsageError("-H: expected 'Name: value'")
        if not _HEADER_NAME.fullmatch(name):
            shown = repr(name) if len(name) <= 40 else f"of {len(name)} characters"
            raise UsageError(
                f"-H: header name {shown} is not valid: use letters, digits and -"
                " (no spaces or control characters)"
            )
        if not _HEADER_VALUE.fullmatch(content):
            raise UsageError(
                f"-H {name}: the value contains a control character (CR, LF…) or non-ASCII text"
            )
        headers[name] = content
    return headers


def _query_text(value: Any) -> Any:
    """A field value as query text (lists stay lists, joined later)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, _FileValue):
        return value.text().strip()
    if isinstance(value, list):
        return [_query_text(v) for v in value]
    if isinstance(value, dict):
        raise UsageError("nested fields cannot go in the query string")
    return str(value)


def _json_ready(value: Any) -> Any:
    if isinstance(value, _FileValue):
        return value.text()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def build_plan(
    target: Sequence[str],
    *,
    method: str | None,
    fields: dict[str, Any],
    input_data: bytes | None,
    headers: dict[str, str],
    op_lookup: Callable[[str, str], Operation | None] | None = None,
) -> RequestPlan:
    """Turn the command's words and options into a :class:`RequestPlan` (nothing checked)."""
    if not target or len(target) > 2:
        raise UsageError("usage: ofsc api [METHOD] PATH (e.g. ofsc api GET /ofscCore/v1/users)")
    if len(target) == 2:
        word, raw_path = target
        if word.upper() not in HTTP_METHODS:
            raise UsageError(f"unknown method '{word}'; use one of {', '.join(HTTP_METHODS)}")
        if method and method.upper() != word.upper():
            raise UsageError(f"two methods given: {word} and --method {method}")
        method = word
    else:
        raw_path = target[0]
    path, url_query = normalize_path(raw_path)
    verb = (method or ("POST" if fields or input_data is not None else "GET")).upper()
    plan = RequestPlan(method=verb, path=path, headers=dict(headers))
    for name, values in url_query.items():
        plan.query[name] = values[0] if len(values) == 1 else values
    op = op_lookup(verb, path) if op_lookup else None
    form_op = op is not None and bool(op.form_params)
    if input_data is not None:
        plan.content = input_data
        plan.has_body = True
        plan.query.update({k: _query_text(v) for k, v in fields.items()})
    elif not fields:
        pass
    elif verb in QUERY_METHODS:
        plan.query.update({k: _query_text(v) for k, v in fields.items()})
    elif form_op and op is not None and "multipart/form-data" in op.consumes:
        plan.files = {
            k: (v.name, v.data, "application/octet-stream")
            for k, v in fields.items()
            if isinstance(v, _FileValue)
        }
        plan.form = {k: str(_query_text(v)) for k, v in fields.items() if k not in plan.files}
        plan.has_body = True
    elif form_op:
        plan.form = {k: str(_query_text(v)) for k, v in fields.items()}
        plan.has_body = True
    else:
        plan.body = _json_ready(fields)
        plan.has_body = True
    return plan


# ----------------------------------------------------------------------------- validation
# The checks themselves live in ofsc_cli.catalog.validate, shared with the emulator's strict
# mode; here a plan is matched to its operation and the problems become one usage error.


def check_query(op: Operation, query: Mapping[str, Any]) -> list[str]:
    """Problems of a query for ``op`` (see :func:`ofsc_cli.catalog.validate.check_query`)."""
    from ofsc_cli.catalog import validate

    return validate.check_query(op, query)


def check_body(
    catalog: Catalog, schema: Any, body: Any, *, closed: bool = False, where: str = "body"
) -> list[str]:
    """Problems of ``body`` against a catalog schema (see
    :func:`ofsc_cli.catalog.validate.check_body`)."""
    from ofsc_cli.catalog import validate

    return validate.check_body(catalog, schema, body, closed=closed, where=where)


def check_request(catalog: Catalog, plan: RequestPlan) -> Operation:
    """The operation ``plan`` is for; :class:`UsageError` listing what is valid otherwise."""
    from ofsc_cli.catalog import validate

    found = catalog.match_path(plan.path)
    if found is None:
        suggestions = catalog.suggest_paths(plan.path, 3)
        hint = (
            "; did you mean: " + ", ".join(s.removeprefix("/rest") for s in suggestions)
            if suggestions
            else "; see: ofsc api catalog"
        )
        raise UsageError(f"unknown path {plan.path}{hint} (nothing sent)")
    template, params, ops = found
    op = next((o for o in ops if o.method == plan.method), None)
    if op is None:
        allowed = ", ".join(sorted(o.method for o in ops))
        raise UsageError(
            f"method {plan.method} is not allowed on {template}; allowed: {allowed} (nothing sent)"
        )
    problems = validate.check_request(
        catalog, op, path_params=params, query=plan.query, **_body_parts(op, plan)
    )
    problems = [
        f"{p} (use -f/-F fields or --input)" if p.endswith("body is required") else p
        for p in problems
    ]
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        lines = "\n  ".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")
        raise UsageError(
            f"{op.method} {op.path} refused (nothing sent; --no-validate to send anyway):\n"
            f"  {lines}"
        )
    return op


def _body_parts(op: Operation, plan: RequestPlan) -> dict[str, Any]:
    """The plan's body in the form the shared validator takes (``--input`` parsed strictly)."""
    if op.form_params:
        if plan.content is not None:
            return {"content": b""}  # a raw form body: not checked field by field
        if plan.form is None and plan.files is None:
            return {}
        return {"form": {**(plan.form or {}), **(plan.files or {})}}
    if not plan.has_body:
        return {}
    if plan.content is None:
        return {"body": plan.body}
    if op.body is None or op.body.schema in (None, "file"):
        return {"content": plan.content}
    from ofsc_cli.client.reader import InputError, decode_text, parse_json

    try:
        return {"body": parse_json(decode_text(plan.content, "--input"), "--input")}
    except InputError as exc:
        detail = str(exc).removeprefix("--input: ")
        raise UsageError(
            f"{op.method} {op.path} refused (nothing sent; --no-validate to send anyway):\n"
            f"  --input is not JSON ({detail}); {op.method} {op.path} takes a JSON body"
        ) from None


# ----------------------------------------------------------------------------- sending


def _default_renderer(obj: AppContext) -> Renderer:
    """The renderer of an answer: the format asked for (-o, OFSC_OUTPUT, the profile), else
    JSON even on a terminal (an API answer is a document, as with `gh api`); --fields,
    --query and the pager apply as to every command."""
    from ofsc_cli.output import OutputFormat

    renderer = obj.renderer()
    if obj.output_choice() is None:
        renderer.format = OutputFormat.JSON
    return renderer


def _write_bytes(obj: AppContext, data: bytes) -> None:
    obj.stdout.flush()
    buffer = getattr(obj.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        obj.stdout.write(data.decode("utf-8", errors="replace"))
        obj.stdout.flush()


def _show_head(obj: AppContext, response: httpx.Response) -> None:
    from ofsc_cli.client.log import mask_headers

    lines = [f"{response.http_version} {response.status_code} {response.reason_phrase}"]
    lines += [f"{name}: {value}" for name, value in mask_headers(response.headers).items()]
    obj.stderr.write("\n".join(lines) + "\n\n")
    obj.stderr.flush()


def _is_json(response: httpx.Response) -> bool:
    return "json" in response.headers.get("content-type", "").lower()


def _write_document(obj: AppContext, data: Any, items_key: str | None) -> None:
    from ofsc_cli.output import OutputFormat

    renderer = _default_renderer(obj)
    listing = renderer.format in (OutputFormat.TABLE, OutputFormat.CSV, OutputFormat.NDJSON)
    if listing and items_key and isinstance(data, dict) and isinstance(data.get(items_key), list):
        renderer.write_items(data[items_key])
    else:
        renderer.write_object(data)


def _fail(obj: AppContext, response: httpx.Response) -> None:
    from ofsc_cli.cli.errors import exit_code_for, message_for
    from ofsc_cli.client.http import error_from_response

    error = error_from_response(response)
    text = message_for(error, profile=obj.profile_name, auth_method=obj.auth_method)
    code = exit_code_for(error)
    if obj.log_setup is not None:
        from ofsc_cli.cli._logging import report_failure

        if report_failure(obj, text, code, error):  # a JSON line, on a JSON log's stderr
            raise typer.Exit(code)
    obj.stderr.write(f"ofsc: {text}\n")
    obj.stderr.flush()
    raise typer.Exit(code)


def _send(obj: AppContext, plan: RequestPlan, *, stream: bool) -> httpx.Response:
    """Send through the profile's client (retries, circuit breaker), errors not raised."""
    client = obj.client()
    request = _build_request(obj, plan)
    return client.send(request, stream=stream)


def _build_request(obj: AppContext, plan: RequestPlan) -> httpx.Request:
    from ofsc_cli.client.http import check_query_size, encode_query
    from ofsc_cli.errors import OFSValidationError

    try:
        params = check_query_size(f"{plan.method} {plan.path}", encode_query(plan.query))
    except OFSValidationError as exc:
        raise UsageError(str(exc)) from None
    client = obj.client()
    headers = dict(plan.headers)
    kwargs: dict[str, Any] = {}
    lowered = {k.lower() for k in headers}
    if plan.content is not None:
        kwargs["content"] = plan.content
        if "content-type" not in lowered:
            json_like = _looks_like_json(plan.content)
            headers["Content-Type"] = (
                "application/json" if json_like else "application/octet-stream"
            )
    elif plan.files is not None:
        kwargs["files"] = plan.files
        kwargs["data"] = plan.form or {}
    elif plan.form is not None:
        kwargs["data"] = plan.form
    elif plan.has_body:
        kwargs["content"] = json.dumps(plan.body, ensure_ascii=False).encode()
        if "content-type" not in lowered:
            headers["Content-Type"] = "application/json"
    return client.http.build_request(
        plan.method, plan.path, params=params, headers=headers, **kwargs
    )


def _items(data: Any, key: str | None) -> list[Any]:
    if isinstance(data, dict) and key and isinstance(data.get(key), list):
        return list(data[key])
    if isinstance(data, list):
        return data
    return []


def _next_plan(plan: RequestPlan, op: Operation, data: Any, received: int) -> RequestPlan | None:
    """The request for the page after ``data`` under the operation's paging scheme."""
    from dataclasses import replace

    if received == 0 or not isinstance(data, dict):
        return None
    if op.paging in ("offset", "offset-only"):
        offset = int(str(plan.query.get("offset") or 0)) + received
        total = data.get("totalResults")
        if data.get("hasMore") is True or (isinstance(total, int) and offset < total):
            return replace(plan, query={**plan.query, "offset": str(offset)})
        return None
    if op.paging == "cursor":
        cursor = data.get("nextPage")
        if not cursor or cursor == plan.query.get("page"):
            return None
        return replace(plan, query={**plan.query, "page": str(cursor)})
    if op.paging == "next-link":
        href = next(
            (
                link.get("href")
                for link in data.get("links") or ()
                if isinstance(link, dict) and link.get("rel") == "next"
            ),
            None,
        )
        if not isinstance(href, str) or not href:
            return None
        path, query = normalize_path(_local_part(href))
        return replace(
            plan, path=path, query={k: v[0] if len(v) == 1 else v for k, v in query.items()}
        )
    return None


def _local_part(href: str) -> str:
    """Path and query of a ``next`` link (the host is always the profile's)."""
    from urllib.parse import urlsplit

    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _paginate(obj: AppContext, plan: RequestPlan, op: Operation | None, include: bool) -> None:
    """Every page's items as one list, fetched like the other exports: 429/500/502/503/504
    retried (honouring ``Retry-After``), each retry announced on stderr.

    A page that fails after the retries raises its typed error (one line on stderr, the
    documented exit code): an error body never reaches stdout.  The first page is fetched
    before anything is written, so a request refused at once writes nothing; a later failure
    leaves the items written so far (NDJSON lines stay whole, a JSON array stays unclosed,
    as for every export cut short), and the exit code says the list is incomplete.
    """
    key = op.items_key if op is not None else "items"
    client = obj.client()
    client.retry = client.retry.for_bulk_reads()
    client.on_retry = obj.retry_notice

    def fetch(current: RequestPlan) -> Any:
        from ofsc_cli.client.http import error_from_response

        response = _send(obj, current, stream=False)
        if include:
            _show_head(obj, response)
        if response.status_code >= 400:
            raise error_from_response(response)
        try:
            return response.json()
        except ValueError:
            raise UsageError("--paginate needs JSON responses") from None

    def marker(current: RequestPlan) -> str:
        return json.dumps([current.path, current.query], sort_keys=True, default=str)

    first = fetch(plan)

    def items() -> Iterator[Any]:
        current, data = plan, first
        seen = {marker(plan)}
        while True:
            page = _items(data, key)
            yield from page
            following = _next_plan(current, op, data, len(page)) if op is not None else None
            if following is None or marker(following) in seen:  # the same page pointer twice
                return
            seen.add(marker(following))
            current, data = following, fetch(following)

    _default_renderer(obj).write_items(items())


def _single(
    obj: AppContext, plan: RequestPlan, op: Operation | None, *, include: bool, raw: bool
) -> None:
    response = _send(obj, plan, stream=True)
    try:
        if include:
            _show_head(obj, response)
        if raw and response.status_code < 400:
            for chunk in response.iter_bytes():
                _write_bytes(obj, chunk)
            return
        response.read()
        if raw or not _is_json(response):
            _write_bytes(obj, response.content)
        elif response.content:
            try:
                data = response.json()
            except ValueError:
                _write_bytes(obj, response.content)
            else:
                _write_document(obj, data, op.items_key if op is not None else "items")
        if response.status_code >= 400:
            _fail(obj, response)
    finally:
        response.close()


def complete_target(incomplete: str) -> list[str]:
    """Shell completion for ``[METHOD] PATH``: methods, then catalog paths under ``/rest``."""
    from ofsc_cli.catalog import load_catalog

    found = [m for m in HTTP_METHODS[:5] if m.startswith(incomplete.upper()) and incomplete]
    prefix = incomplete if incomplete.startswith("/") else "/" + incomplete
    for template in load_catalog().paths():
        short = template.removeprefix("/rest")
        if short.startswith(prefix) or template.startswith(prefix):
            found.append(template if incomplete.startswith("/rest/") else short)
    return found


def request_cmd(call: Call) -> None:
    """Send one request, checked against the catalog first (see `ofsc api --help`)."""
    v = call.values
    target: list[str] = v["target"]
    method: str | None = v["method"]
    raw_fields: list[str] | None = v["raw_field"]
    typed_fields: list[str] | None = v["field"]
    input_file: str | None = v["input"]
    header: list[str] | None = v["header"]
    paginate: bool = v["paginate"]
    include: bool = v["include"]
    raw: bool = v["raw"]
    no_validate: bool = v["no_validate"]
    dry_run = call.dry_run
    from ofsc_cli.catalog import load_catalog

    obj = call.obj
    if paginate and raw:
        raise UsageError("--paginate and --raw cannot be combined")
    catalog = load_catalog()
    fields = parse_fields(raw_fields or (), typed_fields or ())
    input_data: bytes | None = None
    if input_file is not None:
        input_data = _read_input(input_file)

    def lookup(verb: str, path: str) -> Operation | None:
        found = catalog.match(verb, path)
        return found[0] if found else None

    plan = build_plan(
        target,
        method=method,
        fields=fields,
        input_data=input_data,
        headers=parse_headers(header or ()),
        op_lookup=lookup,
    )
    op = lookup(plan.method, plan.path)
    if not no_validate:
        op = check_request(catalog, plan)
    if paginate and plan.method != "GET":
        raise UsageError("--paginate works with GET requests only")
    if dry_run:
        from ofsc_cli.cli.declare import print_request

        print_request(obj, _build_request(obj, plan))
        return
    if paginate:
        _paginate(obj, plan, op, include)
    else:
        _single(obj, plan, op, include=include, raw=raw)


def _read_input(name: str) -> bytes:
    """``--input``: a regular file or stdin, at most 64 MiB (exit 2 otherwise)."""
    from ofsc_cli.client.reader import read_input

    return read_input(name)


def _read_stdin() -> bytes:
    return _read_input("-")


def _looks_like_json(content: bytes) -> bool:
    """Whether ``content`` is JSON text (maybe with values the validator refuses)."""
    from ofsc_cli.client.reader import JSONProblem, json_document

    try:
        json_document(content.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    except JSONProblem as exc:
        return not exc.syntax
    return True


# ----------------------------------------------------------------------------- the catalog


def catalog_cmd(call: Call) -> None:
    """List every API operation (with --coverage: its client method and command)."""
    coverage: bool = call.values["coverage"]
    family: str | None = call.values["family"]
    from ofsc_cli.catalog import load_catalog

    obj = call.obj
    catalog = load_catalog()
    families = catalog.families()
    if family is not None and family not in families:
        raise UsageError(f"unknown family '{family}'; valid: {', '.join(sorted(families))}")
    if coverage:
        from ofsc_cli.cli.coverage import coverage_map

        entries = coverage_map(family)
        rows = [entry.to_dict() for entry in entries]
        columns: tuple[str, ...] = (
            "method",
            "path",
            "family",
            "clientMethod",
            "command",
            "emulated",
        )
        mapped = sum(1 for entry in entries if entry.mapped)
        obj.renderer(columns).write_items(rows)
        obj.info(
            f"{mapped} of {len(entries)} operations mapped to a client method, a command "
            "and an emulator route"
        )
        return
    rows = [
        {
            "method": op.method,
            "path": op.path,
            "family": op.family,
            "operationId": op.operation_id,
            "tag": op.tag,
            "paging": op.paging,
            "deprecated": op.deprecated,
        }
        for op in catalog.operations
        if family is None or op.family == family
    ]
    obj.renderer(("method", "path", "family", "paging")).write_items(rows)


GROUP = Group(
    "api",
    API_HELP,
    (
        Command(
            "request",
            "Send one request, checked against the catalog first (see `ofsc api --help`).",
            (
                "ofsc api GET /ofscCore/v1/users --paginate -o ndjson",
                "ofsc api POST /ofscMetadata/v1/workZones --input zone.json --dry-run",
            ),
            params=(
                Arg(
                    "target",
                    "[METHOD] PATH",
                    "Path relative to /rest (e.g. /ofscCore/v1/users); METHOD defaults to GET.",
                    kind="words",
                    complete=complete_target,
                ),
                Opt("--method", help="HTTP method (instead of METHOD).", short="-X"),
                Opt(
                    "--raw-field",
                    help="String field key=value (repeatable).",
                    short="-f",
                    kind="words",
                ),
                Opt(
                    "--field",
                    help="Typed field key=value: true/false/null, numbers, @file (repeatable).",
                    short="-F",
                    kind="words",
                ),
                Opt("--input", help="Request body from FILE ('-' for stdin).", metavar="FILE"),
                Opt(
                    "--header",
                    help="Extra header 'Name: value' (repeatable).",
                    short="-H",
                    kind="words",
                ),
                Opt("--paginate", help="Follow every page and merge the items.", kind="bool"),
                Opt(
                    "--include", help="Status line and headers to stderr.", short="-i", kind="bool"
                ),
                Opt("--raw", help="Write the body bytes unchanged (binary content).", kind="bool"),
                Opt(
                    "--no-validate", help="Send without checking against the catalog.", kind="bool"
                ),
            ),
            dry_run=True,
            run=request_cmd,
            hidden=True,
        ),
        Command(
            "catalog",
            "List every API operation (with --coverage: its client method and command).",
            (
                "ofsc api catalog --family metadata",
                "ofsc api catalog --coverage --family capacity -o json",
            ),
            params=(
                Opt(
                    "--coverage",
                    help="Add each operation's client method, command and whether it is emulated.",
                    kind="bool",
                ),
                Opt("--family", help="Only this API family (core, metadata, capacity…)."),
            ),
            run=catalog_cmd,
        ),
    ),
    default="request",
)

app = build(GROUP)
