"""``ofsc core`` commands: resources, users, inventories and calendars.

Every command is a :class:`~ofsc_cli.cli.declare.Command` naming the client operation it
runs; :func:`~ofsc_cli.cli.declare.build` gives them their options, body reading, list flow,
confirmation and ``--dry-run``.  A resource's sub-collections are groups whose default verb
can be left out (``resources work-skills TECH1`` is ``resources work-skills list TECH1``).
Written by hand: ``resources tree``; the file-property and journaled bulk commands come from
the factories of :mod:`ofsc_cli.cli._files` and :mod:`ofsc_cli.cli._bulk`.  The core group
(:mod:`ofsc_cli.cli.core`) includes :data:`DECLARED`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from ofsc_cli.cli._bulk import bulk_command
from ofsc_cli.cli._files import file_group
from ofsc_cli.cli.declare import Arg, Body, Call, Command, Group, Opt, iter_all
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

__all__ = ["CALENDARS", "DECLARED", "INVENTORIES", "RESOURCES", "USERS"]

RESOURCE_COLUMNS = ("resourceId", "name", "resourceType", "status", "parentResourceId")
USER_COLUMNS = ("login", "name", "userType", "status", "mainResourceId")
INVENTORY_COLUMNS = ("inventoryId", "inventoryType", "status", "serialNumber", "quantity")
BULK_COLUMNS = ("line", "resourceId", "itemsUpdated", "itemsFailed", "errors")
BULK_INVENTORY_COLUMNS = ("line", "resourceId", "created", "updated", "deleted", "errors")
SKILL_COLUMNS = ("workSkill", "ratio", "startDate", "endDate")
ZONE_COLUMNS = ("workZoneItemId", "workZone", "ratio", "startDate", "endDate", "type")
SCHEDULE_COLUMNS = ("scheduleItemId", "recordType", "startDate", "endDate", "shiftLabel")
LOCATION_COLUMNS = ("locationId", "label", "address", "city", "postalCode", "status")
LATITUDE = (-90.0, 90.0)
LONGITUDE = (-180.0, 180.0)
R = "ofsc core resources"
"""The command line of the resources group, for examples."""

# -- arguments and options used by several commands ------------------------------------------

RID = Arg("resource_id", "RESOURCE_ID", "Resource external id.")
LOGIN = Arg("login", "LOGIN", "User login.")
INV_ID = Arg("inventory_id", "INVENTORY_ID", "Inventory id.", kind="int")
LOC_ID = Arg("location_id", "LOCATION_ID", "Location id.", kind="int")
ROUTE_DAY = Arg("day", "DATE", "YYYY-MM-DD, nonScheduled or multiday.", kind="route-day")
DATE_FROM = Opt("--date-from", help="First date.", kind="date", required=True)
DATE_TO = Opt("--date-to", help="Last date.", kind="date", required=True)
OPT_DATE_FROM = Opt("--date-from", help="First date.", kind="date")
OPT_DATE_TO = Opt("--date-to", help="Last date.", kind="date")
EXPAND = Opt(
    "--expand",
    help="Include sub-collections: inventories,workSkills,workZones,workSchedules.",
    kind="list",
)
TREE_FILTERS = (
    Opt("--can-be-team-holder", help="Only team holders.", kind="bool"),
    Opt("--can-participate-in-team", help="Only possible team members.", kind="bool"),
    EXPAND,
)
MEASURE_HELP = "man_hours, points, scheduled or FTE."
ACTION_OPTIONS = (
    Opt("--activity", "activity_id", "The activity.", kind="int", metavar="ACTIVITY_ID", body=True),
    Opt("--quantity", help="Quantity (non-serialized).", kind="float", metavar="N", body=True),
)


def _inventory_action_body(values: Mapping[str, Any]) -> dict[str, Any]:
    body = {"activityId": values.get("activity_id"), "quantity": values.get("quantity")}
    return {k: v for k, v in body.items() if v is not None}


ACTION_BODY = Body(InventoryAction, build=_inventory_action_body)
"""``--file``, or ``--activity``/``--quantity`` (an empty body when neither is given)."""


def _logins_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    logins = values.get("logins")
    return {"items": [{"login": login} for login in logins]} if logins else None


def _groups_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    names = values.get("names")
    return {"items": [{"name": name} for name in names]} if names else None


def _plan_body(values: Mapping[str, Any]) -> dict[str, Any] | None:
    from ofsc_cli.cli.errors import UsageError

    parts = {
        "measure": values.get("measure"),
        "value": values.get("value"),
        "date": values.get("day"),
    }
    if all(v is None for v in parts.values()):
        return None
    missing = [f"--{k}" for k, v in parts.items() if v is None]
    if missing:
        raise UsageError(f"plans create: missing {', '.join(missing)} (or give --file)")
    return parts


# -- resources tree ------------------------------------------------------------------------


def _tree(call: Call) -> None:
    """The hierarchy under ROOT: a tree on a terminal, rows with a depth in a table or CSV,
    nested JSON otherwise."""
    from ofsc_cli.models import dump
    from ofsc_cli.output import OutputFormat

    obj, root = call.obj, call.values["root"]
    top = dump(call.execute(C.get_resource, root))
    children: dict[str, list[dict[str, Any]]] = {}
    concurrency = call.values["concurrency"]
    for item in iter_all(obj, C.list_resource_descendants, root, concurrency=concurrency):
        doc = dump(item)
        children.setdefault(str(doc.get("parentResourceId")), []).append(doc)
    fmt = obj.format()
    if fmt is OutputFormat.TABLE and obj.stdout_tty:
        _draw_tree(call, top, children)
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
    call: Call, top: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]]
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
    Console(file=call.obj.stdout, no_color=call.obj.no_color, highlight=False).print(tree)


# -- resources: the resource itself and its tree ---------------------------------------------

_RESOURCE_COMMANDS = (
    Command(
        "list",
        "List resources (one page unless --all or --limit; --fields goes to the API).",
        (f"{R} list --limit 20", f"{R} list --all --expand workSkills -o ndjson"),
        op=C.list_resources,
        params=TREE_FILTERS,
        columns=RESOURCE_COLUMNS,
        api_fields="fields",
        what="resources",
    ),
    Command(
        "get",
        "Show one resource (--fields goes to the API).",
        (f"{R} get TECH-0001", f"{R} get TECH-0001 --expand workZones -o json"),
        op=C.get_resource,
        params=(RID, EXPAND),
        columns=RESOURCE_COLUMNS,
        api_fields="fields",
    ),
    Command(
        "create",
        "Create a resource from a JSON/YAML file (PUT: a resource with that id is replaced).",
        f"{R} create TECH-0100 --file tech.json",
        op=C.replace_resource,
        params=(RID,),
        body=Body(ResourceModel, key="resourceId"),
    ),
    Command(
        "replace",
        "Create or replace (PUT) a resource from a file (properties left out are erased).",
        f"{R} replace TECH-0001 --file tech.json",
        op=C.replace_resource,
        params=(RID,),
        body=Body(ResourceModel, key="resourceId"),
    ),
    Command(
        "update",
        "Update only the fields in the file.",
        (
            f"{R} update TECH-0001 --file changes.json",
            f"{R} update 5001 --identify-by resourceInternalId --file new-id.json",
        ),
        op=C.update_resource,
        params=(
            RID,
            Opt(
                "--identify-by",
                "identify_resource_by",
                "resourceInternalId: RESOURCE_ID is the internal id (to change the external id).",
                metavar="FIELD",
            ),
        ),
        body=Body(ResourceModel),
        columns=RESOURCE_COLUMNS,
    ),
    Command(
        "children",
        "Direct children of a resource.",
        f"{R} children BK_NORTH",
        op=C.list_resource_children,
        params=(RID, *TREE_FILTERS),
        columns=RESOURCE_COLUMNS,
        api_fields="fields",
        what="resources",
    ),
    Command(
        "descendants",
        "Every resource below a resource.",
        (f"{R} descendants BK_NORTH --all", f"{R} descendants ROOT --can-be-team-holder"),
        op=C.list_resource_descendants,
        params=(RID, *TREE_FILTERS),
        columns=RESOURCE_COLUMNS,
        api_fields="fields",
        what="resources",
    ),
    Command(
        "tree",
        "Print the hierarchy under ROOT (a tree on a terminal; nested JSON with -o json).",
        (f"{R} tree BK_NORTH", f"{R} tree ROOT -o csv"),
        op=C.get_resource,
        also=(C.list_resource_descendants,),
        params=(
            Arg("root", "ROOT", "Top resource of the tree."),
            Opt(
                "--concurrency",
                help="Pages fetched at once.",
                kind="int",
                metavar="N",
                default=8,
                bounds=(1, 32),
                to_op=False,
            ),
        ),
        run=_tree,
    ),
    Command(
        "assistants",
        "Resources assisting this one (range ≤14 days, not in the past).",
        f"{R} assistants TECH-0001 --date-from 2026-11-16 --date-to 2026-11-20",
        op=C.get_resource_assistants,
        params=(RID, DATE_FROM, OPT_DATE_TO, Opt("--resource-fields", help="Fields.", kind="list")),
        spans=(("date_from", "date_to", 14),),
    ),
    Command(
        "find-nearby-activities",
        "Activities near a resource.",
        (f"{R} find-nearby-activities TECH-0001 --limit 5",),
        op=C.find_nearby_activities,
        params=(
            RID,
            Opt(
                "--lat",
                "latitude",
                "Latitude (default: the resource's).",
                kind="float",
                metavar="DEG",
                bounds=LATITUDE,
            ),
            Opt("--lng", "longitude", "Longitude.", kind="float", metavar="DEG", bounds=LONGITUDE),
            Opt("--limit", help="At most N activities (1-100).", kind="int", bounds=(1, 100)),
        ),
    ),
)

# -- resources: positions ----------------------------------------------------------------------

POSITION_HISTORY = Command(
    "history",
    "Positions reported by a resource on a date.",
    (f"{R} positions history TECH-0001 --date 2026-11-16",),
    op=C.get_position_history,
    params=(RID, Opt("--date", "day", "The date.", kind="date", required=True)),
    columns=("time", "lat", "lng", "spd", "dir"),
)
SET_POSITIONS = Command(
    "set",
    'Report positions ({"items": [...]}, at most 300).',
    (f"{R} positions set --file positions.json",),
    op=C.set_positions,
    body=Body(SetPositionsRequest),
)
LAST_KNOWN = Command(
    "last-known",
    "The last known position of resources.",
    (
        f"{R} positions last-known --resources TECH-0001,TECH-0002",
        f"{R} positions last-known --all",
    ),
    op=C.last_known_positions,
    params=(Opt("--resources", help="Only these (≤300).", kind="list"),),
    columns=("resourceId", "time", "lat", "lng"),
    what="positions",
)
IN_AREA = Command(
    "in-area",
    "Resources seen near a point.",
    (f"{R} positions in-area --lat 40.71 --lng -74.01 --radius 5000",),
    op=C.resources_in_area,
    params=(
        Opt("--lat", help="Latitude.", kind="float", metavar="DEG", required=True, bounds=LATITUDE),
        Opt(
            "--lng", help="Longitude.", kind="float", metavar="DEG", required=True, bounds=LONGITUDE
        ),
        Opt("--radius", help="Metres (default 10000).", kind="float", metavar="M"),
        Opt("--time-diff", help="Seen within minutes.", kind="float", metavar="MIN"),
    ),
    columns=("resourceId", "time", "lat", "lng", "dis"),
    what="resources",
)


def _top_level(cmd: Command, verb: str) -> Command:
    """``cmd`` as the resources-level command ``verb`` (``position-history`` for
    ``positions history``), its examples spelled that way."""
    old = f"positions {cmd.verb}"
    return replace(cmd, verb=verb, example=tuple(e.replace(old, verb) for e in cmd.examples))


POSITIONS = Group(
    "positions",
    "Positions of resources.",
    (POSITION_HISTORY, SET_POSITIONS, LAST_KNOWN, IN_AREA),
    default="history",
)
_POSITION_COMMANDS = (
    _top_level(POSITION_HISTORY, "position-history"),
    _top_level(SET_POSITIONS, "set-positions"),
    _top_level(LAST_KNOWN, "last-known-positions"),
    _top_level(IN_AREA, "resources-in-area"),
)

_SEARCHES = (
    Command(
        "find-matching-resources",
        "Resources able to perform an activity (body: the search).",
        f"{R} find-matching-resources --file search.json",
        op=C.find_matching_resources,
        body=Body(),
    ),
    Command(
        "find-for-urgent-assignment",
        "Resources able to take an urgent activity soonest (body: the search).",
        f"{R} find-for-urgent-assignment --file urgent.json",
        op=C.find_resources_for_urgent_assignment,
        body=Body(),
    ),
)

# -- resources: sub-collections ----------------------------------------------------------------

WORK_SKILLS = Group(
    "work-skills",
    "Work skills of a resource.",
    (
        Command(
            "list",
            "Work skills of a resource.",
            (
                f"{R} work-skills TECH-0001",
                f"{R} work-skills list TECH-0001 --date-from 2026-11-01",
            ),
            op=C.list_resource_work_skills,
            params=(RID, OPT_DATE_FROM, OPT_DATE_TO),
            columns=SKILL_COLUMNS,
            spans=(("date_from", "date_to", None),),
        ),
        Command(
            "set",
            "Set the work skills (a JSON array; current skills are ended).",
            f"{R} work-skills set TECH-0001 --file skills.json",
            op=C.set_resource_work_skills,
            params=(RID,),
            body=Body(ResourceWorkSkill, array=True),
            columns=SKILL_COLUMNS,
        ),
        Command(
            "delete",
            "Remove one work skill.",
            f"{R} work-skills delete TECH-0001 PLUMB_REP --yes",
            op=C.delete_resource_work_skill,
            params=(RID, Arg("work_skill", "SKILL", "Work skill label.")),
            confirm="Remove work skill '{work_skill}' from '{resource_id}'?",
            done="removed work skill '{work_skill}' from '{resource_id}'",
        ),
    ),
    default="list",
)

WORK_ZONES = Group(
    "work-zones",
    "Work-zone assignments of a resource.",
    (
        Command(
            "list",
            "Work-zone assignments of a resource.",
            (f"{R} work-zones TECH-0001 --only-active",),
            op=C.list_resource_work_zones,
            params=(
                RID,
                OPT_DATE_FROM,
                OPT_DATE_TO,
                Opt("--only-active", "only_active_work_zones", "Active zones only.", kind="bool"),
            ),
            columns=ZONE_COLUMNS,
            spans=(("date_from", "date_to", None),),
        ),
        Command(
            "add",
            "Add one work-zone assignment.",
            f"{R} work-zones add TECH-0001 --file zone.json",
            op=C.add_resource_work_zone,
            params=(RID,),
            body=Body(ResourceWorkZone),
            done="added a work zone to '{resource_id}'",
        ),
        Command(
            "delete",
            "Remove one work-zone assignment by item id.",
            f"{R} work-zones delete TECH-0001 1 --yes",
            op=C.delete_resource_work_zone,
            params=(RID, Arg("work_zone_item_id", "ITEM_ID", "Work-zone item id.", kind="int")),
            confirm="Remove work-zone item {work_zone_item_id} from '{resource_id}'?",
            done="removed work-zone item {work_zone_item_id} from '{resource_id}'",
        ),
    ),
    default="list",
)

WORK_SCHEDULES = Group(
    "work-schedules",
    "Work schedules of a resource.",
    (
        Command(
            "list",
            "Work-schedule records of a resource.",
            (
                f"{R} work-schedules TECH-0001",
                f"{R} work-schedules list TECH-0001 --actual-for-date 2026-11-16",
            ),
            op=C.list_resource_work_schedules,
            params=(RID, Opt("--actual-for-date", help="In force then.", kind="date")),
            columns=SCHEDULE_COLUMNS,
        ),
        Command(
            "add",
            "Add a work-schedule record.",
            f"{R} work-schedules add TECH-0001 --file vacation.json",
            op=C.add_resource_work_schedule,
            params=(RID,),
            body=Body(WorkScheduleItem),
            columns=SCHEDULE_COLUMNS,
        ),
        Command(
            "delete",
            "Remove one work-schedule record.",
            f"{R} work-schedules delete TECH-0001 1 --yes",
            op=C.delete_resource_work_schedule,
            params=(RID, Arg("schedule_item_id", "ITEM_ID", "Schedule item id.", kind="int")),
            confirm="Remove schedule item {schedule_item_id} from '{resource_id}'?",
            done="removed schedule item {schedule_item_id} from '{resource_id}'",
        ),
        Command(
            "calendar-view",
            "The schedule day by day.",
            f"{R} work-schedules calendar-view TECH-0001"
            " --date-from 2026-11-02 --date-to 2026-11-08",
            op=C.get_work_schedule_calendar_view,
            params=(RID, DATE_FROM, DATE_TO),
            spans=(("date_from", "date_to", None),),
        ),
    ),
    default="list",
)

LOCATIONS = Group(
    "locations",
    "Named locations of a resource.",
    (
        Command(
            "list",
            "Locations of a resource.",
            f"{R} locations TECH-0001",
            op=C.list_resource_locations,
            params=(RID,),
            columns=LOCATION_COLUMNS,
        ),
        Command(
            "create",
            "Add a location.",
            f"{R} locations create TECH-0001 --file depot.json",
            op=C.create_resource_location,
            params=(RID,),
            body=Body(ResourceLocation),
            columns=LOCATION_COLUMNS,
        ),
        Command(
            "get",
            "One location.",
            f"{R} locations get TECH-0001 1",
            op=C.get_resource_location,
            params=(RID, LOC_ID),
        ),
        Command(
            "update",
            "Update the fields in the file.",
            f"{R} locations update TECH-0001 1 --file changes.json",
            op=C.update_resource_location,
            params=(RID, LOC_ID),
            body=Body(ResourceLocation),
        ),
        Command(
            "delete",
            "Remove a location.",
            f"{R} locations delete TECH-0001 1 --yes",
            op=C.delete_resource_location,
            params=(RID, LOC_ID),
            confirm="Delete location {location_id} of '{resource_id}'?",
            done="deleted location {location_id} of '{resource_id}'",
        ),
    ),
    default="list",
)

ASSIGNED_LOCATIONS = Group(
    "assigned-locations",
    "Start/end locations per weekday.",
    (
        Command(
            "get",
            "Assigned locations (range ≤32 days).",
            (
                f"{R} assigned-locations TECH-0001",
                f"{R} assigned-locations get TECH-0001 --date-from 2026-11-01 --date-to 2026-11-30",
            ),
            op=C.get_assigned_locations,
            params=(RID, OPT_DATE_FROM, OPT_DATE_TO),
            spans=(("date_from", "date_to", 32),),
        ),
        Command(
            "set",
            "Replace the week (weekdays left out lose their locations).",
            f"{R} assigned-locations set TECH-0001 --file week.json",
            op=C.set_assigned_locations,
            params=(RID,),
            body=Body(AssignedLocationsWeek),
        ),
        Command(
            "update",
            "Set temporary assigned locations.",
            f"{R} assigned-locations update TECH-0001 --file temporary.json",
            op=C.update_assigned_locations,
            params=(RID,),
            body=Body(),
            done="updated the assigned locations of '{resource_id}'",
        ),
        Command(
            "delete",
            "Remove the assigned locations of a date or weekday.",
            (f"{R} assigned-locations delete TECH-0001 mon --yes",),
            op=C.delete_assigned_locations,
            params=(RID, Arg("day", "DATE", "YYYY-MM-DD or mon…sun.", kind="week-day")),
            confirm="Remove the assigned locations of '{resource_id}' on {day}?",
            done="removed the assigned locations of '{resource_id}' on {day}",
        ),
    ),
    default="get",
)

RESOURCE_USERS = Group(
    "users",
    "Users assigned to a resource.",
    (
        Command(
            "list",
            "Users assigned to a resource.",
            f"{R} users TECH-0001",
            op=C.list_resource_users,
            params=(RID,),
            columns=("login",),
            what="users",
        ),
        Command(
            "set",
            "Replace the users assigned to a resource.",
            (
                f"{R} users set TECH-0001 --login admin",
                f"{R} users set TECH-0001 --file users.json",
            ),
            op=C.set_resource_users,
            params=(
                RID,
                Opt("--login", "logins", "Comma-separated logins.", kind="list", body=True),
            ),
            body=Body(build=_logins_body),
            columns=("login",),
        ),
        Command(
            "delete",
            "Unassign every user.",
            f"{R} users delete TECH-0001 --yes",
            op=C.delete_resource_users,
            params=(RID,),
            confirm="Unassign every user from '{resource_id}'?",
            done="unassigned every user from '{resource_id}'",
        ),
    ),
    default="list",
)

RESOURCE_INVENTORIES = Group(
    "inventories",
    "Inventory pool of a resource.",
    (
        Command(
            "list",
            "Inventories of a resource.",
            f"{R} inventories TECH-0001",
            op=C.list_resource_inventories,
            params=(RID,),
            columns=INVENTORY_COLUMNS,
            what="inventories",
        ),
        Command(
            "create",
            "Add an inventory to the pool.",
            f"{R} inventories create TECH-0001 --file router.json",
            op=C.create_resource_inventory,
            params=(RID,),
            body=Body(Inventory),
            columns=INVENTORY_COLUMNS,
        ),
        Command(
            "install",
            "Install an inventory of the pool at an activity.",
            f"{R} inventories install TECH-0001 21000001 --activity 4225",
            op=C.install_resource_inventory,
            params=(RID, INV_ID, *ACTION_OPTIONS),
            body=ACTION_BODY,
            done="installed inventory {inventory_id}",
        ),
    ),
    default="list",
)

TIME = Opt("--time", help="When (default now).", kind="time")
ROUTES = Group(
    "routes",
    "Routes of a resource.",
    (
        Command(
            "get",
            "Activities of a resource's route on a date.",
            (f"{R} routes TECH-0001 2026-11-16", f"{R} routes get TECH-0001 nonScheduled --all"),
            op=C.get_route,
            params=(RID, ROUTE_DAY, Opt("--activity-fields", help="Fields.", kind="list")),
            columns=("activityId", "status", "activityType", "startTime", "endTime"),
            what="activities",
        ),
        *(
            Command(
                verb,
                f"{verb.title()} a resource's route.",
                f"{R} routes {verb} TECH-0001 2026-11-16 --time '2026-11-16 {hour}:00:00'",
                op=op,
                params=(RID, ROUTE_DAY, TIME),
                done=f"route of '{{resource_id}}' on {{day}}: {verb}d",
            )
            for verb, op, hour in (
                ("activate", C.activate_route, "07:55"),
                ("deactivate", C.deactivate_route, "17:30"),
            )
        ),
    ),
    default="get",
)

PLANS = Group(
    "plans",
    "Work plans of a resource.",
    (
        Command(
            "get",
            "Plans in a date range.",
            f"{R} plans TECH-0001 --date-from 2026-11-01 --date-to 2026-11-30",
            op=C.get_resource_plans,
            params=(RID, DATE_FROM, DATE_TO),
            columns=("date", "measure", "value"),
            spans=(("date_from", "date_to", None),),
        ),
        Command(
            "create",
            "Set a plan value.",
            f"{R} plans create TECH-0001 --measure points --value 12 --date 2026-11-20",
            op=C.create_resource_plan,
            params=(
                RID,
                Opt("--measure", help=MEASURE_HELP, body=True),
                Opt(
                    "--value",
                    help="Value (0-65535).",
                    kind="float",
                    metavar="N",
                    body=True,
                    bounds=(0, 65535),
                ),
                Opt("--date", "day", "Date.", kind="date", body=True),
            ),
            body=Body(Plan, build=_plan_body),
            done="plan set for '{resource_id}'",
        ),
        Command(
            "delete",
            "Remove the plan of one measure on one date.",
            f"{R} plans delete TECH-0001 --measure points --date 2026-11-20 --yes",
            op=C.delete_resource_plan,
            params=(
                RID,
                Opt("--measure", help=MEASURE_HELP, required=True),
                Opt("--date", "day", "Date.", kind="date", required=True),
            ),
            confirm="Remove the {measure} plan of '{resource_id}' on {day}?",
            done="removed the {measure} plan of '{resource_id}' on {day}",
        ),
    ),
    default="get",
)

# -- file properties and bulk updates ----------------------------------------------------------


PHOTOS = {"resource": "res_photo", "user": "user_photo", "inventory": "inv_photo"}
"""A file property of each owner in the sandbox, for the examples."""


def _files(entity: str, key: Arg, prefix: str, example_key: str, ops: tuple[Any, ...]) -> Group:
    """``file get|info|set|delete KEY PROPERTY`` (see :mod:`ofsc_cli.cli._files`)."""
    get, put, delete = ops
    return file_group(
        entity=entity,
        key_metavar=key.metavar,
        key_help=key.help,
        prefix=prefix,
        example_key=example_key,
        example_property=PHOTOS[entity],
        get=get,
        put=put,
        delete=delete,
        numeric_key=key.kind == "int",
    )


BULK_UPDATES = tuple(
    bulk_command(
        verb,
        op,
        columns,
        example=(f"{R} {verb} --file {name}.csv", f"{R} {verb} --file {name}.csv --dry-run"),
    )
    for verb, op, columns, name in (
        ("bulk-update-work-zones", C.bulk_update_work_zones, BULK_COLUMNS, "zones"),
        ("bulk-update-work-skills", C.bulk_update_work_skills, BULK_COLUMNS, "skills"),
        ("bulk-update-work-schedules", C.bulk_update_work_schedules, BULK_COLUMNS, "schedules"),
        ("bulk-update-inventories", C.bulk_update_inventories, BULK_INVENTORY_COLUMNS, "pools"),
    )
)
"""The journaled bulk commands (see :mod:`ofsc_cli.cli._bulk`)."""


# -- the groups ----------------------------------------------------------------------------

RESOURCES = Group(
    "resources",
    "Resources (technicians, buckets…), their sub-collections and bulk updates.",
    (
        *_RESOURCE_COMMANDS,
        *_POSITION_COMMANDS,
        POSITIONS,
        *_SEARCHES,
        WORK_SKILLS,
        WORK_ZONES,
        WORK_SCHEDULES,
        LOCATIONS,
        ASSIGNED_LOCATIONS,
        RESOURCE_USERS,
        RESOURCE_INVENTORIES,
        ROUTES,
        PLANS,
        _files(
            "resource",
            RID,
            R,
            "TECH-0001",
            (C.get_resource_file, C.set_resource_file, C.delete_resource_file),
        ),
        *BULK_UPDATES,
    ),
)

U = "ofsc core users"
USERS = Group(
    "users",
    "Users, their collaboration groups and file properties.",
    (
        Command(
            "list",
            "List users (one page unless --all or --limit).",
            (f"{U} list", f"{U} list --all -o csv"),
            op=C.list_users,
            columns=USER_COLUMNS,
            what="users",
        ),
        Command(
            "get",
            "Show one user.",
            f"{U} get admin",
            op=C.get_user,
            params=(LOGIN,),
            columns=USER_COLUMNS,
        ),
        Command(
            "create",
            "Create a user from a JSON/YAML file (PUT: a user with that login is replaced).",
            f"{U} create owl --file user.json",
            op=C.replace_user,
            params=(LOGIN,),
            body=Body(User, key="login"),
        ),
        Command(
            "replace",
            "Create or replace (PUT) a user from a file.",
            f"{U} replace owl --file user.json",
            op=C.replace_user,
            params=(LOGIN,),
            body=Body(User, key="login"),
        ),
        Command(
            "update",
            "Update only the fields in the file.",
            f"{U} update admin --file changes.json",
            op=C.update_user,
            params=(LOGIN,),
            body=Body(User, key="login"),
        ),
        Command(
            "delete",
            "Delete a user (asks first on a terminal; --yes otherwise).",
            f"{U} delete owl --yes",
            op=C.delete_user,
            params=(LOGIN,),
            confirm="Delete user '{login}'?",
            done="deleted user '{login}'",
        ),
        Group(
            "collaboration-groups",
            "Collaboration groups of a user.",
            (
                Command(
                    "list",
                    "Collaboration groups of a user.",
                    f"{U} collaboration-groups admin",
                    op=C.list_user_collaboration_groups,
                    params=(LOGIN,),
                    columns=("name",),
                ),
                Command(
                    "add",
                    "Add a user to collaboration groups.",
                    f"{U} collaboration-groups add admin --group Dispatch,Leads",
                    op=C.add_user_collaboration_groups,
                    params=(
                        LOGIN,
                        Opt(
                            "--group",
                            "names",
                            "Comma-separated group names.",
                            kind="list",
                            body=True,
                        ),
                    ),
                    body=Body(build=_groups_body),
                    columns=("name",),
                ),
                Command(
                    "delete",
                    "Remove a user from every collaboration group.",
                    f"{U} collaboration-groups delete admin --yes",
                    op=C.delete_user_collaboration_groups,
                    params=(LOGIN,),
                    confirm="Remove '{login}' from every collaboration group?",
                    done="removed '{login}' from its collaboration groups",
                ),
            ),
            default="list",
        ),
        _files("user", LOGIN, U, "admin", (C.get_user_file, C.set_user_file, C.delete_user_file)),
    ),
)

INV = "ofsc core inventories"
INVENTORIES = Group(
    "inventories",
    "Inventories: create, update, install, deinstall…",
    (
        Command(
            "create",
            "Create an inventory from a JSON/YAML file.",
            f"{INV} create --file router.json",
            op=C.create_inventory,
            body=Body(Inventory),
        ),
        Command(
            "get",
            "Show one inventory.",
            f"{INV} get 21000001",
            op=C.get_inventory,
            params=(INV_ID,),
        ),
        Command(
            "update",
            "Update only the fields in the file.",
            f"{INV} update 21000001 --file changes.json",
            op=C.update_inventory,
            params=(INV_ID,),
            body=Body(Inventory),
        ),
        Command(
            "delete",
            "Delete an inventory.",
            f"{INV} delete 21000001 --yes",
            op=C.delete_inventory,
            params=(INV_ID,),
            confirm="Delete inventory {inventory_id}?",
            done="deleted inventory {inventory_id}",
        ),
        *(
            Command(
                verb,
                f"{doc} Body: --file, or --activity/--quantity.",
                f"{INV} {verb} 21000001"
                + (" --activity 4225" if verb in ("install", "deinstall") else ""),
                op=op,
                params=(INV_ID, *ACTION_OPTIONS),
                body=ACTION_BODY,
                done=f"inventory {{inventory_id}}: {verb} done",
            )
            for verb, op, doc in (
                ("install", C.install_inventory, "Install an inventory at an activity."),
                ("deinstall", C.deinstall_inventory, "Deinstall an inventory at an activity."),
                ("undo-install", C.undo_install_inventory, "Undo an installation."),
                ("undo-deinstall", C.undo_deinstall_inventory, "Undo a deinstallation."),
            )
        ),
        _files(
            "inventory",
            INV_ID,
            INV,
            "21000001",
            (C.get_inventory_file, C.set_inventory_file, C.delete_inventory_file),
        ),
    ),
)

CALENDARS = Command(
    "calendars",
    "Work calendars of resources, one row per resource and day (≤31 days).",
    (
        "ofsc core calendars --resources TECH-0001,TECH-0002 "
        "--date-from 2026-11-02 --date-to 2026-11-06",
        "ofsc core calendars --resources BK_NORTH --include-children all "
        "--date-from 2026-11-02 --date-to 2026-11-02 --all",
    ),
    op=C.list_calendars,
    params=(
        Opt("--resources", help="Comma-separated resource ids.", kind="list", required=True),
        DATE_FROM,
        DATE_TO,
        Opt("--include-children", help="none, immediate or all.", metavar="MODE"),
        Opt("--include-inactive", help="Inactive resources too.", kind="bool"),
    ),
    columns=("resourceId", "date", "regular", "on-call"),
    spans=(("date_from", "date_to", 31),),
    what="calendar days",
)

DECLARED: tuple[Group | Command, ...] = (RESOURCES, USERS, INVENTORIES, CALENDARS)
"""What this module adds to ``ofsc core``."""
