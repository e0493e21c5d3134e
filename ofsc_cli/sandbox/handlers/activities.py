"""Core API: the activities themselves: ``GET activities`` (the bulk read the client's
export depends on), create, read, update and delete one, search and where-is-my-tech.

Activities live in the store's ``activities`` table; the sandbox's "today" is the day its
data is centred on (:func:`~ofsc_cli.sandbox.seed.today_of`).  The helpers other activity
modules share (:func:`path_activity`, :func:`new_activity`, :func:`add_activity` …) are here.

``GET activities``: ``resources`` + ``dateFrom``/``dateTo`` are required unless
``includeNonScheduled=true`` (no dates: only non-scheduled; with dates: both) or
``svcWorkOrderId`` is given; at most 31 days; ``includeChildren`` none/immediate/all (default
all); ``limit`` up to 100 000 (0, absent or more → 100 000); ``fields``; a ``q`` filter
(``field op value`` with ``== != < > <= >= in``, ``and``/``or``/``not``, parentheses,
single-quoted strings with ``~`` as escape, case-insensitive).  The envelope has ``items``,
``totalResults``, ``offset``, ``limit``, ``hasMore`` only while more remain (omitted on the
last page, as observed), ``expression`` echoing ``q`` and ``links``.  A page stops early,
with ``hasMore: true``, once its body would exceed
:attr:`EmulatorConfig.activities_max_response_bytes`.  The emulator caps concurrent calls of
this operation (see :class:`ConcurrencyLimiter`).

One activity: ``POST`` needs ``activityType`` and ``resourceId`` (both existing) and creates a
pending activity at the end of its route; ``PATCH`` refuses date, status, resource and
position (use the move and status actions, :mod:`.activity_actions`); ``DELETE`` only a
pending activity that is not in the past (409).  Every change is logged as an event
(:mod:`.events`).  ``custom-actions/search`` matches one searchable field exactly
(case-insensitively), at most 1000 matches.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox._http import Response
from ofsc_cli.sandbox.handlers._common import (
    bad_request,
    conflict,
    list_links,
    not_found,
    page_args,
    paged,
    parse_date,
    stamp,
    utc_now,
)
from ofsc_cli.sandbox.handlers.events import emit_event
from ofsc_cli.sandbox.handlers.resources import resource_ids_under
from ofsc_cli.sandbox.router import Call, parse_id, route
from ofsc_cli.sandbox.seed import today_of
from ofsc_cli.sandbox.store import Store

__all__ = [
    "ACTIVITY",
    "CORE",
    "FINAL_STATUSES",
    "READ_ONLY",
    "add_activity",
    "check_date",
    "check_resource",
    "compile_filter",
    "known_activity_fields",
    "load_activity",
    "new_activity",
    "path_activity",
    "route_end",
]

CORE = "/rest/ofscCore/v1"
ACTIVITY = f"{CORE}/activities/{{activityId}}"

MAX_DAYS = 31
Predicate = Callable[[dict[str, Any]], bool]
FINAL_STATUSES = frozenset({"completed", "notdone", "cancelled"})
SEARCH_MAX_MATCHES = 1000
READ_ONLY = ("activityId", "status", "resourceId", "date", "positionInRoute")
_SEARCHABLE = (
    "customerName",
    "apptNumber",
    "customerNumber",
    "customerEmail",
    "customerPhone",
    "customerCell",
    "streetAddress",
    "postalCode",
)


# --------------------------------------------------------------------------------- helpers


def _activity_id(call: Call) -> int:
    value = call.param("activityId")
    number = parse_id(value)
    if number is None:
        raise not_found("activity", value)
    return number


def load_activity(store: Store, activity_id: object) -> dict[str, Any]:
    """The activity ``activity_id`` (an int or digits, as a client sent it); 404 otherwise."""
    number = parse_id(activity_id)
    doc = None if number is None else store.get_activity(number)
    if doc is None:
        raise not_found("activity", activity_id)
    return doc


def path_activity(call: Call) -> dict[str, Any]:
    """The activity the request path names (``{activityId}``); 404 when there is none."""
    return load_activity(call.store, _activity_id(call))


def route_end(store: Store, resource_id: str, date: str | None) -> int:
    """The position after the last activity of a route (1 for an empty one)."""
    if date is None:
        return 1
    rows = store.query_activities([resource_id], date_from=date, date_to=date)
    positions = [json.loads(r).get("positionInRoute") or 0 for r in rows]
    return max(positions, default=0) + 1


def new_activity(store: Store, base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """Store a copy of ``base`` with ``changes``, a new id and at the end of its route."""
    doc = {k: v for k, v in base.items() if k not in ("startTime", "endTime", "links")}
    doc.update(changes)
    doc["activityId"] = store.next_id("activityId")
    doc["positionInRoute"] = route_end(store, str(doc.get("resourceId")), doc.get("date"))
    if doc.get("date") is None:
        doc.pop("positionInRoute", None)
    store.put_activity(doc)
    return doc


def check_resource(store: Store, resource_id: Any) -> str:
    """``resource_id`` from a body; 400 unless it names an existing resource."""
    if not isinstance(resource_id, str) or store.get("resources", resource_id) is None:
        raise bad_request(f"The resource '{resource_id}' does not exist.")
    return resource_id


def check_date(value: Any, name: str = "date") -> str | None:
    """A ``YYYY-MM-DD`` date from a body (None stays None); 400 otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"'{name}' must be a date in the YYYY-MM-DD format.")
    parsed = parse_date(value, name)
    return parsed.isoformat() if parsed else None


