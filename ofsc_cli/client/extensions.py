"""Your own checks on what the client sends, and your own touches on what it returns.

Two kinds of hook, applied by both clients (:class:`~ofsc_cli.OFSC` and
:class:`~ofsc_cli.AsyncOFSC`) to every declared operation (``client.core.create_activity``,
``client.metadata.list_work_zones``, a page, each page behind ``.iter()``/``.pages()``):

* a **validator** ``validator(operation_key, body) -> None`` sees the JSON body of a request
  as it will be sent (a ``dict``, or a ``list`` for the operations that send an array: models
  are already dumped) and raises to refuse it.  The client then raises
  :class:`~ofsc_cli.errors.OFSValidationError` naming the operation and the validator, and
  nothing is sent.  Raise ``ValueError`` (a pydantic ``ValidationError`` is one) or
  ``OFSValidationError`` with a message saying what is wrong; any other exception refuses
  too, its type named in the message.  Changes a validator makes to ``body`` are not sent
  (it is encoded first): validators check, they do not edit.  Only JSON bodies are checked:
  an operation sending none (a ``GET``, a ``DELETE``, a file upload) calls no validator.
* a **response processor** ``processor(operation_key, result) -> result`` gets the parsed
  result of a successful call (not the ``None`` of an operation answering no content),
  before the caller does, and returns it (changed in place or
  a new object).  Returning ``None`` keeps the result it was given, so a processor that
  only edits in place needs no ``return``.  :func:`~ofsc_cli.client.middleware.response_of`
  still gives the HTTP answer behind a result a processor returned (models and pages; plain
  ``dict``/``list`` values cannot carry that link).  When a processor raises, the call raises
  :class:`OFSResponseProcessorError`: the request *was* made and succeeded, so the error
  carries the result as it was before that processor (``error.result``), the operation, the
  processor's name and the HTTP status; the processor's exception is its ``__cause__``.  The
  CLI reports it on one line and exits 1.

Each hook has a **target**:

* an operation: its key, ``"METHOD /path"`` with the path template as the catalog spells it
  (``"POST /rest/ofscCore/v1/activities"``, the ``spec.key`` of a declared operation), or
  the client method (``"core.create_activity"``), or the catalog's operation id.  The
  validator or processor is given that key (``"POST /rest/ofscCore/v1/activities"``) as
  ``operation_key``, whichever form named it.  A processor for a paged operation gets the
  whole page.  A name no operation has is refused when registered (``ValueError`` with the
  nearest ones; a ``"METHOD /path"`` key is taken as given, see :func:`operation_key`);
* a model class (a subclass of pydantic's ``BaseModel``, usually one of
  :mod:`ofsc_cli.models`): a validator applies to the operations whose ``body`` parameter is
  declared as that model or a subclass of it (``replace_work_zone(label, body: WorkZone |
  dict)``; ``create_activity`` takes an ``ActivityCreate`` or an ``Activity``,
  ``update_activity`` an ``Activity``, ``replace_resource``/``update_resource`` a
  ``Resource``), and to any call given an instance of it as its body; a processor applies
  to results that are instances of it and to the items of a result that has them (an
  ``Activity`` processor gets each activity of a page, and what it returns replaces the
  item).  ``OFSModel`` reaches every model-typed body and every model result.

Hooks are registered for every client of the process with :func:`register_validator` and
:func:`register_response_processor` (each returns a function that removes it again; safe to
call from any thread, and more than once), or given to one client::

    OFSC(..., validators={"core.create_activity": require_region},
         response_processors=[(Resource, add_label)])

Both options take a mapping ``{target: hook or [hooks]}`` or a list of ``(target, hook)``
pairs; :meth:`OFSC.from_profile <ofsc_cli.OFSC.from_profile>` passes them through.  A
client runs the registered hooks first (in the order they were registered), then its own
(in the order given).  Hooks are plain functions on both clients (``async def`` is
refused); ``AsyncOFSC`` calls them in the event loop, so they should be quick.

Not covered: raw calls (``client.request()``, ``client.stream()``, ``client.send()``), which
send and return exactly what they are given, and ``.raw()`` collections (items passed on as
received, for bulk reads).  Validators run whether ``validate=`` (the catalog's own checks,
which run first) is on or off, and for ``--dry-run`` in the CLI too (the request is built,
so checked, then printed).  With nothing registered, a call costs one attribute test more.

Example: every activity created must name its region::

    from typing import Any

    from ofsc_cli import OFSC, OFSValidationError
    from ofsc_cli.client import register_validator


    def require_region(operation: str, body: dict[str, Any]) -> None:
        if not body.get("XA_REGION"):
            raise ValueError("XA_REGION is required")


    unregister = register_validator("POST /rest/ofscCore/v1/activities", require_region)
    with OFSC.from_profile("sandbox") as client:
        try:
            client.core.create_activity({"activityType": "REPAIR", "resourceId": "TECH-0001"})
        except OFSValidationError as error:
            print(error)  # core.create_activity: refused by validator require_region: ...
    unregister()

Example: a computed field on every resource read, and one value normalised::

    from ofsc_cli import OFSC
    from ofsc_cli.models.resources import Resource


    def add_label(operation: str, resource: Resource) -> None:
        resource.label = f"{resource.name} ({resource.resourceId})"  # an extra field


    def lower_email(operation: str, resource: Resource) -> Resource:
        return resource.model_copy(update={"email": (resource.email or "").lower() or None})


    processors = {Resource: [add_label, lower_email]}
    with OFSC.from_profile("sandbox", response_processors=processors) as client:
        for resource in client.core.list_resources(limit=5).items:
            print(resource.label, resource.email)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from ofsc_cli.errors import OFSError, OFSValidationError

if TYPE_CHECKING:
    import httpx

    from ofsc_cli.client._endpoint import EndpointSpec

__all__ = [
    "HookOption",
    "OFSResponseProcessorError",
    "ResponseProcessor",
    "Target",
    "Validator",
    "operation_key",
    "register_response_processor",
    "register_validator",
]

Validator: TypeAlias = Callable[[str, Any], None]
"""``validator(operation_key, body)``: raise to refuse the request (see the module text)."""
ResponseProcessor: TypeAlias = Callable[[str, Any], Any]
"""``processor(operation_key, result)``: the result to hand on (``None``: unchanged)."""
Target: TypeAlias = "type[Any] | str"
"""A model class, or an operation (``"POST /rest/..."``, ``"core.create_activity"``)."""
HookOption: TypeAlias = "Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None"
"""A client's ``validators=``/``response_processors=``: ``{target: hook or [hooks]}`` or
``[(target, hook), ...]``."""


class OFSResponseProcessorError(OFSError):
    """A response processor raised: the call succeeded, but its result could not be finished.

    ``result`` is the result as it was before the failing processor (parsed, earlier
    processors applied), ``operation`` the operation key, ``processor`` the processor's name;
    ``status_code``, ``method`` and ``url`` are those of the answer, ``message`` the one-line
    text.  The processor's exception is ``__cause__``.
    """

    def __init__(
        self, message: str, *, operation: str, processor: str, result: Any, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.operation = operation
        self.processor = processor
        self.result = result


class _Hook:
    """One registered validator or processor (a plain class: a dataclass costs import time)."""

    __slots__ = ("fn", "name", "target")

    def __init__(self, target: type[Any] | str, fn: Callable[..., Any], name: str) -> None:
        self.target = target
        self.fn = fn
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name} for {self.target!r}>"


class _Registry:
    """Process-wide hooks of one kind: a tuple replaced whole under a lock (readers take
    the current tuple without locking)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hooks: tuple[_Hook, ...] = ()

    def add(self, hook: _Hook) -> Callable[[], None]:
        with self._lock:
            self.hooks = (*self.hooks, hook)

        def unregister() -> None:
            with self._lock:
                self.hooks = tuple(h for h in self.hooks if h is not hook)

        return unregister


