"""Bad-input corpus: bulk journals held by another run or unusable, secret commands that fail.

A held journal is held by a :class:`JournalLock` the setup takes in this process (another
lock on the same file conflicts as another process's would); it is let go after each test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bad_inputs import Case, check

from ofsc_cli.client.bulk import JournalLock, default_journal_path
from ofsc_cli.sandbox import ServerHandle

_HELD: list[JournalLock] = []


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # the command lines name their files relative to it
    yield
    while _HELD:
        _HELD.pop().release()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


_SCHEDULES = json.dumps(
    {
        "resourceId": "TECH-0001",
        "workSchedules": [{"recordType": "working", "startDate": "2026-12-01"}],
    }
)
_ZONES = json.dumps(
    {"resourceId": "TECH-0001", "workZones": [{"workZone": "BAYVIEW", "startDate": "2026-12-01"}]}
)
_ACTIVITY = json.dumps({"activityId": 4200010, "job_notes": "x"})
_INPUTS = {"schedules": _SCHEDULES, "zones": _ZONES, "activities": _ACTIVITY}


def _held(kind: str, journal: str | None = None) -> Callable[[Path], None]:
    def setup(tmp_path: Path) -> None:
        source = _write(tmp_path / f"{kind}.ndjson", _INPUTS[kind] + "\n")
        lock = JournalLock(tmp_path / journal if journal else default_journal_path(source))
        lock.acquire()
        _HELD.append(lock)

    return setup


def _journal(text: str | None) -> Callable[[Path], None]:
    """The input, and its journal: ``text``, a directory (None) or nothing ("")."""

    def setup(tmp_path: Path) -> None:
        source = _write(tmp_path / "schedules.ndjson", _SCHEDULES + "\n")
        if text is None:
            default_journal_path(source).mkdir()
        elif text:
            _write(default_journal_path(source), text)

    return setup


def _secret_command(command: str) -> Callable[[Path], dict[str, Any]]:
    def setup(tmp_path: Path) -> dict[str, Any]:
        _write(
            tmp_path / "config.toml",
            f'[profiles.p]\ninstance = "sandbox"\nclient_secret_command = {json.dumps(command)}\n',
        )
        # The profile's command only counts without a secret in the environment.
        return {"OFSC_PROFILE": "p", "OFSC_CLIENT_SECRET": None}

    return setup


_BULK = {
    "schedules": ("core", "resources", "bulk-update-work-schedules"),
    "zones": ("core", "resources", "bulk-update-work-zones"),
    "activities": ("core", "activities", "bulk-update"),
}


def _file(kind: str) -> str:
    return f"{kind}.ndjson"


_HEADER = json.dumps({"kind": "ofsc-bulk-journal", "version": 2, "operation": "x"})

CASES: list[Case] = [
    # Another run holds the journal: refused at once, whatever the options.
    *(
        Case(
            f"journal-held-{kind}{'-' if extra else ''}{'-'.join(a.strip('-') for a in extra)}",
            (*_BULK[kind], "--file", _file(kind), *extra),
            2,
            setup=_held(kind),
            stderr_has="in use by another run (pid",
        )
        for kind in _BULK
        for extra in ((), ("--dry-run",), ("--restart",), ("--in-doubt", "resend"))
    ),
    Case(
        "journal-held-custom-path",
        (*_BULK["zones"], "--file", "zones.ndjson", "--journal", "mine.journal"),
        2,
        setup=_held("zones", "mine.journal"),
        stderr_has="in use by another run",
    ),
    # The journal cannot be used: nothing is sent, no lock file is left behind.
    Case(
        "journal-dir-missing",
        (*_BULK["schedules"], "--file", "schedules.ndjson", "--journal", "no/such/dir/j"),
        2,
        setup=_journal(""),
        stderr_has="cannot write the journal",
    ),
    Case(
        "journal-is-a-directory",
        (*_BULK["schedules"], "--file", "schedules.ndjson"),
        2,
        setup=_journal(None),
        stderr_has="cannot read the journal",
    ),
    Case(
        "journal-not-ours",
        (*_BULK["schedules"], "--file", "schedules.ndjson"),
        2,
        setup=_journal('{"hello": "world"}\n'),
        stderr_has="not an ofsc bulk journal",
    ),
    Case(
        "journal-damaged",
        (*_BULK["schedules"], "--file", "schedules.ndjson"),
        2,
        setup=_journal(_HEADER + "\nnot json\n" + _HEADER + "\n"),
        stderr_has="damaged at line 2",
    ),
    Case(
        "journal-of-another-operation",
        (*_BULK["schedules"], "--file", "schedules.ndjson"),
        2,
        setup=_journal(_HEADER + "\n"),
        stderr_has="another operation",
    ),
    # A client_secret_command that fails: a configuration error, its output never shown.
    Case(
        "secret-command-fails",
        ("auth", "test"),
        3,
        setup=_secret_command("echo s3cret-on-stdout; exit 7"),
        stderr_has="failed with exit code 7",
    ),
    Case(
        "secret-command-prints-nothing",
        ("auth", "test"),
        3,
        setup=_secret_command("true"),
        stderr_has="printed no secret",
    ),
    Case(
        "secret-command-not-utf8",
        ("auth", "test"),
        3,
        setup=_secret_command("printf '\\377\\376\\n'"),
        stderr_has="not UTF-8",
    ),
    Case(
        "secret-command-not-found",
        ("auth", "test"),
        3,
        setup=_secret_command("no-such-secret-tool-9f3c show ofs/prod"),
        stderr_has="failed with exit code 127",
    ),
    Case(
        "secret-command-killed",
        ("auth", "test"),
        3,
        setup=_secret_command("kill -9 $$"),
        stderr_has="failed with exit code -9",
    ),
    Case(
        "secret-command-blank-first-line",
        ("auth", "test"),
        3,
        setup=_secret_command("echo; echo later-line"),
        stderr_has="printed no secret",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, sandbox_server: ServerHandle, tmp_path: Path) -> None:
    check(case, sandbox_server, tmp_path)
