#!/usr/bin/env python3
"""Derive ``ofsc_cli/compat/pyofsc_2_27.json``: the public surface of pyOFSC 2.27, by introspection.

Usage::

    python scripts/derive_pyofsc_inventory.py            # (re)write the table
    python scripts/derive_pyofsc_inventory.py --check    # exit 1 if the committed table is stale
    python scripts/derive_pyofsc_inventory.py --stdout   # print it instead of writing it

Run with the project's interpreter, the script re-executes itself inside the pyOFSC
virtualenv ``.cache/pyofsc-venv`` (built by ``bench/pyofsc_compat.py``'s ``ensure_venv()``
when missing) and imports the installed distribution there.  It records names and
signatures only: no code, no docstrings.

Format of the JSON file (``"format": 1``; keys are only ever added):

- ``distribution``, ``version``: the introspected PyPI distribution (``ofsc``, ``2.27.2``).
- ``constants``: response-type constant name -> int value (``TEXT_RESPONSE``, ``FULL_RESPONSE``,
  ``OBJ_RESPONSE``, ``FILE_RESPONSE``).
- ``clients``: ``"sync"`` (``ofsc.OFSC``) and ``"async"`` (``ofsc.async_client.AsyncOFSC``), each::

    {"class": "ofsc.OFSC", "constructor": SIGNATURE,
     "namespaces": {"core": {"class": "ofsc.core.OFSCore",
                             "methods": {"get_resource": METHOD, ...}}, ...}}

  ``METHOD`` is a ``SIGNATURE`` plus ``"kind"`` (``function``, ``coroutine``, ``generator``,
  ``async_generator``), ``"defined_in"`` (the class that defines it), ``"returns"`` (the
  return annotation as text, or ``null``), and for sync methods wrapped by pyOFSC's return
  decorator ``"response_type_default"`` (int), ``"expected_status"`` (list of int) and
  ``"response_model"`` (the model name the decorator validates into, or ``null``); all three
  ``null`` when the method is not wrapped.
- ``SIGNATURE`` is ``{"text": "(resource_id, inventories=False, ...)", "parameters": [PARAM]}``
  without ``self``; ``PARAM`` is ``{"name", "kind"`` (``POSITIONAL_OR_KEYWORD``,
  ``KEYWORD_ONLY``, ``VAR_POSITIONAL``, ``VAR_KEYWORD``, ...), ``"default"`` (text, or ``null``
  when required), ``"annotation"`` (text, or ``null``)``}``.  Defaults evaluated at import time
  (dates) are written as ``"<date at import>"`` so the table does not depend on the day.
- ``exceptions``: class name -> ``{"module", "bases": [names], "exported_from": [modules]}``.
- ``models``: public class name in ``ofsc.models`` -> ``{"module", "kind"`` (``model``,
  ``list``, ``root``, ``enum``, ``other``), ``"item"`` (the item type name of a list model,
  else ``null``), ``"fields"`` (field names, by alias where one is set; for an enum,
  ``"member=value"`` texts), and for a model ``"field_info"``: alias -> ``{"default": JSON}``
  (only for a field with a default: its JSON form, dates as ``"<date at import>"``) and
  ``"model"`` (the 2.x model name the field holds, alone or in a list, when it holds one)``}``.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "ofsc_cli" / "compat" / "pyofsc_2_27.json"
FORMAT = 1
NAMESPACES = ("core", "metadata", "capacity", "statistics", "oauth2")


# --------------------------------------------------------------------------- introspection
def _text(obj: Any) -> str:
    """A stable text for an annotation or default value."""
    if isinstance(obj, (date, datetime)):
        return "<date at import>"
    if isinstance(obj, type):
        return obj.__name__
    if isinstance(obj, str):
        return repr(obj)
    return repr(obj)


def _signature(func: Any) -> dict[str, Any]:
    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.name != "self"]
    out = []
    for p in params:
        default = None if p.default is inspect.Parameter.empty else _text(p.default)
        annotation = None
        if p.annotation is not inspect.Parameter.empty:
            ann = p.annotation
            annotation = ann if isinstance(ann, str) else inspect.formatannotation(ann)
        out.append(
            {"name": p.name, "kind": p.kind.name, "default": default, "annotation": annotation}
        )
    shown = []
    for p in params:  # the text without annotations keeps it short and stable
        piece = p.name
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            piece = "*" + piece
        elif p.kind is inspect.Parameter.VAR_KEYWORD:
            piece = "**" + piece
        if p.default is not inspect.Parameter.empty:
            piece += "=" + _text(p.default)
        shown.append(piece)
    kw_only = [i for i, p in enumerate(params) if p.kind is inspect.Parameter.KEYWORD_ONLY]
    if kw_only and not any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        shown.insert(kw_only[0], "*")
    return {"text": "(" + ", ".join(shown) + ")", "parameters": out}


def _kind(func: Any) -> str:
    target = inspect.unwrap(func)
    if inspect.isasyncgenfunction(target):
        return "async_generator"
    if inspect.iscoroutinefunction(target):
        return "coroutine"
    if inspect.isgeneratorfunction(target):
        return "generator"
    return "function"


def _decorator_options(func: Any) -> tuple[int | None, list[int] | None, str | None]:
    """``(response_type default, expected codes, model name)`` of pyOFSC's return decorator."""
    seen = func
    while seen is not None:
        try:
            nonlocals = inspect.getclosurevars(seen).nonlocals
        except (TypeError, ValueError):
            nonlocals = {}
        options = nonlocals.get("decorator_kwargs")
        if isinstance(options, dict) and "response_type" in options:
            expected = options.get("expected", [200])
            model = options.get("model")
            name = model.__name__ if isinstance(model, type) else None
            return int(options["response_type"]), [int(c) for c in expected], name
        seen = getattr(seen, "__wrapped__", None)
    return None, None, None