VALIDATORS = _Registry()
"""The validators registered for every client (read by the clients on each call)."""
PROCESSORS = _Registry()
"""The response processors registered for every client."""


def register_validator(target: Target, validator: Validator) -> Callable[[], None]:
    """Check the JSON body of every request for ``target`` with ``validator``, in every
    client of this process, until the returned function is called.

    ``target`` is a model class or an operation key (see the module text);
    ``validator(operation_key, body)`` raises to refuse a body.  Returns the function that
    unregisters it (calling it again does nothing).  Raises ``TypeError`` when ``target`` is
    neither a model class nor a string, or ``validator`` is not a plain callable, and
    ``ValueError`` for an operation key no operation has.
    """
    return VALIDATORS.add(_hook(target, validator, "validator"))


def register_response_processor(target: Target, processor: ResponseProcessor) -> Callable[[], None]:
    """Pass every result of ``target`` through ``processor``, in every client of this
    process, until the returned function is called.

    ``target`` is a model class (results of that type, and items of that type in a page)
    or an operation key; ``processor(operation_key, result)`` returns the result to hand
    on (``None``: the one it got).  Returns the function that unregisters it.  Raises
    ``TypeError`` and ``ValueError`` as :func:`register_validator` does.
    """
    return PROCESSORS.add(_hook(target, processor, "response processor"))


