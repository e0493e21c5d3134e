"""``ofsc sandbox``: the embedded OFS emulator behind the built-in ``sandbox`` profile."""

from __future__ import annotations

from typing import Annotated

import typer

from ofsc_cli.cli.context import app as get_app
from ofsc_cli.cli.errors import UsageError

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
    port: Annotated[int, typer.Option("--port", help="TCP port (0 picks a free one).")] = 8765,
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
) -> None:
    """Serve the emulator over HTTP on 127.0.0.1 (Ctrl-C stops it); one log line per request."""
    from ofsc_cli.sandbox import Emulator, EmulatorConfig, Faults, Store
    from ofsc_cli.sandbox.server import run_forever

    obj = get_app(ctx)
    chosen = host or "127.0.0.1"
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
    emulator = Emulator(Store.open(_db(db)), EmulatorConfig(faults=faults, token_ttl=token_ttl))

    def ready(handle: object) -> None:
        url = getattr(handle, "url", "")
        obj.info(f"OFS sandbox listening on {url} (Ctrl-C to stop)")
        obj.info(f"try: curl -u 'demo@sandbox:demo-secret' {url}/rest/ofscMetadata/v1/workZones")

    run_forever(
        emulator,
        chosen,
        port,
        allow_remote=host is not None and host not in LOOPBACK,
        log_requests=not obj.quiet,
        log=obj.stderr,
        on_ready=ready,
    )
    obj.info("sandbox stopped")


@app.command("reset")
def reset_cmd(
    ctx: typer.Context,
    scale: Annotated[
        float,
        typer.Option("--scale", min=0.01, help="Multiply volumes (20 gives 100k activities)."),
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the demo data.")] = 42,
    db: DbOpt = None,
) -> None:
    """Re-create the demo data (also repairs a corrupt database file)."""
    import time

    from ofsc_cli.sandbox import Store
    from ofsc_cli.sandbox.store import default_db_path

    obj = get_app(ctx)
    path = _db(db) or str(default_db_path())
    start = time.perf_counter()
    store = Store.recreate(path, scale=scale, seed=seed)
    status = store.status()
    store.close()
    obj.info(f"sandbox reset in {time.perf_counter() - start:.1f}s: {path}")
    obj.renderer(("collection", "count")).write_items(
        {"collection": name, "count": count} for name, count in sorted(status.counts.items())
    )


@app.command("status")
def status_cmd(ctx: typer.Context, db: DbOpt = None) -> None:
    """Where the sandbox state lives, and object counts."""
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
            "counts": dict(sorted(status.counts.items())),
        }
    )
