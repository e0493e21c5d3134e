"""``ofsc sandbox``: the embedded OFS emulator behind the built-in ``sandbox`` profile."""

from __future__ import annotations

import datetime
from typing import Annotated, NoReturn

import typer

from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as get_app
from ofsc_cli.cli.errors import EXIT_NETWORK, UsageError

app = typer.Typer(help="The embedded OFS emulator (the built-in `sandbox` profile).")

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


DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file (default: $OFSC_SANDBOX_DB or the user data dir)."),
]


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="TCP port (0 picks a free one).")
    ] = 8765,
    host: Annotated[
        str | None,
        typer.Option("--host", help="Interface; other than loopback only when given explicitly."),
    ] = None,
    db: DbOpt = None,
    latency: Annotated[float, typer.Option(help="Fixed latency per request, seconds.")] = 0.0,
    jitter: Annotated[float, typer.Option(help="Extra random latency up to this, seconds.")] = 0.0,
    error_rate: Annotated[float, typer.Option(help="Share of 500/502/503 answers (0-1).")] = 0.0,
    rate_limit_every: Annotated[int, typer.Option(help="429 burst window (requests).")] = 0,
    rate_limit_burst: Annotated[int, typer.Option(help="429s at the end of each window.")] = 0,
    retry_after: Annotated[float, typer.Option(help="Retry-After of injected 429s.")] = 1.0,
    drop_rate: Annotated[float, typer.Option(help="Share of connections dropped (0-1).")] = 0.0,
    slow_body: Annotated[float, typer.Option(help="Seconds spread over writing a body.")] = 0.0,
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault sequence.")] = 0,
    token_ttl: Annotated[int, typer.Option(help="Lifetime of issued tokens, seconds.")] = 3600,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Check every request against the spec (unknown parameters, types, bodies);"
            " answer 400 naming the violation. Default: answer like a live tenant.",
        ),
    ] = False,
) -> None:
    """Serve the emulator over HTTP on 127.0.0.1 (Ctrl-C stops it); one log line per request.

    Example: ofsc sandbox serve --port 0 --strict

    A port that is taken, or an address that cannot be listened on, exits 6 (network) before
    the database is opened."""
    import math

    from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, Store
    from ofsc_cli.sandbox.server import run_forever

    obj = get_app(ctx)
    chosen = host or "127.0.0.1"
    seconds = {"--latency": latency, "--jitter": jitter, "--retry-after": retry_after}
    for option, value in {**seconds, "--slow-body": slow_body}.items():
        if not math.isfinite(value):
            raise UsageError(f"{option}: {value} is not a finite number of seconds")
    try:
        faults = Faults(
            latency=latency,
            jitter=jitter,
            error_rate=error_rate,
            rate_limit_every=rate_limit_every,
            rate_limit_burst=rate_limit_burst,
            retry_after=retry_after,
            drop_rate=drop_rate,
            slow_body=slow_body,
            seed=fault_seed,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        _probe_listen(chosen, port)
    except OSError as exc:
        _listen_failed(obj, exc, chosen, port)
    config = EmulatorConfig(faults=faults, token_ttl=token_ttl, strict=strict)
    emulator = Emulator(Store.open(_db(db)), config)
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

    if exc.errno == errno.EADDRINUSE:
        message = f"port {port} is in use; try --port 0"
    else:
        message = f"cannot listen on {host} port {port}: {exc.strerror or exc}"
    obj.stderr.write(f"ofsc: {message}\n")
    raise typer.Exit(EXIT_NETWORK)


@app.command("reset")
def reset_cmd(
    ctx: typer.Context,
    scale: Annotated[
        float,
        typer.Option("--scale", min=0.01, help="Multiply volumes (20 gives 100k activities)."),
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the demo data.")] = 42,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="YYYY-MM-DD",
            help="Centre the data on this day instead of the current one (reproducible data).",
        ),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Re-create the demo data around today (also repairs a corrupt database file).

    Activities span the 15 days before and the 14 days after the day (finished before it,
    pending after); schedules, quotas, events and daily-extract folders follow it."""
    import time

    from ofsc_cli.sandbox import Store
    from ofsc_cli.sandbox.store import default_db_path

    obj = get_app(ctx)
    day = _parse_day(today) if today is not None else None
    path = _db(db) or str(default_db_path())
    start = time.perf_counter()
    store = Store.recreate(path, scale=scale, seed=seed, today=day)
    status = store.status()
    store.close()
    obj.info(
        f"sandbox reset in {time.perf_counter() - start:.1f}s: {path} "
        f"(data centred on {status.today})"
    )
    obj.renderer(("collection", "count")).write_items(
        {"collection": name, "count": count} for name, count in sorted(status.counts.items())
    )


@app.command("status")
def status_cmd(ctx: typer.Context, db: DbOpt = None) -> None:
    """Where the sandbox state lives, the day its data is centred on, and object counts."""
    from ofsc_cli.sandbox import Store

    obj = get_app(ctx)
    store = Store.open(_db(db))
    status = store.status()
    store.close()
    obj.renderer().write_object(
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
