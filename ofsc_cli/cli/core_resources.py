"""``ofsc core`` commands: resources, users, inventories and calendars.

Most commands are declared as data with :func:`op_command`: the operation, its arguments
and options (how each reaches the client call), the body it takes, whether it pages or
needs confirmation.  A resource's sub-collections are groups whose default verb can be
left out (``resources work-skills TECH1`` is ``resources work-skills list TECH1``).
Hand-written: ``resources tree`` and the journaled bulk updates; the file-property commands
come from :func:`ofsc_cli.cli._files.add_file_commands`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ofsc_cli.cli._bulk import add_bulk_command
from ofsc_cli.cli._files import add_file_commands
from ofsc_cli.cli._resource import (
    DRY_RUN,
    MAX_ITEMS,
    Resource,
    check_number,
    confirm,
    execute,
    iter_all,
)
from ofsc_cli.cli.context import AppContext, app
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.client.api.core_resources import CoreResources as C
from ofsc_cli.models.resources import (
    AssignedLocationsWeek,
    Inventory,
    InventoryAction,
    Plan,
    ResourceLocation,
    ResourceWorkSkill,
    ResourceWorkZone,
    SetPositionsRequest,
    User,
    WorkScheduleItem,
)
from ofsc_cli.models.resources import Resource as ResourceModel

__all__ = ["COMMANDS", "RESOURCES", "Param", "add_commands", "op_command"]

RESOURCE_COLUMNS = ("resourceId", "name", "resourceType", "status", "parentResourceId")
USER_COLUMNS = ("login", "name", "userType", "status", "mainResourceId")
INVENTORY_COLUMNS = ("inventoryId", "inventoryType", "status", "serialNumber", "quantity")
BULK_COLUMNS = ("line", "resourceId", "itemsUpdated", "itemsFailed", "errors")
BULK_INVENTORY_COLUMNS = ("line", "resourceId", "created", "updated", "deleted", "errors")

# -- declared commands --------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ROUTE_DAYS = ("nonScheduled", "multiday")
_ENVELOPE = frozenset({"items", "totalResults", "links", "offset", "limit", "hasMore"})
LATITUDE = (-90.0, 90.0)
LONGITUDE = (-180.0, 180.0)


@dataclass(frozen=True)
class Param:
    """One argument (``flag=None``) or option of a declared command.

    Arguments are passed to the client method positionally, in order; options by keyword
    ``name`` (left out when not given).  ``kind`` converts and checks the text: ``str``,
    ``int``, ``float``, ``bool`` (a flag), ``list`` (comma-separated), ``date``
    (``YYYY-MM-DD``), ``route-day`` (a date, ``nonScheduled`` or ``multiday``) or ``week-day``
    (a date or ``mon``…``sun``).  ``body`` options go into the request body instead
    (see :class:`Body`).  An ``int`` or ``float`` must be finite and within ``bounds``
    (default: the API's 64-bit integers).
    """

    name: str
    flag: str | None = None
    metavar: str | None = None
    help: str = ""
    kind: str = "str"
    required: bool = True
    body: bool = False
    bounds: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        return self.flag or self.metavar or self.name.upper()


@dataclass(frozen=True)
class Body:
    """The request body of a declared command: ``--file`` (JSON/YAML), or built from the
    command's ``body`` options by ``build`` (which returns None when they are not given)."""

    model: type[Any] | None = None
    array: bool = False
    build: Callable[[Mapping[str, Any]], Any] | None = None


_PY_TYPES: dict[str, Any] = {"int": int, "float": float, "bool": bool}


def _typer_param(p: Param) -> inspect.Parameter:
    base = _PY_TYPES.get(p.kind, str)
    if p.flag is None:
        info: Any = typer.Argument(metavar=p.metavar or p.name.upper(), help=p.help)
        return inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[base, info]
        )
    if p.kind == "bool":
        option = typer.Option(p.flag, help=p.help)
        annotation: Any = Annotated[bool, option]
        return inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=False
        )
    option = typer.Option(p.flag, help=p.help, metavar=p.metavar)
    if p.required and not p.body:
        return inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[base, option]
        )
    return inspect.Parameter(
        p.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[base | None, option],
        default=None,
    )


def check_date(value: str, label: str) -> str:
    """``value`` if it is a real ``YYYY-MM-DD`` date in the accepted years; a usage error
    naming ``label`` otherwise."""
    from ofsc_cli.client._dates import check_day

    try:
        if not _DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid {label} '{value}': expected a date as YYYY-MM-DD") from None
    check_day(day, label)
    return value


def _convert(p: Param, value: Any) -> Any:
    if value is not None and p.kind in ("int", "float"):
        check_number(value, p.label, p.bounds)
    if value is None or p.kind in _PY_TYPES:
        return value
    text = str(value)
    if p.kind == "list":
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not parts:
            raise UsageError(f"{p.label}: give at least one value")
        return parts
    if p.kind == "date":
        return check_date(text, p.label)
    if p.kind == "route-day" and text in _ROUTE_DAYS:
        return text
    if p.kind == "week-day" and text in _WEEKDAYS:
        return text
    if p.kind in ("route-day", "week-day"):
        special = _ROUTE_DAYS if p.kind == "route-day" else _WEEKDAYS
        try:
            return check_date(text, p.label)
        except UsageError:
            raise UsageError(
                f"invalid {p.label} '{text}': expected YYYY-MM-DD or one of {', '.join(special)}"
            ) from None
    return text


def check_span(
    values: Mapping[str, Any], first: str, last: str, max_days: int | None, labels: str
) -> None:
    """``values[first]`` ≤ ``values[last]`` (dates), at most ``max_days`` days apart."""
    start, end = values.get(first), values.get(last)
    if start is None or end is None:
        return
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days
    if days < 0:
        raise UsageError(f"invalid range {labels}: {start} is after {end}")
    if max_days is not None and days + 1 > max_days:
        raise UsageError(
            f"invalid range {labels}: {days + 1} days; the API accepts at most {max_days}"
        )


