"""The delegating machinery behind every compat method, written once for both clients.

A method of a compat namespace is made from two records: its 2.x signature (the committed
inventory) and its :class:`Op` (the mapping table, :mod:`ofsc_cli.compat._table`).  A call

1. binds the arguments to the 2.x signature (a wrong call raises :class:`TypeError`, as it
   did in 2.x) into a :class:`Bound`;
2. warns once per method (:class:`DeprecationWarning`) with the v3 name to use;
3. runs the :class:`Op`'s builder, which returns one :class:`Call` of a v3 client method, or
   a generator *flow* that yields calls and receives their results (several requests, or a
   local step such as filtering a list): the same flow is driven by :func:`run_sync` and
   :func:`run_async`; only the await differs;
4. shapes the v3 result into what 2.x returned (:func:`shape`): 2.x's list classes, our
   models where the shapes agree, the JSON body where 2.x gave a ``dict``; the sync client
   also honours ``response_type`` (the HTTP response, its text, or the object);
5. turns errors into 2.x's exception names (:func:`ofsc_cli.compat.exceptions.translate`).

Every request goes through the v3 client's declared operations (one definition per
operation); the only other requests are those of 2.x's raw ``call`` helper and the daily
extract stream, which go through the same client's ``send``.
"""

from __future__ import annotations

import inspect
import json
import re
import warnings
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from pydantic import BaseModel, RootModel

from ofsc_cli.compat import models as compat_models
from ofsc_cli.compat._inventory import NOT_LITERAL, methods, signature
from ofsc_cli.compat.exceptions import translate
from ofsc_cli.errors import OFSError, OFSSerializationError
from ofsc_cli.models import response_of

__all__ = [
    "FILE_RESPONSE",
    "FULL_RESPONSE",
    "OBJ_RESPONSE",
    "TEXT_RESPONSE",
    "Bound",
    "Call",
    "Op",
    "Response",
    "body",
    "body_of",
    "build_namespace",
    "complete",
    "run_async",
    "run_sync",
    "shape",
]

TEXT_RESPONSE = 1
FULL_RESPONSE = 2
OBJ_RESPONSE = 3
FILE_RESPONSE = 4

