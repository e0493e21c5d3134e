"""``ofsc core`` commands: activities (their actions, sub-resources and file properties),
events, the daily extract, service requests and where-is-my-tech.

The standard verbs of ``activities``, ``service-requests`` and ``events subscriptions`` are
declared as :class:`Resource`\\ s.  Families that differ only by data are tables: the status
actions (:data:`STATUS_ACTIONS`) and the activity sub-resources (:data:`SUB_RESOURCES`, whose
default verb ``list`` may be left out: ``activities links 4225``).  The long-running jobs
(``list --all``, ``bulk-update``, ``events follow``, downloads) drive the library's
:mod:`~ofsc_cli.client._export`, :mod:`~ofsc_cli.client._bulk` (through the bulk commands'
:mod:`~ofsc_cli.cli._bulk`), :mod:`~ofsc_cli.client._events` and
:mod:`~ofsc_cli.client._download`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ofsc_cli.cli._bulk import (
    BatchSizeOpt,
    BulkDryRunOpt,
    BulkFileOpt,
    InDoubtOpt,
    JournalOpt,
    RestartOpt,
    run_bulk_command,
)
from ofsc_cli.cli._files import add_file_commands, download_file
from ofsc_cli.cli._resource import (
    DRY_RUN,
    INT64,
    AllOpt,
    ConcurrencyOpt,
    DryRunOpt,
    FileOpt,
    LimitOpt,
    OffsetOpt,
    Resource,
    YesOpt,
    bulk_read_client,
    confirm,
    execute,
    iter_all,
    read_body,
    render_result,
    resource_app,
)
from ofsc_cli.cli.context import AppContext, app
from ofsc_cli.cli.errors import EXIT_INTERRUPTED, UsageError
from ofsc_cli.client.api.core_activities import CoreActivities as C
from ofsc_cli.models.activities import (
    Activity,
    ActivityCreate,
    LinkedActivity,
    MoveRequest,
    RequiredInventories,
    ResourcePreferences,
    ServiceRequestCreate,
    StatusChange,
)
from ofsc_cli.models.events import SubscriptionCreate

if TYPE_CHECKING:
    from ofsc_cli.client._export import ActivityQuery

__all__ = ["COMMANDS", "RESOURCES", "STATUS_ACTIONS", "SUB_RESOURCES", "add_commands"]

ACTIVITY_COLUMNS = (
    "activityId",
    "resourceId",
    "date",
    "status",
    "activityType",
    "apptNumber",
    "customerName",
    "timeSlot",
)
BULK_COLUMNS = (
    "line",
    "activityKeys.activityId",
    "operationsPerformed",
    "operationsFailed",
    "errors.errorDetail",
    "warnings.message",
)
INVENTORY_COLUMNS = ("inventoryId", "inventoryType", "status", "serialNumber", "quantity")

ActivityArg = Annotated[int, typer.Argument(metavar="ACTIVITY_ID", help="The activity id.")]
DateFromOpt = Annotated[str | None, typer.Option("--date-from", help="First day, YYYY-MM-DD.")]
DateToOpt = Annotated[str | None, typer.Option("--date-to", help="Last day, YYYY-MM-DD.")]
DateArg = Annotated[str, typer.Argument(metavar="DATE", help="The folder's day, YYYY-MM-DD.")]


# -- shared helpers ---------------------------------------------------------------------------


def _date(value: str | None, option: str) -> Any:
    from ofsc_cli.client._export import parse_date

    return parse_date(value, option)


def _csv(values: Iterable[str] | None) -> list[str]:
    return [p.strip() for v in values or () for p in v.split(",") if p.strip()]


def _write(obj: AppContext, items: Iterable[Any], columns: Iterable[str]) -> int:
    from ofsc_cli.models import dump

    count = obj.renderer(tuple(columns)).write_items(dump(i) for i in items)
    if count == 0 and obj.stderr_tty:
        obj.info("no results")
    return count


def _bound(obj: AppContext, declared: Any) -> Any:
    """``declared`` bound to the sync client (for ``.iter()``)."""
    spec = declared.spec
    return getattr(getattr(obj.client(), spec.namespace), spec.name)


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C until the block is done (writing a page and saving its cursor)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    asked: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: asked.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if asked:
        raise KeyboardInterrupt


class DefaultListGroup(TyperGroup):
    """A group whose ``list`` verb may be left out: ``links 4225`` is ``links list 4225``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["list", *args]
        return super().parse_args(ctx, args)


# -- activities: list and search --------------------------------------------------------------