def _render(obj: AppContext, result: Any, columns: Sequence[str]) -> None:
    """An operation's result: an ``items`` envelope as a list (its other members, such as a
    route's start time, go to stderr), anything else as one object."""
    from ofsc_cli.models import dump

    if result is DRY_RUN or result is None:
        return
    data = dump(result)
    renderer = obj.renderer(tuple(columns))
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        renderer.write_items(data["items"])
        extras = {k: v for k, v in data.items() if k not in _ENVELOPE}
        if extras:
            obj.info(", ".join(f"{k}: {v}" for k, v in extras.items()))
    elif isinstance(data, list):
        renderer.write_items(data)
    else:
        renderer.write_object(data)


def write_stream(obj: AppContext, items: Iterable[Any], columns: Sequence[str], what: str) -> int:
    """Write items as they arrive; if fetching fails part way, say how far it got."""
    from ofsc_cli.errors import OFSError
    from ofsc_cli.models import dump

    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for item in items:
            count += 1
            yield dump(item)

    try:
        return obj.renderer(tuple(columns)).write_items(counted())
    except OFSError as error:
        # One line on stderr: how far it got, then why it stopped (the exit code is the error's).
        error.message = f"export incomplete: {count} {what} written; {error.message}"
        raise


def _api_fields(obj: AppContext) -> list[str] | None:
    """The API ``fields`` for the global ``--fields``: each top-level name once."""
    if not obj.fields:
        return None
    names = [f.split(".", 1)[0].split("[", 1)[0] for f in obj.fields]
    return list(dict.fromkeys(n for n in names if n))


def op_command(
    sub: typer.Typer,
    verb: str,
    declared: Any,
    *params: Param,
    help: str,
    columns: Sequence[str] = (),
    body: Body | None = None,
    confirm_text: str | None = None,
    paging: bool = False,
    spans: Sequence[tuple[str, str, int | None]] = (),
    api_fields: str | None = None,
    done: str | None = None,
    what: str = "items",
) -> Callable[..., None]:
    """Declare a command that runs one operation (see the module docstring).

    ``confirm_text`` (formatted with the values) makes it destructive (``--yes``);
    ``paging`` adds ``--all``/``--limit``/``--offset``/``--concurrency``; ``spans`` lists
    ``(from, to, max_days)`` date pairs to check; ``api_fields`` names the keyword that gets
    the global ``--fields``; ``done`` is printed on stderr after success.
    """
    extra: list[inspect.Parameter] = []
    kw = inspect.Parameter.KEYWORD_ONLY
    if body is not None:
        file_help = "Body as JSON or YAML; '-' reads stdin."
        if body.build is not None:
            file_help += " Instead of the options below."
        extra.append(
            inspect.Parameter(
                "file",
                kw,
                annotation=Annotated[str | None, typer.Option("--file", "-F", help=file_help)],
                default=None,
            )
        )
    if confirm_text is not None:
        extra.append(
            inspect.Parameter(
                "yes",
                kw,
                annotation=Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")],
                default=False,
            )
        )
    if paging:
        extra += [
            inspect.Parameter(
                "all_",
                kw,
                annotation=Annotated[bool, typer.Option("--all", "-a", help="Fetch every page.")],
                default=False,
            ),
            inspect.Parameter(
                "limit_",
                kw,
                annotation=Annotated[
                    int | None,
                    typer.Option("--limit", "-n", min=1, max=MAX_ITEMS, help="At most N items."),
                ],
                default=None,
            ),
            inspect.Parameter(
                "offset_",
                kw,
                annotation=Annotated[
                    int, typer.Option("--offset", min=0, max=MAX_ITEMS, help="Start here.")
                ],
                default=0,
            ),
            inspect.Parameter(
                "concurrency",
                kw,
                annotation=Annotated[
                    int,
                    typer.Option(
                        "--concurrency", min=1, max=32, help="Pages fetched at once with --all."
                    ),
                ],
                default=8,
            ),
        ]
    if declared.spec.method != "GET":
        extra.append(
            inspect.Parameter(
                "dry_run",
                kw,
                annotation=Annotated[
                    bool, typer.Option("--dry-run", help="Print the request; send nothing.")
                ],
                default=False,
            )
        )

    def command(ctx: typer.Context, **values: Any) -> None:
        obj = app(ctx)
        converted = {p.name: _convert(p, values.get(p.name)) for p in params}
        for first, last, max_days in spans:
            labels = "/".join(p.label for p in params if p.name in (first, last))
            check_span(converted, first, last, max_days, labels)
        args = [converted[p.name] for p in params if p.flag is None]
        kwargs = {
            p.name: converted[p.name]
            for p in params
            if p.flag is not None
            and not p.body
            and converted[p.name] is not None
            and converted[p.name] is not False
        }
        if api_fields is not None:
            kwargs[api_fields] = _api_fields(obj)
        if body is not None:
            args.append(_read_body(body, values.get("file"), converted))
        dry_run = bool(values.get("dry_run"))
        if confirm_text is not None and not dry_run:
            confirm(obj, confirm_text.format(**converted), bool(values.get("yes")))
        if paging and (values.get("all_") or values.get("limit_")):
            _stream_pages(obj, declared, args, kwargs, values, columns, what)
            return
        if paging:
            kwargs["offset"] = values.get("offset_") or None
        result = execute(obj, declared, *args, dry_run=dry_run, **kwargs)
        _render(obj, result, columns)
        if paging and result is not DRY_RUN:
            _page_hint(obj, result, int(values.get("offset_") or 0))
        if done is not None and result is not DRY_RUN:
            obj.info(done.format(**converted))

    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
            ),
            *(_typer_param(p) for p in params),
            *extra,
        ]
    )
    command.__doc__ = help
    command.__name__ = verb.replace("-", "_")
    sub.command(verb)(command)
    return command


