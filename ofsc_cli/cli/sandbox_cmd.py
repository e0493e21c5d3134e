"""``ofsc sandbox``: the embedded OFS emulator behind the built-in ``sandbox`` profile.

These commands run no API operation (``op=None``): each is a declaration with its own
``run``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, NoReturn

from ofsc_cli.cli.declare import Call, Command, Group, Opt, build
from ofsc_cli.cli.errors import EXIT_NETWORK, UsageError

if TYPE_CHECKING:
    from ofsc_cli.cli.context import AppContext

__all__ = ["GROUP", "app"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _db(db: str | None) -> str | None:
    """The database: --db, else the sandbox profile's ``sandbox_db``, else the default."""
    if db:
        return db
    try:
        from ofsc_cli.config import resolve_settings

        settings = resolve_settings(profile="sandbox")
        return settings.values.sandbox_db
    except Exception:  # a broken config file must not stop the sandbox commands
        return None


DB = Opt("--db", help="SQLite file (default: $OFSC_SANDBOX_DB or the user data dir).")


def _serve(call: Call) -> None:
    from ofsc_cli.factory import Emulator, EmulatorConfig, Faults, Store, run_forever

    obj, v = call.obj, call.values
    host: str | None = v["host"]
    port: int = v["port"]
    chosen = host or "127.0.0.1"
    try:
        faults = Faults(
            latency=v["latency"],
            jitter=v["jitter"],
            error_rate=v["error_rate"],
            rate_limit_every=v["rate_limit_every"],
            rate_limit_burst=v["rate_limit_burst"],
            retry_after=v["retry_after"],
            drop_rate=v["drop_rate"],
            slow_body=v["slow_body"],
            seed=v["fault_seed"],
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        _probe_listen(chosen, port)
    except OSError as exc:
        _listen_failed(obj, exc, chosen, port)
    config = EmulatorConfig(faults=faults, token_ttl=v["token_ttl"], strict=v["strict"])
    emulator = Emulator(Store.open(_db(v["db"])), config)
    listening: list[bool] = []

    def ready(handle: object) -> None:
        listening.append(True)
        url = getattr(handle, "url", "")
        obj.info(f"OFS sandbox listening on {url} (Ctrl-C to stop)")
        obj.info(f"try: curl -u 'demo@sandbox:demo-secret' {url}/rest/ofscMetadata/v1/workZones")

    try:
        run_forever(
            emulator,
            chosen,
            port,
            allow_remote=host is not None and host not in LOOPBACK,
            log_requests=not obj.quiet,
            log=obj.stderr,
            on_ready=ready,
        )
    except OSError as exc:
        if listening:
            raise
        _listen_failed(obj, exc, chosen, port)
    obj.info("sandbox stopped")


def _probe_listen(host: str, port: int) -> None:
    """Bind ``host``:``port`` once, as the server will, so that a busy port or a wrong
    address is reported before the database is opened (the server's own bind still decides)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def _listen_failed(obj: AppContext, exc: OSError, host: str, port: int) -> NoReturn:
    """Say why the server cannot listen (a busy port: try --port 0) and exit 6."""
    import errno

    import typer

    if exc.errno == errno.EADDRINUSE:
        message = f"port {port} is in use; try --port 0"
    else:
        message = f"cannot listen on {host} port {port}: {exc.strerror or exc}"
    obj.stderr.write(f"ofsc: {message}\n")
    raise typer.Exit(EXIT_NETWORK)


def _reset(call: Call) -> None:
    import time

    from ofsc_cli.factory import Store, default_db_path

    v = call.values
    day = _parse_day(v["today"]) if v["today"] is not None else None
    path = _db(v["db"]) or str(default_db_path())
    start = time.perf_counter()
    store = Store.recreate(path, scale=v["scale"], seed=v["seed"], today=day)
    status = store.status()
    store.close()
    call.obj.info(
        f"sandbox reset in {time.perf_counter() - start:.1f}s: {path} "
        f"(data centred on {status.today})"
    )
    call.write(
        ({"collection": name, "count": count} for name, count in sorted(status.counts.items())),
        ("collection", "count"),
    )


def _status(call: Call) -> None:
    from ofsc_cli.factory import Store

    store = Store.open(_db(call.values["db"]))
    status = store.status()
    store.close()
    call.obj.renderer().write_object(
        {
            "path": status.path,
            "schemaVersion": status.schema_version,
            "seed": status.seed,
            "scale": status.scale,
            "today": status.today,
            "counts": dict(sorted(status.counts.items())),
        }
    )


def _parse_day(value: str) -> datetime.date:
    """``--today``: a real calendar day written ``YYYY-MM-DD``."""
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today: '{value}' is not a day like 2026-11-16 (YYYY-MM-DD)") from None


def _seconds(flag: str, help: str, default: float = 0.0) -> Opt:
    return Opt(flag, help=help, kind="float", default=default)


GROUP = Group(
    "sandbox",
    "The embedded OFS emulator (the built-in `sandbox` profile).",
    (
        Command(
            "serve",
            "Serve the emulator over HTTP on 127.0.0.1 (Ctrl-C stops it); one log line per "
            "request.\n\n"
            "A port that is taken, or an address that cannot be listened on, exits 6 (network) "
            "before the database is opened.",
            (
                "ofsc sandbox serve --port 0 --strict",
                "ofsc sandbox serve --error-rate 0.1 --latency 0.2 --rate-limit-every 50"
                " --rate-limit-burst 5",
            ),
            params=(
                Opt(
                    "--port",
                    help="TCP port (0 picks a free one).",
                    kind="int",
                    default=8765,
                    bounds=(0, 65535),
                ),
                Opt(
                    "--host",
                    help="Interface; other than loopback only when given explicitly.",
                ),
                DB,
                _seconds("--latency", "Fixed latency per request, seconds."),
                _seconds("--jitter", "Extra random latency up to this, seconds."),
                Opt(
                    "--error-rate",
                    help="Share of 500/502/503 answers (0-1).",
                    kind="float",
                    default=0.0,
                ),
                Opt(
                    "--rate-limit-every",
                    help="429 burst window (requests).",
                    kind="int",
                    default=0,
                ),
                Opt(
                    "--rate-limit-burst",
                    help="429s at the end of each window.",
                    kind="int",
                    default=0,
                ),
                _seconds("--retry-after", "Retry-After of injected 429s.", 1.0),
                Opt(
                    "--drop-rate",
                    help="Share of connections dropped (0-1).",
                    kind="float",
                    default=0.0,
                ),
                _seconds("--slow-body", "Seconds spread over writing a body."),
                Opt("--fault-seed", help="Seed of the fault sequence.", kind="int", default=0),
                Opt(
                    "--token-ttl",
                    help="Lifetime of issued tokens, seconds.",
                    kind="int",
                    default=3600,
                ),
                Opt(
                    "--strict",
                    help="Check every request against the spec (unknown parameters, types, "
                    "bodies); answer 400 naming the violation. Default: answer like a live "
                    "tenant.",
                    kind="bool",
                ),
            ),
            run=_serve,
        ),
        Command(
            "reset",
            "Re-create the demo data around today (also repairs a corrupt database file).\n\n"
            "Activities span the 15 days before and the 14 days after the day (finished before "
            "it, pending after); schedules, quotas, events and daily-extract folders follow it.",
            (
                "ofsc sandbox reset",
                "ofsc sandbox reset --scale 0.2 --seed 7 --today 2026-11-16",
            ),
            params=(
                Opt(
                    "--scale",
                    help="Multiply volumes (20 gives 100k activities).",
                    kind="float",
                    default=1.0,
                    bounds=(0.01, 1000.0),
                ),
                Opt("--seed", help="Seed of the demo data.", kind="int", default=42),
                Opt(
                    "--today",
                    help="Centre the data on this day instead of the current one "
                    "(reproducible data).",
                    metavar="YYYY-MM-DD",
                ),
                DB,
            ),
            run=_reset,
        ),
        Command(
            "status",
            "Where the sandbox state lives, the day its data is centred on, and object counts.",
            ("ofsc sandbox status", "ofsc sandbox status -o json"),
            params=(DB,),
            run=_status,
        ),
    ),
)

app = build(GROUP)