def _methods(cls: type) -> dict[str, Any]:
    methods: dict[str, Any] = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            continue
        func = getattr(cls, name)
        if not callable(func):
            continue
        owner = next(k for k in cls.__mro__ if name in vars(k))
        entry: dict[str, Any] = _signature(func)
        entry["kind"] = _kind(func)
        entry["defined_in"] = f"{owner.__module__}.{owner.__qualname__}"
        returns = inspect.signature(func).return_annotation
        if returns is inspect.Signature.empty:
            entry["returns"] = None
        else:
            entry["returns"] = (
                returns if isinstance(returns, str) else inspect.formatannotation(returns)
            )
        rt, expected, model = _decorator_options(func)
        entry["response_type_default"] = rt
        entry["expected_status"] = expected
        entry["response_model"] = model
        methods[name] = entry
    return methods


def _namespace_classes(client_cls: type) -> dict[str, type]:
    import typing

    found: dict[str, type] = {}
    for name in NAMESPACES:
        prop = inspect.getattr_static(client_cls, name, None)
        if not isinstance(prop, property) or prop.fget is None:
            continue
        hints = typing.get_type_hints(prop.fget)
        if "return" in hints and isinstance(hints["return"], type):
            found[name] = hints["return"]
    return found


def _client(client_cls: type) -> dict[str, Any]:
    return {
        "class": f"{client_cls.__module__}.{client_cls.__qualname__}",
        "constructor": _signature(client_cls.__init__),
        "namespaces": {
            name: {"class": f"{cls.__module__}.{cls.__qualname__}", "methods": _methods(cls)}
            for name, cls in _namespace_classes(client_cls).items()
        },
    }


def _model_entry(cls: type) -> dict[str, Any]:
    from pydantic import BaseModel, RootModel

    kind, item, fields = "other", None, []
    info: dict[str, Any] = {}
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        kind = "enum"
        fields = [f"{m.name}={m.value}" for m in cls]
    elif isinstance(cls, type) and issubclass(cls, RootModel):
        kind = "root"
        ann = cls.model_fields["root"].annotation
        args = getattr(ann, "__args__", ())
        item = args[0].__name__ if args and isinstance(args[0], type) else None
    elif isinstance(cls, type) and issubclass(cls, BaseModel):
        kind = "model"
        fields = [f.alias or n for n, f in cls.model_fields.items()]
        info = {f.alias or n: _field_info(f) for n, f in cls.model_fields.items()}
        if "items" in cls.model_fields:
            kind = "list"
            ann = cls.model_fields["items"].annotation
            args = getattr(ann, "__args__", ())
            item = args[0].__name__ if args and isinstance(args[0], type) else None
    entry: dict[str, Any] = {"module": cls.__module__, "kind": kind, "item": item, "fields": fields}
    if kind in ("model", "list"):
        entry["field_info"] = {k: v for k, v in info.items() if v}
    return entry


