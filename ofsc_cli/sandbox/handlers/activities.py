"""Core API: ``GET activities`` (the bulk read the client's export depends on).

Rules emulated: ``resources`` + ``dateFrom``/``dateTo`` are required unless
``includeNonScheduled=true`` (no dates: only non-scheduled; with dates: both) or
``svcWorkOrderId`` is given; at most 31 days; ``includeChildren`` none/immediate/all (default
all); ``limit`` up to 100 000 (0, absent or more → 100 000); ``fields``; a ``q`` filter
(``field op value`` with ``== != < > <= >= in``, ``and``/``or``/``not``, parentheses,
single-quoted strings with ``~`` as escape, case-insensitive).  The envelope has ``items``,
``offset``, ``limit``, ``hasMore`` only while more remain (omitted on the last page, as
observed), ``expression`` echoing ``q`` and ``links`` — no ``totalResults``.  A page stops
early, with ``hasMore: true``, once its body would exceed
:attr:`EmulatorConfig.activities_max_response_bytes`.

The emulator caps concurrent calls of this operation (see :class:`ConcurrencyLimiter`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import bad_request, list_links, page_args, parse_date
from ofsc_cli.sandbox.handlers.resources import resource_ids_under
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.store import Store

__all__ = ["compile_filter", "known_activity_fields"]

MAX_DAYS = 31
Predicate = Callable[[dict[str, Any]], bool]


@functools.cache
def _schema_fields() -> frozenset[str]:
    return frozenset(load_catalog().schema("activity").get("properties", {}))


def known_activity_fields(store: Store) -> set[str]:
    """Standard activity fields plus the activity custom properties."""
    custom = {p["label"] for p in store.items("properties") if p.get("entity") == "activity"}
    return set(_schema_fields()) | custom


# ------------------------------------------------------------------------------ q filter

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'~]|~.)*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|<|>)"
    r"|(?P<punct>[()\[\],])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise bad_request(f"Cannot parse 'q' near: {text[pos : pos + 20]!r}.")
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind or "")
        if kind == "str":
            tokens.append(("value", re.sub(r"~(.)", r"\1", value[1:-1])))
        elif kind == "num":
            tokens.append(("value", float(value)))
        elif kind == "word" and value.lower() in ("and", "or", "not", "in"):
            tokens.append((value.lower(), value))
        else:
            tokens.append((kind or "", value))
    return tokens


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None:
        return op == "!="
    a, b = _norm(left), _norm(right)
    if isinstance(b, float) and isinstance(a, str):
        try:
            a = float(a)
        except ValueError:
            return op == "!="
    if isinstance(a, float) and isinstance(b, str):
        try:
            b = float(b)
        except ValueError:
            return op == "!="
    try:
        return bool(
            {
                "==": a == b,
                "!=": a != b,
                "<": a < b,
                ">": a > b,
                "<=": a <= b,
                ">=": a >= b,
            }[op]
        )
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], fields: set[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.fields = fields

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> Any:
        if self.pos >= len(self.tokens):
            raise bad_request("'q' ends too early.")
        got_kind, got = self.tokens[self.pos]
        if (kind and got_kind != kind) or (value and got != value):
            raise bad_request(f"Unexpected {got!r} in 'q'.")
        self.pos += 1
        return got

    def parse(self) -> Predicate:
        predicate = self.or_expr()
        if self.pos != len(self.tokens):
            raise bad_request(f"Unexpected {self.tokens[self.pos][1]!r} in 'q'.")
        return predicate

    def or_expr(self) -> Predicate:
        parts = [self.and_expr()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else lambda doc: any(p(doc) for p in parts)

    def and_expr(self) -> Predicate:
        parts = [self.not_expr()]
        while self.peek() == "and":
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else lambda doc: all(p(doc) for p in parts)

    def not_expr(self) -> Predicate:
        if self.peek() == "not":
            self.take()
            inner = self.not_expr()
            return lambda doc: not inner(doc)
        if self.peek() == "punct" and self.tokens[self.pos][1] == "(":
            self.take()
            inner = self.or_expr()
            self.take("punct", ")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        field = self.take("word")
        if field not in self.fields:
            raise bad_request(f"Unknown field '{field}' in 'q'.")
        if self.peek() == "in":
            self.take()
            opener = self.take("punct")
            if opener not in ("[", "("):
                raise bad_request("'in' needs a list in [...] or (...).")
            closer = "]" if opener == "[" else ")"
            values = [self.take("value")]
            while self.peek() == "punct" and self.tokens[self.pos][1] == ",":
                self.take()
                values.append(self.take("value"))
            self.take("punct", closer)
            return lambda doc: any(_compare(doc.get(field), "==", v) for v in values)
        op = self.take("op")
        value = self.take("value")
        return lambda doc: _compare(doc.get(field), op, value)


def compile_filter(q: str, fields: set[str]) -> Predicate:
    """A predicate for the OFS ``q`` expression (400 OFS error if it does not parse)."""
    return _Parser(_tokenize(q), fields).parse()


# ---------------------------------------------------------------------------- the handler


def _resource_ids(call: Call) -> list[str] | None:
    resources = call.list_arg("resources")
    if not resources:
        return None
    include = call.arg("includeChildren") or "all"
    ids: list[str] = []
    for rid in resources:
        ids.extend(resource_ids_under(call.store, rid, include))
    return list(dict.fromkeys(ids))


@route("GET", "/rest/ofscCore/v1/activities")
def list_activities(call: Call) -> Response:
    date_from = parse_date(call.arg("dateFrom"), "dateFrom")
    date_to = parse_date(call.arg("dateTo"), "dateTo")
    non_scheduled = call.bool_arg("includeNonScheduled")
    work_order = call.int_arg("svcWorkOrderId")
    if (date_from is None) != (date_to is None):
        raise bad_request("'dateFrom' and 'dateTo' must be given together.")
    if work_order is None:
        if date_from is None and not non_scheduled:
            raise bad_request(
                "'dateFrom' and 'dateTo' are required unless includeNonScheduled=true."
            )
        if not call.list_arg("resources"):
            raise bad_request("'resources' is required.")
    if date_from is not None and date_to is not None:
        if date_to < date_from:
            raise bad_request("'dateTo' is before 'dateFrom'.")
        if (date_to - date_from).days + 1 > MAX_DAYS:
            raise bad_request(f"The date range may span at most {MAX_DAYS} days.")
    known = known_activity_fields(call.store)
    fields = call.list_arg("fields")
    if fields is not None:
        unknown = sorted(set(fields) - known)
        if unknown:
            raise bad_request(f"Unknown activity field(s): {', '.join(unknown)}.")
    q = call.arg("q")
    predicate = compile_filter(q, known) if q else None
    if work_order is not None:
        base: Predicate = lambda doc: doc.get("svcWorkOrderId") == work_order  # noqa: E731
        predicate = base if predicate is None else (lambda d, p=predicate: base(d) and p(d))
    offset, limit = page_args(call)
    resource_ids = _resource_ids(call)
    dates = (date_from.isoformat(), date_to.isoformat()) if date_from and date_to else (None, None)
    if work_order is not None and date_from is None:
        non_scheduled = True
        dates = ("0000-01-01", "9999-12-31")
    query = functools.partial(
        call.store.query_activities,
        resource_ids,
        date_from=dates[0],
        date_to=dates[1],
        non_scheduled=non_scheduled,
    )
    if predicate is None:
        rows = query(offset=offset, limit=limit + 1)
        total = call.store.count_matching_activities(
            resource_ids, date_from=dates[0], date_to=dates[1], non_scheduled=non_scheduled
        )
    else:
        matched = [r for r in query() if predicate(json.loads(r))]
        rows = matched[offset : offset + limit + 1]
        total = len(matched)
    more = len(rows) > limit
    rows = rows[:limit]
    parts: list[str] = []
    size = 0
    budget = call.emulator.config.activities_max_response_bytes
    for row in rows:
        text = (
            row
            if fields is None
            else json.dumps(
                {f: v for f, v in json.loads(row).items() if f in fields and v not in (None, "")},
                separators=(",", ":"),
                ensure_ascii=False,
            )
        )
        if parts and size + len(text) > budget:
            more = True
            break
        parts.append(text)
        size += len(text) + 1
    # Live tenants send totalResults too, and leave hasMore out on the last page (NOTES §9).
    rest: dict[str, Any] = {"totalResults": total, "offset": offset, "limit": limit}
    if more:
        rest["hasMore"] = True
    if q:
        rest["expression"] = q
    rest["links"] = list_links(call, offset, limit, more, offset + len(parts))
    body = '{"items":[' + ",".join(parts) + "]," + json.dumps(rest, separators=(",", ":"))[1:]
    return Response.raw_json(body.encode())