def _read_body(body: Body, file: str | None, values: Mapping[str, Any]) -> Any:
    from ofsc_cli.cli._input import load_body, validate_body

    if file is None:
        built = body.build(values) if body.build is not None else None
        if built is None:
            raise UsageError("give the body with --file PATH (JSON or YAML; '-' for stdin)")
        return built
    data = load_body(file)
    source = "<stdin>" if file == "-" else file
    if body.array:
        if not isinstance(data, list):
            raise UsageError(f"{source}: expected a JSON array, got {type(data).__name__}")
        for index, element in enumerate(data):
            validate_body(body.model, element, source=f"{source}: item {index}")
        return data
    return validate_body(body.model, data, source=source)


def _stream_pages(
    obj: AppContext,
    declared: Any,
    args: list[Any],
    kwargs: dict[str, Any],
    values: Mapping[str, Any],
    columns: Sequence[str],
    what: str,
) -> None:
    from itertools import islice

    limit = values.get("limit_")
    offset = int(values.get("offset_") or 0)
    if values.get("all_") and offset == 0:
        items: Iterable[Any] = iter_all(
            obj, declared, *args, concurrency=int(values.get("concurrency") or 8), **kwargs
        )
    else:
        client = obj.client()
        bound = getattr(getattr(client, declared.spec.namespace), declared.spec.name)
        items = bound.iter(*args, offset=offset, **kwargs)
    count = write_stream(obj, islice(items, limit), columns, what)
    if count == 0 and obj.stderr_tty:
        obj.info("no results")


def _page_hint(obj: AppContext, page: Any, offset: int) -> None:
    shown = len(getattr(page, "items", []) or [])
    total = getattr(page, "totalResults", None)
    if getattr(page, "hasMore", None) or (total is not None and offset + shown < total):
        of = f" of {total}" if total is not None else ""
        obj.info(f"Showing {shown}{of}; use --all for every item or --limit N.")


# -- groups whose default verb can be left out --------------------------------------------


class DefaultVerbGroup(TyperGroup):
    """A group that runs ``default_verb`` when the first word is not one of its verbs."""

    default_verb = "list"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default_verb, *args]
        return super().parse_args(ctx, args)


def sub_group(name: str, help: str, default: str) -> typer.Typer:
    """A sub-collection group; ``name KEY …`` means ``name <default> KEY …``."""
    cls = type(
        f"{name.title().replace('-', '')}Group", (DefaultVerbGroup,), {"default_verb": default}
    )
    return typer.Typer(
        name=name,
        help=f"{help} (`{name} KEY` is short for `{name} {default} KEY`.)",
        cls=cls,
        no_args_is_help=True,
    )


# -- argument shorthands -------------------------------------------------------------------

RID = Param("resource_id", metavar="RESOURCE_ID", help="Resource external id.")
LOGIN = Param("login", metavar="LOGIN", help="User login.")
INV_ID = Param("inventory_id", metavar="INVENTORY_ID", kind="int", help="Inventory id.")
DATE_FROM = Param("date_from", "--date-from", "YYYY-MM-DD", "First date.", kind="date")
DATE_TO = Param("date_to", "--date-to", "YYYY-MM-DD", "Last date.", kind="date")
OPT_DATE_FROM = Param(
    "date_from", "--date-from", "YYYY-MM-DD", "First date.", kind="date", required=False
)
OPT_DATE_TO = Param("date_to", "--date-to", "YYYY-MM-DD", "Last date.", kind="date", required=False)
PAGED_TREE = (
    Param("can_be_team_holder", "--can-be-team-holder", help="Only team holders.", kind="bool"),
    Param(
        "can_participate_in_team",
        "--can-participate-in-team",
        help="Only possible team members.",
        kind="bool",
    ),
    Param(
        "expand",
        "--expand",
        "LIST",
        "Include sub-collections: inventories,workSkills,workZones,workSchedules.",
        kind="list",
        required=False,
    ),
)


def _inventory_action_body(values: Mapping[str, Any]) -> dict[str, Any]:
    body = {"activityId": values.get("activity_id"), "quantity": values.get("quantity")}
    return {k: v for k, v in body.items() if v is not None}


ACTION_OPTIONS = (
    Param("activity_id", "--activity", "ACTIVITY_ID", "The activity.", kind="int", body=True),
    Param("quantity", "--quantity", "N", "Quantity (non-serialized).", kind="float", body=True),
)
ACTION_BODY = Body(InventoryAction, build=_inventory_action_body)


# -- resources ------------------------------------------------------------------------------


