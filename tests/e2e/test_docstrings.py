"""Every public callable of the library has a docstring that names its arguments, says what
it returns and what it raises.

The public surface: the ``ofsc_cli`` package and each of its modules whose dotted name has no
component starting with ``_``, except the command line (``ofsc_cli.cli``) and the emulator
(``ofsc_cli.sandbox``); of each module, the names in ``__all__`` (else its own public names)
that are classes or functions defined in ``ofsc_cli`` (so ``OFSC`` counts though it lives in
``client/_sync.py``); of each class, the attributes whose names do not start with ``_``, plus
``__init__`` and ``__call__``, defined on it or on a base class of ``ofsc_cli``; and every API
operation declared on the namespaces of ``ofsc_cli.client.api``, with the paged-collection
classes their calls return (``SyncPaged``, ``AsyncPaged``).

The style is the one the code uses: prose, with names in double backticks, "Returns ..." and
"Raises :class:`...` when ..." sentences (no Google or NumPy section headers).  So the rule,
per callable:

* a docstring (a class needs one; its constructor may be documented on the class);
* arguments: every parameter other than ``self``/``cls``, ``*args``/``**kwargs`` and names
  starting with ``_`` appears in double backticks (````name````, also ````**name```` or
  ````name=3````) in its docstring, or for ``__init__`` in the class's.  The constructors
  that dataclasses and pydantic generate are not checked: their fields are attributes (a
  model takes any field);
* returns: a callable annotated to return something other than ``None``/``NoReturn`` (not a
  property, whose docstring describes its value, and not ``__init__``) uses the word
  "return(s)" or "yield(s)";
* raises: a callable whose own body has a ``raise X`` statement (nested functions and
  classes not counted; a bare re-raise neither) uses the word "raise(s)";
* an API operation's composed docstring names its catalog key, its arguments, its result
  and its errors (``OFSValidationError`` to ``OFSClientClosedError``).

Not checked yet: ``ofsc_cli.plugins``, ``ofsc_cli.client.extensions``,
``ofsc_cli.client.tracing``, ``ofsc_cli.client.log`` and ``ofsc_cli.client.audit``, which
their authors are writing and documenting now (to be added here when they land).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import pytest

import ofsc_cli
from ofsc_cli.client._endpoint import AsyncPaged, SyncPaged, _Declared

EXCLUDED = (
    "ofsc_cli.cli",
    "ofsc_cli.sandbox",
)
NO_RESULT = {"None", "NoReturn", "Never"}
MEMBERS = {"__init__", "__call__"}
OPERATION_ERRORS = (
    "OFSValidationError",
    "OFSAuthenticationError",
    "OFSAPIError",
    "OFSConnectionError",
    "OFSTimeoutError",
    "OFSRetriesExhaustedError",
    "OFSCircuitOpenError",
    "OFSSerializationError",
    "OFSClientClosedError",
)


def _excluded(name: str) -> bool:
    return any(name == e or name.startswith(e + ".") for e in EXCLUDED)


def public_modules() -> list[str]:
    """The public modules of the library, ``ofsc_cli`` first."""
    names = ["ofsc_cli"]
    for info in pkgutil.walk_packages(ofsc_cli.__path__, "ofsc_cli."):
        parts = info.name.split(".")
        if not _excluded(info.name) and not any(p.startswith("_") for p in parts):
            names.append(info.name)
    return names


def public_objects() -> Iterator[tuple[str, Any]]:
    """``(qualified name, class or function)`` of every public name, each object once."""
    seen: set[int] = set()
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, v in vars(module).items() if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if callable(obj) and inspect.isfunction(inspect.unwrap(obj)):
                obj = inspect.unwrap(obj)  # a functools.cache or wraps wrapper: its function
            if not (inspect.isclass(obj) or inspect.isfunction(obj)) or id(obj) in seen:
                continue
            where = getattr(obj, "__module__", "") or ""
            if not where.startswith("ofsc_cli") or _excluded(where):
                continue
            seen.add(id(obj))
            yield f"{where}.{obj.__qualname__}", obj
    for cls in (SyncPaged, AsyncPaged):
        yield f"{cls.__module__}.{cls.__qualname__}", cls


def _raises(fn: Any) -> bool:
    """Whether ``fn``'s own body has a ``raise X`` statement."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):  # generated (dataclass, pydantic): nothing to read
        return False
    tree = ast.parse(source).body[0]
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)

    def walk(node: ast.AST) -> bool:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, nested):
                continue
            if isinstance(child, ast.Raise) and child.exc is not None:
                return True
            if walk(child):
                return True
        return False

    return walk(tree)


