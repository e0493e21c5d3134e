"""Streaming export of activities (``activities list --all``): every item exactly once, in day
order, never more than 3 concurrent ``GET activities``, through faults, and a non-zero exit
naming what is missing when a page cannot be fetched."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from served_cli import Cli, async_client, make_cli, sync_client

from ofsc_cli.client import AsyncOFSC, RetryPolicy
from ofsc_cli.client.export import (
    ActivityExport,
    ActivityQuery,
    ExportIncompleteError,
    plan_tasks,
)
from ofsc_cli.errors import OFSValidationError
from ofsc_cli.sandbox import Faults, ServerHandle

NOVEMBER = ActivityQuery(
    resources=("ROOT",), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)
)
# The bursts of 429 below are dense (3 in a row, 3 slices at once): allow as many attempts as
# the export used to make with its own second layer on top of the client's four.
FAST_RETRY = RetryPolicy(max_attempts=16, backoff_base=0.01, max_delay=0.05).for_bulk_reads()


def expected_by_day(server: ServerHandle) -> list[tuple[str, list[int]]]:
    """Each November day's activity ids, as one big request per day lists them."""
    with sync_client(server) as client:
        days: list[tuple[str, list[int]]] = []
        for n in range(30):
            day = dt.date(2026, 11, 1) + dt.timedelta(days=n)
            page = client.core.list_activities(
                resources="ROOT", date_from=day, date_to=day, limit=100_000
            )
            assert not page.hasMore
            days.append((day.isoformat(), [int(a.activityId or 0) for a in page.items]))
    return days


async def export_ids(server: ServerHandle, **options: Any) -> tuple[list[dict[str, Any]], Any]:
    async with async_client(server, retry=FAST_RETRY) as client:
        export = ActivityExport(client, NOVEMBER, **options)
        items = [item async for item in export.items()]
    return items, export


@pytest.fixture
def cli(make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path) -> Cli:
    return make_cli(make_sandbox_server(), tmp_path)


# -- planning -------------------------------------------------------------------------------


def test_plan_is_one_slice_per_day_plus_non_scheduled() -> None:
    query = ActivityQuery(
        resources=("ROOT",),
        date_from=dt.date(2026, 10, 30),
        date_to=dt.date(2026, 11, 2),
        include_non_scheduled=True,
    )
    tasks = plan_tasks(query)
    assert [t.label for t in tasks] == [
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
        "2026-11-02",
        "non-scheduled",
    ]
    assert tasks[0].kwargs["date_from"] == tasks[0].kwargs["date_to"] == dt.date(2026, 10, 30)
    assert tasks[-1].kwargs["date_from"] is None and tasks[-1].kwargs["include_non_scheduled"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            ActivityQuery(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 2)),
            "--resources",
        ),
        (ActivityQuery(resources=("ROOT",), date_from=dt.date(2026, 11, 1)), "--date-to"),
        (ActivityQuery(resources=("ROOT",)), "no dates"),
        (
            ActivityQuery(
                resources=("R",), date_from=dt.date(2026, 11, 2), date_to=dt.date(2026, 11, 1)
            ),
            "before",
        ),
    ],
)
def test_refused_combinations_say_what_the_api_accepts(query: ActivityQuery, message: str) -> None:
    with pytest.raises(OFSValidationError, match=message):
        query.validate()


def test_a_range_over_31_days_needs_splitting() -> None:
    query = ActivityQuery(
        resources=("R",), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 12, 31)
    )
    with pytest.raises(OFSValidationError, match="61 days"):
        query.validate()
    query.validate(max_days=None)
    assert len(plan_tasks(query)) == 61


# -- over the served emulator ------------------------------------------------------------------