def _resources_commands(sub: typer.Typer) -> None:
    op_command(
        sub,
        "list",
        C.list_resources,
        *PAGED_TREE,
        help="List resources (one page unless --all or --limit; --fields goes to the API).",
        columns=RESOURCE_COLUMNS,
        paging=True,
        api_fields="fields",
        what="resources",
    )
    op_command(
        sub,
        "get",
        C.get_resource,
        RID,
        PAGED_TREE[2],
        help="Show one resource (--fields goes to the API).",
        columns=RESOURCE_COLUMNS,
        api_fields="fields",
    )
    op_command(
        sub,
        "update",
        C.update_resource,
        RID,
        Param(
            "identify_resource_by",
            "--identify-by",
            "FIELD",
            "resourceInternalId: RESOURCE_ID is the internal id (to change the external id).",
            required=False,
        ),
        help="Update only the fields in the file.",
        body=Body(ResourceModel),
        columns=RESOURCE_COLUMNS,
    )
    for verb, declared, doc in (
        ("children", C.list_resource_children, "Direct children of a resource."),
        ("descendants", C.list_resource_descendants, "Every resource below a resource."),
    ):
        op_command(
            sub,
            verb,
            declared,
            RID,
            *PAGED_TREE,
            help=doc,
            columns=RESOURCE_COLUMNS,
            paging=True,
            api_fields="fields",
            what="resources",
        )
    sub.command("tree")(resources_tree)
    op_command(
        sub,
        "assistants",
        C.get_resource_assistants,
        RID,
        DATE_FROM,
        OPT_DATE_TO,
        Param("resource_fields", "--resource-fields", "LIST", "Fields.", "list", False),
        help="Resources assisting this one (range ≤14 days, not in the past).",
        spans=(("date_from", "date_to", 14),),
    )
    op_command(
        sub,
        "find-nearby-activities",
        C.find_nearby_activities,
        RID,
        Param(
            "latitude",
            "--lat",
            "DEG",
            "Latitude (default: the resource's).",
            "float",
            False,
            bounds=LATITUDE,
        ),
        Param("longitude", "--lng", "DEG", "Longitude.", "float", False, bounds=LONGITUDE),
        Param(
            "limit", "--limit", "N", "At most N activities (1-100).", "int", False, bounds=(1, 100)
        ),
        help="Activities near a resource.",
    )
    positions = sub_group("positions", "Positions of resources.", "history")
    history = op_command(
        positions,
        "history",
        C.get_position_history,
        RID,
        Param("day", "--date", "YYYY-MM-DD", "The date.", kind="date"),
        help="Positions reported by a resource on a date.",
        columns=("time", "lat", "lng", "spd", "dir"),
    )
    set_positions = op_command(
        positions,
        "set",
        C.set_positions,
        help='Report positions ({"items": [...]}, at most 300).',
        body=Body(SetPositionsRequest),
    )
    last_known = op_command(
        positions,
        "last-known",
        C.last_known_positions,
        Param("resources", "--resources", "LIST", "Only these (≤300).", "list", False),
        help="The last known position of resources.",
        columns=("resourceId", "time", "lat", "lng"),
        paging=True,
        what="positions",
    )
    in_area = op_command(
        positions,
        "in-area",
        C.resources_in_area,
        Param("lat", "--lat", "DEG", "Latitude.", "float", bounds=LATITUDE),
        Param("lng", "--lng", "DEG", "Longitude.", "float", bounds=LONGITUDE),
        Param("radius", "--radius", "M", "Metres (default 10000).", "float", False),
        Param("time_diff", "--time-diff", "MIN", "Seen within minutes.", "float", False),
        help="Resources seen near a point.",
        columns=("resourceId", "time", "lat", "lng", "dis"),
        paging=True,
        what="resources",
    )
    sub.add_typer(positions)
    for name, fn in (
        ("position-history", history),
        ("set-positions", set_positions),
        ("last-known-positions", last_known),
        ("resources-in-area", in_area),
    ):
        sub.command(name)(fn)
    op_command(
        sub,
        "find-matching-resources",
        C.find_matching_resources,
        help="Resources able to perform an activity (body: the search).",
        body=Body(),
    )
    op_command(
        sub,
        "find-for-urgent-assignment",
        C.find_resources_for_urgent_assignment,
        help="Resources able to take an urgent activity soonest (body: the search).",
        body=Body(),
    )
    _sub_collections(sub)
    _file_commands(
        sub, "resource", RID, C.get_resource_file, C.set_resource_file, C.delete_resource_file
    )
    _bulk_commands(sub)