def _named(name: str, doc: str) -> bool:
    return re.search(r"``\**" + re.escape(name) + r"\b", doc) is not None


def _generated(fn: Any) -> bool:
    """A constructor written by dataclasses (or another code generator), not in a file."""
    return not fn.__code__.co_filename.endswith(".py")


def check_function(fn: Any, doc: str | None, *, context: str = "", name: str = "") -> list[str]:
    """What ``fn``'s docstring ``doc`` lacks under the rule above (empty: nothing)."""
    if not doc or not doc.strip():
        return ["no docstring"]
    problems = []
    if not _generated(fn):
        signature = inspect.signature(fn)
        missing = [
            p.name
            for p in signature.parameters.values()
            if p.name not in ("self", "cls")
            and not p.name.startswith("_")
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and not _named(p.name, doc + context)
        ]
        if missing:
            problems.append("arguments not named: " + ", ".join(missing))
    result = str(fn.__annotations__.get("return", "None"))
    returns = re.search(r"\b(returns?|yields?)\b", doc, re.IGNORECASE)
    if name != "__init__" and result not in NO_RESULT and not returns:
        problems.append(f"no 'Returns' (returns {result})")
    if _raises(fn) and not re.search(r"\braises?\b", doc, re.IGNORECASE):
        problems.append("no 'Raises' (its body raises)")
    return problems


def check_class(
    qualname: str, cls: type, checked: set[tuple[type, str]]
) -> Iterator[tuple[str, list[str]]]:
    """The problems of a class and of its public members (a member inherited from a base
    class already in ``checked`` is not reported again)."""
    # A class needs its own docstring (not one inherited), except a parametrized pydantic
    # generic (``StatsPage[ActivityDurationStat]``), which is its generic class.
    # A dataclass without one gets its signature as ``__doc__``: that does not count.
    generic = getattr(cls, "__pydantic_generic_metadata__", {}).get("origin")
    own = cls.__dict__.get("__doc__") or ""
    if dataclasses.is_dataclass(cls) and own.startswith(f"{cls.__name__}("):
        own = ""
    if not (own or (generic is not None and generic.__doc__)):
        yield qualname, ["no docstring"]
    for klass in cls.__mro__:
        if not klass.__module__.startswith("ofsc_cli"):
            continue
        class_doc = klass.__dict__.get("__doc__") or ""
        for name, value in vars(klass).items():
            if (name.startswith("_") and name not in MEMBERS) or (klass, name) in checked:
                continue
            checked.add((klass, name))
            where = f"{klass.__module__}.{klass.__qualname__}.{name}"
            if isinstance(value, _Declared):
                continue  # API operations: test_operation_docstrings
            if isinstance(value, property | _cached_property()):
                fget = value.fget if isinstance(value, property) else value.func
                doc = value.__doc__
                problems = ["no docstring"] if not doc else []
                if doc and _raises(fget) and not re.search(r"\braises?\b", doc, re.I):
                    problems.append("no 'Raises' (its body raises)")
                if problems:
                    yield where, problems
                continue
            fn = value.__func__ if isinstance(value, staticmethod | classmethod) else value
            if not inspect.isfunction(fn) or not fn.__module__.startswith("ofsc_cli"):
                continue  # (typing.Protocol puts its own __init__ on a protocol class)
            if name == "__init__":
                if issubclass(klass, pydantic.BaseModel) or _generated(fn):
                    continue
                doc = fn.__doc__ or class_doc
                problems = check_function(fn, doc, context=class_doc, name=name)
            else:
                problems = check_function(fn, fn.__doc__, name=name)
            if problems:
                yield where, problems


def _cached_property() -> type:
    import functools

    return functools.cached_property


def surface_problems() -> list[str]:
    """One line per public callable whose docstring does not meet the rule."""
    lines = []
    checked: set[tuple[type, str]] = set()
    for qualname, obj in public_objects():
        if inspect.isclass(obj):
            for where, problems in check_class(qualname, obj, checked):
                lines.append(f"{where}: {'; '.join(problems)}")
        else:
            problems = check_function(obj, obj.__doc__, name=obj.__name__)
            if problems:
                lines.append(f"{qualname}: {'; '.join(problems)}")
    return lines