def _model_in(annotation: Any) -> str | None:
    """The name of the pyOFSC model an annotation holds (alone, optional, or in a list)."""
    from pydantic import BaseModel

    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel) and annotation.__module__.startswith("ofsc."):
            return annotation.__name__.split("[")[0]
        return None
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found:
            return found
    return None


def _jsonable(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, (date, datetime)):
        return "<date at import>"
    if isinstance(value, BaseModel):
        fields = type(value).model_fields.items()
        return {(f.alias or n): _jsonable(getattr(value, n)) for n, f in fields}
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _field_info(field: Any) -> dict[str, Any]:
    info: dict[str, Any] = {}
    if not field.is_required():
        info["default"] = _jsonable(field.get_default(call_default_factory=True))
    nested = _model_in(field.annotation)
    if nested:
        info["model"] = nested
    return info


def derive() -> dict[str, Any]:
    """The inventory of the installed pyOFSC (run inside its virtualenv)."""
    from importlib.metadata import version

    ofsc = importlib.import_module("ofsc")
    async_client = importlib.import_module("ofsc.async_client")
    common = importlib.import_module("ofsc.common")
    models = importlib.import_module("ofsc.models")
    exceptions = importlib.import_module("ofsc.exceptions")

    constants = {
        n: int(getattr(common, n))
        for n in ("TEXT_RESPONSE", "FULL_RESPONSE", "OBJ_RESPONSE", "FILE_RESPONSE")
        if hasattr(common, n)
    }
    excs: dict[str, Any] = {}
    for name, cls in sorted(vars(exceptions).items()):
        if (
            isinstance(cls, type)
            and issubclass(cls, BaseException)
            and cls.__module__ == exceptions.__name__
        ):
            excs[name] = {
                "module": cls.__module__,
                "bases": [b.__name__ for b in cls.__bases__],
                "exported_from": [
                    m.__name__ for m in (ofsc, async_client) if getattr(m, name, None) is cls
                ],
            }
    model_names = {}
    for name in sorted(dir(models)):
        obj = getattr(models, name)
        if name.startswith("_") or not name.isidentifier() or not isinstance(obj, type):
            continue
        if not obj.__module__.startswith("ofsc."):
            continue
        model_names[name] = _model_entry(obj)
    return {
        "format": FORMAT,
        "distribution": "ofsc",
        "version": version("ofsc"),
        "constants": constants,
        "clients": {"sync": _client(ofsc.OFSC), "async": _client(async_client.AsyncOFSC)},
        "exceptions": excs,
        "models": model_names,
    }


# --------------------------------------------------------------------------- driver
def _in_pyofsc_venv() -> bool:
    try:
        from importlib.metadata import version

        version("ofsc")
    except Exception:
        return False
    return True


def _reexec(args: list[str]) -> int:
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    from pyofsc_compat import ensure_venv  # type: ignore[import-not-found]

    python, _ = ensure_venv()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(python), __file__, "--inner", *args], env=env, check=False)
    return done.returncode


def render(inventory: dict[str, Any]) -> str:
    """The inventory as the committed JSON text."""
    return json.dumps(inventory, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed table is stale"
    )
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ns = parser.parse_args(argv)
    if not ns.inner and not _in_pyofsc_venv():
        passed = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--inner"]
        return _reexec(passed)
    text = render(derive())
    if ns.stdout:
        sys.stdout.write(text)
        return 0
    if ns.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(REPO_ROOT)} is stale: re-run this script", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