def _sub_collections(sub: typer.Typer) -> None:
    skills = sub_group("work-skills", "Work skills of a resource.", "list")
    op_command(
        skills,
        "list",
        C.list_resource_work_skills,
        RID,
        OPT_DATE_FROM,
        OPT_DATE_TO,
        help="Work skills of a resource.",
        columns=("workSkill", "ratio", "startDate", "endDate"),
        spans=(("date_from", "date_to", None),),
    )
    op_command(
        skills,
        "set",
        C.set_resource_work_skills,
        RID,
        help="Set the work skills (a JSON array; current skills are ended).",
        body=Body(ResourceWorkSkill, array=True),
        columns=("workSkill", "ratio", "startDate", "endDate"),
    )
    op_command(
        skills,
        "delete",
        C.delete_resource_work_skill,
        RID,
        Param("work_skill", metavar="SKILL"),
        help="Remove one work skill.",
        confirm_text="Remove work skill '{work_skill}' from '{resource_id}'?",
        done="removed work skill '{work_skill}' from '{resource_id}'",
    )

    zones = sub_group("work-zones", "Work-zone assignments of a resource.", "list")
    op_command(
        zones,
        "list",
        C.list_resource_work_zones,
        RID,
        OPT_DATE_FROM,
        OPT_DATE_TO,
        Param("only_active_work_zones", "--only-active", help="Active zones only.", kind="bool"),
        help="Work-zone assignments of a resource.",
        columns=("workZoneItemId", "workZone", "ratio", "startDate", "endDate", "type"),
        spans=(("date_from", "date_to", None),),
    )
    op_command(
        zones,
        "add",
        C.add_resource_work_zone,
        RID,
        help="Add one work-zone assignment.",
        body=Body(ResourceWorkZone),
        done="added a work zone to '{resource_id}'",
    )
    op_command(
        zones,
        "delete",
        C.delete_resource_work_zone,
        RID,
        Param("work_zone_item_id", metavar="ITEM_ID", kind="int"),
        help="Remove one work-zone assignment by item id.",
        confirm_text="Remove work-zone item {work_zone_item_id} from '{resource_id}'?",
        done="removed work-zone item {work_zone_item_id} from '{resource_id}'",
    )

    schedules = sub_group("work-schedules", "Work schedules of a resource.", "list")
    op_command(
        schedules,
        "list",
        C.list_resource_work_schedules,
        RID,
        Param(
            "actual_for_date", "--actual-for-date", "YYYY-MM-DD", "In force then.", "date", False
        ),
        help="Work-schedule records of a resource.",
        columns=("scheduleItemId", "recordType", "startDate", "endDate", "shiftLabel"),
    )
    op_command(
        schedules,
        "add",
        C.add_resource_work_schedule,
        RID,
        help="Add a work-schedule record.",
        body=Body(WorkScheduleItem),
        columns=("scheduleItemId", "recordType", "startDate", "endDate", "shiftLabel"),
    )
    op_command(
        schedules,
        "delete",
        C.delete_resource_work_schedule,
        RID,
        Param("schedule_item_id", metavar="ITEM_ID", kind="int"),
        help="Remove one work-schedule record.",
        confirm_text="Remove schedule item {schedule_item_id} from '{resource_id}'?",
        done="removed schedule item {schedule_item_id} from '{resource_id}'",
    )
    op_command(
        schedules,
        "calendar-view",
        C.get_work_schedule_calendar_view,
        RID,
        DATE_FROM,
        DATE_TO,
        help="The schedule day by day.",
        spans=(("date_from", "date_to", None),),
    )

    locations = sub_group("locations", "Named locations of a resource.", "list")
    loc_id = Param("location_id", metavar="LOCATION_ID", kind="int")
    loc_columns = ("locationId", "label", "address", "city", "postalCode", "status")
    op_command(
        locations, "list", C.list_resource_locations, RID, help="Locations.", columns=loc_columns
    )
    op_command(
        locations,
        "create",
        C.create_resource_location,
        RID,
        help="Add a location.",
        body=Body(ResourceLocation),
        columns=loc_columns,
    )
    op_command(locations, "get", C.get_resource_location, RID, loc_id, help="One location.")
    op_command(
        locations,
        "update",
        C.update_resource_location,
        RID,
        loc_id,
        help="Update the fields in the file.",
        body=Body(ResourceLocation),
    )
    op_command(
        locations,
        "delete",
        C.delete_resource_location,
        RID,
        loc_id,
        help="Remove a location.",
        confirm_text="Delete location {location_id} of '{resource_id}'?",
        done="deleted location {location_id} of '{resource_id}'",
    )

    assigned = sub_group("assigned-locations", "Start/end locations per weekday.", "get")
    op_command(
        assigned,
        "get",
        C.get_assigned_locations,
        RID,
        OPT_DATE_FROM,
        OPT_DATE_TO,
        help="Assigned locations (range ≤32 days).",
        spans=(("date_from", "date_to", 32),),
    )
    op_command(
        assigned,
        "set",
        C.set_assigned_locations,
        RID,
        help="Replace the week (weekdays left out lose their locations).",
        body=Body(AssignedLocationsWeek),
    )
    op_command(
        assigned,
        "update",
        C.update_assigned_locations,
        RID,
        help="Set temporary assigned locations.",
        body=Body(),
        done="updated the assigned locations of '{resource_id}'",
    )
    op_command(
        assigned,
        "delete",
        C.delete_assigned_locations,
        RID,
        Param("day", metavar="DATE", kind="week-day", help="YYYY-MM-DD or mon…sun."),
        help="Remove the assigned locations of a date or weekday.",
        confirm_text="Remove the assigned locations of '{resource_id}' on {day}?",
        done="removed the assigned locations of '{resource_id}' on {day}",
    )

    users = sub_group("users", "Users assigned to a resource.", "list")
    op_command(
        users,
        "list",
        C.list_resource_users,
        RID,
        help="Users assigned to a resource.",
        columns=("login",),
        paging=True,
        what="users",
    )
    op_command(
        users,
        "set",
        C.set_resource_users,
        RID,
        Param("logins", "--login", "LIST", "Comma-separated logins.", "list", body=True),
        help="Replace the users assigned to a resource.",
        body=Body(build=_logins_body),
        columns=("login",),
    )
    op_command(
        users,
        "delete",
        C.delete_resource_users,
        RID,
        help="Unassign every user.",
        confirm_text="Unassign every user from '{resource_id}'?",
        done="unassigned every user from '{resource_id}'",
    )

    inventories = sub_group("inventories", "Inventory pool of a resource.", "list")
    op_command(
        inventories,
        "list",
        C.list_resource_inventories,
        RID,
        help="Inventories of a resource.",
        columns=INVENTORY_COLUMNS,
        paging=True,
        what="inventories",
    )
    op_command(
        inventories,
        "create",
        C.create_resource_inventory,
        RID,
        help="Add an inventory to the pool.",
        body=Body(Inventory),
        columns=INVENTORY_COLUMNS,
    )
    op_command(
        inventories,
        "install",
        C.install_resource_inventory,
        RID,
        INV_ID,
        *ACTION_OPTIONS,
        help="Install an inventory of the pool at an activity.",
        body=ACTION_BODY,
        done="installed inventory {inventory_id}",
    )

    routes = sub_group("routes", "Routes of a resource.", "get")
    route_day = Param("day", metavar="DATE", kind="route-day", help="YYYY-MM-DD, nonScheduled…")
    op_command(
        routes,
        "get",
        C.get_route,
        RID,
        route_day,
        Param("activity_fields", "--activity-fields", "LIST", "Fields.", "list", False),
        help="Activities of a resource's route on a date.",
        columns=("activityId", "status", "activityType", "startTime", "endTime"),
        paging=True,
        what="activities",
    )
    time_opt = Param(
        "time", "--time", "'YYYY-MM-DD HH:MM:SS'", "When (default now).", required=False
    )
    for verb, declared in (("activate", C.activate_route), ("deactivate", C.deactivate_route)):
        op_command(
            routes,
            verb,
            declared,
            RID,
            route_day,
            time_opt,
            help=f"{verb.title()} a resource's route.",
            done=f"route of '{{resource_id}}' on {{day}}: {verb}d",
        )

    plans = sub_group("plans", "Work plans of a resource.", "get")
    op_command(
        plans,
        "get",
        C.get_resource_plans,
        RID,
        DATE_FROM,
        DATE_TO,
        help="Plans in a date range.",
        columns=("date", "measure", "value"),
        spans=(("date_from", "date_to", None),),
    )
    op_command(
        plans,
        "create",
        C.create_resource_plan,
        RID,
        Param("measure", "--measure", "MEASURE", "man_hours, points, scheduled or FTE.", body=True),
        Param("value", "--value", "N", "Value (0-65535).", "float", body=True, bounds=(0, 65535)),
        Param("day", "--date", "YYYY-MM-DD", "Date.", "date", body=True),
        help="Set a plan value.",
        body=Body(Plan, build=_plan_body),
        done="plan set for '{resource_id}'",
    )
    op_command(
        plans,
        "delete",
        C.delete_resource_plan,
        RID,
        Param("measure", "--measure", "MEASURE", "man_hours, points, scheduled or FTE."),
        Param("day", "--date", "YYYY-MM-DD", "Date.", "date"),
        help="Remove the plan of one measure on one date.",
        confirm_text="Remove the {measure} plan of '{resource_id}' on {day}?",
        done="removed the {measure} plan of '{resource_id}' on {day}",
    )

    for group in (skills, zones, schedules, locations, assigned, users, inventories, routes, plans):
        sub.add_typer(group)


