"""Calls every listed pyOFSC method once against a recording sandbox, so that the requests
pyOFSC sends can be compared with those of ``ofsc_cli.compat``.

    python pyofsc_requests_probe.py BASE_URL CALLS_JSON

Runs inside the pyOFSC virtualenv (Python 3.13, PyPI ``ofsc``; see ``bench/pyofsc_compat.py``)
and imports nothing of this repository.  ``CALLS_JSON`` is the call list
(``tests/fixtures/pyofsc_calls.json``): sample values by parameter name and, per method
(``"sync core.get_resource"``), the arguments that differ.  Before each call the probe posts the
method's name to ``BASE_URL`` + :data:`MARK_PATH`, so that the recording server files the
requests that follow under it.  Prints one JSON object on stdout::

    {"methods": {"<side> <namespace>.<method>": "<signature>", ...},
     "calls": {"<side> <namespace>.<method>":
               {"kwargs": {...as listed...}, "outcome": "ok" | "<exception>: <message>"
                | "unlisted" | "unresolved: <parameter>"}, ...}}

``methods`` is every public method pyOFSC has, whether listed or not.  The functions above
:func:`main` are reusable without pyOFSC (the tests call the compat layer with them): value
decoding, argument coercion by annotation, and draining whatever a method returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import json
import sys
import tempfile
import types
import typing
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

MARK_PATH = "/__probe__/mark"
"""``POST`` here with ``{"call": name}``: the recording server files later requests under it."""

CREDENTIALS = {"clientID": "demo", "companyName": "sandbox", "secret": "demo-secret"}
SYNC_NAMESPACES = ("core", "metadata", "capacity", "oauth2")
ASYNC_NAMESPACES = ("core", "metadata", "capacity", "oauth2", "statistics")


# ------------------------------------------------------------------------ the call list


def load_calls(path: str | Path) -> dict[str, Any]:
    """The call list: ``{"values": {param: value}, "calls": {method: {param: value}}}``."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def listed_call(calls: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The entry of ``name`` (``"sync core.get_resource"``), or ``None`` when unlisted."""
    entry = calls["calls"].get(name)
    return None if entry is None else dict(entry)


def resolve(calls: dict[str, Any], name: str, method: Callable[..., Any]) -> dict[str, Any]:
    """The (still encoded) keyword arguments to call ``method`` with: every parameter without
    a default from the entry's own values, else from the table by parameter name; and every
    other name the entry gives.  Raises ``LookupError`` (the parameter) when a required one
    has no value, ``KeyError`` when ``name`` is unlisted."""
    entry = listed_call(calls, name)
    if entry is None:
        raise KeyError(name)
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.name in entry:
            kwargs[param.name] = entry.pop(param.name)
        elif param.default is inspect.Parameter.empty:
            if param.name not in calls["values"]:
                raise LookupError(param.name)
            kwargs[param.name] = calls["values"][param.name]
    kwargs.update(entry)  # names the signature has not (a **kwargs method, or a wrong name)
    return kwargs


# ----------------------------------------------------------------- decoding and coercion


def decode(value: Any, workdir: Path) -> Any:
    """JSON to Python: ``{"$date": "2026-11-16"}`` a date, ``{"$bytes": "text"}`` bytes,
    ``{"$json": value}`` the JSON text of ``value`` (what pyOFSC's sync ``data=`` parameters
    take), ``{"$tuple": [...]}`` a tuple, ``{"$file": {"name": ..., "text": ...}}`` a ``Path``
    to a file written under ``workdir``; lists and objects decoded item by item."""
    if isinstance(value, list):
        return [decode(v, workdir) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, inner),) = value.items()
        if key == "$date":
            return dt.date.fromisoformat(inner)
        if key == "$bytes":
            return str(inner).encode()
        if key == "$json":
            return json.dumps(inner)
        if key == "$tuple":
            return tuple(decode(v, workdir) for v in inner)
        if key == "$file":
            path = workdir / inner["name"]
            path.write_text(inner["text"], encoding="utf-8")
            return path
    return {k: decode(v, workdir) for k, v in value.items()}


def _accepts_dict(hint: Any) -> bool:
    return hint is dict or typing.get_origin(hint) is dict or hint is Any


def _is_model(hint: Any) -> bool:
    return isinstance(hint, type) and hasattr(hint, "model_validate")