def client_hooks(option: HookOption, what: str) -> tuple[_Hook, ...]:
    """Returns the hooks of a client's ``option`` (its ``validators=`` or
    ``response_processors=``, as ``what`` says), in order.

    Raises ``TypeError`` for a value of the wrong shape and the errors of
    :func:`register_validator` for a bad target or hook.
    """
    if option is None:
        return ()
    kind = "validator" if what == "validators" else "response processor"
    pairs: list[tuple[Any, Any]] = []
    if isinstance(option, Mapping):
        for target, fns in option.items():
            if callable(fns):
                pairs.append((target, fns))
            elif isinstance(fns, Iterable) and not isinstance(fns, str | bytes):
                pairs.extend((target, fn) for fn in fns)
            else:
                raise TypeError(f"{what}: {target!r} maps to {fns!r}, not a {kind} or a list")
    elif isinstance(option, Iterable) and not isinstance(option, str | bytes):
        for pair in option:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise TypeError(f"{what}: expected (target, {kind}) pairs, got {pair!r}")
            pairs.append(pair)
    else:
        raise TypeError(f"{what}: expected a mapping or a list of pairs, not {option!r}")
    return tuple(_hook(target, fn, kind) for target, fn in pairs)


def _hook(target: Any, fn: Any, kind: str) -> _Hook:
    if not callable(fn):
        raise TypeError(f"{kind} for {target!r}: {fn!r} is not callable")
    import inspect

    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - an object with an async __call__
    ):
        raise TypeError(f"{kind} {_name(fn)}: must be a plain function, not async")
    if isinstance(target, str):
        target = operation_key(target)
    else:
        from pydantic import BaseModel

        if not (isinstance(target, type) and issubclass(target, BaseModel)):
            raise TypeError(
                f"{kind} {_name(fn)}: the target must be a model class or an operation key,"
                f" not {target!r}"
            )
    return _Hook(target, fn, _name(fn))


def _name(fn: Any) -> str:
    name = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module and module not in ("__main__", "builtins") else name


# -- operation keys ------------------------------------------------------------------------

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def operation_key(target: str) -> str:
    """Returns the operation key (``"POST /rest/ofscCore/v1/activities"``, a declared
    operation's ``spec.key``) that ``target`` names: that key itself (the method in any
    case), a client method (``"core.create_activity"``) or an operation id of the catalog.

    A ``"METHOD /path"`` key is taken as given (nothing is loaded, so a plugin registering
    one stays cheap); a client method imports its namespace, an operation id reads the
    catalog.  Raises ``ValueError`` for a name no operation has, with the nearest ones.
    """
    import difflib

    text = target.strip()
    method, sep, path = text.partition(" ")
    if sep and method.upper() in _METHODS and path.startswith("/"):
        return f"{method.upper()} {path.strip()}"
    namespace, dot, name = text.partition(".")
    if dot and namespace.isidentifier() and name.isidentifier():
        names = _client_methods(namespace)
        if names is not None:
            if name in names:
                return names[name]
            near = difflib.get_close_matches(name, sorted(names), n=3)
            raise ValueError(_unknown(target, [f"{namespace}.{n}" for n in near]))
    from ofsc_cli.catalog import load_catalog

    ids = {op.operation_id: op.key for op in load_catalog().by_key.values() if op.operation_id}
    if text in ids:
        return ids[text]
    raise ValueError(_unknown(target, _nearest(text, ids)))