def _logins_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    logins = values.get("logins")
    return {"items": [{"login": login} for login in logins]} if logins else None


def _plan_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    parts = {
        "measure": values.get("measure"),
        "value": values.get("value"),
        "date": values.get("day"),
    }
    if all(v is None for v in parts.values()):
        return None
    missing = [f"--{k}" if k != "date" else "--date" for k, v in parts.items() if v is None]
    if missing:
        raise UsageError(f"plans create: missing {', '.join(missing)} (or give --file)")
    return parts


def resources_tree(
    ctx: typer.Context,
    root: Annotated[str, typer.Argument(metavar="ROOT", help="Top resource of the tree.")],
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=32, help="Pages fetched at once.")
    ] = 8,
) -> None:
    """Print the hierarchy under ROOT (a tree on a terminal; nested JSON with -o json)."""
    from ofsc_cli.models import dump
    from ofsc_cli.output import OutputFormat

    obj = app(ctx)
    top = dump(execute(obj, C.get_resource, root))
    children: dict[str, list[dict[str, Any]]] = {}
    for item in iter_all(obj, C.list_resource_descendants, root, concurrency=concurrency):
        doc = dump(item)
        children.setdefault(str(doc.get("parentResourceId")), []).append(doc)
    fmt = obj.format()
    if fmt is OutputFormat.TABLE and obj.stdout_tty:
        _draw_tree(obj, top, children)
    elif fmt in (OutputFormat.CSV, OutputFormat.TABLE):
        obj.renderer(("depth", *RESOURCE_COLUMNS)).write_items(_flat_tree(top, children, 0))
    else:
        obj.renderer().write_object(_nested(top, children))


def _summary(doc: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("resourceId", "name", "resourceType", "status")
    return {k: doc[k] for k in keep if k in doc}


def _nested(doc: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    node = _summary(doc)
    kids = children.get(str(doc.get("resourceId")), [])
    if kids:
        node["children"] = [_nested(kid, children) for kid in kids]
    return node


def _flat_tree(
    doc: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]], depth: int
) -> Iterator[dict[str, Any]]:
    yield {"depth": depth, **doc}
    for kid in children.get(str(doc.get("resourceId")), []):
        yield from _flat_tree(kid, children, depth + 1)


def _draw_tree(
    obj: AppContext, top: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]]
) -> None:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    def label(doc: Mapping[str, Any]) -> Text:
        text = Text(str(doc.get("resourceId")), style="bold")
        text.append(f"  {doc.get('name', '')}")
        text.append(f"  [{doc.get('resourceType', '?')}]", style="dim")
        if doc.get("status") == "inactive":
            text.append("  inactive", style="red")
        return text

    def grow(node: Tree, doc: Mapping[str, Any]) -> None:
        for kid in children.get(str(doc.get("resourceId")), []):
            grow(node.add(label(kid)), kid)

    tree = Tree(label(top))
    grow(tree, top)
    Console(file=obj.stdout, no_color=obj.no_color, highlight=False).print(tree)


# -- file properties ------------------------------------------------------------------------


def _file_commands(
    sub: typer.Typer, entity: str, key: Param, get: Any, put: Any, delete: Any
) -> None:
    """``file get|info|set|delete KEY PROPERTY`` (see :mod:`ofsc_cli.cli._files`)."""
    add_file_commands(
        sub,
        entity=entity,
        key_metavar=key.metavar or key.name.upper(),
        key_help=key.help,
        get=get,
        put=put,
        delete=delete,
        numeric_key=key.kind == "int",
    )


# -- bulk updates ---------------------------------------------------------------------------

BULK_COMMANDS = (
    ("bulk-update-work-zones", C.bulk_update_work_zones, BULK_COLUMNS),
    ("bulk-update-work-skills", C.bulk_update_work_skills, BULK_COLUMNS),
    ("bulk-update-work-schedules", C.bulk_update_work_schedules, BULK_COLUMNS),
    ("bulk-update-inventories", C.bulk_update_inventories, BULK_INVENTORY_COLUMNS),
)
"""The journaled bulk commands (see :mod:`ofsc_cli.cli._bulk`): verb, operation, columns."""


def _bulk_commands(sub: typer.Typer) -> None:
    from ofsc_cli.client._bulk import bulk_specs

    for verb, declared, columns in BULK_COMMANDS:
        add_bulk_command(sub, verb, declared, bulk_specs()[declared.spec.key], columns)