_WARNED: set[str] = set()


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a v3 client method: ``target`` is ``"namespace.method"`` of the client
    (``"metadata.list_work_zones"``), or ``"@send"`` for a raw request; ``raw`` asks a paged
    collection for plain-dict items; ``iterate`` asks for every item (``.iter()``)."""

    target: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    raw: bool = False
    iterate: bool = False


Flow = Generator[Call, Any, Any]
Plan = Call | Flow


class Bound:
    """A call's arguments by their 2.x names (defaults applied): ``a.label``; ``owner`` is
    the compat client (its ``config`` holds 2.x's settings, ``root`` among them)."""

    def __init__(self, arguments: Mapping[str, Any], owner: Any = None, record: Any = None) -> None:
        self._arguments = dict(arguments)
        self.owner = owner
        self.record: dict[str, Any] = record or {"parameters": []}

    def model_of(self, name: str) -> str | None:
        """The 2.x model name the parameter ``name`` is annotated with (or its items)."""
        from ofsc_cli.compat._inventory import inventory

        for p in self.record["parameters"]:
            if p["name"] == name and p["annotation"]:
                found = _NAME.search(p["annotation"])
                if found:
                    return found.group(1)
                known = inventory()["models"]
                words = re.findall(r"[A-Z]\w+", p["annotation"])
                return next((w for w in words if w in known), None)
        return None

    @property
    def sync(self) -> bool:
        """Whether the call is on the sync client (2.x's sync methods return JSON dicts)."""
        return getattr(self.owner, "_kind", "sync") == "sync"

    def __getattr__(self, name: str) -> Any:
        try:
            return self._arguments[name]
        except KeyError:
            raise AttributeError(name) from None

    def pick(self, *names: str) -> Any:
        """The first of ``names`` the signature has (2.x's clients name some arguments
        differently: ``actualDate`` / ``actual_date``); ``None`` when none is there."""
        for name in names:
            if name in self._arguments:
                return self._arguments[name]
        return None

    def has(self, name: str) -> bool:
        """Whether the 2.x signature has the argument ``name``."""
        return name in self._arguments

    def defaulted(self, name: str) -> bool:
        """Whether ``name`` was left to a 2.x default that is not a literal."""
        return isinstance(self._arguments.get(name), NOT_LITERAL)


@dataclass(frozen=True, slots=True)
class Op:
    """One 2.x method's mapping: ``build(bound) -> Call | flow``, the v3 method(s) it
    delegates to, the spec deviation 2.x had there (the spec's request is what is sent),
    and, for a method with no API operation of its own, what it does locally."""

    build: Callable[[Bound], Plan]
    target: str
    also: tuple[str, ...] = ()
    deviation: str = ""
    local: str = ""
    stream: bool = False


# --------------------------------------------------------------------------- drivers
def _method(client: Any, call: Call) -> Any:
    ns, _, name = call.target.partition(".")
    fn = getattr(getattr(client, ns), name)
    if call.raw:
        fn = fn.raw()
    if call.iterate:
        fn = fn.iter
    return fn


def _send_raw(client: Any, call: Call) -> Any:
    method, url = call.args
    return client.send(client.http.build_request(method, url, **call.kwargs))


def run_sync(client: Any, plan: Plan) -> Any:
    """Run a plan on a sync v3 client; the result of its (last) call or of its flow."""
    if isinstance(plan, Call):
        return _call_sync(client, plan)
    try:
        call = next(plan)
        while True:
            call = plan.send(_call_sync(client, call))
    except StopIteration as done:
        return done.value


def _call_sync(client: Any, call: Call) -> Any:
    if call.target == "@send":
        return _send_raw(client, call)
    return _method(client, call)(*call.args, **call.kwargs)


async def run_async(client: Any, plan: Plan) -> Any:
    """Run a plan on an async v3 client (the same flows as :func:`run_sync`)."""
    if isinstance(plan, Call):
        return await _call_async(client, plan)
    try:
        call = next(plan)
        while True:
            call = plan.send(await _call_async(client, call))
    except StopIteration as done:
        return done.value


async def _call_async(client: Any, call: Call) -> Any:
    if call.target == "@send":
        return await _send_raw(client, call)
    return await _method(client, call)(*call.args, **call.kwargs)


# --------------------------------------------------------------------------- results
class Response(httpx.Response):
    """The HTTP response handed back where 2.x handed back a ``requests.Response``: an
    ``httpx.Response`` with requests' ``ok`` as well."""

    @property
    def ok(self) -> bool:
        """True for a status below 400 (requests' meaning)."""
        return self.status_code < 400


def _full(response: httpx.Response | None) -> Any:
    if response is not None and not isinstance(response, Response):
        response.__class__ = Response
    return response


def _json_or_content(response: httpx.Response) -> Any:
    if not response.content:
        return response.text
    try:
        return response.json()
    except ValueError:
        return response.content


_NAME = re.compile(r"ofsc\.models(?:\.\w+)*\.(\w+)")


def returned_name(annotation: str | None) -> str | None:
    """The 2.x class name an async method's return annotation names (its item for a
    generator), ``"bytes"``/``"dict"``, or ``None`` for a method that returns nothing."""
    if annotation is None or annotation == "None":
        return None
    found = _NAME.search(annotation)
    if found:
        return found.group(1)
    return annotation if annotation in ("bytes", "dict") else None


def shape(name: str | None, result: Any, response: httpx.Response | None) -> Any:
    """What 2.x returned as ``name`` (a 2.x class name, ``"bytes"``, ``"dict"``, or ``None``
    for nothing) from the v3 ``result`` of ``response``."""
    if name is None:
        return result
    if name == "bytes":
        return result if isinstance(result, bytes) else getattr(response, "content", result)
    if name == "dict":
        if isinstance(result, dict):
            return result
        return _json_or_content(response) if response is not None else result
    cls = compat_models.resolve(name)
    if isinstance(cls, type) and isinstance(result, cls):
        return result
    if isinstance(cls, type) and issubclass(cls, compat_models.ListResponse):
        items = getattr(result, "items", None)
        if isinstance(items, list) and isinstance(result, BaseModel):
            envelope = {k: getattr(result, k) for k in result.model_fields_set}
            envelope.update(result.model_extra or {})
            envelope["items"] = items
            return cls.model_construct(**envelope)
        if isinstance(result, list):
            return cls.model_construct(items=result)
    if isinstance(cls, type) and issubclass(cls, RootModel) and hasattr(result, "items"):
        return cls.model_construct(list(result.items))
    if response is not None and response.content:
        try:
            data = response.json()
        except ValueError:
            return result
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            return cls.model_validate(data)
    return result


def body(value: Any, *, unset: bool = False) -> Any:
    """A 2.x request body as JSON data: a JSON string (2.x's sync methods took those), a
    model (``None`` fields left out, as 2.x sent them; with ``unset``, only the fields set),
    a root list, or data as it is."""
    if isinstance(value, (str, bytes, bytearray)):
        return json.loads(value)
    if isinstance(value, RootModel):
        root = value.root
        return [body(v, unset=unset) for v in root] if isinstance(root, list) else root
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_unset=unset)
    if isinstance(value, (list, tuple)):
        return [body(v, unset=unset) for v in value]
    return value