def _nearest(text: str, ids: Mapping[str, str]) -> list[str]:
    """Names close to ``text``: client methods (``createActivity`` is near
    ``core.create_activity``), then catalog operation ids.  Loads every namespace: only a
    refused registration pays for it."""
    import difflib
    import re

    from ofsc_cli.client._endpoint import ENDPOINTS
    from ofsc_cli.client.api import load_all

    load_all()
    methods = {spec.client_method: spec.name for spec in ENDPOINTS if spec.namespace}
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text.split(".")[-1]).lower()
    by_name = difflib.get_close_matches(snake, sorted(set(methods.values())), n=3, cutoff=0.8)
    near = [m for name in by_name for m in sorted(k for k, v in methods.items() if v == name)]
    if near and methods[near[0]] == snake:  # the method, in camelCase: that is the one
        return near[:1]
    return near[:3] + difflib.get_close_matches(text, sorted(ids), n=2)


def _unknown(target: str, near: list[str]) -> str:
    hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
    return (
        f"no operation {target!r}{hint}: name one as 'METHOD /path'"
        " ('POST /rest/ofscCore/v1/activities'), as a client method ('core.create_activity')"
        " or by its catalog operation id"
    )


def _client_methods(namespace: str) -> dict[str, str] | None:
    """``{method name: operation key}`` of a client namespace (``"core"``), or ``None`` when
    the clients have no such namespace.  Imports that namespace's module only."""
    import importlib

    from ofsc_cli.client._endpoint import LazyNamespace, _Declared
    from ofsc_cli.client._sync import OFSC

    lazy = vars(OFSC).get(namespace)
    if not isinstance(lazy, LazyNamespace):
        return None
    cls = getattr(importlib.import_module(f"ofsc_cli.client.api.{lazy.module}"), lazy.cls)
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if isinstance(value, _Declared):
                found[attr] = value.spec.key
    return found


# -- body models, from the declarations' annotations ---------------------------------------

_UNION_TYPE = type(int | None)
_BODY_MODELS: dict[str, tuple[type[Any], ...]] = {}
_BODY_LOCK = threading.Lock()


def body_models(spec: EndpointSpec) -> tuple[type[Any], ...]:
    """Returns the model classes the ``body`` parameter of ``spec``'s declarations is
    annotated with (``WorkZone | dict[str, Any]`` gives ``(WorkZone,)``); read once per
    operation."""
    found = _BODY_MODELS.get(spec.key)
    if found is None:
        with _BODY_LOCK:
            found = _BODY_MODELS.get(spec.key)
            if found is None:
                found = _BODY_MODELS[spec.key] = _scan_body_models(spec.key)
    return found


def _scan_body_models(key: str) -> tuple[type[Any], ...]:
    from ofsc_cli.client._endpoint import Namespace, _Declared

    models: dict[type[Any], None] = {}
    seen: set[type[Any]] = set()
    todo: list[type[Any]] = [Namespace]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
        for value in vars(cls).values():
            if isinstance(value, _Declared) and value.spec.key == key:
                models.update(dict.fromkeys(_annotated_models(value.fn)))
    return tuple(models)


def _annotated_models(fn: Callable[..., Any]) -> list[type[Any]]:
    import typing

    from pydantic import BaseModel

    from ofsc_cli.models.refs import annotation_names

    try:  # a namespace's models may be named for type checkers only (see models.refs)
        hint = typing.get_type_hints(fn, localns=annotation_names(fn.__globals__)).get("body")
    except Exception:  # an annotation that cannot be resolved: no model known
        return []
    found: list[type[Any]] = []
    todo = [hint]
    while todo:
        current = todo.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            found.append(current)
        elif typing.get_origin(current) in (typing.Union, _UNION_TYPE):
            todo.extend(typing.get_args(current))
    return found