@functools.cache
def _schema_fields() -> frozenset[str]:
    return frozenset(load_catalog().schema("activity").get("properties", {}))


def known_activity_fields(store: Store) -> set[str]:
    """Standard activity fields plus the activity custom properties."""
    custom = {p["label"] for p in store.items("properties") if p.get("entity") == "activity"}
    return set(_schema_fields()) | custom


# -------------------------------------------------------------------------------- q filter


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


# -------------------------------------------------------------------------------- the list


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


# ---------------------------------------------------------------------------- one activity


def add_activity(call: Call, body: Mapping[str, Any]) -> dict[str, Any]:
    """Create a pending activity from ``body`` (type and resource must exist) and log it."""
    store = call.store
    missing = [n for n in ("activityType", "resourceId") if not body.get(n)]
    if missing:
        raise bad_request(f"Missing required field(s): {', '.join(missing)}.")
    if store.get("activityTypes", body["activityType"]) is None:
        raise bad_request(f"The activity type '{body['activityType']}' does not exist.")
    resource = check_resource(store, body["resourceId"])
    date = check_date(body.get("date"))
    doc = {
        k: v
        for k, v in body.items()
        if k not in ("setPositionInRoute", "setTravelTime", "activityId", "status")
    }
    doc.update(resourceId=resource, status="pending", recordType="regular")
    doc.setdefault("timeZone", "Eastern")
    doc.setdefault("timeZoneIANA", "America/New_York")
    doc.setdefault("language", "en")
    doc.pop("date", None)
    if date:
        doc["date"] = date
    with store.transaction():
        created = new_activity(store, {}, **doc)
    emit_event(call, "activityCreated", created)
    return created


@route("POST", f"{CORE}/activities")
def create_activity(call: Call) -> Response:
    return Response.json(add_activity(call, call.json_object()), 201)


@route("GET", ACTIVITY)
def get_activity(call: Call) -> Response:
    return Response.json(path_activity(call))


@route("PATCH", ACTIVITY)
def update_activity(call: Call) -> Response:
    body = call.json_object()
    refused = [name for name in READ_ONLY if name in body]
    if refused:
        raise bad_request(
            f"PATCH cannot change {', '.join(refused)}: use the move and status actions."
        )
    with call.store.transaction():
        doc = path_activity(call)
        doc.update(body)
        call.store.put_activity(doc)
    emit_event(call, "activityUpdated", doc, activityChanges=body)
    return Response.json(doc)


@route("DELETE", ACTIVITY)
def delete_activity(call: Call) -> Response:
    with call.store.transaction():
        doc = path_activity(call)
        if doc.get("status") != "pending":
            raise conflict(f"Only pending activities can be deleted; this one is {doc['status']}.")
        if doc.get("date") and doc["date"] < today_of(call.store).isoformat():
            raise conflict("Past activities cannot be deleted.")
        call.store.delete_activity(doc["activityId"])
    emit_event(call, "activityDeleted", doc)
    return Response.no_content()