def _no_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _no_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_none(v) for v in value]
    return value


def complete(data: Any, model: str | None, *, keep_none: bool = False) -> Any:
    """``data`` (the JSON of a model) with the defaults 2.x's model ``model`` had for the
    fields it lacks, recursively: 2.x dumped whole models, so its requests carried them
    (``keep_none``: ``null`` ones too, where 2.x did not leave ``None`` out)."""
    from ofsc_cli.compat._inventory import inventory

    meta = inventory()["models"].get(model or "")
    if meta is None:
        return data
    if isinstance(data, list):
        item = meta["item"] if meta["kind"] in ("root", "list") else model
        return [complete(v, item, keep_none=keep_none) for v in data]
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for alias, info in meta.get("field_info", {}).items():
        if alias in out:
            if info.get("model"):
                out[alias] = complete(out[alias], info["model"], keep_none=keep_none)
            continue
        if "default" not in info:
            continue
        default = info["default"]
        if default == "<date at import>":
            default = date.today().isoformat()
        if default is None and not keep_none:
            continue
        out[alias] = default if keep_none else _no_none(default)
    return out


def body_of(a: Bound, name: str, dump: str = "fill", *, coerce: bool = False) -> Any:
    """The 2.x argument ``name`` as the JSON 2.x sent for it: a model (or a list of them)
    completed with 2.x's defaults (:func:`complete`); ``dump`` is how 2.x dumped it:
    ``"fill"`` (``None`` left out), ``"all"`` (``None`` kept), ``"unset"`` (only the fields
    set).  A dict or JSON string is sent as it is, unless ``coerce`` (2.x validated a dict
    into its model first, so it got the model's defaults too)."""
    value = a.pick(name)
    data = body(value, unset=dump == "unset")
    items = value if isinstance(value, (list, tuple)) else [value]
    if coerce and isinstance(value, dict):
        return complete(data, a.model_of(name))
    if dump != "unset" and items and all(isinstance(v, BaseModel) for v in items):
        model = a.model_of(name)
        if isinstance(value, (list, tuple)):
            return [complete(d, model, keep_none=dump == "all") for d in data]
        return complete(data, model, keep_none=dump == "all")
    return data


# --------------------------------------------------------------------------- methods
def _warn_once(kind: str, key: str, op: Op, stacklevel: int = 4) -> None:
    seen = f"{kind}:{key}"
    if seen in _WARNED:
        return
    _WARNED.add(seen)
    target = op.target if op.target.startswith("client.") else f"client.{op.target}"
    warnings.warn(f"{key} -> {target}", DeprecationWarning, stacklevel=stacklevel)


def _received(error: OFSError) -> bool:
    return isinstance(error, OFSSerializationError) and error.received


def _last(client: Any, error: OFSError | None = None) -> httpx.Response | None:
    response: httpx.Response | None = client.last_response
    if error is not None and error.status_code is None:
        return None
    return response


class _Namespace:
    """What both clients' compat namespaces share: their owner and 2.x's attributes."""

    _kind = ""
    _namespace = ""

    def __init__(self, owner: Any) -> None:
        self._owner = owner

    @property
    def config(self) -> Any:
        """The client's :class:`~ofsc_cli.compat.models.OFSConfig`."""
        return self._owner._config

    @property
    def baseUrl(self) -> str:
        """The base URL requests go to."""
        return str(self._owner.client.base_url)