def _query(
    obj: AppContext,
    resources: list[str] | None,
    date_from: str | None,
    date_to: str | None,
    include_non_scheduled: bool,
    svc_work_order_id: int | None,
    include_children: str | None,
    q: str | None,
) -> ActivityQuery:
    from ofsc_cli.client._export import ActivityQuery

    return ActivityQuery(
        resources=tuple(_csv(resources)),
        date_from=_date(date_from, "--date-from"),
        date_to=_date(date_to, "--date-to"),
        include_non_scheduled=include_non_scheduled,
        svc_work_order_id=svc_work_order_id,
        include_children=include_children,
        q=q,
        fields=tuple(obj.fields) if obj.fields else None,
    )


def export_activities(
    obj: AppContext, query: ActivityQuery, *, page_size: int, concurrency: int
) -> int:
    """Write every activity of ``query`` (see :mod:`ofsc_cli.client._export`)."""
    from ofsc_cli.cli._bridge import iterate_async
    from ofsc_cli.client._export import ActivityExport, ExportPage
    from ofsc_cli.output import progress

    async def pages() -> AsyncIterator[ExportPage]:
        async with bulk_read_client(obj) as client:
            export = ActivityExport(client, query, page_size=page_size, concurrency=concurrency)
            async for page in export.pages():
                yield page

    with progress(
        None, "activities", enabled=obj.show_progress, stream=obj.stderr, color=not obj.no_color
    ) as bar:

        def items() -> Iterator[dict[str, Any]]:
            # One page crosses the thread boundary at a time: memory stays bounded.
            for page in iterate_async(pages, buffer=1):
                bar.update(description=f"activities {page.task.label}")
                bar.advance(len(page.items))
                yield from page.items

        return obj.renderer(ACTIVITY_COLUMNS).write_items(items())


def _list_command(sub: typer.Typer) -> None:
    @sub.command("list")
    def list_(
        ctx: typer.Context,
        resources: Annotated[
            list[str] | None,
            typer.Option("--resources", "-r", help="Resource ids (comma-separated or repeated)."),
        ] = None,
        date_from: DateFromOpt = None,
        date_to: DateToOpt = None,
        include_non_scheduled: Annotated[
            bool, typer.Option("--include-non-scheduled", help="Also non-scheduled ones.")
        ] = False,
        svc_work_order_id: Annotated[
            int | None,
            typer.Option("--svc-work-order-id", max=INT64[1], help="One work order's activities."),
        ] = None,
        include_children: Annotated[
            str | None,
            typer.Option("--include-children", help="none, immediate or all (the default)."),
        ] = None,
        q: Annotated[
            str | None, typer.Option("--q", help="Filter, e.g. \"status=='pending'\".")
        ] = None,
        all_: AllOpt = False,
        limit: LimitOpt = None,
        offset: OffsetOpt = 0,
        concurrency: ConcurrencyOpt = 3,
        page_size: Annotated[
            int, typer.Option("--page-size", min=1, max=100_000, help="Items per request.")
        ] = 2000,
    ) -> None:
        """List activities: --resources with --date-from/--date-to (31 days per request;
        with --all any range, fetched day by day, at most 3 requests at a time), or
        --include-non-scheduled, or --svc-work-order-id.  --fields is sent to the API."""
        from itertools import islice

        from ofsc_cli.models import dump

        obj = app(ctx)
        if include_children not in (None, "none", "immediate", "all"):
            raise UsageError("--include-children: use none, immediate or all")
        query = _query(
            obj,
            resources,
            date_from,
            date_to,
            include_non_scheduled,
            svc_work_order_id,
            include_children,
            q,
        )
        if all_ and not limit and offset == 0:
            query.validate(max_days=None)
            export_activities(obj, query, page_size=page_size, concurrency=concurrency)
            return
        query.validate()
        kwargs = query.query(query.date_from, query.date_to, query.include_non_scheduled)
        if all_ or limit:
            source = _bound(obj, C.list_activities).iter(offset=offset, limit=page_size, **kwargs)
            _write(obj, islice(source, limit), ACTIVITY_COLUMNS)
            return
        page = execute(obj, C.list_activities, offset=offset, limit=page_size, **kwargs)
        count = _write(obj, (dump(i) for i in page.items), ACTIVITY_COLUMNS)
        if page.hasMore:
            obj.info(f"Showing {count}; more exist: use --all for every activity or --limit N.")