def declared_operations() -> list[tuple[str, _Declared[Any]]]:
    """Every API operation, by ``Namespace.method``."""
    from ofsc_cli.client.api import MODULES

    found: dict[int, tuple[str, _Declared[Any]]] = {}
    for class_name, module in MODULES.items():
        cls = getattr(importlib.import_module(f"ofsc_cli.client.api.{module}"), class_name)
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, _Declared):
                    found.setdefault(id(value), (f"{class_name}.{name}", value))
    return sorted(found.values(), key=lambda pair: pair[0])


def operation_problems(declared: _Declared[Any]) -> list[str]:
    """What the composed docstring of one operation lacks."""
    doc = inspect.getdoc(declared) or ""
    problems = []
    summary = inspect.cleandoc(declared.fn.__doc__ or "")
    if not summary or not doc.startswith(summary):
        problems.append("no summary of its own")
    if f"``{declared.spec.key}``" not in doc:
        problems.append("catalog key not named")
    problems += [
        p
        for p in check_function(declared.fn, doc)
        if not p.startswith("no 'Returns'")  # the builder returns Args; the doc, the result
    ]
    if not re.search(r"^Returns ", doc, re.MULTILINE):
        problems.append("no 'Returns'")
    missing = [e for e in OPERATION_ERRORS if e not in doc]
    if missing:
        problems.append("errors not named: " + ", ".join(missing))
    return problems


def test_the_public_surface_is_found() -> None:
    names = dict(public_objects())
    for expected in (
        "ofsc_cli.client._sync.OFSC",
        "ofsc_cli.client._async.AsyncOFSC",
        "ofsc_cli.errors.OFSError",
        "ofsc_cli.factory.client_options",
        "ofsc_cli.migrate.snapshot.fetch_snapshot",
        "ofsc_cli.output.render.Renderer",
        "ofsc_cli.models._base.Page",
    ):
        assert expected in names, expected
    assert not [n for n in names if _excluded(n.rsplit(".", 1)[0])]
    assert len(declared_operations()) == 243


def test_public_docstrings() -> None:
    problems = surface_problems()
    assert not problems, f"{len(problems)} docstring problems:\n" + "\n".join(problems)


def test_operation_docstrings() -> None:
    problems = [
        f"{name}: {'; '.join(found)}"
        for name, declared in declared_operations()
        if (found := operation_problems(declared))
    ]
    assert not problems, f"{len(problems)} operations:\n" + "\n".join(problems)


def test_bound_operations_show_the_composed_docstring() -> None:
    from ofsc_cli.client.api.metadata import Metadata

    with ofsc_cli.OFSC.from_profile("sandbox") as client:
        call, collection = client.metadata.get_work_zone, client.metadata.list_work_zones
        assert call.__doc__ == inspect.getdoc(Metadata.get_work_zone)
        assert call.__name__ == "get_work_zone"
        assert collection.__doc__ == inspect.getdoc(Metadata.list_work_zones)
        assert collection.raw().__doc__ == collection.__doc__
        assert "GET /rest/ofscMetadata/v1/workZones/{label}" in (call.__doc__ or "")
    assert SyncPaged.__doc__ and "sync client" in SyncPaged.__doc__  # the class keeps its own


def _sample(doc: str | None) -> Callable[..., Any]:
    def sample(label: str, *, limit: int = 3) -> int:
        if not label:
            raise ValueError(label)
        return limit

    sample.__doc__ = doc
    return sample


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (None, ["no docstring"]),
        ("A number.", ["arguments not named", "no 'Returns'", "no 'Raises'"]),
        ("Returns ``limit`` for ``label``.", ["no 'Raises'"]),
        ("Returns ``limit``.  Raises :class:`ValueError`.", ["arguments not named: label"]),
        ("Returns ``limit`` for ``label``; raises :class:`ValueError` when empty.", []),
    ],
)
def test_the_rule_can_fail(doc: str | None, expected: list[str]) -> None:
    problems = check_function(_sample(doc), doc)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_an_operation_without_a_summary_is_found() -> None:
    from ofsc_cli.client._endpoint import Args, endpoint

    def get_thing(self: object, label: str) -> Args:
        return Args(path={"label": label})

    declared = endpoint("GET", "/rest/ofscMetadata/v1/workZones/{label}", response=dict)(get_thing)
    assert operation_problems(declared) == ["no summary of its own"]
    get_thing.__doc__ = "One thing."
    fresh = endpoint("GET", "/rest/ofscMetadata/v1/workZones/{label}", response=dict)(get_thing)
    assert operation_problems(fresh) == []
