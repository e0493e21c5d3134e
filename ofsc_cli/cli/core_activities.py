"""``ofsc core`` commands: activities (their actions, sub-resources and file properties),
events, the daily extract, service requests and where-is-my-tech.

Every command is a :class:`~ofsc_cli.cli.declare.Command`.  Families that differ only by
data are tables of declarations made by one small function per row: the status actions
(:func:`_status_action`) and the activity sub-resources (:func:`_sub_resource`, whose
default verb ``list`` may be left out: ``activities links 4225``).  The long-running jobs
(``list --all``, ``bulk-update``, ``events follow``, downloads) are custom ``run``
functions over the library's :mod:`~ofsc_cli.client.export`, :mod:`~ofsc_cli.client.bulk`
(through :mod:`~ofsc_cli.cli._bulk`), :mod:`~ofsc_cli.client.events` and
:mod:`~ofsc_cli.client.download`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsc_cli.cli._bulk import bulk_command
from ofsc_cli.cli._files import download_file, file_group
from ofsc_cli.cli.declare import (
    DRY_RUN,
    INT64,
    Arg,
    Body,
    Call,
    Command,
    Group,
    Opt,
    bulk_read_client,
)
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
    from ofsc_cli.cli.context import AppContext
    from ofsc_cli.client.export import ActivityQuery

__all__ = [
    "ACTIVITIES",
    "DAILY_EXTRACT",
    "DECLARED",
    "EVENTS",
    "SERVICE_REQUESTS",
    "WHERE_IS_MY_TECH",
    "export_activities",
]

A = "ofsc core activities"
ID = "4200002"
"""A sandbox activity (completed, on TECH-0002's route) used in the examples."""
PENDING = "4204902"
"""A pending sandbox activity used in the examples of the status actions."""

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

ACTIVITY = Arg("activity_id", "ACTIVITY_ID", "The activity id.", kind="int")
ACTIVITY_KEY = Arg("activity_id", "ACTIVITY_ID", "The activity id.")
"""``get``/``delete``: the id as typed, checked by the client (a number the API cannot hold
is refused; one it can is asked for, and may be unknown)."""
DATE_FROM = Opt("--date-from", help="First day, YYYY-MM-DD.", metavar="YYYY-MM-DD", to_op=False)
DATE_TO = Opt("--date-to", help="Last day, YYYY-MM-DD.", metavar="YYYY-MM-DD", to_op=False)
TIME = "'YYYY-MM-DD HH:MM:SS'"


# -- shared helpers ---------------------------------------------------------------------------


def _date(value: str | None, option: str) -> Any:
    from ofsc_cli.client.export import parse_date

    return parse_date(value, option)


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


# -- activities: list and search --------------------------------------------------------------


def _query(call: Call) -> ActivityQuery:
    from ofsc_cli.client.export import ActivityQuery

    v = call.values
    return ActivityQuery(
        resources=tuple(v["resources"] or ()),
        date_from=_date(v["date_from"], "--date-from"),
        date_to=_date(v["date_to"], "--date-to"),
        include_non_scheduled=bool(v["include_non_scheduled"]),
        svc_work_order_id=v["svc_work_order_id"],
        include_children=v["include_children"],
        q=v["q"],
        fields=tuple(call.obj.fields) if call.obj.fields else None,
    )


def export_activities(
    obj: AppContext, query: ActivityQuery, *, page_size: int, concurrency: int
) -> int:
    """Write every activity of ``query`` (see :mod:`ofsc_cli.client.export`).

    The progress bar counts the planned slices (one per day, plus the non-scheduled ones)
    done of those planned, and says how many activities were written so far."""
    from ofsc_cli.cli._bridge import iterate_async
    from ofsc_cli.client.export import ActivityExport, ExportPage, plan_tasks
    from ofsc_cli.output import progress

    planned = plan_tasks(query)
    order = {task.label: n for n, task in enumerate(planned)}
    unit = "days" if query.date_from is not None and query.svc_work_order_id is None else "slices"

    async def pages() -> AsyncIterator[ExportPage]:
        async with bulk_read_client(obj) as client:
            export = ActivityExport(client, query, page_size=page_size, concurrency=concurrency)
            async for page in export.pages():
                yield page

    with progress(
        len(planned),
        f"activities: 0 {unit} of {len(planned)} done",
        enabled=obj.show_progress,
        stream=obj.stderr,
        color=not obj.no_color,
    ) as bar:
        done = 0
        written = 0

        def items() -> Iterator[dict[str, Any]]:
            nonlocal done, written
            # One page crosses the thread boundary at a time: memory stays bounded.
            for page in iterate_async(pages, buffer=1):
                # Pages come in slice order: every slice before this page's is complete.
                reached = order.get(page.task.label, done)
                if reached > done:
                    bar.advance(reached - done)
                    done = reached
                written += len(page.items)
                bar.update(description=f"activities {page.task.label}: {written} written")
                yield from page.items
            bar.advance(len(planned) - done)
            done = len(planned)
            bar.update(description=f"activities: {written} written")

        return int(obj.renderer(ACTIVITY_COLUMNS).write_items(items()))


def _list(call: Call) -> None:
    v = call.values
    if v["include_children"] not in (None, "none", "immediate", "all"):
        raise UsageError("--include-children: use none, immediate or all")
    query = _query(call)
    if call.all and not call.limit and call.offset == 0:
        query.validate(max_days=None)
        export_activities(call.obj, query, page_size=v["page_size"], concurrency=call.concurrency)
        return
    query.validate()
    kwargs = query.query(query.date_from, query.date_to, query.include_non_scheduled)
    call.list_flow(limit=v["page_size"], **kwargs)


def _search(call: Call) -> None:
    v = call.values
    start, end = _date(v["date_from"], "--date-from"), _date(v["date_to"], "--date-to")
    if (start is None) != (end is None):
        raise UsageError("--date-from and --date-to go together")
    if start is not None and end is not None and end < start:
        raise UsageError(f"--date-to {end} is before --date-from {start}")
    if v["include_non_scheduled"] is False and start is None:
        raise UsageError("--no-include-non-scheduled needs --date-from and --date-to")
    call.list_flow(
        search_in_field=v["search_in"],
        search_for_value=v["value"],
        date_from=start,
        date_to=end,
        fields=call.api_fields(),
        include_multiday=v["include_multiday"],
        include_non_scheduled=v["include_non_scheduled"],
    )


# -- activities: changes --------------------------------------------------------------------


def _update(call: Call) -> None:
    activity_id = call.values["activity_id"]
    body = call.body(str(activity_id))
    refused = [name for name in ("date", "status", "resourceId", "positionInRoute") if name in body]
    if refused:
        raise UsageError(
            f"{call.file}: {', '.join(refused)} cannot be changed by update; use "
            "`activities move` (date, resource, position) or the status actions"
        )
    call.render(call.execute(None, activity_id, body))


def _move(call: Call) -> None:
    from pydantic import ValidationError

    v = call.values
    body: dict[str, Any] = {}
    if v["to_resource"]:
        body["setResource"] = {"resourceId": v["to_resource"]}
    if v["date"]:
        body["setDate"] = {"date": _date(v["date"], "--date").isoformat()}
    if v["position"] or v["after"] is not None:
        body["setPositionInRoute"] = {"position": v["position"] or "afterActivity"}
        if v["after"] is not None:
            body["setPositionInRoute"]["activityId"] = v["after"]
    if not body:
        raise UsageError("give --to-resource, --date or --position")
    try:
        MoveRequest.model_validate(body)
    except ValidationError as exc:
        raise UsageError(f"invalid move: {exc.errors()[0]['msg']}") from None
    if call.execute(None, v["activity_id"], body) is not DRY_RUN:
        call.obj.info(f"moved activity {v['activity_id']}")


def _delay(call: Call) -> None:
    minutes, until = call.values["minutes"], call.values["until"]
    if (minutes is None) == (until is None):
        raise UsageError("give --minutes or --until")
    body = {"delayMinutes": minutes} if minutes is not None else {"delayUntilTime": until}
    call.render(call.execute(None, call.values["activity_id"], body))


def _reopen(call: Call) -> None:
    body = {"setPositionInRoute": {"position": call.values["position"]}}
    call.render(call.execute(None, call.values["activity_id"], body))


# -- activities: status actions ---------------------------------------------------------------


def _timed(call: Call) -> None:
    time = call.values["time"]
    body = StatusChange(time=time) if time else None
    call.render(call.execute(None, call.values["activity_id"], body))


def _untimed(call: Call) -> None:
    call.render(call.execute(None, call.values["activity_id"]))


def _status_action(verb: str, op: Any, help: str, *, time: bool = True) -> Command:
    """One status action: ``VERB ACTIVITY_ID [--time 'YYYY-MM-DD HH:MM:SS']``."""
    examples = [f"{A} {verb} {PENDING}"]
    if time:
        examples.append(f"{A} {verb} {PENDING} --time '2026-11-16 09:30:00' --dry-run")
    return Command(
        verb,
        help,
        tuple(examples),
        op=op,
        params=(
            (
                ACTIVITY,
                Opt(
                    "--time",
                    help="When, YYYY-MM-DD HH:MM:SS in the resource's time zone.",
                    kind="time",
                    metavar=TIME,
                    to_op=False,
                ),
            )
            if time
            else (ACTIVITY,)
        ),
        columns=ACTIVITY_COLUMNS,
        run=_timed if time else _untimed,
    )


STATUS_ACTIONS = (
    _status_action("start", C.start_activity, "Start: pending or enroute → started."),
    _status_action("complete", C.complete_activity, "Complete: started → completed."),
    _status_action("cancel", C.cancel_activity, "Cancel: pending or enroute → cancelled."),
    _status_action("suspend", C.suspend_activity, "Suspend: started → suspended (+ a copy)."),
    _status_action("not-done", C.not_done_activity, "Not done: started → notdone."),
    _status_action("enroute", C.enroute_activity, "On the way: pending → enroute.", time=False),
    _status_action(
        "stop-travel", C.stop_travel_activity, "Stop travel: enroute → pending.", time=False
    ),
    _status_action("start-prework", C.start_prework_activity, "Start the prework of an activity."),
)
"""The status actions, one declaration per row."""


# -- activities: sub-resources ------------------------------------------------------------------

LINKED = Arg("linked", "LINKED_ID", "The other activity.")
LINK_TYPE = Arg("link_type", "LINK_TYPE", "The link type label.")


def _sub_verb(
    resource: str,
    verb: str,
    op: Any,
    help: str,
    example: str,
    *,
    body: type[Any] | None = None,
    link: bool = False,
    destructive: bool = False,
    columns: tuple[str, ...] = (),
) -> Command:
    """A write verb of a sub-resource (``link``: it also takes LINKED_ID and LINK_TYPE)."""
    returns_nothing = op.spec.response in (None, type(None))
    return Command(
        verb,
        help,
        f"{A} {resource} {verb} {example}",
        op=op,
        params=(ACTIVITY, LINKED, LINK_TYPE) if link else (ACTIVITY,),
        body=Body(body) if body is not None else None,
        columns=columns,
        confirm=(
            f"{verb.capitalize()} {resource} of activity {{activity_id}}?" if destructive else None
        ),
        done=f"{resource} of activity {{activity_id}}: {verb} done" if returns_nothing else None,
    )


def _sub_resource(
    name: str,
    help: str,
    op: Any,
    columns: tuple[str, ...],
    verbs: tuple[tuple[Any, ...], ...] = (),
) -> Command | Group:
    """An activity sub-resource: ``activities NAME ID`` lists it; each of ``verbs``
    (``(verb, op, help, example, options)``) changes it."""
    listing = Command(
        "list" if verbs else name,
        f"{help} (list)" if verbs else help,
        (f"{A} {name} {ID}", f"{A} {name} list {ID} -o json") if verbs else f"{A} {name} {ID}",
        op=op,
        params=(ACTIVITY,),
        columns=columns,
        what=name,
    )
    if not verbs:
        return listing
    changes = tuple(
        _sub_verb(name, verb, vop, vhelp, example, columns=columns, **options)
        for verb, vop, vhelp, example, options in verbs
    )
    return Group(name, help, (listing, *changes), default="list")


LINK = f"{ID} 4200003 start-after"
SUB_RESOURCES = (
    _sub_resource(
        "links",
        "Links between this activity and others.",
        C.list_linked_activities,
        ("fromActivityId", "toActivityId", "linkType", "minIntervalValue", "maxIntervalValue"),
        (
            (
                "add",
                C.create_linked_activity,
                "Add a link (a JSON/YAML file).",
                f"{ID} --file link.json",
                {"body": LinkedActivity},
            ),
            (
                "delete",
                C.delete_linked_activities,
                "Remove every link.",
                f"{ID} --yes",
                {"destructive": True},
            ),
            ("get", C.get_linked_activity, "Show one link.", LINK, {"link": True}),
            (
                "set",
                C.replace_linked_activity,
                "Create or replace one link.",
                f"{LINK} --file link.json",
                {"body": dict, "link": True},
            ),
            (
                "remove",
                C.delete_linked_activity,
                "Remove one link.",
                f"{LINK} --yes",
                {"link": True, "destructive": True},
            ),
        ),
    ),
    _sub_resource(
        "required-inventories",
        "Inventory the activity needs.",
        C.list_required_inventories,
        ("inventoryType", "model", "quantity"),
        (
            (
                "set",
                C.replace_required_inventories,
                "Replace them all ({items: [...]}).",
                f"{ID} --file required.json",
                {"body": RequiredInventories},
            ),
            (
                "delete",
                C.delete_required_inventories,
                "Remove them all.",
                f"{ID} --yes",
                {"destructive": True},
            ),
        ),
    ),
    _sub_resource(
        "resource-preferences",
        "Required, preferred and forbidden resources.",
        C.list_resource_preferences,
        ("resourceId", "preferenceType"),
        (
            (
                "set",
                C.replace_resource_preferences,
                "Replace them all ({items: [...]}).",
                f"{ID} --file preferences.json",
                {"body": ResourcePreferences},
            ),
            (
                "delete",
                C.delete_resource_preferences,
                "Remove them all.",
                f"{ID} --yes",
                {"destructive": True},
            ),
        ),
    ),
    _sub_resource(
        "customer-inventories",
        "Customer-owned inventory at the site.",
        C.list_customer_inventories,
        INVENTORY_COLUMNS,
        (
            (
                "add",
                C.create_customer_inventory,
                "Add one (a JSON/YAML file).",
                f"{ID} --file inventory.json",
                {"body": dict},
            ),
        ),
    ),
    _sub_resource(
        "installed-inventories",
        "Inventory installed by the activity.",
        C.list_installed_inventories,
        INVENTORY_COLUMNS,
    ),
    _sub_resource(
        "deinstalled-inventories",
        "Inventory removed by the activity.",
        C.list_deinstalled_inventories,
        INVENTORY_COLUMNS,
    ),
    _sub_resource(
        "submitted-forms",
        "Forms submitted for the activity.",
        C.list_submitted_forms,
        ("time", "user", "formIdentifier"),
    ),
    _sub_resource(
        "capacity-categories",
        "Capacity categories it counts against.",
        C.list_capacity_categories,
        ("capacityCategory",),
    ),
    _sub_resource(
        "multiday-segments",
        "Segments of a multi-day activity.",
        C.list_multiday_segments,
        ACTIVITY_COLUMNS,
    ),
)
"""The activity sub-resources, one declaration per row."""


# -- activities: bulk update ------------------------------------------------------------------

BULK_UPDATE = bulk_command(
    "bulk-update",
    C.bulk_update_activities,
    BULK_COLUMNS,
    help="""Update or create activities from JSON, NDJSON or CSV, in batches.

A journal (FILE.journal) records each applied batch: run the same command again after an
interruption and only what is left is sent.  A JSON object input may hold the
updateParameters next to its activities; the options override them.""",
    example=(
        f"{A} bulk-update --file changes.ndjson",
        f"{A} bulk-update --file new.csv --identify-by apptNumber --if-final createNew",
    ),
    params=(
        Opt(
            "--identify-by",
            help="activityId (default), apptNumber, apptNumberPlusCustomerNumber or "
            "apptNumberPlusIbAssetId.",
            to_op=False,
        ),
        Opt(
            "--if-final",
            help="For finished activities: doNothing (default), createNew, updateExisting.",
            to_op=False,
        ),
        Opt(
            "--fallback-resource",
            help="Resource for activities whose resource is unknown.",
            to_op=False,
        ),
        Opt(
            "--keep-fields",
            help="Fields not to overwrite when they have a value.",
            kind="list",
            to_op=False,
        ),
    ),
    parameters=lambda values: {
        name: values[key]
        for name, key in (
            ("identifyActivityBy", "identify_by"),
            ("ifInFinalStatusThen", "if_final"),
            ("fallbackResourceId", "fallback_resource"),
            ("ifExistsThenDoNotUpdateFields", "keep_fields"),
        )
        if values[key] is not None
    },
)


# -- activities: the group ----------------------------------------------------------------------

ACTIVITIES = Group(
    "activities",
    "Activities: list/export, actions, bulk updates, sub-resources, files.",
    (
        Command(
            "list",
            """List activities: --resources with --date-from/--date-to (31 days per request;
with --all any range, fetched day by day, at most 3 requests at a time), or
--include-non-scheduled, or --svc-work-order-id.  --fields is sent to the API.""",
            (
                f"{A} list --resources TECH-0002 --date-from 2026-11-20 --date-to 2026-11-20",
                f"{A} list --resources ROOT --date-from 2026-11-01 --date-to 2026-11-30 --all "
                "-o ndjson > nov.ndjson",
                f"{A} list --resources ROOT --include-non-scheduled --limit 20",
            ),
            op=C.list_activities,
            params=(
                Opt(
                    "--resources",
                    short="-r",
                    help="Resource ids (comma-separated or repeated).",
                    kind="list",
                    to_op=False,
                ),
                DATE_FROM,
                DATE_TO,
                Opt(
                    "--include-non-scheduled",
                    help="Also non-scheduled ones.",
                    kind="bool",
                    to_op=False,
                ),
                Opt(
                    "--svc-work-order-id",
                    help="One work order's activities.",
                    kind="int",
                    to_op=False,
                ),
                Opt(
                    "--include-children",
                    help="none, immediate or all (the default).",
                    metavar="MODE",
                    to_op=False,
                ),
                Opt("--q", help="Filter, e.g. \"status=='pending'\".", to_op=False),
                Opt(
                    "--page-size",
                    help="Items per request.",
                    kind="int",
                    default=2000,
                    bounds=(1, 100_000),
                    to_op=False,
                ),
            ),
            columns=ACTIVITY_COLUMNS,
            concurrency=3,
            what="activities",
            run=_list,
        ),
        Command(
            "search",
            "Find activities by a field's value (the API stops after 1000 matches).",
            (
                f"{A} search --search-in apptNumber --value WO-0200002",
                f"{A} search --search-in customerNumber --value C101197 "
                "--date-from 2026-11-01 --date-to 2026-11-30",
            ),
            op=C.search_activities,
            params=(
                Opt(
                    "--search-in",
                    help="Field: apptNumber, customerNumber, …",
                    required=True,
                    metavar="FIELD",
                    to_op=False,
                ),
                Opt("--value", help="The value to find.", required=True, to_op=False),
                DATE_FROM,
                DATE_TO,
                Opt(
                    "--include-non-scheduled/--no-include-non-scheduled",
                    help="Search non-scheduled activities too (the API's default).",
                    kind="bool",
                    to_op=False,
                ),
                Opt(
                    "--include-multiday",
                    help="all, segments, parents, none.",
                    metavar="MODE",
                    to_op=False,
                ),
            ),
            columns=ACTIVITY_COLUMNS,
            what="activities",
            run=_search,
        ),
        Command(
            "get",
            "Show one activity.",
            (f"{A} get {ID}", f"{A} get {ID} -o json"),
            op=C.get_activity,
            params=(ACTIVITY_KEY,),
            columns=ACTIVITY_COLUMNS,
        ),
        Command(
            "create",
            "Create an activity from a JSON/YAML file.",
            f"{A} create --file activity.json",
            op=C.create_activity,
            body=Body(ActivityCreate),
        ),
        Command(
            "update",
            "Change the fields in the file (not date, status or resource: see move and the "
            "status actions).",
            f"{A} update {ID} --file patch.json",
            op=C.update_activity,
            params=(ACTIVITY,),
            body=Body(Activity, key="activityId"),
            columns=ACTIVITY_COLUMNS,
            run=_update,
        ),
        Command(
            "delete",
            "Delete an activity (asks first on a terminal; --yes otherwise).",
            f"{A} delete {PENDING} --yes",
            op=C.delete_activity,
            params=(ACTIVITY_KEY,),
            confirm="Delete activities '{activity_id}'?",
            done="deleted activities '{activity_id}'",
        ),
        Command(
            "move",
            "Move an activity to another resource, day or route position.",
            (
                f"{A} move {PENDING} --to-resource TECH-0003 --date 2026-11-30",
                f"{A} move {PENDING} --position afterActivity --after 4204915",
            ),
            op=C.move_activity,
            params=(
                ACTIVITY,
                Opt("--to-resource", help="Resource to move it to.", to_op=False),
                Opt("--date", help="Day to move it to.", metavar="YYYY-MM-DD", to_op=False),
                Opt(
                    "--position",
                    help="first, last, notOrdered, byServiceWindow, afterActivity.",
                    to_op=False,
                ),
                Opt(
                    "--after",
                    help="With --position afterActivity: which.",
                    kind="int",
                    metavar="ACTIVITY_ID",
                    bounds=(1, INT64[1]),
                    to_op=False,
                ),
            ),
            run=_move,
        ),
        *STATUS_ACTIONS,
        Command(
            "delay",
            "Report a started activity as late.",
            (
                f"{A} delay {PENDING} --minutes 30",
                f"{A} delay {PENDING} --until '2026-11-16 11:00:00'",
            ),
            op=C.delay_activity,
            params=(
                ACTIVITY,
                Opt("--minutes", help="How late.", kind="int", bounds=(0, INT64[1]), to_op=False),
                Opt(
                    "--until",
                    help="Late until YYYY-MM-DD HH:MM:SS.",
                    kind="time",
                    metavar=TIME,
                    to_op=False,
                ),
            ),
            columns=ACTIVITY_COLUMNS,
            run=_delay,
        ),
        Command(
            "reopen",
            "Reopen a finished activity as a new pending one.",
            (f"{A} reopen {ID}", f"{A} reopen {ID} --position first"),
            op=C.reopen_activity,
            params=(
                ACTIVITY,
                Opt(
                    "--position",
                    help="first, last, notOrdered, byServiceWindow…",
                    default="last",
                    to_op=False,
                ),
            ),
            columns=ACTIVITY_COLUMNS,
            run=_reopen,
        ),
        BULK_UPDATE,
        *SUB_RESOURCES,
        file_group(
            entity="activity",
            key_metavar="ACTIVITY_ID",
            key_help="The activity id.",
            prefix=A,
            example_key=ID,
            example_property="cust_signature",
            get=C.get_activity_file,
            put=C.replace_activity_file,
            delete=C.delete_activity_file,
            numeric_key=True,
        ),
    ),
)

SR = "ofsc core service-requests"
REQUEST = Arg("request_id", "REQUEST_ID", "The service request id.")
SERVICE_REQUESTS = Group(
    "service-requests",
    "Service requests about an activity, inventory or resource.",
    (
        Command(
            "get",
            "Show one service request.",
            f"{SR} get 1001",
            op=C.get_service_request,
            params=(REQUEST,),
            columns=(
                "requestId",
                "requestType",
                "activityId",
                "inventoryId",
                "resourceId",
                "created",
            ),
        ),
        Command(
            "create",
            "Create a service request from a JSON/YAML file.",
            f"{SR} create --file request.json",
            op=C.create_service_request,
            body=Body(ServiceRequestCreate),
        ),
        file_group(
            entity="service request",
            key_metavar="REQUEST_ID",
            key_help="The service request id.",
            prefix=SR,
            example_key="1001",
            example_property="photo",
            get=C.get_service_request_file,
            numeric_key=True,
        ),
    ),
)


# -- events ---------------------------------------------------------------------------------------


def _follow(call: Call) -> None:
    import typer

    from ofsc_cli.client.events import CursorFile, EventFollower, default_state_path
    from ofsc_cli.output import OutputFormat, json_dumps, select_fields

    obj, v = call.obj, call.values
    subscription = v["subscription"]
    if obj.output is not None and obj.format() is not OutputFormat.NDJSON:
        raise UsageError("events follow writes NDJSON (-o ndjson), one event per line")
    client = obj.client()
    path = Path(v["state"]) if v["state"] else default_state_path(obj.profile_name, subscription)
    follower = EventFollower(
        client,
        subscription,
        state=CursorFile(path, subscription),
        since=v["since"],
        once=bool(v["once"]),
        poll_interval=v["poll_interval"],
        limit=v["limit"],
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


EV = "ofsc core events"
SUB = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
"""The sandbox's event subscription."""
SUBSCRIPTION = Arg("subscription", "SUBSCRIPTION", "The subscription id.")
SUBSCRIPTION_COLUMNS = (
    "subscriptionId",
    "subscriptionTitle",
    "events",
    "createdTime",
    "expirationTime",
)
EVENTS = Group(
    "events",
    "Event subscriptions and following them.",
    (
        Group(
            "subscriptions",
            "Event subscriptions of this application.",
            (
                Command(
                    "list",
                    "List the subscriptions.",
                    f"{EV} subscriptions list",
                    op=C.list_event_subscriptions,
                    columns=SUBSCRIPTION_COLUMNS,
                ),
                Command(
                    "get",
                    "Show one subscription.",
                    f"{EV} subscriptions get {SUB}",
                    op=C.get_event_subscription,
                    params=(SUBSCRIPTION,),
                    columns=SUBSCRIPTION_COLUMNS,
                ),
                Command(
                    "create",
                    "Create a subscription from a JSON/YAML file.",
                    f"{EV} subscriptions create --file subscription.json",
                    op=C.create_event_subscription,
                    body=Body(SubscriptionCreate),
                ),
                Command(
                    "delete",
                    "Delete a subscription (asks first on a terminal; --yes otherwise).",
                    f"{EV} subscriptions delete {SUB} --yes",
                    op=C.delete_event_subscription,
                    params=(SUBSCRIPTION,),
                    confirm="Delete subscriptions '{subscription}'?",
                    done="deleted subscriptions '{subscription}'",
                ),
            ),
        ),
        Command(
            "follow",
            """Write the subscription's events as NDJSON until Ctrl-C (or --once).

The cursor is saved after each page is written: run the command again to go on where it
stopped, with nothing lost or repeated.""",
            (f"{EV} follow {SUB} -o ndjson", f"{EV} follow {SUB} --once > events.ndjson"),
            op=C.list_events,
            params=(
                Arg("subscription", "SUBSCRIPTION", "The subscription to follow.", to_op=False),
                Opt(
                    "--since",
                    help="Restart from this UTC time (YYYY-MM-DD HH:MM:SS).",
                    metavar=TIME,
                    to_op=False,
                ),
                Opt(
                    "--state",
                    help="Cursor file (default: in the user cache dir).",
                    metavar="PATH",
                    to_op=False,
                ),
                Opt("--once", help="Stop when caught up.", kind="bool", to_op=False),
                Opt(
                    "--poll-interval",
                    help="Seconds between polls when caught up.",
                    kind="float",
                    default=5.0,
                    bounds=(0, INT64[1]),
                    to_op=False,
                ),
                Opt(
                    "--limit",
                    short="-n",
                    help="Events per request.",
                    kind="int",
                    bounds=(1, 1000),
                    to_op=False,
                ),
            ),
            run=_follow,
        ),
    ),
)


# -- daily extract --------------------------------------------------------------------------------


def _download(call: Call) -> None:
    from ofsc_cli.client.download import check_writable_dir

    obj, v = call.obj, call.values
    day, file = v["date"], v["file"]
    directory = Path(v["directory"])
    check_writable_dir(directory)
    listing = call.execute(C.list_daily_extract_files, day).items
    sizes = {f.name: f.bytes for f in listing if f.name}
    names = [file] if file else list(sizes)
    report: list[dict[str, Any]] = []
    for name in names:
        dest = directory / name
        if dest.exists() and sizes.get(name) is not None and dest.stat().st_size == sizes[name]:
            report.append(
                {"file": name, "bytes": sizes[name], "path": str(dest), "status": "already there"}
            )
            continue
        result = download_file(obj, C.get_daily_extract_file, day, name, dest=dest)
        status = (
            "resumed" if result.resumed_from else "restarted" if result.restarted else "downloaded"
        )
        report.append(
            {"file": name, "bytes": result.size, "path": str(result.path), "status": status}
        )
    call.write(report, ("file", "bytes", "status", "path"))


DX = "ofsc core daily-extract"
EXTRACT_DAY = Arg("date", "DATE", "The folder's day, YYYY-MM-DD.", kind="date")
DAILY_EXTRACT = Group(
    "daily-extract",
    "Daily extract folders and files.",
    (
        Command(
            "dates",
            "The days that have an extract folder.",
            f"{DX} dates",
            op=C.list_daily_extract_dates,
            columns=("name",),
        ),
        Command(
            "files",
            "The files of one day's extract.",
            f"{DX} files 2026-11-17",
            op=C.list_daily_extract_files,
            params=(EXTRACT_DAY,),
            columns=("name", "bytes", "mediaType"),
        ),
        Command(
            "download",
            "Download a day's extract files (complete ones are skipped, partial ones resumed).",
            (
                f"{DX} download 2026-11-17 --dir ./extract",
                f"{DX} download 2026-11-17 activities.csv",
            ),
            op=C.get_daily_extract_file,
            params=(
                EXTRACT_DAY,
                Arg("file", "[FILE]", "One file (default: all).", required=False),
                Opt(
                    "--dir",
                    name="directory",
                    help="Where to save the files.",
                    metavar="DIR",
                    default=".",
                ),
            ),
            also=(C.list_daily_extract_files,),
            run=_download,
        ),
    ),
)


WHERE_IS_MY_TECH = Command(
    "where-is-my-tech",
    "Where the technician of an activity is, as the customer would see it.",
    (
        f"ofsc core where-is-my-tech {PENDING}",
        f"ofsc core where-is-my-tech {PENDING} --resource-fields name,phone --avatar",
    ),
    op=C.get_where_is_my_tech,
    params=(
        ACTIVITY,
        Opt("--resource-fields", help="Resource fields to add.", kind="list"),
        Opt("--activity-fields", help="Activity fields to add.", kind="list"),
        Opt(
            "--hide-location-minutes",
            name="hide_resource_location_time",
            help="Hide the position for this many minutes.",
            kind="int",
            bounds=(0, 60),
        ),
        Opt(
            "--avatar",
            name="include_avatar_image_data",
            help="Include the avatar image data.",
            kind="bool",
        ),
    ),
)

DECLARED: tuple[Group | Command, ...] = (
    ACTIVITIES,
    SERVICE_REQUESTS,
    EVENTS,
    DAILY_EXTRACT,
    WHERE_IS_MY_TECH,
)
"""What this module adds to ``ofsc core``."""
