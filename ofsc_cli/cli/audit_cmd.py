"""``ofsc audit``: read back the audit log of writes (:mod:`ofsc_cli.client.audit`).

The commands run no API operation (``op=None``): each is a declaration with its own
``run``.  The file is ``--file``, else the global ``--audit-log``, else the profile's
``audit_log`` key (or ``OFSC_AUDIT_LOG``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from ofsc_cli.cli.declare import MAX_ITEMS, Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import UsageError

__all__ = ["COLUMNS", "GROUP", "app", "audit_path", "parse_since"]

COLUMNS = ("time", "profile", "method", "path", "status", "outcome")
"""The table columns of ``audit show`` (``-o json``/``ndjson``/``yaml`` give every key)."""

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """Returns the moment ``--since`` names, timezone-aware (UTC for a duration).

    ``text`` is a duration back from ``now`` (default: the current time): ``90s``, ``30m``,
    ``2h``, ``7d``, ``1w``; a day (``2026-12-01``: its start in local time); or a time
    (``2026-12-01T09:30``, ``2026-12-01 09:30:00``: local unless it has an offset such as
    ``Z``).  Raises :class:`~ofsc_cli.errors.UsageError` (exit 2) when it is none of these.
    """
    value = text.strip()
    match = _DURATION.match(value.lower())
    if match:
        amount, unit = float(match.group(1)), _UNITS[match.group(2)]
        base = now if now is not None else datetime.now(UTC)
        try:
            return base - timedelta(**{unit: amount})
        except OverflowError:
            raise UsageError(f"--since: {text!r} reaches back too far") from None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"--since: {text!r} is not a day (2026-12-01), a time (2026-12-01T09:30)"
            " or a duration (30m, 2h, 7d)"
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def audit_path(call: Call) -> str:
    """Returns the log ``call`` reads: ``--file``, else ``--audit-log``, else the profile's
    ``audit_log`` (or ``OFSC_AUDIT_LOG``).  Raises
    :class:`~ofsc_cli.errors.OFSConfigurationError` (exit 3) when none of them names a file.
    """
    from ofsc_cli.errors import OFSConfigurationError

    given = call.values.get("file") or call.obj.audit_log
    if given:
        return os.path.expanduser(given)
    hint = "set audit_log in the profile, or give --file PATH"
    try:
        configured = call.obj.settings().values.audit_log
    except OFSConfigurationError as exc:
        env = os.environ.get("OFSC_AUDIT_LOG")
        if env:
            return os.path.expanduser(env)
        raise OFSConfigurationError(f"no audit log: {hint} ({exc.message})") from None
    if not configured:
        name = call.obj.profile_name
        raise OFSConfigurationError(f"no audit log for profile {name!r}: {hint}")
    return os.path.expanduser(configured)


def _show(call: Call) -> None:
    from collections import deque

    from ofsc_cli.client.audit import AuditReader

    v = call.values
    since = parse_since(v["since"]) if v["since"] is not None else None
    path = audit_path(call)
    reader = AuditReader(path, since=since)
    if not reader.exists:
        call.obj.info(f"no audit log at {path} yet (nothing written)")

    def selected() -> Iterator[dict[str, Any]]:
        for record in reader:
            if v["profile_filter"] is not None and record.get("profile") != v["profile_filter"]:
                continue
            if v["failed"] and record.get("outcome") == "ok":
                continue
            yield record

    records: Iterator[dict[str, Any]] = selected()
    if v["last"] is not None:
        records = iter(deque(records, maxlen=v["last"]))
    call.write(records, COLUMNS)
    if reader.unreadable:
        lines = "line" if reader.unreadable == 1 else "lines"
        call.obj.warn(
            f"{path}: {reader.unreadable} unreadable {lines} skipped (torn or not audit records)"
        )


GROUP = Group(
    "audit",
    "The audit log of writes (profile key audit_log, --audit-log).",
    (
        Command(
            "show",
            "Show the audit log, oldest first: one record per write call (POST, PUT, PATCH, "
            "DELETE) with its outcome.\n\n"
            "Reads the file given by --file, else --audit-log, else the profile's audit_log "
            "(OFSC_AUDIT_LOG). Times are UTC. Lines that are not audit records (one torn by a "
            "crash) are skipped and counted on stderr. No audit log configured: exit 3.",
            (
                "ofsc audit show -p test --since 2h",
                "ofsc audit show --file ~/ofs-audit.jsonl --since 2026-12-01 -o json",
                "ofsc audit show --failed --last 20",
            ),
            params=(
                Opt(
                    "--since",
                    help="Only records from then on: a day (2026-12-01, local), a time "
                    "(2026-12-01T09:30) or a duration back from now (30m, 2h, 7d).",
                    metavar="WHEN",
                ),
                Opt("--file", help="The audit log to read.", metavar="PATH"),
                Opt(
                    "--profile-filter",
                    help="Only records of this profile (a log shared by several).",
                    metavar="NAME",
                ),
                Opt("--failed", help="Only calls whose outcome is not ok.", kind="bool"),
                Opt(
                    "--last",
                    help="Only the last N records (after the other filters).",
                    kind="int",
                    metavar="N",
                    bounds=(1, MAX_ITEMS),
                ),
            ),
            run=_show,
        ),
    ),
)

app = build(GROUP)
