"""The commands' value coercion (ofsc_cli/cli/_coerce.py) agrees with typer's own.

For every parameter of the command tree (the global options, the help flags, every declared
argument and option) and a spread of values a command line or a default can hold, the fast
coercion gives exactly what typer's pydantic adapter gives: the same value of the same type,
or a usage error with the same message.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from typing import Any

import pytest
from typer import _click
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from ofsc_cli.cli._coerce import FastCoercion, install
from ofsc_cli.cli.reference import commands

WORDS = [
    "",
    " ",
    "x",
    "0",
    "7",
    "-3",
    "+5",
    " 5",
    "5 ",
    "007",
    "-0",
    "1_000",
    "1e3",
    "1.5",
    "-2.25",
    "0.1",
    "1.",
    ".5",
    "10.0",
    "nan",
    "inf",
    "-inf",
    "9" * 18,
    "9" * 19,
    "9" * 30,
    "١٢",  # Arabic-Indic digits
    "true",
    "False",
    "yes",
    "company",
    "travelkey",
    "Company",
    "active",
    "a,b",
]
OTHER: list[Any] = [0, 1, 8, -1, 10**6, 2**63, 0.0, 2.5, True, False, (), ("a",), ("a", "b")]


def _parameters() -> list[tuple[str, _click.Command, _TyperParameter]]:
    found = []
    seen: set[tuple[str, str]] = set()
    for line, command in commands(hidden=True):
        ctx = _click.Context(command, info_name=line.rsplit(" ", 1)[-1])
        for param in command.get_params(ctx):
            if not isinstance(param, _TyperParameter):
                continue
            descriptor = param.type_descriptor
            info = descriptor.parameter_info
            # one parameter of each kind is enough: the same type, range and choices
            kind = (repr(descriptor.annotation), str((info.min, info.max, info.clamp)))
            kind += (str(param.multiple or param.nargs == -1),)
            if kind in seen:
                continue
            seen.add(kind)  # type: ignore[arg-type]
            found.append((line, command, param))
    return found


def _outcome(runtime: Any, value: Any, param: _TyperParameter, ctx: _click.Context) -> Any:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except _click.exceptions.BadParameter as exc:
        return ("error", exc.format_message())
    if isinstance(result, float) and math.isnan(result):
        return ("nan",)
    return ("value", type(result), result)


PARAMETERS = _parameters()


@pytest.mark.parametrize(
    ("line", "command", "param"), PARAMETERS, ids=[f"{ln} {p.name}" for ln, _, p in PARAMETERS]
)
def test_fast_coercion_agrees_with_typers_adapter(
    line: str, command: _click.Command, param: _TyperParameter
) -> None:
    descriptor = param.type_descriptor
    fast = FastCoercion(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
    typer_own = build_runtime_param(descriptor)
    ctx = _click.Context(command, info_name=line.rsplit(" ", 1)[-1])
    multi = param.multiple or param.nargs == -1
    values: list[Any] = [None, *OTHER, *WORDS, *((w,) for w in WORDS if multi)]
    for value in values:
        expected = _outcome(typer_own, value, param, ctx)
        assert _outcome(fast, value, param, ctx) == expected, (line, param.name, value)


def test_the_tree_has_every_kind_of_parameter() -> None:
    kinds = {repr(p.type_descriptor.annotation) for _, _, p in PARAMETERS}
    assert {"<class 'str'>", "<class 'int'>", "<class 'float'>", "<class 'bool'>"} <= kinds
    assert "list[str]" in kinds
    assert any(k.startswith("typing.Literal[") for k in kinds)


def test_install_keeps_an_existing_coercion() -> None:
    _, _, param = PARAMETERS[0]
    typer_own = build_runtime_param(param.type_descriptor)
    param._runtime_param = typer_own
    install([param])
    assert param._runtime_param is typer_own
    param._runtime_param = None
    install([param])
    assert isinstance(param._runtime_param, FastCoercion)


def test_a_run_does_not_import_typers_adapters(tmp_path: Any) -> None:
    code = (
        "import io, sys, contextlib\nfrom ofsc_cli.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['-o', 'json', '--timeout', '5', '-v', 'metadata', 'work-skills', 'delete',"
        " 'SKILL', '--yes', '--dry-run'])\n"
        "print('typer._adapters' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFSC_")}
    env |= {
        "OFSC_CONFIG": str(tmp_path / "config.toml"),
        "OFSC_BASE_URL": "http://127.0.0.1:9",
        "OFSC_INSTANCE": "sandbox",
        "OFSC_CLIENT_ID": "demo",
        "OFSC_CLIENT_SECRET": "demo-secret",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split()[-1] == "False", out.stderr