# ---------------------------------------------------------------------------------- search


def _searchable(store: Store) -> set[str]:
    custom = {
        p["label"]
        for p in store.items("properties")
        if p.get("entity") == "activity" and p.get("type") == "string"
    }
    return set(_SEARCHABLE) | custom


@route("GET", f"{CORE}/activities/custom-actions/search")
def search_activities(call: Call) -> Response:
    store = call.store
    field = call.arg("searchInField") or ""
    value = call.arg("searchForValue") or ""
    if field not in _searchable(store):
        raise bad_request(f"'{field}' cannot be searched; use one of {', '.join(_SEARCHABLE)}.")
    if len(value) > 255:
        raise bad_request("'searchForValue' is longer than 255 characters.")
    date_from = parse_date(call.arg("dateFrom"), "dateFrom")
    date_to = parse_date(call.arg("dateTo"), "dateTo")
    if (date_from is None) != (date_to is None):
        raise bad_request("'dateFrom' and 'dateTo' must be given together.")
    non_scheduled = (call.arg("includeNonScheduled") or "true").lower() in ("true", "1")
    if date_from is None and not non_scheduled:
        raise bad_request("'dateFrom' and 'dateTo' are required unless includeNonScheduled.")
    dates = (
        (date_from.isoformat(), date_to.isoformat())
        if date_from and date_to
        else ("0000-01-01", "9999-12-31")
    )
    fields = call.list_arg("fields") or ["activityId", "resourceId", "date", "status"]
    wanted = value.casefold()
    matches: list[dict[str, Any]] = []
    rows = store.query_activities(
        None, date_from=dates[0], date_to=dates[1], non_scheduled=non_scheduled
    )
    for row in rows:
        doc = json.loads(row)
        if str(doc.get(field, "")).casefold() == wanted:
            matches.append({f: doc[f] for f in fields if doc.get(f) not in (None, "")})
            if len(matches) >= SEARCH_MAX_MATCHES:
                break
    offset = call.int_arg("offset", 0) or 0
    limit = min(call.int_arg("limit") or 10, SEARCH_MAX_MATCHES)
    return paged(call, matches[offset : offset + limit], len(matches), offset, limit)


# ------------------------------------------------------------------------ where is my tech


_TECH_STATUS = {
    "pending": "assigned",
    "enroute": "onTheWay",
    "started": "started",
    "completed": "completed",
    "notdone": "notdone",
    "cancelled": "cancelled",
    "suspended": "assigned",
}


@route("GET", f"{CORE}/whereIsMyTech")
def where_is_my_tech(call: Call) -> Response:
    activity_id = call.int_arg("activityId")
    doc = load_activity(call.store, activity_id or 0)
    hide = call.int_arg("hideResourceLocationTime")
    if hide is not None and not 0 <= hide <= 60:
        raise bad_request("'hideResourceLocationTime' must be 0 to 60 minutes.")
    resource = call.store.get("resources", doc.get("resourceId") or "") or {}
    assigned = doc.get("date") is not None and resource.get("resourceType") != "BK"
    status = _TECH_STATUS.get(str(doc.get("status")), "assigned") if assigned else "notAssigned"
    body: dict[str, Any] = {"status": status}
    if assigned:
        details = {"name": resource.get("name")}
        fields = call.list_arg("resourceFields")
        if fields:
            details.update({f: resource[f] for f in fields if f in resource})
        body["resourceDetails"] = details
        if status in ("onTheWay", "started") and doc.get("latitude") is not None:
            body["coordinates"] = {
                "time": stamp(utc_now(call)),
                "latitude": round(float(doc["latitude"]) + 0.01, 5),
                "longitude": round(float(doc["longitude"]) - 0.01, 5),
            }
    activity_details: dict[str, Any] = {
        "activityId": doc["activityId"],
        "timeZoneDiff": doc.get("resourceTimeZoneDiff", -300),
        "timeZoneIANA": doc.get("timeZoneIANA", "America/New_York"),
    }
    if doc.get("startTime"):
        activity_details["startTime"] = doc["startTime"]
    for name in call.list_arg("activityFields") or ():
        if name in doc:
            activity_details[name] = doc[name]
    body["activityDetails"] = activity_details
    return Response.json(body)