async def test_every_item_once_in_day_then_page_order(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    server = make_sandbox_server()
    expected = expected_by_day(server)
    items, export = await export_ids(server, page_size=7)
    ids = [item["activityId"] for item in items]
    assert ids == [i for _, day in expected for i in day]
    assert len(ids) == len(set(ids)) == sum(len(day) for _, day in expected) > 900
    assert export.requests > 30 * 2  # several pages per day, so paging was exercised
    assert export.missing == []


async def test_every_item_once_under_5xx_and_429_bursts(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    clean = make_sandbox_server()
    expected = [i for _, day in expected_by_day(clean) for i in day]
    faulty = make_sandbox_server(
        faults=Faults(
            error_rate=0.1, rate_limit_every=15, rate_limit_burst=3, retry_after=0.01, seed=5
        )
    )
    items, export = await export_ids(faulty, page_size=25)
    assert [item["activityId"] for item in items] == expected
    counts = faulty.emulator.request_counts["GET /rest/ofscCore/v1/activities"]
    assert counts > export.requests  # the faults made the client retry


async def test_never_more_than_three_concurrent_requests(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    # The emulator would accept 50 at once: the client alone keeps to the OFS cap.
    server = make_sandbox_server(faults=Faults(latency=0.02), activities_max_concurrent=50)
    items, export = await export_ids(server, page_size=100, concurrency=8)
    assert export.concurrency == 3
    assert server.emulator.stats["max_concurrent_activities"] == 3
    assert len(items) > 900


# -- with a scripted server ------------------------------------------------------------------


def scripted(
    per_day: int, fail: Callable[[str, int], bool], delay: Callable[[str], float] | None = None
) -> httpx.MockTransport:
    """``per_day`` activities each day; ``fail(day, offset)`` answers a 500 instead."""

    async def handler(request: httpx.Request) -> httpx.Response:
        day = request.url.params["dateFrom"]
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        if delay is not None:
            await asyncio.sleep(delay(day))
        if fail(day, offset):
            return httpx.Response(500, json={"type": "about:blank", "title": "Boom"})
        base = int(day.replace("-", "")) * 1000
        ids = list(range(base + offset, base + min(offset + limit, per_day)))
        body: dict[str, Any] = {"items": [{"activityId": i, "date": day} for i in ids]}
        if offset + limit < per_day:
            body["hasMore"] = True
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


def scripted_client(
    transport: httpx.MockTransport, retry: RetryPolicy = RetryPolicy(max_attempts=1), **options: Any
) -> AsyncOFSC:
    return AsyncOFSC("acme", "id", "secret", transport=transport, retry=retry, **options)


async def test_a_page_that_cannot_be_fetched_is_named_and_the_rest_delivered() -> None:
    transport = scripted(5, lambda day, offset: day == "2026-11-02" and offset == 2)
    query = ActivityQuery(
        resources=("R",), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 3)
    )
    got: list[int] = []
    async with scripted_client(transport) as client:
        export = ActivityExport(client, query, page_size=2)
        with pytest.raises(ExportIncompleteError) as caught:
            async for item in export.items():
                got.append(item["activityId"])
    # Day 1 whole, day 2 up to the broken page, day 3 whole: nothing twice.
    assert got == [
        *range(20261101000, 20261101005),
        *range(20261102000, 20261102002),
        *range(20261103000, 20261103005),
    ]
    error = caught.value
    assert "2026-11-02 from offset 2" in str(error)
    assert [(m.task.label, m.offset) for m in error.missing] == [("2026-11-02", 2)]
    assert error.exported == 12


async def test_a_failing_page_is_asked_again_at_the_same_offset() -> None:
    calls: dict[tuple[str, int], int] = {}

    def fail_once(day: str, offset: int) -> bool:
        calls[(day, offset)] = calls.get((day, offset), 0) + 1
        return offset == 2 and calls[(day, offset)] == 1

    query = ActivityQuery(
        resources=("R",), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 1)
    )
    # The 500 is retried by the client, with the bulk-read policy ofsc gives it.
    retry = RetryPolicy(max_attempts=2, backoff_base=0).for_bulk_reads()
    async with scripted_client(scripted(5, fail_once), retry) as client:
        export = ActivityExport(client, query, page_size=2)
        ids = [item["activityId"] async for item in export.items()]
    assert ids == list(range(20261101000, 20261101005))
    assert calls[("2026-11-01", 2)] == 2


async def test_an_open_circuit_breaker_is_waited_for() -> None:
    calls: dict[tuple[str, int], int] = {}

    def fail_three_times(day: str, offset: int) -> bool:
        calls[(day, offset)] = calls.get((day, offset), 0) + 1
        return offset == 2 and calls[(day, offset)] <= 3

    query = ActivityQuery(
        resources=("R",), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 1)
    )
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(min(seconds, 0.05))

    retry = RetryPolicy(max_attempts=3, backoff_base=0).for_bulk_reads()
    transport = scripted(5, fail_three_times)
    # Two failures in a row open the breaker: the client stops retrying and fails fast.
    options = {"circuit_failure_threshold": 2, "circuit_reset_timeout": 0.05}
    async with scripted_client(transport, retry, **options) as client:
        export = ActivityExport(client, query, page_size=2, sleep=sleep)
        ids = [item["activityId"] async for item in export.items()]
    assert ids == list(range(20261101000, 20261101005))
    assert calls[("2026-11-01", 2)] == 4
    assert waits and all(0 < w <= 0.05 for w in waits)
    async with scripted_client(scripted(5, lambda d, o: o == 2), retry, **options) as client:
        export = ActivityExport(client, query, page_size=2, sleep=sleep, circuit_waits=1)
        with pytest.raises(ExportIncompleteError, match="2026-11-01 from offset 2"):
            [item async for item in export.items()]


