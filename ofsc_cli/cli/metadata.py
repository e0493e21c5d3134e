"""``ofsc metadata``: configuration objects, one declaration per command.

The standard verbs of a resource (list/get/create/replace/update/delete) come from
:func:`resource`, which declares them from the resource's data (its name, label, columns,
body model and the operation behind each verb); the API's custom actions are declared beside
it, with a ``run=`` function where they need code.  ``export``/``diff``/``apply`` are in
:mod:`ofsc_cli.cli.metadata_migrate`.  Every command names the operation it runs, which is
all the coverage map needs.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ofsc_cli.cli.declare import DRY_RUN, Arg, Body, Call, Command, Group, Opt, build, iter_all
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.cli.metadata_migrate import MIGRATION_COMMANDS
from ofsc_cli.client.api.metadata import Metadata as M
from ofsc_cli.models.refs import LazyModels

if TYPE_CHECKING:
    from ofsc_cli.models import metadata as m
else:  # body models are named here and imported when a body is checked (see declare.Body)
    m = LazyModels("ofsc_cli.models.metadata")

__all__ = ["GROUP", "app", "resource"]

_M = "ofsc metadata"
LABEL = Arg("label", "LABEL", "The object's label.")
LANGUAGE = Opt("--language", help="Two-letter code: translated names only.")
DOWNLOAD_COLUMNS = ("downloadId", "status", "time")
ENUMERATION_COLUMNS = ("label", "active", "translations")


# -- the standard verbs -------------------------------------------------------------------


def resource(
    name: str,
    help: str,
    *,
    label: str = "",
    key: str | None = "label",
    columns: tuple[str, ...] = (),
    model: type[Any] | None = None,
    list: Any = None,
    get: Any = None,
    create: Any = None,
    create_takes_key: bool = False,
    replace: Any = None,
    update: Any = None,
    delete: Any = None,
    more: tuple[Command | Group, ...] = (),
    plural: str | None = None,
) -> Group:
    """The group of one resource: its standard verbs, declared from the operations given
    (``label`` is the one the examples use; ``key`` the body field that must agree with the
    LABEL argument), followed by its custom actions (``more``)."""
    many = plural or name.replace("-", " ")
    one = many[:-3] + "y" if many.endswith("ies") else many[:-1]
    a_one = ("an " if one[0] in "aeiou" else "a ") + one
    file = one.replace(" ", "-") + ".json"
    at = f"{_M} {name}"
    body = Body(model, key=key)
    commands: list[Command | Group] = []
    if list is not None:
        paged = list.spec.paging == "offset"
        commands.append(
            Command(
                "list",
                f"List the {many} (one page unless --all or --limit)."
                if paged
                else f"List every {one} (one call answers them all).",
                (f"{at} list", f"{at} list --all -o json"),
                op=list,
                columns=columns,
                paging=True,
                what=many,
            )
        )
    if get is not None:
        commands.append(
            Command(
                "get",
                f"Show one {one}.",
                f"{at} get {label}",
                op=get,
                params=(LABEL,),
                columns=columns,
            )
        )
    if create is not None:
        keyed = (LABEL,) if create_takes_key else ()
        commands.append(
            Command(
                "create",
                f"Create {a_one} from a JSON/YAML file.",
                f"{at} create {label + ' ' if keyed else ''}--file {file}",
                op=create,
                params=keyed,
                body=body,
            )
        )
    for verb, declared, text in (
        ("replace", replace, f"Create or replace {a_one} (PUT) from a JSON/YAML file."),
        ("update", update, f"Change only the fields of {a_one} that the file holds (PATCH)."),
    ):
        if declared is not None:
            commands.append(
                Command(
                    verb,
                    text,
                    f"{at} {verb} {label} --file {file}",
                    op=declared,
                    params=(LABEL,),
                    body=body,
                )
            )
    if delete is not None:
        commands.append(
            Command(
                "delete",
                f"Delete {a_one} (asks first on a terminal; --yes otherwise).",
                (f"{at} delete {label}", f"{at} delete {label} --yes"),
                op=delete,
                params=(LABEL,),
                confirm=f"Delete {name} '{{label}}'?",
                done=f"deleted {name} '{{label}}'",
            )
        )
    return Group(name, help, (*commands, *more))


# -- collection-wide writes ---------------------------------------------------------------


def _replace_all(call: Call) -> None:
    """Send every item of the file in one request; a destructive one asks first."""
    items = call.body()
    if call.command.confirm is not None:
        call.confirm(call.command.confirm.format(count=len(items)))
    result = call.execute(None, items)
    if result is DRY_RUN:
        return
    call.render(result)
    call.obj.info(f"{len(items)} {call.command.what} sent")


def _collection_write(
    verb: str, help: str, example: str, op: Any, model: type[Any], what: str, confirm: str | None
) -> Command:
    return Command(
        verb,
        help,
        example,
        op=op,
        body=Body(model, array=True, envelope=True),
        confirm=confirm,
        what=what,
        run=_replace_all,
    )


# -- downloads (shapes, map layers) -------------------------------------------------------

PENDING = frozenset({"pending", "running", "in progress", "inprogress", "started"})
WAIT_LIMIT = 600.0
"""Seconds ``--wait`` polls a download before it stops waiting (and says so)."""


def _populate(call: Call) -> None:
    """Start a download; with ``--wait``, poll until it settles (first after 0.25 s, then
    twice as long each time, at most 5 s apart)."""
    result = call.execute(None, call.body())
    if result is DRY_RUN:
        return
    status, interval = call.command.also[0], 0.25
    deadline = time.monotonic() + WAIT_LIMIT
    while (
        call.values["wait"]
        and result.downloadId is not None
        and str(result.status).lower() in PENDING
    ):
        if time.monotonic() > deadline:
            call.obj.warn(f"download {result.downloadId} still {result.status}; stopped waiting")
            break
        time.sleep(interval)
        interval = min(interval * 2, 5.0)
        result = call.execute(status, result.downloadId)
    call.render(result)


def _download_commands(
    name: str, start: str, op: Any, status: Any, model: type[Any], help: str
) -> tuple[Command, Command]:
    """``start`` (a download from a zip at an HTTPS URL) and ``start-status``."""
    return (
        Command(
            start,
            help,
            (f"{_M} {name} {start} --file source.json",
             f"{_M} {name} {start} --file source.json --wait"),
            op=op,
            params=(
                Opt("--wait", help="Poll the download until it is no longer pending.",
                    kind="bool", to_op=False),
            ),
            body=Body(model),
            columns=DOWNLOAD_COLUMNS,
            also=(status,),
            run=_populate,
        ),
        Command(
            f"{start}-status",
            "State of a download started with " + start + ".",
            f"{_M} {name} {start}-status 1",
            op=status,
            params=(Arg("download_id", "ID", "The downloadId."),),
            columns=DOWNLOAD_COLUMNS,
        ),
    )  # fmt: skip


# -- reading files and writing bytes ------------------------------------------------------


def _file(help: str) -> Opt:
    """``--file/-F PATH``: a file sent as it is (not a JSON/YAML body)."""
    return Opt("--file", help=help, short="-F", metavar="PATH", required=True, to_op=False)


def _source(path: str) -> str:
    return "<stdin>" if path == "-" else path


def read_bytes(path: str) -> bytes:
    """The raw content of ``--file`` (``-`` reads stdin): a regular file, not empty, at most
    64 MiB (exit 2 otherwise)."""
    from ofsc_cli.client.reader import read_input

    data = read_input(path)
    if not data.strip():
        raise UsageError(f"{_source(path)}: the file is empty")
    return data


def _write_bytes(call: Call, data: bytes, target: str) -> None:
    from pathlib import Path

    obj = call.obj
    if target != "-":
        try:
            Path(target).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        obj.info(f"wrote {len(data)} bytes to {target}")
        return
    obj.stdout.flush()
    buffer = getattr(obj.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        obj.stdout.write(data.decode("utf-8", errors="replace"))


def _every_item(call: Call) -> None:
    """Every item of a paged collection (all pages, whatever the page size)."""
    call.write(iter_all(call.obj, call.command.op, *call.args(), **call.kwargs()))


# -- custom actions -----------------------------------------------------------------------


def _import_plugin(call: Call) -> None:
    from pathlib import Path

    path = call.values["file"]
    content = read_bytes(path)
    name = "plugin.xml" if path == "-" else Path(path).name
    if call.execute(None, content, filename=name) is not DRY_RUN:
        call.obj.info(f"imported {_source(path)}")


def _export_plan(call: Call) -> None:
    _write_bytes(call, call.execute(None, *call.args()), call.values["output_file"])


def _import_plan(call: Call) -> None:
    from ofsc_cli.errors import OFSError

    force = call.values["force"]
    declared = M.force_import_routing_plan if force else call.command.op
    content = read_bytes(call.values["file"])
    try:
        result = call.execute(declared, call.values["profile"], content)
    except OFSError as exc:
        if exc.status_code == 409 and not force:
            exc.message += " (use --force to overwrite it)"
        raise
    call.render(result)


AREA_FIELDS = ["label", "name", "type", "status"]
AREA_COLUMNS = ("label", "name", "type", "status", "parent.label")
AREA_FILTERS = (
    Opt("--status", help="active or inactive."),
    Opt("--type", help="area (areas only) or group (groups and areas)."),
    Opt("--parent", help="Include each area's parent.", kind="bool", to_op=False),
)


def _area_query(call: Call) -> dict[str, Any]:
    """The filters given, the API fields of the columns, and the parent when asked for."""
    parent = call.values["parent"]
    fields = AREA_FIELDS + (["parent.label", "parent.name"] if parent else [])
    return {**call.kwargs(), "expand": "parent" if parent else None, "fields": fields}


def _list_areas(call: Call) -> None:
    call.list_flow(**_area_query(call))


def _area_children(call: Call) -> None:
    call.render(call.execute(None, *call.args(), **_area_query(call)))


def _area_work_zones(call: Call) -> None:
    declared = M.list_capacity_area_work_zones_v1 if call.values["use_v1"] else None
    call.render(call.execute(declared, *call.args()))


def _area_subcollection(
    verb: str, op: Any, columns: tuple[str, ...], help: str, example: str = "NORTH_URBAN"
) -> Command:
    return Command(
        verb,
        help,
        f"{_M} capacity-areas {verb} {example}",
        op=op,
        params=(Arg("label", "LABEL", "The capacity area's label."),),
        columns=columns,
    )


def _api_access(call: Call) -> None:
    label, api = call.values["label"], call.values["api"]
    if api is None:
        call.render(call.execute(None, label))
    else:
        call.render(call.execute(M.get_application_api_access, label, api))


def _client_secret(call: Call) -> None:
    """Only the secret on stdout (a bare line in table form), so it can be piped away."""
    obj = call.obj
    result = call.execute(None, *call.args())
    if result is DRY_RUN:
        return
    secret = result.clientSecret or ""
    if obj.output in (None, "table"):
        obj.stdout.write(secret + "\n")
        obj.stdout.flush()
    else:
        obj.renderer().write_object({"clientSecret": secret})


PROFILE = Arg("profile", "PROFILE", "Routing profile label.")
PLAN = Arg("plan", "PLAN", "Routing plan label.")
_PLANS = f"{_M} routing-profiles plans"

PLANS = Group(
    "plans",
    "Routing plans of a profile.",
    (
        Command(
            "list",
            "List the plan labels of a routing profile (every plan).",
            f"{_PLANS} list OVERNIGHT",
            op=M.list_routing_plans,
            params=(PROFILE,),
            paging=False,
            run=_every_item,
        ),
        Command(
            "export",
            "Export a routing plan to a file (to import elsewhere).",
            (
                f"{_PLANS} export OVERNIGHT OVERNIGHT_MAIN --output-file plan.json",
                f"{_PLANS} export OVERNIGHT OVERNIGHT_MAIN > plan.json",
            ),
            op=M.export_routing_plan,
            params=(
                PROFILE,
                PLAN,
                Opt("--output-file", help="Where to write the plan ('-': stdout).", default="-",
                    to_op=False),
            ),
            run=_export_plan,
        ),
        Command(
            "import",
            "Import an exported routing plan into a profile.",
            (
                f"{_PLANS} import OVERNIGHT --file plan.json",
                f"{_PLANS} import OVERNIGHT --file plan.json --force",
            ),
            op=M.import_routing_plan,
            params=(
                Arg("profile", "PROFILE", "Routing profile label.", to_op=False),
                _file("An exported routing plan; '-' reads stdin."),
                Opt("--force", help="Overwrite a plan with the same label.", kind="bool",
                    to_op=False),
            ),
            also=(M.force_import_routing_plan,),
            run=_import_plan,
        ),
        Command(
            "start",
            "Run a routing plan for a bucket on a date.",
            f"{_PLANS} start OVERNIGHT OVERNIGHT_MAIN BK_NORTH 2026-11-20",
            op=M.start_routing_plan,
            params=(
                PROFILE,
                PLAN,
                Arg("resource", "RESOURCE", "Bucket resource id."),
                Arg("date", "DATE", "YYYY-MM-DD.", kind="date"),
            ),
        ),
    ),
)  # fmt: skip


# -- the declarations ---------------------------------------------------------------------

GROUP = Group(
    "metadata",
    "Configuration objects: work zones, skills, properties, activity types…",
    (
        resource(
            "work-zones", "Work zones: areas served, matched by key (e.g. postal code).",
            label="MAPLE_RIDGE", key="workZoneLabel",
            columns=("workZoneLabel", "workZoneName", "status", "travelArea", "organization",
                     "keys"),
            model=m.WorkZoneBody, list=M.list_work_zones, get=M.get_work_zone,
            create=M.create_work_zone, replace=M.replace_work_zone,
            more=(
                _collection_write(
                    "replace-all",
                    "Replace every work zone (PUT); zones not in the file are deactivated.",
                    f"{_M} work-zones replace-all --file zones.json --yes",
                    M.replace_work_zones, m.WorkZoneBody, "work zone(s)",
                    "Replace every work zone with the {count} in the file? "
                    "Zones not in the file are deactivated.",
                ),
                _collection_write(
                    "update-all",
                    "Create or update the work zones in the file (PATCH); others stay.",
                    f"{_M} work-zones update-all --file zones.json",
                    M.update_work_zones, m.WorkZone, "work zone(s)", None,
                ),
                *_download_commands(
                    "work-zones", "populate-shapes", M.populate_shapes,
                    M.get_populate_shapes_status, m.PopulateShapesRequest,
                    "Load work zone shapes from a zip at an HTTPS URL.",
                ),
            ),
        ),
        Group(
            "work-zone-key", "The work zone key.",
            (Command("get", "Show the work zone key (current and pending).",
                     f"{_M} work-zone-key get", op=M.get_work_zone_key),),
        ),
        resource(
            "work-skills", "Work skills.", label="FIBER_INST",
            columns=("label", "name", "active", "sharing"), model=m.WorkSkillBody,
            list=M.list_work_skills, get=M.get_work_skill, replace=M.replace_work_skill,
            delete=M.delete_work_skill,
        ),
        resource(
            "work-skill-groups", "Work skill groups.", label="FIBER_ALL",
            columns=("label", "name", "active", "assignToResource", "addToCapacityCategory"),
            model=m.WorkSkillGroupBody, list=M.list_work_skill_groups,
            get=M.get_work_skill_group, replace=M.replace_work_skill_group,
            delete=M.delete_work_skill_group,
        ),
        resource(
            "work-skill-conditions", "Work skill conditions (one collection).",
            columns=("internalId", "label", "requiredLevel", "preferableLevel"),
            list=M.list_work_skill_conditions,
            more=(
                _collection_write(
                    "replace-all",
                    "Replace every work skill condition; those not in the file are deleted.",
                    f"{_M} work-skill-conditions replace-all --file conditions.json --yes",
                    M.replace_work_skill_conditions, m.WorkSkillCondition,
                    "work skill condition(s)",
                    "Replace every work skill condition with the {count} in the file? "
                    "Conditions not in the file are deleted.",
                ),
            ),
        ),
        resource(
            "activity-types", "Activity types.", label="INSTALL",
            columns=("label", "name", "groupLabel", "active", "defaultDuration"),
            model=m.ActivityTypeBody, list=M.list_activity_types, get=M.get_activity_type,
            replace=M.replace_activity_type,
        ),
        resource(
            "activity-type-groups", "Activity type groups.", label="customer",
            columns=("label", "name", "translations"), model=m.ActivityTypeGroup,
            list=M.list_activity_type_groups, get=M.get_activity_type_group,
            replace=M.replace_activity_type_group,
        ),
        resource(
            "capacity-areas", "Capacity areas and what they hold.", label="NORTH",
            columns=AREA_COLUMNS, get=M.get_capacity_area,
            more=(
                Command(
                    "list", "List every capacity area (the API returns them all at once).",
                    (f"{_M} capacity-areas list", f"{_M} capacity-areas list --type area --parent"),
                    op=M.list_capacity_areas, params=AREA_FILTERS, columns=AREA_COLUMNS,
                    paging=True, what="capacity areas", run=_list_areas,
                ),
                Command(
                    "children", "List the areas under a capacity area.",
                    f"{_M} capacity-areas children NORTH --status active",
                    op=M.list_capacity_area_children,
                    params=(Arg("label", "LABEL", "The capacity area's label."), *AREA_FILTERS),
                    columns=AREA_COLUMNS, run=_area_children,
                ),
                Command(
                    "work-zones", "Work zones of an area (--v1: old form).",
                    (f"{_M} capacity-areas work-zones NORTH_URBAN",
                     f"{_M} capacity-areas work-zones NORTH_URBAN --v1"),
                    op=M.list_capacity_area_work_zones,
                    params=(
                        Arg("label", "LABEL", "The capacity area's label."),
                        Opt("--v1", "use_v1", "Use the v1 operation.", kind="bool", to_op=False),
                    ),
                    columns=("workZoneLabel", "workZoneName", "label"),
                    also=(M.list_capacity_area_work_zones_v1,), run=_area_work_zones,
                ),
                _area_subcollection("time-slots", M.list_capacity_area_time_slots,
                                    ("label", "name", "timeFrom", "timeTo"),
                                    "Time slots of an area."),
                _area_subcollection("time-intervals", M.list_capacity_area_time_intervals,
                                    ("timeFrom", "timeTo"), "Time intervals of an area."),
                _area_subcollection("organizations", M.list_capacity_area_organizations,
                                    ("label", "name", "type"), "Organizations of an area."),
                _area_subcollection("capacity-categories",
                                    M.list_capacity_area_capacity_categories,
                                    ("label", "name", "status"),
                                    "Capacity categories of an area."),
            ),
        ),
        resource(
            "capacity-categories", "Capacity categories.", label="CAT_FIBER",
            columns=("label", "name", "active"), model=m.CapacityCategoryBody,
            list=M.list_capacity_categories, get=M.get_capacity_category,
            replace=M.replace_capacity_category, delete=M.delete_capacity_category,
        ),
        resource(
            "properties", "Properties (custom fields) and enumeration values.",
            label="cust_tier", columns=("label", "name", "type", "entity", "gui"),
            model=m.Property, list=M.list_properties, get=M.get_property,
            replace=M.replace_property, update=M.update_property,
            more=(
                Group(
                    "enumeration", "Values of enumeration properties.",
                    (
                        Command(
                            "get", "Show every value of an enumeration property.",
                            (f"{_M} properties enumeration get cust_tier",
                             f"{_M} properties enumeration get cust_tier --language en"),
                            op=M.list_enumeration_values, params=(LABEL, LANGUAGE),
                            columns=ENUMERATION_COLUMNS, paging=False, what="values",
                            run=_every_item,
                        ),
                        Command(
                            "set",
                            "Add or change values (values are never deleted: deactivate "
                            "with active: false).",
                            f"{_M} properties enumeration set cust_tier --file values.json",
                            op=M.replace_enumeration_values, params=(LABEL,),
                            body=Body(m.EnumerationValueBody, array=True, envelope=True),
                            columns=ENUMERATION_COLUMNS,
                        ),
                    ),
                ),
            ),
        ),
        resource(
            "inventory-types", "Inventory types.", label="ONT",
            columns=("label", "name", "active", "nonSerialized", "unitOfMeasurement"),
            model=m.InventoryTypeBody, list=M.list_inventory_types, get=M.get_inventory_type,
            replace=M.replace_inventory_type,
        ),
        resource(
            "resource-types", "Resource types.", columns=("label", "name", "role", "active"),
            list=M.list_resource_types,
        ),
        resource(
            "organizations", "Organizations.", label="default",
            columns=("label", "name", "type"), list=M.list_organizations,
            get=M.get_organization,
        ),
        resource(
            "time-slots", "Time slots.",
            columns=("label", "name", "active", "timeStart", "timeEnd", "isAllDay"),
            list=M.list_time_slots,
        ),
        resource(
            "languages", "Languages.", columns=("label", "name", "active"),
            list=M.list_languages,
        ),
        resource(
            "applications", "Applications (API clients) and their API access.", label="demo",
            columns=("label", "name", "status", "tokenService"), model=m.ApplicationBody,
            list=M.list_applications, get=M.get_application, replace=M.replace_application,
            more=(
                Command(
                    "api-access", "The APIs an application may use, or its access to one API.",
                    (f"{_M} applications api-access erp_sync",
                     f"{_M} applications api-access erp_sync coreAPI"),
                    op=M.list_application_api_access,
                    params=(
                        Arg("label", "LABEL", "The application's label.", to_op=False),
                        Arg("api", "[API]", "One API's details.", required=False, to_op=False),
                    ),
                    columns=("label", "name", "status"),
                    also=(M.get_application_api_access,), run=_api_access,
                ),
                Command(
                    "update-api-access",
                    "Change an application's access to one API (only the fields in the file).",
                    f"{_M} applications update-api-access erp_sync inboundAPI --file access.json",
                    op=M.update_application_api_access,
                    params=(LABEL, Arg("api", "API", "The API label.")),
                    body=Body(m.ApiAccessConfiguration),
                ),
                Command(
                    "generate-client-secret",
                    "Rotate an application's client secret and print the new one (only that).",
                    f"{_M} applications generate-client-secret erp_sync",
                    op=M.generate_client_secret, params=(LABEL,), run=_client_secret,
                ),
            ),
        ),
        resource(
            "forms", "Forms.", label="site_survey", columns=("label", "name"),
            model=m.FormBody, list=M.list_forms, get=M.get_form, replace=M.replace_form,
            delete=M.delete_form,
        ),
        resource(
            "shifts", "Shifts.", label="DAY",
            columns=("label", "name", "type", "active", "workTimeStart", "workTimeEnd"),
            model=m.ShiftBody, list=M.list_shifts, get=M.get_shift, replace=M.replace_shift,
            delete=M.delete_shift,
        ),
        resource(
            "link-templates", "Activity link templates.", label="START_AFTER",
            columns=("label", "reverseLabel", "linkType", "active"), model=m.LinkTemplate,
            list=M.list_link_templates, get=M.get_link_template,
            create=M.create_link_template, create_takes_key=True,
            update=M.update_link_template,
        ),
        resource(
            "map-layers", "Custom map layers.", label="FLOOD_ZONES",
            columns=("label", "status", "text"), model=m.MapLayerBody, list=M.list_map_layers,
            get=M.get_map_layer, create=M.create_map_layer, replace=M.replace_map_layer,
            more=_download_commands(
                "map-layers", "populate", M.populate_layers, M.get_populate_layers_status,
                m.PopulateLayersRequest, "Load a custom map layer from a zip at an HTTPS URL.",
            ),
        ),
        resource(
            "non-working-reasons", "Non-working reasons.", plural="non-working reasons",
            columns=("label", "name", "active"), list=M.list_non_working_reasons,
        ),
        Group(
            "plugins", "Plugins: import a plugin file or install a standard plugin.",
            (
                Command(
                    "import",
                    "Import plugins from a plugin XML file (existing labels are updated).",
                    f"{_M} plugins import --file plugin.xml",
                    op=M.import_plugin,
                    params=(_file("The plugin XML file; '-' reads stdin."),),
                    run=_import_plugin,
                ),
                Command(
                    "install", "Install a standard plugin.",
                    f"{_M} plugins install signature_pad",
                    op=M.install_plugin, params=(LABEL,),
                    done="installed plugin '{label}'",
                ),
            ),
        ),
        # No fixed columns: items are label strings (shown as "value") or objects
        # ({"profileLabel": ...}) depending on the tenant.
        resource(
            "routing-profiles", "Routing profiles and their plans.",
            list=M.list_routing_profiles, more=(PLANS,),
        ),
        *MIGRATION_COMMANDS,
    ),
)  # fmt: skip

app = build(GROUP)