def coerce(value: Any, annotation: Any) -> Any:
    """``value`` shaped for a parameter annotated ``annotation``: a JSON object (or list, for
    a root model) becomes the model the annotation names unless the annotation also takes a
    ``dict``; a list becomes a list (or tuple) of such items.  Anything else, and anything
    an unresolved (string) annotation asks for, is passed unchanged."""
    if annotation is inspect.Parameter.empty or annotation is None or isinstance(annotation, str):
        return value
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if isinstance(value, dict) and any(_accepts_dict(a) for a in args):
            return value
        for arg in args:
            shaped = coerce(value, arg)
            if shaped is not value:
                return shaped
        return value
    if origin in (list, tuple) and isinstance(value, (list, tuple)):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        items = [coerce(v, args[0]) for v in value] if args else list(value)
        return tuple(items) if origin is tuple else items
    if _is_model(annotation) and isinstance(value, (dict, list)):
        return annotation.model_validate(value)
    return value


def _hints(method: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(method)
    except Exception:  # a forward reference the module cannot resolve: use the raw ones
        return {p.name: p.annotation for p in inspect.signature(method).parameters.values()}


def arguments(
    method: Callable[..., Any],
    encoded: dict[str, Any],
    workdir: Path,
    hints: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The keyword arguments for ``method``: decoded, then coerced by its annotations (or by
    ``hints``, parameter name -> annotation, when given)."""
    hints = _hints(method) if hints is None else hints
    out = {}
    for name, value in encoded.items():
        out[name] = coerce(decode(value, workdir), hints.get(name, inspect.Parameter.empty))
    return out


# -------------------------------------------------------------------------- draining


def _is_stream(result: Any) -> bool:
    return isinstance(result, Iterator) and not isinstance(result, (str, bytes, dict))


def drain(result: Any) -> None:
    """Consume what a sync method returned: a generator is iterated to its end, a context
    manager entered and its body (``iter_content``) read."""
    if _is_stream(result):
        for _ in result:
            pass
    elif isinstance(result, contextlib.AbstractContextManager) or (
        hasattr(result, "__enter__") and hasattr(result, "__exit__") and not hasattr(result, "json")
    ):
        with result as inner:
            if hasattr(inner, "iter_content"):
                for _ in inner.iter_content(chunk_size=65536):
                    pass
            elif _is_stream(inner):
                for _ in inner:
                    pass


async def adrain(result: Any) -> None:
    """Consume what an async method returned: awaited, async-iterated, or entered."""
    if inspect.isawaitable(result):
        result = await result
    if hasattr(result, "__aiter__"):
        async for _ in result:
            pass
    elif hasattr(result, "__aenter__"):
        async with result as inner:
            if hasattr(inner, "__aiter__"):
                async for _ in inner:
                    pass
    else:
        drain(result)


# ---------------------------------------------------------------------------- running

_READS = ("get", "search", "export", "call", "token", "show")
_DELETES = ("delete", "unlink")


def phase(name: str) -> int:
    """When a method runs: 0 writes (so that what reads and deletes target exists), 1 reads,
    2 deletes.  Within a phase the sync methods run first, each side in the call list's order."""
    verb = name.rsplit(".", 1)[-1].split("_", 1)[0]
    if verb in _DELETES:
        return 2
    return 1 if verb in _READS or verb.startswith("get") else 0


def in_phase(calls: dict[str, Any], number: int) -> list[str]:
    """The listed methods of phase ``number``, in the call list's order."""
    return [name for name in calls["calls"] if phase(name) == number]


PHASES = (0, 1, 2)


def public_methods(client: Any, namespaces: Iterable[str], side: str) -> dict[str, Any]:
    """``{"<side> <ns>.<method>": bound method}`` for every public method of the namespaces
    ``client`` has."""
    out = {}
    for ns in namespaces:
        api = getattr(client, ns, None)
        for attr in sorted(dir(api)) if api is not None else ():
            if attr.startswith("_"):
                continue
            member = getattr(api, attr)
            if inspect.ismethod(member):
                out[f"{side} {ns}.{attr}"] = member
    return out


def lookup(client: Any, names: Iterable[str], side: str) -> dict[str, Any]:
    """The callables of ``client`` named ``names`` (``"<side> <ns>.<method>"``) that it has,
    looked up by name (so that methods made on demand are found too)."""
    out = {}
    for name in names:
        where, _, dotted = name.partition(" ")
        ns, _, attr = dotted.partition(".")
        if where != side:
            continue
        member = getattr(getattr(client, ns, None), attr, None)
        if callable(member) and not isinstance(member, type):
            out[name] = member
    return out


def _failure(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


def plan(calls: dict[str, Any], methods: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per method of ``methods``: ``{"kwargs": encoded}`` to call it with, or why not
    (``{"outcome": "unlisted" | "unresolved: <parameter>"}``)."""
    out: dict[str, dict[str, Any]] = {}
    for name, method in methods.items():
        try:
            out[name] = {"kwargs": resolve(calls, name, method)}
        except KeyError:
            out[name] = {"outcome": "unlisted"}
        except LookupError as exc:
            out[name] = {"outcome": f"unresolved: {exc.args[0]}"}
    return out


def _due(
    side: str, names: Iterable[str], planned: dict[str, Any], methods: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, report) of the calls of ``side`` to make; a planned method ``methods`` lacks is
    reported ``missing``."""
    for name in names:
        if name.split(" ", 1)[0] != side or "kwargs" not in planned.get(name, {}):
            continue
        report = {"kwargs": planned[name]["kwargs"]}
        if name not in methods:
            report["outcome"] = "missing"
        yield name, report


def run_sync(
    methods: dict[str, Any],
    planned: dict[str, Any],
    mark: Callable[[str], None],
    workdir: Path,
    names: Iterable[str],
    hints: Callable[[str], dict[str, Any] | None] = lambda name: None,
) -> dict[str, Any]:
    """Call the sync methods of ``names`` that have ``kwargs`` in ``planned``, in that
    order, marking each first; ``hints(name)`` may give the annotations to shape the
    arguments by (default: the method's own).  Returns ``{name: {"kwargs": ...,
    "outcome": ...}}``; a call that raised is reported, not raised."""
    results: dict[str, Any] = {}
    for name, report in _due("sync", names, planned, methods):
        results[name] = report
        if "outcome" in report:
            continue
        mark(name)
        try:
            kwargs = arguments(methods[name], report["kwargs"], workdir, hints(name))
            drain(methods[name](**kwargs))
            report["outcome"] = "ok"
        except Exception as exc:  # reported: the other calls still run
            report["outcome"] = _failure(exc)
    return results


async def run_async(
    methods: dict[str, Any],
    planned: dict[str, Any],
    mark: Callable[[str], None],
    workdir: Path,
    names: Iterable[str],
    hints: Callable[[str], dict[str, Any] | None] = lambda name: None,
) -> dict[str, Any]:
    """:func:`run_sync` for the async methods (awaited one after the other)."""
    results: dict[str, Any] = {}
    for name, report in _due("async", names, planned, methods):
        results[name] = report
        if "outcome" in report:
            continue
        mark(name)
        try:
            kwargs = arguments(methods[name], report["kwargs"], workdir, hints(name))
            await adrain(methods[name](**kwargs))
            report["outcome"] = "ok"
        except Exception as exc:
            report["outcome"] = _failure(exc)
    return results


def http_mark(base_url: str) -> Callable[[str], None]:
    """A ``mark`` function posting the name to the recording server at ``base_url``."""

    def mark(name: str) -> None:
        body = json.dumps({"call": name}).encode()
        request = urllib.request.Request(
            base_url + MARK_PATH, data=body, method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()

    return mark


async def _async_side(
    url: str, calls: dict[str, Any], workdir: Path, names: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    from ofsc.async_client import AsyncOFSC

    async with AsyncOFSC(baseUrl=url, **CREDENTIALS) as client:
        methods = public_methods(client, ASYNC_NAMESPACES, "async")
        planned = plan(calls, methods)
        results = await run_async(methods, planned, http_mark(url), workdir, names)
        return {n: str(inspect.signature(m)) for n, m in methods.items()}, {**planned, **results}


def main() -> None:
    from ofsc import OFSC

    url, calls = sys.argv[1], load_calls(sys.argv[2])
    sync_methods = public_methods(OFSC(baseUrl=url, **CREDENTIALS), SYNC_NAMESPACES, "sync")
    signatures = {n: str(inspect.signature(m)) for n, m in sync_methods.items()}
    results: dict[str, Any] = plan(calls, sync_methods)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for number in PHASES:
            names = in_phase(calls, number)
            results.update(run_sync(sync_methods, results, http_mark(url), workdir, names))
            found, done = asyncio.run(_async_side(url, calls, workdir, names))
            signatures.update(found)
            results.update({n: r for n, r in done.items() if "outcome" in r or n not in results})
    for name in calls["calls"]:
        if name not in signatures:
            results[name] = {"outcome": "not a pyOFSC method"}
    json.dump({"methods": signatures, "calls": results}, sys.stdout)


if __name__ == "__main__":
    main()