async def test_a_connection_dropped_mid_body_is_retried_by_the_client(
    make_sandbox_server: Callable[..., ServerHandle],
) -> None:
    clean = make_sandbox_server()
    expected = [i for _, day in expected_by_day(clean) for i in day]
    dropping = make_sandbox_server(faults=Faults(drop_rate=0.15, seed=11))
    retry = RetryPolicy(max_attempts=8, backoff_base=0.01, max_delay=0.05).for_bulk_reads()
    async with async_client(dropping, retry=retry) as client:
        export = ActivityExport(client, NOVEMBER, page_size=50)
        items = [item async for item in export.items()]
    assert [item["activityId"] for item in items] == expected
    assert dropping.emulator.request_counts["GET /rest/ofscCore/v1/activities"] > export.requests


async def test_slices_ahead_of_a_slow_one_hold_a_bounded_number_of_pages() -> None:
    # The first day is slow; the later days are fast but may not run far ahead.
    transport = scripted(
        50, lambda d, o: False, delay=lambda day: 0.05 if day.endswith("01") else 0
    )
    async with scripted_client(transport) as client:
        export = ActivityExport(client, NOVEMBER, page_size=5, concurrency=3, ahead=1)
        count = 0
        async for _ in export.items():
            count += 1
    assert count == 30 * 50
    assert export.max_held <= 3


# -- the command -------------------------------------------------------------------------------


def test_cli_list_all_writes_ndjson_csv_and_json(cli: Cli) -> None:
    expected = [i for _, day in expected_by_day(cli.server) for i in day]
    args = ["core", "activities", "list", "--resources", "ROOT"]
    args += ["--date-from", "2026-11-01", "--date-to", "2026-11-30", "--all", "--page-size", "90"]
    lines = cli.ok(*args, "-o", "ndjson").stdout.splitlines()
    assert [json.loads(line)["activityId"] for line in lines] == expected
    rows = cli.ok(*args, "-o", "csv", "--fields", "activityId,date").stdout.splitlines()
    assert rows[0] == "activityId,date" and len(rows) == len(expected) + 1
    assert [int(r.split(",")[0]) for r in rows[1:]] == expected
    data = json.loads(cli.ok(*args, "-o", "json").stdout)
    assert [a["activityId"] for a in data] == expected


def test_cli_fields_are_sent_to_the_api(cli: Cli) -> None:
    out = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-02",
        "--date-to", "2026-11-02", "--all", "-o", "ndjson", "--fields", "activityId,status",
    ).stdout  # fmt: skip
    items = [json.loads(line) for line in out.splitlines()]
    assert items and all(set(item) <= {"activityId", "status"} for item in items)


def test_cli_list_under_faults_exits_zero_with_every_item(
    make_sandbox_server: Callable[..., ServerHandle], tmp_path: Path
) -> None:
    days = expected_by_day(make_sandbox_server())
    expected = [i for _, day in days for i in day]
    pages = sum(len(day) // 100 + 1 for _, day in days)
    server = make_sandbox_server(
        faults=Faults(
            error_rate=0.1, rate_limit_every=10, rate_limit_burst=2, retry_after=0, seed=3
        )
    )
    cli = make_cli(server, tmp_path)
    cli.env["OFSC_MAX_RETRY_DELAY"] = "0.02"
    out = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
        "--date-to", "2026-11-30", "--all", "--page-size", "100", "-o", "ndjson",
    ).stdout  # fmt: skip
    assert [json.loads(line)["activityId"] for line in out.splitlines()] == expected
    # About a third of the requests were refused (5xx or 429) and asked again.
    assert server.emulator.request_counts["GET /rest/ofscCore/v1/activities"] > pages * 1.2