# -- users ----------------------------------------------------------------------------------


def _users_commands(sub: typer.Typer) -> None:
    op_command(
        sub,
        "list",
        C.list_users,
        help="List users (one page unless --all or --limit).",
        columns=USER_COLUMNS,
        paging=True,
        what="users",
    )
    groups = sub_group("collaboration-groups", "Collaboration groups of a user.", "list")
    op_command(
        groups,
        "list",
        C.list_user_collaboration_groups,
        LOGIN,
        help="Collaboration groups of a user.",
        columns=("name",),
    )
    op_command(
        groups,
        "add",
        C.add_user_collaboration_groups,
        LOGIN,
        Param("names", "--group", "LIST", "Comma-separated group names.", "list", body=True),
        help="Add a user to collaboration groups.",
        body=Body(build=_groups_body),
        columns=("name",),
    )
    op_command(
        groups,
        "delete",
        C.delete_user_collaboration_groups,
        LOGIN,
        help="Remove a user from every collaboration group.",
        confirm_text="Remove '{login}' from every collaboration group?",
        done="removed '{login}' from its collaboration groups",
    )
    sub.add_typer(groups)
    _file_commands(sub, "user", LOGIN, C.get_user_file, C.set_user_file, C.delete_user_file)


def _groups_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    names = values.get("names")
    return {"items": [{"name": name} for name in names]} if names else None


# -- inventories ----------------------------------------------------------------------------


def _inventories_commands(sub: typer.Typer) -> None:
    op_command(sub, "get", C.get_inventory, INV_ID, help="Show one inventory.")
    op_command(
        sub,
        "update",
        C.update_inventory,
        INV_ID,
        help="Update only the fields in the file.",
        body=Body(Inventory),
    )
    op_command(
        sub,
        "delete",
        C.delete_inventory,
        INV_ID,
        help="Delete an inventory.",
        confirm_text="Delete inventory {inventory_id}?",
        done="deleted inventory {inventory_id}",
    )
    for verb, declared, doc in (
        ("install", C.install_inventory, "Install an inventory at an activity."),
        ("deinstall", C.deinstall_inventory, "Deinstall an inventory at an activity."),
        ("undo-install", C.undo_install_inventory, "Undo an installation."),
        ("undo-deinstall", C.undo_deinstall_inventory, "Undo a deinstallation."),
    ):
        op_command(
            sub,
            verb,
            declared,
            INV_ID,
            *ACTION_OPTIONS,
            help=doc + " Body: --file, or --activity/--quantity.",
            body=Body(InventoryAction, build=lambda v: _inventory_action_body(v) or {}),
            done=f"inventory {{inventory_id}}: {verb} done",
        )
    _file_commands(
        sub,
        "inventory",
        INV_ID,
        C.get_inventory_file,
        C.set_inventory_file,
        C.delete_inventory_file,
    )


# -- calendars ------------------------------------------------------------------------------


def _add_calendars(core: typer.Typer) -> None:
    op_command(
        core,
        "calendars",
        C.list_calendars,
        Param("resources", "--resources", "LIST", "Comma-separated resource ids.", "list"),
        DATE_FROM,
        DATE_TO,
        Param(
            "include_children",
            "--include-children",
            "MODE",
            "none, immediate or all.",
            required=False,
        ),
        Param(
            "include_inactive", "--include-inactive", help="Inactive resources too.", kind="bool"
        ),
        help="Work calendars of resources, one row per resource and day (≤31 days).",
        columns=("resourceId", "date", "regular", "on-call"),
        paging=True,
        spans=(("date_from", "date_to", 31),),
        what="calendar days",
    )


# -- declarations ---------------------------------------------------------------------------

RESOURCES: list[Resource] = [
    Resource(
        name="resources",
        help="Resources (technicians, buckets…), their sub-collections and bulk updates.",
        key="resourceId",
        key_arg="RESOURCE_ID",
        columns=RESOURCE_COLUMNS,
        model=ResourceModel,
        create=C.replace_resource,
        create_takes_key=True,
        replace=C.replace_resource,
        extra=_resources_commands,
    ),
    Resource(
        name="users",
        help="Users, their collaboration groups and file properties.",
        key="login",
        key_arg="LOGIN",
        columns=USER_COLUMNS,
        model=User,
        get=C.get_user,
        create=C.replace_user,
        create_takes_key=True,
        replace=C.replace_user,
        update=C.update_user,
        delete=C.delete_user,
        extra=_users_commands,
    ),
    Resource(
        name="inventories",
        help="Inventories: create, update, install, deinstall…",
        key="inventoryId",
        key_arg="INVENTORY_ID",
        columns=INVENTORY_COLUMNS,
        model=Inventory,
        create=C.create_inventory,
        extra=_inventories_commands,
    ),
]


def add_commands(app: typer.Typer) -> None:
    """Add the commands that are not a resource group (``core calendars``)."""
    _add_calendars(app)


_R = "/rest/ofscCore/v1/resources"
_RI = f"{_R}/{{resourceId}}"
_U = "/rest/ofscCore/v1/users/{login}"
_I = "/rest/ofscCore/v1/inventories"
_II = f"{_I}/{{inventoryId}}"
_CMD = "ofsc core resources"