def _search_command(sub: typer.Typer) -> None:
    @sub.command("search")
    def search(
        ctx: typer.Context,
        search_in: Annotated[
            str, typer.Option("--search-in", help="Field: apptNumber, customerNumber, …")
        ],
        value: Annotated[str, typer.Option("--value", help="The value to find.")],
        date_from: DateFromOpt = None,
        date_to: DateToOpt = None,
        non_scheduled: Annotated[
            bool | None,
            typer.Option(
                "--include-non-scheduled/--no-include-non-scheduled",
                help="Search non-scheduled activities too (the API's default).",
            ),
        ] = None,
        include_multiday: Annotated[
            str | None, typer.Option("--include-multiday", help="all, segments, parents, none.")
        ] = None,
        all_: AllOpt = False,
        limit: LimitOpt = None,
        offset: OffsetOpt = 0,
        concurrency: ConcurrencyOpt = 8,
    ) -> None:
        """Find activities by a field's value (the API stops after 1000 matches)."""
        from itertools import islice

        obj = app(ctx)
        start, end = _date(date_from, "--date-from"), _date(date_to, "--date-to")
        if (start is None) != (end is None):
            raise UsageError("--date-from and --date-to go together")
        if start is not None and end is not None and end < start:
            raise UsageError(f"--date-to {end} is before --date-from {start}")
        if non_scheduled is False and start is None:
            raise UsageError("--no-include-non-scheduled needs --date-from and --date-to")
        kwargs: dict[str, Any] = {
            "search_in_field": search_in,
            "search_for_value": value,
            "date_from": start,
            "date_to": end,
            "fields": obj.fields,
            "include_multiday": include_multiday,
            "include_non_scheduled": non_scheduled,
        }
        if all_ and not limit and offset == 0:
            _write(
                obj,
                iter_all(obj, C.search_activities, concurrency=concurrency, **kwargs),
                ACTIVITY_COLUMNS,
            )
            return
        if all_ or limit:
            source = _bound(obj, C.search_activities).iter(offset=offset, **kwargs)
            _write(obj, islice(source, limit), ACTIVITY_COLUMNS)
            return
        page = execute(obj, C.search_activities, offset=offset, **kwargs)
        count = _write(obj, page.items, ACTIVITY_COLUMNS)
        total = page.totalResults
        if total is not None and offset + count < total:
            obj.info(f"Showing {count} of {total}; use --all for every match or --limit N.")


def _update_command(sub: typer.Typer) -> None:
    @sub.command("update")
    def update(
        ctx: typer.Context,
        activity_id: ActivityArg,
        file: FileOpt,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Change the fields in the file (not date, status or resource: see move and the
        status actions)."""
        obj = app(ctx)
        body = read_body(ACTIVITY_UPDATE, file, str(activity_id))
        refused = [
            name for name in ("date", "status", "resourceId", "positionInRoute") if name in body
        ]
        if refused:
            raise UsageError(
                f"{file}: {', '.join(refused)} cannot be changed by update; use "
                "`activities move` (date, resource, position) or the status actions"
            )
        render_result(
            obj,
            execute(obj, C.update_activity, activity_id, body, dry_run=dry_run),
            columns=ACTIVITY_COLUMNS,
        )


def _move_command(sub: typer.Typer) -> None:
    @sub.command("move")
    def move(
        ctx: typer.Context,
        activity_id: ActivityArg,
        to_resource: Annotated[
            str | None, typer.Option("--to-resource", help="Resource to move it to.")
        ] = None,
        date: Annotated[str | None, typer.Option("--date", help="Day to move it to.")] = None,
        position: Annotated[
            str | None,
            typer.Option(
                "--position", help="first, last, notOrdered, byServiceWindow, afterActivity."
            ),
        ] = None,
        after: Annotated[
            int | None,
            typer.Option(
                "--after", min=1, max=INT64[1], help="With --position afterActivity: which."
            ),
        ] = None,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Move an activity to another resource, day or route position."""
        from pydantic import ValidationError

        obj = app(ctx)
        body: dict[str, Any] = {}
        if to_resource:
            body["setResource"] = {"resourceId": to_resource}
        if date:
            body["setDate"] = {"date": _date(date, "--date").isoformat()}
        if position or after is not None:
            body["setPositionInRoute"] = {"position": position or "afterActivity"}
            if after is not None:
                body["setPositionInRoute"]["activityId"] = after
        if not body:
            raise UsageError("give --to-resource, --date or --position")
        try:
            MoveRequest.model_validate(body)
        except ValidationError as exc:
            raise UsageError(f"invalid move: {exc.errors()[0]['msg']}") from None
        if execute(obj, C.move_activity, activity_id, body, dry_run=dry_run) is not DRY_RUN:
            obj.info(f"moved activity {activity_id}")


# -- activities: status actions -----------------------------------------------------------------


@dataclass(frozen=True)
class StatusAction:
    """One status action command: its name, operation and whether it takes ``--time``."""

    command: str
    declared: Any
    help: str
    time: bool = True


STATUS_ACTIONS = (
    StatusAction("start", C.start_activity, "Start: pending or enroute → started."),
    StatusAction("complete", C.complete_activity, "Complete: started → completed."),
    StatusAction("cancel", C.cancel_activity, "Cancel: pending or enroute → cancelled."),
    StatusAction("suspend", C.suspend_activity, "Suspend: started → suspended (+ a copy)."),
    StatusAction("not-done", C.not_done_activity, "Not done: started → notdone."),
    StatusAction("enroute", C.enroute_activity, "On the way: pending → enroute.", time=False),
    StatusAction(
        "stop-travel", C.stop_travel_activity, "Stop travel: enroute → pending.", time=False
    ),
    StatusAction("start-prework", C.start_prework_activity, "Start the prework of an activity."),
)
TimeOpt = Annotated[
    str | None,
    typer.Option("--time", help="When, YYYY-MM-DD HH:MM:SS in the resource's time zone."),
]


def _check_time(value: str) -> str:
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value):
        raise UsageError(f"--time: '{value}' is not YYYY-MM-DD HH:MM:SS")
    return value