# -- applying them (called by the clients) -------------------------------------------------


def run_validators(spec: EndpointSpec, body: Any, given: Any, local: tuple[_Hook, ...]) -> None:
    """Run the registered validators, then the client's (``local``), that apply to ``spec``
    on ``body`` (the JSON as it will be sent; ``given`` is the body the caller passed, a
    model or the same data).  Raises :class:`OFSValidationError` naming the operation and
    the validator that refused."""
    hooks = VALIDATORS.hooks + local
    if not hooks:
        return
    op = spec.key
    models: tuple[type[Any], ...] | None = None
    for hook in hooks:
        target = hook.target
        if isinstance(target, str):
            if target != op:
                continue
        else:
            if models is None:
                models = body_models(spec)
            if not (isinstance(given, target) or any(issubclass(m, target) for m in models)):
                continue
        try:
            hook.fn(op, body)
        except Exception as exc:
            where = spec.client_method or op
            raise OFSValidationError(
                f"{where}: refused by validator {hook.name}: {_reason(exc)} (nothing sent)",
                method=spec.method,
            ) from exc


def _reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__name__ == "ValidationError":  # pydantic's
        try:
            problems = [
                f"{'.'.join(str(p) for p in e.get('loc', ())) or 'body'}: {e.get('msg')}"
                for e in errors()
            ]
        except Exception:  # not pydantic's after all
            problems = []
        if problems:
            more = len(problems) - 5
            return "; ".join(problems[:5]) + (f"; and {more} more" if more > 0 else "")
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(exc, ValueError | OFSValidationError):
        return first or type(exc).__name__
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def run_processors(
    spec: EndpointSpec, result: Any, response: httpx.Response, local: tuple[_Hook, ...]
) -> Any:
    """Returns ``result`` passed through the registered response processors, then the
    client's (``local``), that apply to ``spec``, with ``response`` (the HTTP answer) linked
    to what they return.  A ``None`` result (an operation answering no content) and a
    ``.raw()`` page are returned as they are.  Raises :class:`OFSResponseProcessorError` when
    a processor raises."""
    hooks = PROCESSORS.hooks + local
    if not hooks or result is None:
        return result
    from ofsc_cli.client._endpoint import RawPage

    if spec.response is RawPage:  # `.raw()`: passed on as received
        return result
    op = spec.key
    changed = False
    for hook in hooks:
        target = hook.target
        if isinstance(target, str):
            if target != op:
                continue
            new = _call(hook, op, result, result, spec, response)
        elif isinstance(result, target):
            new = _call(hook, op, result, result, spec, response)
        else:
            items = getattr(result, "items", None)
            if not isinstance(items, list) or not any(isinstance(i, target) for i in items):
                continue
            done = [
                _call(hook, op, item, result, spec, response) if isinstance(item, target) else item
                for item in items
            ]
            if any(a is not b for a, b in zip(done, items, strict=True)):
                result.items = done
                changed = True
            continue
        if new is not result:
            result = new
            changed = True
    if changed:
        from ofsc_cli.client.middleware import _attach

        _attach(result, response)
    return result


def _call(
    hook: _Hook,
    op: str,
    value: Any,
    result: Any,
    spec: EndpointSpec,
    response: httpx.Response,
) -> Any:
    try:
        new = hook.fn(op, value)
    except Exception as exc:
        from ofsc_cli.client.http import redact_url

        raise OFSResponseProcessorError(
            f"{spec.client_method or op}: response processor {hook.name} failed:"
            f" {_reason_any(exc)}"
            " (the answer was received: error.result holds it)",
            operation=op,
            processor=hook.name,
            result=result,
            status_code=response.status_code,
            method=spec.method,
            url=redact_url(response.request.url),
        ) from exc
    return value if new is None else new


def _reason_any(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
