"""Helpers shared by handler modules: errors, times and dates, paging, envelopes, links,
translations, binary responses and the file properties of resources, users and inventories."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from ofsc_cli.catalog import load_catalog
from ofsc_cli.sandbox._http import OFSHTTPError, Response
from ofsc_cli.sandbox.router import Call, route
from ofsc_cli.sandbox.seed import languages_iso
from ofsc_cli.sandbox.store import Store

__all__ = [
    "MAX_BODY_BYTES",
    "TIMESTAMP",
    "bad_request",
    "binary_response",
    "conflict",
    "date_range",
    "envelope_fields",
    "error_body",
    "file_property_routes",
    "find_activity",
    "list_links",
    "localize",
    "merge",
    "normalize_translations",
    "not_found",
    "now_text",
    "page_args",
    "paged",
    "paged_list",
    "paged_raw",
    "parse_date",
    "require",
    "select_fields",
    "serve_file",
    "stamp",
    "utc_now",
    "whole_list",
]

#: ``YYYY-MM-DD HH:MM:SS``, the form of OFS times in bodies and query parameters.
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
#: The largest request body the bulk updates and file properties take (5 MB).
MAX_BODY_BYTES = 5 * 1024 * 1024


def not_found(entity: str, key: object) -> OFSHTTPError:
    """404 naming the entity and the key that was asked for."""
    return OFSHTTPError(404, "Not Found", f"The {entity} '{key}' is not found.")


def bad_request(detail: str) -> OFSHTTPError:
    return OFSHTTPError(400, "Bad Request", detail)


def error_body(detail: str) -> dict[str, Any]:
    """A 400 OFS error as an item of a bulk result (not raised: reported in the body)."""
    return {"type": "about:blank", "title": "Bad Request", "status": "400", "detail": detail}


def conflict(detail: str, **extra: Any) -> OFSHTTPError:
    return OFSHTTPError(409, "Conflict", detail, **extra)


def require(body: Mapping[str, Any], fields: Iterable[str], what: str) -> None:
    """400 if any of ``fields`` is missing (or null) in ``body``."""
    missing = [name for name in fields if body.get(name) in (None, "")]
    if missing:
        raise bad_request(f"Missing required field(s) for {what}: {', '.join(missing)}.")


def parse_date(value: str | None, name: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` value (None stays None); 400 when malformed."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad_request(
            f"'{name}' must be a date in the YYYY-MM-DD format, got '{value}'."
        ) from None


def date_range(call: Call, max_days: int | None, *, required: bool = True) -> list[dt.date]:
    """Every day from ``dateFrom`` to ``dateTo`` (``dateFrom`` alone: that day); 400 when
    missing (if ``required``), reversed or longer than ``max_days``."""
    start = parse_date(call.arg("dateFrom"), "dateFrom")
    end = parse_date(call.arg("dateTo"), "dateTo") or start
    if start is None or end is None:
        if required:
            raise bad_request("'dateFrom' and 'dateTo' are required.")
        return []
    if start > end:
        raise bad_request("'dateFrom' must not be after 'dateTo'.")
    days = (end - start).days + 1
    if max_days is not None and days > max_days:
        raise bad_request(f"The date range must not exceed {max_days} days; got {days}.")
    return [start + dt.timedelta(days=i) for i in range(days)]


def utc_now(call: Call) -> dt.datetime:
    """The emulator clock's current UTC time (naive)."""
    return dt.datetime.fromtimestamp(call.emulator.clock(), dt.UTC).replace(tzinfo=None)