def _add_status_action(sub: typer.Typer, action: StatusAction) -> None:
    def timed(
        ctx: typer.Context,
        activity_id: ActivityArg,
        time: TimeOpt = None,
        dry_run: DryRunOpt = False,
    ) -> None:
        obj = app(ctx)
        body = StatusChange(time=_check_time(time)) if time else None
        result = execute(obj, action.declared, activity_id, body, dry_run=dry_run)
        render_result(obj, result, columns=ACTIVITY_COLUMNS)

    def untimed(ctx: typer.Context, activity_id: ActivityArg, dry_run: DryRunOpt = False) -> None:
        obj = app(ctx)
        result = execute(obj, action.declared, activity_id, dry_run=dry_run)
        render_result(obj, result, columns=ACTIVITY_COLUMNS)

    command = timed if action.time else untimed
    command.__doc__ = action.help
    sub.command(action.command)(command)


def _delay_reopen_commands(sub: typer.Typer) -> None:
    @sub.command("delay")
    def delay(
        ctx: typer.Context,
        activity_id: ActivityArg,
        minutes: Annotated[
            int | None, typer.Option("--minutes", min=0, max=INT64[1], help="How late.")
        ] = None,
        until: Annotated[
            str | None, typer.Option("--until", help="Late until YYYY-MM-DD HH:MM:SS.")
        ] = None,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Report a started activity as late."""
        obj = app(ctx)
        if (minutes is None) == (until is None):
            raise UsageError("give --minutes or --until")
        body = (
            {"delayMinutes": minutes}
            if minutes is not None
            else {"delayUntilTime": _check_time(str(until))}
        )
        render_result(
            obj,
            execute(obj, C.delay_activity, activity_id, body, dry_run=dry_run),
            columns=ACTIVITY_COLUMNS,
        )

    @sub.command("reopen")
    def reopen(
        ctx: typer.Context,
        activity_id: ActivityArg,
        position: Annotated[
            str, typer.Option("--position", help="first, last, notOrdered, byServiceWindow…")
        ] = "last",
        dry_run: DryRunOpt = False,
    ) -> None:
        """Reopen a finished activity as a new pending one."""
        obj = app(ctx)
        body = {"setPositionInRoute": {"position": position}}
        render_result(
            obj,
            execute(obj, C.reopen_activity, activity_id, body, dry_run=dry_run),
            columns=ACTIVITY_COLUMNS,
        )


# -- activities: sub-resources -------------------------------------------------------------------


@dataclass(frozen=True)
class SubVerb:
    """A write verb of a sub-resource.  ``link``: it also takes LINKED_ID and LINK_TYPE."""

    name: str
    declared: Any
    help: str
    body: type[Any] | None = None
    link: bool = False
    destructive: bool = False


@dataclass(frozen=True)
class SubResource:
    """An activity sub-resource: ``activities NAME ID`` lists it; ``verbs`` change it."""

    name: str
    help: str
    list: Any
    columns: tuple[str, ...]
    verbs: tuple[SubVerb, ...] = ()


SUB_RESOURCES = (
    SubResource(
        "links",
        "Links between this activity and others.",
        C.list_linked_activities,
        ("fromActivityId", "toActivityId", "linkType", "minIntervalValue", "maxIntervalValue"),
        (
            SubVerb(
                "add", C.create_linked_activity, "Add a link (a JSON/YAML file).", LinkedActivity
            ),
            SubVerb("delete", C.delete_linked_activities, "Remove every link.", destructive=True),
            SubVerb("get", C.get_linked_activity, "Show one link.", link=True),
            SubVerb(
                "set", C.replace_linked_activity, "Create or replace one link.", dict, link=True
            ),
            SubVerb(
                "remove", C.delete_linked_activity, "Remove one link.", link=True, destructive=True
            ),
        ),
    ),
    SubResource(
        "required-inventories",
        "Inventory the activity needs.",
        C.list_required_inventories,
        ("inventoryType", "model", "quantity"),
        (
            SubVerb(
                "set",
                C.replace_required_inventories,
                "Replace them all ({items: [...]}).",
                RequiredInventories,
            ),
            SubVerb("delete", C.delete_required_inventories, "Remove them all.", destructive=True),
        ),
    ),
    SubResource(
        "resource-preferences",
        "Required, preferred and forbidden resources.",
        C.list_resource_preferences,
        ("resourceId", "preferenceType"),
        (
            SubVerb(
                "set",
                C.replace_resource_preferences,
                "Replace them all ({items: [...]}).",
                ResourcePreferences,
            ),
            SubVerb("delete", C.delete_resource_preferences, "Remove them all.", destructive=True),
        ),
    ),
    SubResource(
        "customer-inventories",
        "Customer-owned inventory at the site.",
        C.list_customer_inventories,
        INVENTORY_COLUMNS,
        (SubVerb("add", C.create_customer_inventory, "Add one (a JSON/YAML file).", dict),),
    ),
    SubResource(
        "installed-inventories",
        "Inventory installed by the activity.",
        C.list_installed_inventories,
        INVENTORY_COLUMNS,
    ),
    SubResource(
        "deinstalled-inventories",
        "Inventory removed by the activity.",
        C.list_deinstalled_inventories,
        INVENTORY_COLUMNS,
    ),
    SubResource(
        "submitted-forms",
        "Forms submitted for the activity.",
        C.list_submitted_forms,
        ("time", "user", "formIdentifier"),
    ),
    SubResource(
        "capacity-categories",
        "Capacity categories it counts against.",
        C.list_capacity_categories,
        ("capacityCategory",),
    ),
    SubResource(
        "multiday-segments",
        "Segments of a multi-day activity.",
        C.list_multiday_segments,
        ACTIVITY_COLUMNS,
    ),
)

LinkedArg = Annotated[str, typer.Argument(metavar="LINKED_ID", help="The other activity.")]
LinkTypeArg = Annotated[str, typer.Argument(metavar="LINK_TYPE", help="The link type label.")]


def _list_sub(obj: AppContext, res: SubResource, activity_id: int) -> None:
    declared = res.list
    if declared.spec.paging == "offset":
        items: Iterable[Any] = _bound(obj, declared).iter(activity_id)
    else:
        items = execute(obj, declared, activity_id).items
    _write(obj, items, res.columns)


def _sub_body(verb: SubVerb, file: str) -> Any:
    from ofsc_cli.cli._input import load_body, validate_body

    body = load_body(file)
    return validate_body(verb.body, body, source="<stdin>" if file == "-" else file)


def _add_sub_verb(group: typer.Typer, res: SubResource, verb: SubVerb) -> None:
    def run(
        obj: AppContext, args: tuple[Any, ...], file: str | None, yes: bool, dry_run: bool
    ) -> None:
        if verb.destructive and not dry_run:
            confirm(obj, f"{verb.name.capitalize()} {res.name} of activity {args[0]}?", yes)
        if verb.body is not None:
            args = (*args, _sub_body(verb, str(file)))
        result = execute(obj, verb.declared, *args, dry_run=dry_run)
        if result is None:
            obj.info(f"{res.name} of activity {args[0]}: {verb.name} done")
        else:
            render_result(obj, result, columns=res.columns)

    def link_body(
        ctx: typer.Context,
        activity_id: ActivityArg,
        linked: LinkedArg,
        link_type: LinkTypeArg,
        file: FileOpt,
        dry_run: DryRunOpt = False,
    ) -> None:
        run(app(ctx), (activity_id, linked, link_type), file, True, dry_run)

    def link_only(
        ctx: typer.Context,
        activity_id: ActivityArg,
        linked: LinkedArg,
        link_type: LinkTypeArg,
        yes: YesOpt = False,
        dry_run: DryRunOpt = False,
    ) -> None:
        run(app(ctx), (activity_id, linked, link_type), None, yes, dry_run)

    def body_only(
        ctx: typer.Context, activity_id: ActivityArg, file: FileOpt, dry_run: DryRunOpt = False
    ) -> None:
        run(app(ctx), (activity_id,), file, True, dry_run)

    def plain(
        ctx: typer.Context,
        activity_id: ActivityArg,
        yes: YesOpt = False,
        dry_run: DryRunOpt = False,
    ) -> None:
        run(app(ctx), (activity_id,), None, yes, dry_run)

    variants: dict[tuple[bool, bool], Callable[..., None]] = {
        (True, True): link_body,
        (True, False): link_only,
        (False, True): body_only,
        (False, False): plain,
    }
    command = variants[(verb.link, verb.body is not None)]
    command.__doc__ = verb.help
    group.command(verb.name)(command)


def _add_sub_resource(sub: typer.Typer, res: SubResource) -> None:
    def list_(ctx: typer.Context, activity_id: ActivityArg) -> None:
        _list_sub(app(ctx), res, activity_id)

    list_.__doc__ = f"{res.help} (list)"
    if not res.verbs:
        sub.command(res.name, help=res.help)(list_)
        return
    group = typer.Typer(
        name=res.name,
        help=f"{res.help} `{res.name} ID` lists them.",
        cls=DefaultListGroup,
        no_args_is_help=True,
    )
    group.command("list")(list_)
    for verb in res.verbs:
        _add_sub_verb(group, res, verb)
    sub.add_typer(group, name=res.name)


# -- activities: bulk update -------------------------------------------------------------------


def _bulk_command(sub: typer.Typer) -> None:
    @sub.command("bulk-update")
    def bulk_update(
        ctx: typer.Context,
        file: BulkFileOpt,
        batch_size: BatchSizeOpt = None,
        identify_by: Annotated[
            str | None,
            typer.Option(
                "--identify-by",
                help="activityId (default), apptNumber, apptNumberPlusCustomerNumber or "
                "apptNumberPlusIbAssetId.",
            ),
        ] = None,
        if_final: Annotated[
            str | None,
            typer.Option(
                "--if-final",
                help="For finished activities: doNothing (default), createNew, updateExisting.",
            ),
        ] = None,
        fallback_resource: Annotated[
            str | None,
            typer.Option(
                "--fallback-resource", help="Resource for activities whose resource is unknown."
            ),
        ] = None,
        keep_fields: Annotated[
            list[str] | None,
            typer.Option("--keep-fields", help="Fields not to overwrite when they have a value."),
        ] = None,
        journal: JournalOpt = None,
        restart: RestartOpt = False,
        in_doubt: InDoubtOpt = None,
        dry_run: BulkDryRunOpt = False,
    ) -> None:
        """Update or create activities from JSON, NDJSON or CSV, in batches.

        A journal (FILE.journal) records each applied batch: run the same command again
        after an interruption and only what is left is sent.  A JSON object input may hold
        the updateParameters next to its activities; the options override them."""
        from ofsc_cli.client._bulk import bulk_specs

        given = {
            "identifyActivityBy": identify_by,
            "ifInFinalStatusThen": if_final,
            "fallbackResourceId": fallback_resource,
            "ifExistsThenDoNotUpdateFields": _csv(keep_fields) or None,
        }
        run_bulk_command(
            app(ctx),
            C.bulk_update_activities,
            bulk_specs()[C.bulk_update_activities.spec.key],
            file,
            columns=BULK_COLUMNS,
            batch_size=batch_size,
            journal=journal,
            restart=restart,
            in_doubt=in_doubt,
            dry_run=dry_run,
            parameters={k: v for k, v in given.items() if v is not None},
        )


# -- activities: the group -----------------------------------------------------------------------


ACTIVITY_UPDATE = Resource(
    name="activities", help="", key="activityId", key_arg="ACTIVITY_ID", model=Activity
)


def _activity_commands(sub: typer.Typer) -> None:
    _list_command(sub)
    _search_command(sub)
    _update_command(sub)
    _move_command(sub)
    for action in STATUS_ACTIONS:
        _add_status_action(sub, action)
    _delay_reopen_commands(sub)
    _bulk_command(sub)
    for res in SUB_RESOURCES:
        _add_sub_resource(sub, res)
    add_file_commands(
        sub,
        entity="activity",
        key_metavar="ACTIVITY_ID",
        key_help="The activity id.",
        get=C.get_activity_file,
        put=C.replace_activity_file,
        delete=C.delete_activity_file,
        numeric_key=True,
    )


def _service_request_commands(sub: typer.Typer) -> None:
    add_file_commands(
        sub,
        entity="service request",
        key_metavar="REQUEST_ID",
        key_help="The service request id.",
        get=C.get_service_request_file,
        numeric_key=True,
    )


RESOURCES: list[Resource] = [
    Resource(
        name="activities",
        help="Activities: list/export, actions, bulk updates, sub-resources, files.",
        key="activityId",
        key_arg="ACTIVITY_ID",
        columns=ACTIVITY_COLUMNS,
        model=ActivityCreate,
        get=C.get_activity,
        create=C.create_activity,
        delete=C.delete_activity,
        extra=_activity_commands,
    ),
    Resource(
        name="service-requests",
        help="Service requests about an activity, inventory or resource.",
        key="requestId",
        key_arg="REQUEST_ID",
        columns=("requestId", "requestType", "activityId", "inventoryId", "resourceId", "created"),
        model=ServiceRequestCreate,
        get=C.get_service_request,
        create=C.create_service_request,
        extra=_service_request_commands,
    ),
]

SUBSCRIPTIONS = Resource(
    name="subscriptions",
    help="Event subscriptions of this application.",
    key="subscriptionId",
    key_arg="SUBSCRIPTION",
    columns=("subscriptionId", "subscriptionTitle", "events", "createdTime", "expirationTime"),
    model=SubscriptionCreate,
    list=C.list_event_subscriptions,
    get=C.get_event_subscription,
    create=C.create_event_subscription,
    delete=C.delete_event_subscription,
)


# -- events --------------------------------------------------------------------------------------


def _events_app() -> typer.Typer:
    events = typer.Typer(
        name="events", help="Event subscriptions and following them.", no_args_is_help=True
    )
    events.add_typer(resource_app(SUBSCRIPTIONS), name="subscriptions")

    @events.command("follow")
    def follow(
        ctx: typer.Context,
        subscription: Annotated[str, typer.Argument(metavar="SUBSCRIPTION")],
        since: Annotated[
            str | None,
            typer.Option("--since", help="Restart from this UTC time (YYYY-MM-DD HH:MM:SS)."),
        ] = None,
        state: Annotated[
            Path | None,
            typer.Option("--state", help="Cursor file (default: in the user cache dir)."),
        ] = None,
        once: Annotated[bool, typer.Option("--once", help="Stop when caught up.")] = False,
        poll_interval: Annotated[
            float,
            typer.Option("--poll-interval", min=0.0, help="Seconds between polls when caught up."),
        ] = 5.0,
        limit: Annotated[
            int | None, typer.Option("--limit", "-n", min=1, max=1000, help="Events per request.")
        ] = None,
    ) -> None:
        """Write the subscription's events as NDJSON until Ctrl-C (or --once).

        The cursor is saved after each page is written: run the command again to go on
        where it stopped, with nothing lost or repeated."""
        from ofsc_cli.client._events import CursorFile, EventFollower, default_state_path
        from ofsc_cli.output import OutputFormat, json_dumps, select_fields

        obj = app(ctx)
        if obj.output is not None and obj.format() is not OutputFormat.NDJSON:
            raise UsageError("events follow writes NDJSON (-o ndjson), one event per line")
        client = obj.client()
        path = state or default_state_path(obj.profile_name, subscription)
        follower = EventFollower(
            client,
            subscription,
            state=CursorFile(path, subscription),
            since=since,
            once=once,
            poll_interval=poll_interval,
            limit=limit,
        )
        obj.info(f"following {subscription} (cursor: {path}); Ctrl-C to stop")
        try:
            for batch in follower:
                with deferred_interrupt():
                    for event in batch.events:
                        shown = select_fields(event, obj.fields) if obj.fields else event
                        obj.stdout.write(json_dumps(shown) + "\n")
                    obj.stdout.flush()
                    follower.commit(batch)
        except KeyboardInterrupt:
            obj.info(f"stopped after {follower.events} events; the cursor is saved in {path}")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        obj.info(f"caught up: {follower.events} events written")

    return events


# -- daily extract -------------------------------------------------------------------------------


def _extract_app() -> typer.Typer:
    extract = typer.Typer(
        name="daily-extract", help="Daily extract folders and files.", no_args_is_help=True
    )

    @extract.command("dates")
    def dates(ctx: typer.Context) -> None:
        """The days that have an extract folder."""
        obj = app(ctx)
        _write(obj, execute(obj, C.list_daily_extract_dates).items, ("name",))

    @extract.command("files")
    def files(ctx: typer.Context, date: DateArg) -> None:
        """The files of one day's extract."""
        obj = app(ctx)
        day = _date(date, "DATE").isoformat()
        _write(
            obj, execute(obj, C.list_daily_extract_files, day).items, ("name", "bytes", "mediaType")
        )

    @extract.command("download")
    def download(
        ctx: typer.Context,
        date: DateArg,
        file: Annotated[
            str | None, typer.Argument(metavar="[FILE]", help="One file (default: all).")
        ] = None,
        directory: Annotated[Path, typer.Option("--dir", help="Where to save the files.")] = Path(
            "."
        ),
    ) -> None:
        """Download a day's extract files (complete ones are skipped, partial ones resumed)."""
        from ofsc_cli.client._download import check_writable_dir

        obj = app(ctx)
        day = _date(date, "DATE").isoformat()
        check_writable_dir(directory)
        listing = execute(obj, C.list_daily_extract_files, day).items
        sizes = {f.name: f.bytes for f in listing if f.name}
        names = [file] if file else list(sizes)
        report: list[dict[str, Any]] = []
        for name in names:
            dest = directory / name
            if dest.exists() and sizes.get(name) is not None and dest.stat().st_size == sizes[name]:
                report.append(
                    {
                        "file": name,
                        "bytes": sizes[name],
                        "path": str(dest),
                        "status": "already there",
                    }
                )
                continue
            result = download_file(obj, C.get_daily_extract_file, day, name, dest=dest)
            status = (
                "resumed"
                if result.resumed_from
                else "restarted"
                if result.restarted
                else "downloaded"
            )
            report.append(
                {"file": name, "bytes": result.size, "path": str(result.path), "status": status}
            )
        _write(obj, report, ("file", "bytes", "status", "path"))

    return extract


def _where_is_my_tech(core: typer.Typer) -> None:
    @core.command("where-is-my-tech")
    def where_is_my_tech(
        ctx: typer.Context,
        activity_id: ActivityArg,
        resource_fields: Annotated[
            list[str] | None, typer.Option("--resource-fields", help="Resource fields to add.")
        ] = None,
        activity_fields: Annotated[
            list[str] | None, typer.Option("--activity-fields", help="Activity fields to add.")
        ] = None,
        hide_location: Annotated[
            int | None,
            typer.Option(
                "--hide-location-minutes",
                min=0,
                max=60,
                help="Hide the position for this many minutes.",
            ),
        ] = None,
        avatar: Annotated[
            bool, typer.Option("--avatar", help="Include the avatar image data.")
        ] = False,
    ) -> None:
        """Where the technician of an activity is, as the customer would see it."""
        obj = app(ctx)
        result = execute(
            obj,
            C.get_where_is_my_tech,
            activity_id,
            include_avatar_image_data=avatar or None,
            resource_fields=_csv(resource_fields) or None,
            activity_fields=_csv(activity_fields) or None,
            hide_resource_location_time=hide_location,
        )
        render_result(obj, result)


def add_commands(app: typer.Typer) -> None:
    """Add ``events``, ``daily-extract`` and ``where-is-my-tech`` to the ``core`` group."""
    app.add_typer(_events_app(), name="events")
    app.add_typer(_extract_app(), name="daily-extract")
    _where_is_my_tech(app)


# -- coverage ------------------------------------------------------------------------------------

_A = "/rest/ofscCore/v1/activities"
_ID = f"{_A}/{{activityId}}"
_LINK = f"{_ID}/linkedActivities/{{linkedActivityId}}/linkTypes/{{linkType}}"
_X = "/rest/ofscCore/v1/folders/dailyExtract/folders"
_CMD = "ofsc core activities"

COMMANDS: dict[str, str] = {
    f"GET {_A}": f"{_CMD} list",
    f"POST {_A}": f"{_CMD} create",
    f"GET {_ID}": f"{_CMD} get",
    f"PATCH {_ID}": f"{_CMD} update",
    f"DELETE {_ID}": f"{_CMD} delete",
    f"GET {_A}/custom-actions/search": f"{_CMD} search",
    f"POST {_A}/custom-actions/bulkUpdate": f"{_CMD} bulk-update",
    f"POST {_ID}/custom-actions/move": f"{_CMD} move",
    f"POST {_ID}/custom-actions/delay": f"{_CMD} delay",
    f"POST {_ID}/custom-actions/reopen": f"{_CMD} reopen",
    **{f"POST {a.declared.spec.path}": f"{_CMD} {a.command}" for a in STATUS_ACTIONS},
    **{f"GET {r.list.spec.path}": f"{_CMD} {r.name}" for r in SUB_RESOURCES},
    **{
        f"{v.declared.spec.method} {v.declared.spec.path}": f"{_CMD} {r.name} {v.name}"
        for r in SUB_RESOURCES
        for v in r.verbs
    },
    f"GET {_ID}/{{propertyLabel}}": f"{_CMD} file get",
    f"PUT {_ID}/{{propertyLabel}}": f"{_CMD} file set",
    f"DELETE {_ID}/{{propertyLabel}}": f"{_CMD} file delete",
    "GET /rest/ofscCore/v1/whereIsMyTech": "ofsc core where-is-my-tech",
    "GET /rest/ofscCore/v1/events": "ofsc core events follow",
    "GET /rest/ofscCore/v1/events/subscriptions": "ofsc core events subscriptions list",
    "POST /rest/ofscCore/v1/events/subscriptions": "ofsc core events subscriptions create",
    "GET /rest/ofscCore/v1/events/subscriptions/{subscriptionId}": (
        "ofsc core events subscriptions get"
    ),
    "DELETE /rest/ofscCore/v1/events/subscriptions/{subscriptionId}": (
        "ofsc core events subscriptions delete"
    ),
    f"GET {_X}": "ofsc core daily-extract dates",
    f"GET {_X}/{{dailyExtractDate}}/files": "ofsc core daily-extract files",
    f"GET {_X}/{{dailyExtractDate}}/files/{{dailyExtractFilename}}": (
        "ofsc core daily-extract download"
    ),
    "POST /rest/ofscCore/v1/serviceRequests": "ofsc core service-requests create",
    "GET /rest/ofscCore/v1/serviceRequests/{requestId}": "ofsc core service-requests get",
    "GET /rest/ofscCore/v1/serviceRequests/{requestId}/{propertyLabel}": (
        "ofsc core service-requests file get"
    ),
}
"""Operation key → the command that runs it (read by ``ofsc api catalog --coverage``)."""