class RecordedProgress:
    """Stands in for :func:`ofsc_cli.output.progress`: keeps the bar's state."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.completed = 0
        self.descriptions: list[str] = []
        self.completed_at: list[int] = []

    @contextlib.contextmanager
    def __call__(self, total: int | None, description: str, **_: Any) -> Iterator[Any]:
        self.total = total
        self.descriptions.append(description)
        yield self

    def advance(self, n: int = 1) -> None:
        self.completed += n

    def update(self, *, total: int | None = None, description: str | None = None) -> None:
        if total is not None:
            self.total = total
        if description is not None:
            self.descriptions.append(description)
            self.completed_at.append(self.completed)


def test_cli_export_progress_counts_days_of_days_planned_and_items(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ofsc_cli.output

    bar = RecordedProgress()
    monkeypatch.setattr(ofsc_cli.output, "progress", bar)
    out = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-02",
        "--date-to", "2026-11-05", "--all", "--page-size", "10", "-o", "ndjson",
    ).stdout  # fmt: skip
    written = len(out.splitlines())
    assert written > 4 * 10  # several pages a day
    assert bar.total == 4  # the days planned
    assert bar.completed == 4  # every one of them done
    assert bar.descriptions[0] == "activities: 0 days of 4 done"
    assert bar.descriptions[-1] == f"activities: {written} written"
    # While a day is fetched, the days before it count as done, and the items written so far
    # grow with every page.
    by_day = [d for d in bar.descriptions[1:-1] if d.startswith("activities 2026-11-")]
    assert by_day and all(d.endswith(" written") for d in by_day)
    days = [d.split()[1].rstrip(":") for d in by_day]
    assert days == sorted(days) and set(days) == {f"2026-11-0{n}" for n in range(2, 6)}
    assert bar.completed_at[: len(by_day)] == [int(day[-1]) - 2 for day in days]
    counts = [int(d.split()[2]) for d in by_day]
    assert counts == sorted(counts) and counts[-1] == written and counts[0] > 0


def test_cli_single_page_hints_at_more(cli: Cli) -> None:
    result = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
        "--date-to", "2026-11-02", "--page-size", "5", "-o", "json",
    )  # fmt: skip
    assert len(json.loads(result.stdout)) == 5
    assert "--all" in result.stderr


def test_cli_limit_stops_after_n_items(cli: Cli) -> None:
    out = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
        "--date-to", "2026-11-02", "--page-size", "4", "--limit", "9", "-o", "ndjson",
    ).stdout  # fmt: skip
    assert len(out.splitlines()) == 9


def test_cli_non_scheduled_only(cli: Cli) -> None:
    out = cli.ok(
        "core", "activities", "list", "--resources", "ROOT", "--include-non-scheduled",
        "--all", "-o", "ndjson",
    ).stdout  # fmt: skip
    items = [json.loads(line) for line in out.splitlines()]
    assert items and all("date" not in item for item in items)


def test_cli_export_failure_exits_nonzero_naming_the_days(cli: Cli) -> None:
    result = cli(
        "core", "activities", "list", "--resources", "ROOT", "--date-from", "2026-11-01",
        "--date-to", "2026-11-02", "--all", "--q", "noSuchField == 'x'", "-o", "ndjson",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "2026-11-01 from offset 0" in result.stderr
    assert "2026-11-02 from offset 0" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date-from", "2026-11-01", "--date-to", "2026-11-02"], "--resources"),
        (["--resources", "ROOT"], "accepts"),
        (
            ["--resources", "ROOT", "--date-from", "2026-11-31", "--date-to", "2026-12-01"],
            "not a date",
        ),
        (["--resources", "ROOT", "--date-from", "2026-11-05", "--date-to", "2026-11-01"], "before"),
        (["--resources", "ROOT", "--date-from", "2026-11-01", "--date-to", "2026-12-15"], "--all"),
        (["--resources", "ROOT", "--date-from", "2026-11-01"], "--date-to"),
    ],
)
def test_cli_bad_filters_exit_2_and_explain(cli: Cli, args: list[str], message: str) -> None:
    result = cli("core", "activities", "list", *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert cli.emulator.request_counts["GET /rest/ofscCore/v1/activities"] == 0