class SyncNamespace(_Namespace):
    """Base of the sync compat namespaces (``inst.core``, ``inst.metadata`` …)."""

    _kind = "sync"

    def _run(self, key: str, record: dict[str, Any], op: Op, args: Any, kwargs: Any) -> Any:
        default = record["response_type_default"]
        response_type = default
        model = None
        if default is not None:
            response_type = kwargs.pop("response_type", default)
            model = kwargs.pop("model", None)
        bound = _bind(record, args, kwargs)
        bound.pop("response_type", None)  # given positionally: 2.x ignored it too
        _warn_once(self._kind, key, op)
        client = self._owner.client
        config = self._owner._config
        plan = op.build(Bound(bound, self._owner, record))
        if op.stream:
            return _stream_sync(client, plan)
        try:
            result = run_sync(client, plan)
        except OFSError as error:
            response = _last(client, error)
            if _received(error) and response is not None:
                result = None
            elif default is None or response is None:
                raise translate(error, response) from None
            elif response_type == FULL_RESPONSE:
                return _full(response)
            elif response_type == TEXT_RESPONSE:
                return response.text
            elif response.status_code in (record["expected_status"] or ()) or not config.auto_raise:
                return _json_or_content(response)
            else:
                raise translate(error, response) from None
        if default is None:
            return _full(result) if isinstance(result, httpx.Response) else result
        response = response_of(result) or client.last_response
        if response_type == FULL_RESPONSE:
            return _full(response)
        if response_type == TEXT_RESPONSE:
            return response.text if response is not None else ""
        if response_type == FILE_RESPONSE:
            return response.content if response is not None else result
        if response is not None and response.status_code == 204:
            return response.text
        if model is not None and response is not None:
            return model.model_validate(response.json())
        name = record["response_model"]
        if not config.auto_model or name is None:
            return _json_or_content(response) if response is not None else result
        return shape(name, result, response)


class AsyncNamespace(_Namespace):
    """Base of the async compat namespaces."""

    _kind = "async"

    async def _arun(self, key: str, record: dict[str, Any], op: Op, args: Any, kwargs: Any) -> Any:
        bound = _bind(record, args, kwargs)
        _warn_once(self._kind, key, op)
        client = self._owner.client
        try:
            result = await run_async(client, op.build(Bound(bound, self._owner, record)))
        except OFSError as error:
            response = _last(client, error)
            if not (_received(error) and response is not None):
                raise translate(error, response) from None
            result = None
        response = response_of(result) or client.last_response
        name = returned_name(record["returns"])
        if not self._owner._config.auto_model and name not in (None, "bytes"):
            return _json_or_content(response) if response is not None else result
        return shape(name, result, response)

    async def _aiter(
        self, key: str, record: dict[str, Any], op: Op, args: Any, kwargs: Any
    ) -> AsyncIterator[Any]:
        bound = _bind(record, args, kwargs)
        _warn_once(self._kind, key, op, stacklevel=3)  # an async generator's caller is 3 up
        client = self._owner.client
        plan = op.build(Bound(bound, self._owner, record))
        assert isinstance(plan, Call), f"{key}: an iterating op builds one call"
        name = returned_name(record["returns"])
        try:
            async for item in _method(client, plan)(*plan.args, **plan.kwargs):
                yield shape(name, item, None)
        except OFSError as error:
            raise translate(error, _last(client, error)) from None


def _bind(record: dict[str, Any], args: Any, kwargs: Any) -> dict[str, Any]:
    sig = signature(record, with_self=False)
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    for p in sig.parameters.values():  # **kwargs stays one mapping under its name
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            arguments[p.name] = dict(arguments.get(p.name, {}))
    return arguments


@contextmanager
def _stream_sync_cm(client: Any, call: Call) -> Iterator[Response]:
    request = _declared_request(client, call)
    response = client.send(request, stream=True)
    try:
        if not response.is_success:
            response.read()
            raise translate(_error(response), response)
        yield _full(response)
    finally:
        response.close()


def _stream_sync(client: Any, plan: Plan) -> Any:
    assert isinstance(plan, Call)
    return _stream_sync_cm(client, plan)