def stamp(moment: dt.datetime) -> str:
    """``moment`` as ``YYYY-MM-DD HH:MM:SS``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def now_text(call: Call) -> str:
    """The emulator clock's current UTC time as ``YYYY-MM-DD HH:MM:SS``."""
    moment = dt.datetime.fromtimestamp(call.emulator.clock(), dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def find_activity(store: Store, activity_id: Any) -> dict[str, Any]:
    """The activity whose id is ``int(activity_id)`` (as inventories and resource searches
    name it in a body); a 404 otherwise."""
    try:
        doc = store.get_activity(int(activity_id))
    except (TypeError, ValueError):
        doc = None
    if doc is None:
        raise not_found("activity", activity_id)
    return doc


def merge(doc: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with the top-level fields of ``patch`` replaced."""
    merged = dict(doc)
    merged.update(patch)
    return merged


def select_fields(
    doc: Mapping[str, Any], fields: Sequence[str] | None, always: Sequence[str] = ()
) -> dict[str, Any]:
    """Only ``always`` + ``fields`` of ``doc`` (all of it when ``fields`` is None)."""
    if fields is None:
        return dict(doc)
    wanted = [*always, *(f for f in fields if f not in always)]
    return {name: doc[name] for name in wanted if name in doc}


# ------------------------------------------------------------------------ translations


def localize(doc: Mapping[str, Any], language: str | None) -> dict[str, Any]:
    """With ``?language=xx``: ``name`` in that language and no ``translations`` array."""
    if not language:
        return dict(doc)
    translated = next(
        (
            t.get("name")
            for t in doc.get("translations") or ()
            if isinstance(t, dict) and t.get("language") == language
        ),
        None,
    )
    out = {k: v for k, v in doc.items() if k != "translations"}
    if translated is not None:
        out["name"] = translated
    return out


def normalize_translations(value: Any) -> list[dict[str, Any]]:
    """Validate a ``translations`` array and add the response-only ``languageISO``."""
    if not isinstance(value, list):
        raise bad_request("'translations' must be an array.")
    out = []
    for item in value:
        if not isinstance(item, dict) or not item.get("language") or "name" not in item:
            raise bad_request("Each translation needs 'language' and 'name'.")
        out.append({**item, "languageISO": languages_iso(str(item["language"]))})
    return out


# ------------------------------------------------------------------------------ paging


def page_args(call: Call, default_max: int = 100) -> tuple[int, int]:
    """``(offset, limit)``: a ``limit`` above the maximum, 0 or absent means the maximum."""
    maximum = call.op.limit_max or default_max
    offset = call.int_arg("offset", 0) or 0
    limit = call.int_arg("limit")
    if offset < 0:
        raise bad_request("'offset' must not be negative.")
    if limit is not None and limit < 0:
        raise bad_request("'limit' must not be negative.")
    if not limit or limit > maximum:
        limit = maximum
    return offset, limit


@functools.cache
def envelope_fields(op_key: str) -> frozenset[str]:
    """Top-level members the spec lists for the 200 response of an operation."""
    catalog = load_catalog()
    op = catalog.by_key[op_key]
    schema: Any = op.responses.get("200")
    if isinstance(schema, str):
        try:
            schema = catalog.schema(schema)
        except KeyError:
            schema = None
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    return frozenset(props)


def list_links(
    call: Call, offset: int, limit: int, has_more: bool, next_offset: int | None = None
) -> list[dict[str, str]]:
    """``canonical``, ``prev``, ``next`` and ``describedby`` links of a list page."""
    request = call.request
    base = request.base_url.rstrip("/") + request.path
    others = {k: v[0] for k, v in request.query.items() if k not in ("offset", "limit") and v}

    def href(at: int) -> str:
        return f"{base}?{urlencode({**others, 'offset': at, 'limit': limit})}"

    links = [{"rel": "canonical", "href": href(offset)}]
    if offset > 0:
        links.append({"rel": "prev", "href": href(max(0, offset - limit))})
    if has_more:
        at = next_offset if next_offset is not None else offset + limit
        links.append({"rel": "next", "href": href(at)})
    prefix = "/".join(call.op.path.split("/")[:4])
    collection = next(s for s in reversed(call.op.path.split("/")) if not s.startswith("{"))
    links.append(
        {
            "rel": "describedby",
            "href": f"{request.base_url.rstrip('/')}{prefix}/metadata-catalog/{collection}",
        }
    )
    return links


def _envelope(
    call: Call, page: list[Any], count: int, total: int, offset: int, limit: int, **extra: Any
) -> dict[str, Any]:
    """The body of a list page of ``count`` items out of ``total`` (``items`` first).

    A limit/offset collection answers as live tenants do (NOTES §9): ``totalResults``,
    ``offset``, ``limit`` and ``hasMore`` (false on the last page) wherever the spec lists
    fewer; other operations keep the members their spec schema lists."""
    fields = envelope_fields(call.op.key)
    if call.op.paging == "offset":
        fields = fields | {"totalResults", "offset", "limit", "hasMore"}
    has_more = offset + count < total
    body: dict[str, Any] = {"items": page}
    if "totalResults" in fields:
        body["totalResults"] = total
    if "offset" in fields:
        body["offset"] = offset
    if "limit" in fields:
        body["limit"] = limit
    if "hasMore" in fields:
        body["hasMore"] = has_more
    body.update(extra)
    body["links"] = list_links(call, offset, limit, has_more)
    return body


def paged(
    call: Call, page: list[Any], total: int, offset: int, limit: int, **extra: Any
) -> Response:
    """A list response with the envelope members the spec lists for this operation."""
    return Response.json(_envelope(call, page, len(page), total, offset, limit, **extra))


def paged_raw(
    call: Call, texts: list[str], total: int, offset: int, limit: int, **extra: Any
) -> Response:
    """:func:`paged` for items that are already compact JSON text (as the store keeps
    them): spliced into the envelope, not parsed and encoded again."""
    body = _envelope(call, [], len(texts), total, offset, limit, **extra)
    rest = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    head = '{"items":[]'
    assert rest.startswith(head)
    return Response.raw_json(f'{{"items":[{",".join(texts)}]{rest[len(head) :]}'.encode())


def paged_list(call: Call, docs: Sequence[Any], **extra: Any) -> Response:
    """Page an in-memory list with the request's offset/limit."""
    offset, limit = page_args(call)
    return paged(call, list(docs[offset : offset + limit]), len(docs), offset, limit, **extra)


def whole_list(call: Call, docs: Sequence[Any]) -> Response:
    """An unpaged list: every item, plus ``totalResults`` where the spec lists it."""
    body: dict[str, Any] = {"items": list(docs)}
    if "totalResults" in envelope_fields(call.op.key):
        body["totalResults"] = len(docs)
    return Response.json(body)


RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def binary_response(call: Call, data: bytes, media_type: str) -> Response:
    """``data`` whole, or the asked-for range of it (206), with an ETag."""
    etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
    headers = {"Content-Type": media_type, "Accept-Ranges": "bytes", "ETag": etag}
    wanted = call.request.header("range")
    if_range = call.request.header("if-range")
    if wanted and (if_range is None or if_range == etag):
        match = RANGE.match(wanted.strip())
        if match is None:
            raise OFSHTTPError(416, "Range Not Satisfiable", f"Unsupported range '{wanted}'.")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else len(data) - 1
        if start >= len(data) or end < start:
            raise OFSHTTPError(
                416,
                "Range Not Satisfiable",
                f"The file has {len(data)} bytes.",
                headers={"Content-Range": f"bytes */{len(data)}"},
            )
        end = min(end, len(data) - 1)
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        return Response(206, headers, data[start : end + 1])
    return Response(200, headers, data)


def _wants_bytes(call: Call, media_type: str) -> bool:
    accept = (call.request.header("accept") or "").split(";")[0].strip().lower()
    if accept in ("", "application/json"):
        return False
    if accept in (media_type.lower(), "application/octet-stream", "*/*"):
        return True
    raise OFSHTTPError(
        406, "Not Acceptable", f"The file is {media_type}; ask for it or application/octet-stream."
    )


def serve_file(call: Call, stored: Mapping[str, Any] | None, label: str) -> Response:
    """A stored file (``mediaType``, ``size``, ``fileName``, base64 ``content``): its metadata
    as JSON, or its bytes when the request accepts its media type or octet-stream (406 for
    anything else)."""
    if stored is None:
        raise not_found("file", label)
    media_type = str(stored.get("mediaType") or "application/octet-stream")
    if not _wants_bytes(call, media_type):
        return Response.json(
            {
                "name": label,
                "mediaType": media_type,
                "size": stored.get("size"),
                "fileName": stored.get("fileName"),
            }
        )
    return binary_response(call, base64.b64decode(stored["content"]), media_type)


def file_property_routes(base: str, entity: str, owner: Callable[[Call], str]) -> None:
    """Register GET/PUT/DELETE ``<base>/{propertyLabel}``: the file properties of one entity
    type (``resource``, ``user``, ``inventory``), kept in ``fileProperties`` (key
    ``<entity>:<key>:<label>``, base64 body); ``owner(call)`` gives the key (404 when the
    entity does not exist).  The label must be a property of that entity of type file;
    ``GET`` answers its metadata as JSON, or the bytes for octet-stream or its media type;
    ``PUT`` needs a Content-Type and at most 5 MB.  The routes count as the calling module's
    (see :func:`~ofsc_cli.sandbox.router.operation_owners`)."""

    def locate(call: Call) -> str:
        key = owner(call)
        label = call.param("propertyLabel")
        prop = call.store.get("properties", label)
        if prop is None or prop.get("entity") != entity or prop.get("type") != "file":
            raise not_found(f"{entity} file property", label)
        return f"{entity}:{key}:{label}"

    def get(call: Call) -> Response:
        doc = call.store.get("fileProperties", locate(call))
        if doc is None:
            raise not_found("file", call.param("propertyLabel"))
        accept = (call.request.header("accept") or "").split(";")[0].strip()
        if accept in ("", "application/json", "*/*"):
            meta = {k: v for k, v in doc.items() if k != "data"}
            return Response.json(meta)
        if accept not in ("application/octet-stream", doc["mediaType"]):
            raise OFSHTTPError(406, "Not Acceptable", f"The file is {doc['mediaType']}.")
        return binary_response(call, base64.b64decode(doc["data"]), doc["mediaType"])

    def put(call: Call) -> Response:
        key = locate(call)
        data = call.request.body
        if len(data) > MAX_BODY_BYTES:
            raise OFSHTTPError(413, None, "A file property must not exceed 5 MB.")
        media = (call.request.header("content-type") or "").split(";")[0].strip()
        if not media:
            raise bad_request("The Content-Type header is required.")
        disposition = call.request.header("content-disposition") or ""
        name = disposition.partition("filename=")[2].strip().strip('"') or None
        doc = {
            "mediaType": media,
            "name": name or call.param("propertyLabel"),
            "size": len(data),
            "data": base64.b64encode(data).decode(),
        }
        call.store.put("fileProperties", key, doc)
        return Response.no_content()

    def delete(call: Call) -> Response:
        if not call.store.delete("fileProperties", locate(call)):
            raise not_found("file", call.param("propertyLabel"))
        return Response.no_content()

    path = f"{base}/{{propertyLabel}}"
    route("GET", path)(get)
    route("PUT", path)(put)
    route("DELETE", path)(delete)