COMMANDS: dict[str, str] = {
    f"GET {_R}": f"{_CMD} list",
    f"GET {_RI}": f"{_CMD} get",
    f"PUT {_RI}": f"{_CMD} replace",
    f"PATCH {_RI}": f"{_CMD} update",
    f"GET {_RI}/children": f"{_CMD} children",
    f"GET {_RI}/descendants": f"{_CMD} descendants",
    f"GET {_RI}/assistants": f"{_CMD} assistants",
    f"GET {_RI}/findNearbyActivities": f"{_CMD} find-nearby-activities",
    f"GET {_RI}/inventories": f"{_CMD} inventories list",
    f"POST {_RI}/inventories": f"{_CMD} inventories create",
    f"POST {_RI}/inventories/{{inventoryId}}/custom-actions/install": f"{_CMD} inventories install",
    f"GET {_RI}/locations": f"{_CMD} locations list",
    f"POST {_RI}/locations": f"{_CMD} locations create",
    f"GET {_RI}/locations/{{locationId}}": f"{_CMD} locations get",
    f"PATCH {_RI}/locations/{{locationId}}": f"{_CMD} locations update",
    f"DELETE {_RI}/locations/{{locationId}}": f"{_CMD} locations delete",
    f"GET {_RI}/assignedLocations": f"{_CMD} assigned-locations get",
    f"PUT {_RI}/assignedLocations": f"{_CMD} assigned-locations set",
    f"PATCH {_RI}/assignedLocations": f"{_CMD} assigned-locations update",
    f"DELETE {_RI}/assignedLocations/{{date}}": f"{_CMD} assigned-locations delete",
    f"GET {_RI}/plans": f"{_CMD} plans get",
    f"POST {_RI}/plans": f"{_CMD} plans create",
    f"DELETE {_RI}/plans": f"{_CMD} plans delete",
    f"GET {_RI}/positionHistory": f"{_CMD} position-history",
    f"GET {_RI}/routes/{{date}}": f"{_CMD} routes get",
    f"POST {_RI}/routes/{{date}}/custom-actions/activate": f"{_CMD} routes activate",
    f"POST {_RI}/routes/{{date}}/custom-actions/deactivate": f"{_CMD} routes deactivate",
    f"GET {_RI}/users": f"{_CMD} users list",
    f"PUT {_RI}/users": f"{_CMD} users set",
    f"DELETE {_RI}/users": f"{_CMD} users delete",
    f"GET {_RI}/workSchedules": f"{_CMD} work-schedules list",
    f"POST {_RI}/workSchedules": f"{_CMD} work-schedules add",
    f"DELETE {_RI}/workSchedules/{{scheduleItemId}}": f"{_CMD} work-schedules delete",
    f"GET {_RI}/workSchedules/calendarView": f"{_CMD} work-schedules calendar-view",
    f"GET {_RI}/workSkills": f"{_CMD} work-skills list",
    f"POST {_RI}/workSkills": f"{_CMD} work-skills set",
    f"DELETE {_RI}/workSkills/{{workSkill}}": f"{_CMD} work-skills delete",
    f"GET {_RI}/workZones": f"{_CMD} work-zones list",
    f"POST {_RI}/workZones": f"{_CMD} work-zones add",
    f"DELETE {_RI}/workZones/{{workZoneItemId}}": f"{_CMD} work-zones delete",
    f"GET {_RI}/{{propertyLabel}}": f"{_CMD} file get",
    f"PUT {_RI}/{{propertyLabel}}": f"{_CMD} file set",
    f"DELETE {_RI}/{{propertyLabel}}": f"{_CMD} file delete",
    f"POST {_R}/custom-actions/bulkUpdateWorkZones": f"{_CMD} bulk-update-work-zones",
    f"POST {_R}/custom-actions/bulkUpdateWorkSkills": f"{_CMD} bulk-update-work-skills",
    f"POST {_R}/custom-actions/bulkUpdateWorkSchedules": f"{_CMD} bulk-update-work-schedules",
    f"POST {_R}/custom-actions/bulkUpdateInventories": f"{_CMD} bulk-update-inventories",
    f"POST {_R}/custom-actions/findMatchingResources": f"{_CMD} find-matching-resources",
    f"POST {_R}/custom-actions/findResourcesForUrgentAssignment": (
        f"{_CMD} find-for-urgent-assignment"
    ),
    f"GET {_R}/custom-actions/lastKnownPositions": f"{_CMD} last-known-positions",
    f"GET {_R}/custom-actions/resourcesInArea": f"{_CMD} resources-in-area",
    f"POST {_R}/custom-actions/setPositions": f"{_CMD} set-positions",
    "GET /rest/ofscCore/v1/users": "ofsc core users list",
    f"GET {_U}": "ofsc core users get",
    f"PUT {_U}": "ofsc core users replace",
    f"PATCH {_U}": "ofsc core users update",
    f"DELETE {_U}": "ofsc core users delete",
    f"GET {_U}/collaborationGroups": "ofsc core users collaboration-groups list",
    f"POST {_U}/collaborationGroups": "ofsc core users collaboration-groups add",
    f"DELETE {_U}/collaborationGroups": "ofsc core users collaboration-groups delete",
    f"GET {_U}/{{propertyLabel}}": "ofsc core users file get",
    f"PUT {_U}/{{propertyLabel}}": "ofsc core users file set",
    f"DELETE {_U}/{{propertyLabel}}": "ofsc core users file delete",
    f"POST {_I}": "ofsc core inventories create",
    f"GET {_II}": "ofsc core inventories get",
    f"PATCH {_II}": "ofsc core inventories update",
    f"DELETE {_II}": "ofsc core inventories delete",
    f"POST {_II}/custom-actions/install": "ofsc core inventories install",
    f"POST {_II}/custom-actions/deinstall": "ofsc core inventories deinstall",
    f"POST {_II}/custom-actions/undoInstall": "ofsc core inventories undo-install",
    f"POST {_II}/custom-actions/undoDeinstall": "ofsc core inventories undo-deinstall",
    f"GET {_II}/{{propertyLabel}}": "ofsc core inventories file get",
    f"PUT {_II}/{{propertyLabel}}": "ofsc core inventories file set",
    f"DELETE {_II}/{{propertyLabel}}": "ofsc core inventories file delete",
    "GET /rest/ofscCore/v1/calendars": "ofsc core calendars",
}
"""Operation key → the command line that runs it (read by ``ofsc api catalog --coverage``)."""