def _stream_async(client: Any, plan: Plan, chunk_size: int) -> Any:
    assert isinstance(plan, Call)

    @asynccontextmanager
    async def opened() -> AsyncIterator[AsyncIterator[bytes]]:
        request = _declared_request(client, plan)
        response = await client.send(request, stream=True)
        try:
            if not response.is_success:
                await response.aread()
                raise translate(_error(response), response)
            yield response.aiter_bytes(chunk_size)
        finally:
            await response.aclose()

    return opened()


def _declared_request(client: Any, call: Call) -> httpx.Request:
    """The request of the declared v3 operation ``call.target`` for ``call``'s arguments."""
    ns, _, name = call.target.partition(".")
    namespace = getattr(client, ns)
    declared = getattr(type(namespace), name)
    args = declared.build(namespace, *call.args, **call.kwargs)
    request: httpx.Request = client.build(declared.spec, args)
    return request


def _error(response: httpx.Response) -> OFSError:
    from ofsc_cli.client.http import error_from_response

    return error_from_response(response)


# --------------------------------------------------------------------------- namespaces
def _doc(key: str, op: Op) -> str:
    target = op.target if op.target.startswith("client.") else f"client.{op.target}"
    text = f"pyOFSC 2.x ``{key}``: delegates to ``{target}``."
    if op.local:
        text += f"\n\nLocal step: {op.local}"
    if op.deviation:
        text += f"\n\nWhere 2.x differed from the spec (the spec's request is sent): {op.deviation}"
    return text + "\n\nRaises the 2.x-named errors of :mod:`ofsc_cli.compat.exceptions`."


def _make(kind: str, key: str, record: dict[str, Any], op: Op) -> Callable[..., Any]:
    sig = signature(record)
    if kind == "sync" and record["response_type_default"] is not None:
        params = list(sig.parameters.values())
        if "response_type" not in sig.parameters:
            extra = inspect.Parameter(
                "response_type",
                inspect.Parameter.KEYWORD_ONLY,
                default=record["response_type_default"],
            )
            params.append(extra)
        else:
            params = [
                p.replace(default=record["response_type_default"])
                if p.name == "response_type"
                else p
                for p in params
            ]
        sig = sig.replace(parameters=params)
    fn: Callable[..., Any]
    if kind == "sync":

        def fn(self: SyncNamespace, *args: Any, **kwargs: Any) -> Any:
            return self._run(key, record, op, args, kwargs)

    elif op.stream:

        def fn(self: AsyncNamespace, *args: Any, **kwargs: Any) -> Any:
            bound = _bind(record, args, kwargs)
            _warn_once("async", key, op, stacklevel=3)
            plan = op.build(Bound(bound, self._owner, record))
            return _stream_async(self._owner.client, plan, int(bound.get("chunk_size", 8192)))

    elif record["kind"] == "async_generator":

        def fn(self: AsyncNamespace, *args: Any, **kwargs: Any) -> Any:
            return self._aiter(key, record, op, args, kwargs)

    else:

        async def fn(self: AsyncNamespace, *args: Any, **kwargs: Any) -> Any:
            return await self._arun(key, record, op, args, kwargs)

    fn.__name__ = fn.__qualname__ = key.split(".", 1)[1]
    fn.__doc__ = _doc(key, op)
    setattr(fn, "__signature__", sig)  # noqa: B010 - read by inspect.signature
    return fn


def build_namespace(kind: str, namespace: str, table: Mapping[str, Op]) -> type[Any]:
    """The compat namespace class of one client (``"sync"``/``"async"``) and namespace,
    with a method per 2.x method of the inventory.  Raises :class:`KeyError` naming a 2.x
    method the table does not map (the inventory test keeps the table complete)."""
    from ofsc_cli.compat._inventory import inventory

    base = SyncNamespace if kind == "sync" else AsyncNamespace
    block = inventory()["clients"][kind]["namespaces"][namespace]
    attrs: dict[str, Any] = {
        "__module__": "ofsc_cli.compat",
        "__doc__": f"pyOFSC 2.x ``{namespace}`` namespace, delegating to ``client.{namespace}``.",
        "_namespace": namespace,
    }
    for name, record in methods(kind).items():
        if name[0] != namespace:
            continue
        key = f"{namespace}.{name[1]}"
        attrs[name[1]] = _make(kind, key, record, table[key])
    cls_name = block["class"].rsplit(".", 1)[1]
    return type(cls_name, (base,), attrs)
