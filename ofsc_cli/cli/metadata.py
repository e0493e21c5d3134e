"""``ofsc metadata``: configuration objects, one declaration per resource.

The standard verbs (list/get/create/replace/update/delete) come from the :class:`Resource`
declarations in :data:`RESOURCES`; the API's custom actions are the ``_*_commands`` functions
below; ``export``/``diff``/``apply`` are in :mod:`ofsc_cli.cli.metadata_migrate`.
:data:`COMMANDS` maps every Metadata operation to the command that runs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ofsc_cli.cli._resource import (
    DRY_RUN,
    DryRunOpt,
    FileOpt,
    LimitOpt,
    Resource,
    YesOpt,
    confirm,
    execute,
    group,
    iter_all,
    render_result,
)
from ofsc_cli.cli.context import AppContext
from ofsc_cli.cli.context import app as context_of
from ofsc_cli.cli.errors import UsageError
from ofsc_cli.cli.metadata_migrate import add_commands as add_migration_commands
from ofsc_cli.client.api.metadata import Metadata as M
from ofsc_cli.models import metadata as m

__all__ = ["COMMANDS", "RESOURCES", "app"]

LabelArg = Annotated[str, typer.Argument(metavar="LABEL", help="The object's label.")]
LanguageOpt = Annotated[
    str | None, typer.Option("--language", help="Two-letter code: translated names only.")
]
WaitOpt = Annotated[
    bool, typer.Option("--wait", help="Poll the download until it is no longer pending.")
]

DOWNLOAD_COLUMNS = ("downloadId", "status", "time")
ENUMERATION_COLUMNS = ("label", "active", "translations")


# -- shared helpers -----------------------------------------------------------------------


def _source(path: str) -> str:
    return "<stdin>" if path == "-" else path


def load_items(path: str, model: type[Any]) -> list[dict[str, Any]]:
    """A list of objects from ``--file``: a JSON/YAML array or ``{"items": [...]}``, each
    checked against ``model`` (errors name the item and the field)."""
    from ofsc_cli.cli._input import load_body, validate_body

    body = load_body(path)
    items = body.get("items") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise UsageError(f'{_source(path)}: expected an array or {{"items": [...]}}')
    for i, item in enumerate(items):
        validate_body(model, item, source=f"{_source(path)}: items[{i}]")
    return items


def load_object(path: str, model: type[Any]) -> dict[str, Any]:
    """One object from ``--file``, checked against ``model``."""
    from ofsc_cli.cli._input import load_body, validate_body

    body: dict[str, Any] = validate_body(model, load_body(path), source=_source(path))
    return body


def read_bytes(path: str) -> bytes:
    """The raw content of ``--file`` (``-`` reads stdin): a regular file, not empty, at most
    64 MiB (exit 2 otherwise)."""
    from ofsc_cli.client._reader import read_input

    data = read_input(path)
    if not data.strip():
        raise UsageError(f"{_source(path)}: the file is empty")
    return data


PENDING = frozenset({"pending", "running", "in progress", "inprogress", "started"})


def populate(
    obj: AppContext,
    start: Any,
    status: Any,
    body: dict[str, Any],
    *,
    wait: bool,
    dry_run: bool,
    interval: float = 0.25,
    wait_limit: float = 600.0,
) -> None:
    """Start a download (shapes or map layers); with ``wait``, poll until it settles
    (first after ``interval`` seconds, then twice as long each time, at most 5 s apart)."""
    result = execute(obj, start, body, dry_run=dry_run)
    if result is DRY_RUN:
        return
    deadline = time.monotonic() + wait_limit
    while wait and result.downloadId is not None and str(result.status).lower() in PENDING:
        if time.monotonic() > deadline:
            obj.warn(f"download {result.downloadId} still {result.status}; stopped waiting")
            break
        time.sleep(interval)
        interval = min(interval * 2, 5.0)
        result = execute(obj, status, result.downloadId)
    render_result(obj, result, columns=DOWNLOAD_COLUMNS)


def _status_command(sub: typer.Typer, name: str, declared: Any, doc: str) -> None:
    def command(
        ctx: typer.Context,
        download_id: Annotated[str, typer.Argument(metavar="ID", help="The downloadId.")],
    ) -> None:
        obj = context_of(ctx)
        render_result(obj, execute(obj, declared, download_id), columns=DOWNLOAD_COLUMNS)

    command.__doc__ = doc
    sub.command(name)(command)


def _populate_command(
    sub: typer.Typer, name: str, start: Any, status: Any, model: type[Any], doc: str
) -> None:
    def command(
        ctx: typer.Context, file: FileOpt, wait: WaitOpt = False, dry_run: DryRunOpt = False
    ) -> None:
        obj = context_of(ctx)
        body = load_object(file, model)
        populate(obj, start, status, body, wait=wait, dry_run=dry_run)

    command.__doc__ = doc
    sub.command(name)(command)


def _replace_all_command(
    sub: typer.Typer, what: str, declared: Any, model: type[Any], *, destructive: str | None
) -> Callable[..., None]:
    def command(
        ctx: typer.Context, file: FileOpt, yes: YesOpt = False, dry_run: DryRunOpt = False
    ) -> None:
        obj = context_of(ctx)
        items = load_items(file, model)
        if destructive and not dry_run:
            confirm(
                obj, f"Replace every {what} with the {len(items)} in the file? {destructive}", yes
            )
        result = execute(obj, declared, items, dry_run=dry_run)
        if result is DRY_RUN:
            return
        if result is not None:
            render_result(obj, result)
        obj.info(f"{len(items)} {what}(s) sent")

    return command


# -- work zones ---------------------------------------------------------------------------


def _work_zone_commands(sub: typer.Typer) -> None:
    replace_all = _replace_all_command(
        sub, "work zone", M.replace_work_zones, m.WorkZoneBody,
        destructive="Zones not in the file are deactivated.",
    )  # fmt: skip
    replace_all.__doc__ = "Replace every work zone (PUT); zones not in the file are deactivated."
    sub.command("replace-all")(replace_all)
    update_all = _replace_all_command(
        sub, "work zone", M.update_work_zones, m.WorkZone, destructive=None
    )
    update_all.__doc__ = "Create or update the work zones in the file (PATCH); others stay."
    sub.command("update-all")(update_all)
    _populate_command(
        sub, "populate-shapes", M.populate_shapes, M.get_populate_shapes_status,
        m.PopulateShapesRequest, "Load work zone shapes from a zip at an HTTPS URL.",
    )  # fmt: skip
    _status_command(
        sub, "populate-shapes-status", M.get_populate_shapes_status,
        "State of a shapes download.",
    )  # fmt: skip


def _work_zone_key_commands(sub: typer.Typer) -> None:
    @sub.command("get")
    def get(ctx: typer.Context) -> None:
        """Show the work zone key (current and pending)."""
        obj = context_of(ctx)
        render_result(obj, execute(obj, M.get_work_zone_key))


def _work_skill_condition_commands(sub: typer.Typer) -> None:
    replace_all = _replace_all_command(
        sub, "work skill condition", M.replace_work_skill_conditions, m.WorkSkillCondition,
        destructive="Conditions not in the file are deleted.",
    )  # fmt: skip
    replace_all.__doc__ = "Replace every work skill condition; those not in the file are deleted."
    sub.command("replace-all")(replace_all)


# -- properties ---------------------------------------------------------------------------


def _property_commands(sub: typer.Typer) -> None:
    enum = typer.Typer(name="enumeration", help="Values of enumeration properties.",
                       no_args_is_help=True)  # fmt: skip
    sub.add_typer(enum, name="enumeration")

    @enum.command("get")
    def get(ctx: typer.Context, label: LabelArg, language: LanguageOpt = None) -> None:
        """Show every value of an enumeration property."""
        from ofsc_cli.models import dump

        obj = context_of(ctx)
        items = iter_all(obj, M.list_enumeration_values, label, language=language)
        obj.renderer(ENUMERATION_COLUMNS).write_items(dump(i) for i in items)

    @enum.command("set")
    def set_(
        ctx: typer.Context, label: LabelArg, file: FileOpt, dry_run: DryRunOpt = False
    ) -> None:
        """Add or change values (values are never deleted: deactivate with active: false)."""
        obj = context_of(ctx)
        values = load_items(file, m.EnumerationValueBody)
        result = execute(obj, M.replace_enumeration_values, label, values, dry_run=dry_run)
        render_result(obj, result, columns=ENUMERATION_COLUMNS)


# -- plugins ------------------------------------------------------------------------------


def _plugin_commands(sub: typer.Typer) -> None:
    @sub.command("import")
    def import_(ctx: typer.Context, file: FileOpt, dry_run: DryRunOpt = False) -> None:
        """Import plugins from a plugin XML file (existing labels are updated)."""
        from pathlib import Path

        obj = context_of(ctx)
        content = read_bytes(file)
        name = "plugin.xml" if file == "-" else Path(file).name
        result = execute(obj, M.import_plugin, content, filename=name, dry_run=dry_run)
        if result is not DRY_RUN:
            obj.info(f"imported {_source(file)}")

    @sub.command("install")
    def install(ctx: typer.Context, label: LabelArg, dry_run: DryRunOpt = False) -> None:
        """Install a standard plugin."""
        obj = context_of(ctx)
        if execute(obj, M.install_plugin, label, dry_run=dry_run) is not DRY_RUN:
            obj.info(f"installed plugin '{label}'")


# -- routing profiles ---------------------------------------------------------------------

ProfileArg = Annotated[str, typer.Argument(metavar="PROFILE", help="Routing profile label.")]
PlanArg = Annotated[str, typer.Argument(metavar="PLAN", help="Routing plan label.")]


def _write_bytes(obj: AppContext, data: bytes, target: str) -> None:
    from pathlib import Path

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


def _routing_commands(sub: typer.Typer) -> None:
    plans = typer.Typer(name="plans", help="Routing plans of a profile.", no_args_is_help=True)
    sub.add_typer(plans, name="plans")

    @plans.command("list")
    def list_(ctx: typer.Context, profile: ProfileArg) -> None:
        """List the plan labels of a routing profile."""
        obj = context_of(ctx)
        plans = iter_all(obj, M.list_routing_plans, profile)
        obj.renderer().write_items(plans)  # label strings or {"planLabel": ...} objects

    @plans.command("export")
    def export(
        ctx: typer.Context,
        profile: ProfileArg,
        plan: PlanArg,
        output_file: Annotated[
            str, typer.Option("--output-file", help="Where to write the plan ('-': stdout).")
        ] = "-",
    ) -> None:
        """Export a routing plan to a file (to import elsewhere)."""
        obj = context_of(ctx)
        data = execute(obj, M.export_routing_plan, profile, plan)
        _write_bytes(obj, data, output_file)

    @plans.command("import")
    def import_(
        ctx: typer.Context,
        profile: ProfileArg,
        file: FileOpt,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite a plan with the same label.")
        ] = False,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Import an exported routing plan into a profile."""
        obj = context_of(ctx)
        from ofsc_cli.errors import OFSError

        declared = M.force_import_routing_plan if force else M.import_routing_plan
        try:
            result = execute(obj, declared, profile, read_bytes(file), dry_run=dry_run)
        except OFSError as exc:
            if exc.status_code == 409 and not force:
                exc.message += " (use --force to overwrite it)"
            raise
        render_result(obj, result)

    @plans.command("start")
    def start(
        ctx: typer.Context,
        profile: ProfileArg,
        plan: PlanArg,
        resource: Annotated[str, typer.Argument(metavar="RESOURCE", help="Bucket resource id.")],
        date: Annotated[str, typer.Argument(metavar="DATE", help="YYYY-MM-DD.")],
        dry_run: DryRunOpt = False,
    ) -> None:
        """Run a routing plan for a bucket on a date."""
        obj = context_of(ctx)
        render_result(
            obj, execute(obj, M.start_routing_plan, profile, plan, resource, date, dry_run=dry_run)
        )


# -- capacity areas -----------------------------------------------------------------------

AREA_FIELDS = ["label", "name", "type", "status"]
AREA_COLUMNS = ("label", "name", "type", "status", "parent.label")
StatusOpt = Annotated[str | None, typer.Option("--status", help="active or inactive.")]
TypeOpt = Annotated[
    str | None, typer.Option("--type", help="area (areas only) or group (groups and areas).")
]
ExpandOpt = Annotated[bool, typer.Option("--parent", help="Include each area's parent.")]


def _area_query(status: str | None, type_: str | None, parent: bool) -> dict[str, Any]:
    fields = AREA_FIELDS + (["parent.label", "parent.name"] if parent else [])
    return {"status": status, "type": type_, "expand": "parent" if parent else None,
            "fields": fields}  # fmt: skip


# (command, v2/only operation, v1 operation or None, table columns, help)
AREA_SUBCOLLECTIONS: tuple[tuple[str, Any, Any, tuple[str, ...], str], ...] = (
    ("work-zones", M.list_capacity_area_work_zones, M.list_capacity_area_work_zones_v1,
     ("workZoneLabel", "workZoneName", "label"), "Work zones of an area (--v1: old form)."),
    ("time-slots", M.list_capacity_area_time_slots, None,
     ("label", "name", "timeFrom", "timeTo"), "Time slots of an area."),
    ("time-intervals", M.list_capacity_area_time_intervals, None,
     ("timeFrom", "timeTo"), "Time intervals of an area."),
    ("organizations", M.list_capacity_area_organizations, None,
     ("label", "name", "type"), "Organizations of an area."),
    ("capacity-categories", M.list_capacity_area_capacity_categories, None,
     ("label", "name", "status"), "Capacity categories of an area."),
)  # fmt: skip


def _area_subcollection(
    sub: typer.Typer, name: str, declared: Any, v1: Any, columns: tuple[str, ...], doc: str
) -> None:
    if v1 is None:

        def command(ctx: typer.Context, label: LabelArg) -> None:
            obj = context_of(ctx)
            render_result(obj, execute(obj, declared, label), columns=columns)

    else:

        def command(  # type: ignore[misc]
            ctx: typer.Context,
            label: LabelArg,
            use_v1: Annotated[bool, typer.Option("--v1", help="Use the v1 operation.")] = False,
        ) -> None:
            obj = context_of(ctx)
            render_result(obj, execute(obj, v1 if use_v1 else declared, label), columns=columns)

    command.__doc__ = doc
    sub.command(name)(command)


def _capacity_area_commands(sub: typer.Typer) -> None:
    @sub.command("list")
    def list_(
        ctx: typer.Context,
        status: StatusOpt = None,
        type_: TypeOpt = None,
        parent: ExpandOpt = False,
        all_: Annotated[bool, typer.Option("--all", "-a", help="Accepted; one call.")] = False,
        limit: LimitOpt = None,
    ) -> None:
        """List every capacity area (the API returns them all at once)."""
        from itertools import islice

        from ofsc_cli.models import dump

        obj = context_of(ctx)
        result = execute(obj, M.list_capacity_areas, **_area_query(status, type_, parent))
        items = islice(result.items, limit) if limit else result.items
        obj.renderer(AREA_COLUMNS).write_items(dump(i) for i in items)

    @sub.command("children")
    def children(
        ctx: typer.Context,
        label: LabelArg,
        status: StatusOpt = None,
        type_: TypeOpt = None,
        parent: ExpandOpt = False,
    ) -> None:
        """List the areas under a capacity area."""
        obj = context_of(ctx)
        query = _area_query(status, type_, parent)
        render_result(obj, execute(obj, M.list_capacity_area_children, label, **query),
                      columns=AREA_COLUMNS)  # fmt: skip

    for name, declared, v1, columns, doc in AREA_SUBCOLLECTIONS:
        _area_subcollection(sub, name, declared, v1, columns, doc)


# -- applications -------------------------------------------------------------------------


def _application_commands(sub: typer.Typer) -> None:
    @sub.command("api-access")
    def api_access(
        ctx: typer.Context,
        label: LabelArg,
        api: Annotated[
            str | None, typer.Argument(metavar="[API]", help="One API's details.")
        ] = None,
    ) -> None:
        """The APIs an application may use, or its access to one API."""
        obj = context_of(ctx)
        if api is None:
            result = execute(obj, M.list_application_api_access, label)
        else:
            result = execute(obj, M.get_application_api_access, label, api)
        render_result(obj, result, columns=("label", "name", "status"))

    @sub.command("update-api-access")
    def update_api_access(
        ctx: typer.Context,
        label: LabelArg,
        api: Annotated[str, typer.Argument(metavar="API", help="The API label.")],
        file: FileOpt,
        dry_run: DryRunOpt = False,
    ) -> None:
        """Change an application's access to one API (only the fields in the file)."""
        obj = context_of(ctx)
        body = load_object(file, m.ApiAccessConfiguration)
        result = execute(obj, M.update_application_api_access, label, api, body, dry_run=dry_run)
        render_result(obj, result)

    @sub.command("generate-client-secret")
    def generate_client_secret(
        ctx: typer.Context, label: LabelArg, dry_run: DryRunOpt = False
    ) -> None:
        """Rotate an application's client secret and print the new one (only that)."""
        obj = context_of(ctx)
        result = execute(obj, M.generate_client_secret, label, dry_run=dry_run)
        if result is DRY_RUN:
            return
        secret = result.clientSecret or ""
        if obj.output in (None, "table"):
            obj.stdout.write(secret + "\n")
            obj.stdout.flush()
        else:
            obj.renderer().write_object({"clientSecret": secret})


# -- map layers ---------------------------------------------------------------------------


def _map_layer_commands(sub: typer.Typer) -> None:
    _populate_command(
        sub, "populate", M.populate_layers, M.get_populate_layers_status,
        m.PopulateLayersRequest, "Load a custom map layer from a zip at an HTTPS URL.",
    )  # fmt: skip
    _status_command(
        sub, "populate-status", M.get_populate_layers_status, "State of a map layer download."
    )


# -- the declarations ---------------------------------------------------------------------

RESOURCES: list[Resource] = [
    Resource(
        name="work-zones", help="Work zones: areas served, matched by key (e.g. postal code).",
        key="workZoneLabel",
        columns=("workZoneLabel", "workZoneName", "status", "travelArea", "organization", "keys"),
        model=m.WorkZoneBody, list=M.list_work_zones, get=M.get_work_zone,
        create=M.create_work_zone, replace=M.replace_work_zone, extra=_work_zone_commands,
    ),
    Resource(
        name="work-zone-key", help="The work zone key.", extra=_work_zone_key_commands,
    ),
    Resource(
        name="work-skills", help="Work skills.", key="label",
        columns=("label", "name", "active", "sharing"), model=m.WorkSkillBody,
        list=M.list_work_skills, get=M.get_work_skill, replace=M.replace_work_skill,
        delete=M.delete_work_skill,
    ),
    Resource(
        name="work-skill-groups", help="Work skill groups.", key="label",
        columns=("label", "name", "active", "assignToResource", "addToCapacityCategory"),
        model=m.WorkSkillGroupBody, list=M.list_work_skill_groups, get=M.get_work_skill_group,
        replace=M.replace_work_skill_group, delete=M.delete_work_skill_group,
    ),
    Resource(
        name="work-skill-conditions", help="Work skill conditions (one collection).",
        key="internalId", columns=("internalId", "label", "requiredLevel", "preferableLevel"),
        model=m.WorkSkillCondition, list=M.list_work_skill_conditions,
        extra=_work_skill_condition_commands,
    ),
    Resource(
        name="activity-types", help="Activity types.", key="label",
        columns=("label", "name", "groupLabel", "active", "defaultDuration"),
        model=m.ActivityTypeBody, list=M.list_activity_types, get=M.get_activity_type,
        replace=M.replace_activity_type,
    ),
    Resource(
        name="activity-type-groups", help="Activity type groups.", key="label",
        columns=("label", "name", "translations"), model=m.ActivityTypeGroup,
        list=M.list_activity_type_groups, get=M.get_activity_type_group,
        replace=M.replace_activity_type_group,
    ),
    Resource(
        name="capacity-areas", help="Capacity areas and what they hold.", key="label",
        columns=AREA_COLUMNS, get=M.get_capacity_area, extra=_capacity_area_commands,
    ),
    Resource(
        name="capacity-categories", help="Capacity categories.", key="label",
        columns=("label", "name", "active"), model=m.CapacityCategoryBody,
        list=M.list_capacity_categories, get=M.get_capacity_category,
        replace=M.replace_capacity_category, delete=M.delete_capacity_category,
    ),
    Resource(
        name="properties", help="Properties (custom fields) and enumeration values.", key="label",
        columns=("label", "name", "type", "entity", "gui"), model=m.Property,
        list=M.list_properties, get=M.get_property, replace=M.replace_property,
        update=M.update_property, extra=_property_commands,
    ),
    Resource(
        name="inventory-types", help="Inventory types.", key="label",
        columns=("label", "name", "active", "nonSerialized", "unitOfMeasurement"),
        model=m.InventoryTypeBody, list=M.list_inventory_types, get=M.get_inventory_type,
        replace=M.replace_inventory_type,
    ),
    Resource(
        name="resource-types", help="Resource types.", columns=("label", "name", "role", "active"),
        list=M.list_resource_types,
    ),
    Resource(
        name="organizations", help="Organizations.", key="label",
        columns=("label", "name", "type"), list=M.list_organizations, get=M.get_organization,
    ),
    Resource(
        name="time-slots", help="Time slots.",
        columns=("label", "name", "active", "timeStart", "timeEnd", "isAllDay"),
        list=M.list_time_slots,
    ),
    Resource(
        name="languages", help="Languages.", columns=("label", "name", "active"),
        list=M.list_languages,
    ),
    Resource(
        name="applications", help="Applications (API clients) and their API access.",
        key="label", columns=("label", "name", "status", "tokenService"),
        model=m.ApplicationBody, list=M.list_applications, get=M.get_application,
        replace=M.replace_application, extra=_application_commands,
    ),
    Resource(
        name="forms", help="Forms.", key="label", columns=("label", "name"), model=m.FormBody,
        list=M.list_forms, get=M.get_form, replace=M.replace_form, delete=M.delete_form,
    ),
    Resource(
        name="shifts", help="Shifts.", key="label",
        columns=("label", "name", "type", "active", "workTimeStart", "workTimeEnd"),
        model=m.ShiftBody, list=M.list_shifts, get=M.get_shift, replace=M.replace_shift,
        delete=M.delete_shift,
    ),
    Resource(
        name="link-templates", help="Activity link templates.", key="label",
        columns=("label", "reverseLabel", "linkType", "active"), model=m.LinkTemplate,
        list=M.list_link_templates, get=M.get_link_template, create=M.create_link_template,
        create_takes_key=True, update=M.update_link_template,
    ),
    Resource(
        name="map-layers", help="Custom map layers.", key="label",
        columns=("label", "status", "text"), model=m.MapLayerBody, list=M.list_map_layers,
        get=M.get_map_layer, create=M.create_map_layer, replace=M.replace_map_layer,
        extra=_map_layer_commands,
    ),
    Resource(
        name="non-working-reasons", help="Non-working reasons.",
        columns=("label", "name", "active"), list=M.list_non_working_reasons,
    ),
    Resource(
        name="plugins", help="Plugins: import a plugin file or install a standard plugin.",
        extra=_plugin_commands,
    ),
    Resource(
        # No fixed columns: items are label strings (shown as "value") or objects
        # ({"profileLabel": ...}) depending on the tenant.
        name="routing-profiles", help="Routing profiles and their plans.",
        list=M.list_routing_profiles, extra=_routing_commands,
    ),
]  # fmt: skip

app = group("Configuration objects: work zones, skills, properties, activity types…", RESOURCES)
add_migration_commands(app)

_W = "ofsc metadata"
_V1 = "/rest/ofscMetadata/v1"

COMMANDS: dict[str, str] = {
    f"GET {_V1}/activityTypeGroups": f"{_W} activity-type-groups list",
    f"GET {_V1}/activityTypeGroups/{{label}}": f"{_W} activity-type-groups get LABEL",
    f"PUT {_V1}/activityTypeGroups/{{label}}": f"{_W} activity-type-groups replace LABEL --file",
    f"GET {_V1}/activityTypes": f"{_W} activity-types list",
    f"GET {_V1}/activityTypes/{{label}}": f"{_W} activity-types get LABEL",
    f"PUT {_V1}/activityTypes/{{label}}": f"{_W} activity-types replace LABEL --file",
    f"GET {_V1}/applications": f"{_W} applications list",
    f"GET {_V1}/applications/{{label}}": f"{_W} applications get LABEL",
    f"PUT {_V1}/applications/{{label}}": f"{_W} applications replace LABEL --file",
    f"GET {_V1}/applications/{{label}}/apiAccess": f"{_W} applications api-access LABEL",
    f"GET {_V1}/applications/{{label}}/apiAccess/{{apiLabel}}":
        f"{_W} applications api-access LABEL API",
    f"PATCH {_V1}/applications/{{label}}/apiAccess/{{apiLabel}}":
        f"{_W} applications update-api-access LABEL API --file",
    f"POST {_V1}/applications/{{label}}/custom-actions/generateClientSecret":
        f"{_W} applications generate-client-secret LABEL",
    f"GET {_V1}/capacityAreas": f"{_W} capacity-areas list",
    f"GET {_V1}/capacityAreas/{{label}}": f"{_W} capacity-areas get LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/capacityCategories":
        f"{_W} capacity-areas capacity-categories LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/children": f"{_W} capacity-areas children LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/organizations": f"{_W} capacity-areas organizations LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/timeIntervals":
        f"{_W} capacity-areas time-intervals LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/timeSlots": f"{_W} capacity-areas time-slots LABEL",
    f"GET {_V1}/capacityAreas/{{label}}/workZones": f"{_W} capacity-areas work-zones LABEL --v1",
    "GET /rest/ofscMetadata/v2/capacityAreas/{label}/workZones":
        f"{_W} capacity-areas work-zones LABEL",
    f"GET {_V1}/capacityCategories": f"{_W} capacity-categories list",
    f"GET {_V1}/capacityCategories/{{label}}": f"{_W} capacity-categories get LABEL",
    f"PUT {_V1}/capacityCategories/{{label}}": f"{_W} capacity-categories replace LABEL --file",
    f"DELETE {_V1}/capacityCategories/{{label}}": f"{_W} capacity-categories delete LABEL",
    f"GET {_V1}/forms": f"{_W} forms list",
    f"GET {_V1}/forms/{{label}}": f"{_W} forms get LABEL",
    f"PUT {_V1}/forms/{{label}}": f"{_W} forms replace LABEL --file",
    f"DELETE {_V1}/forms/{{label}}": f"{_W} forms delete LABEL",
    f"GET {_V1}/inventoryTypes": f"{_W} inventory-types list",
    f"GET {_V1}/inventoryTypes/{{label}}": f"{_W} inventory-types get LABEL",
    f"PUT {_V1}/inventoryTypes/{{label}}": f"{_W} inventory-types replace LABEL --file",
    f"GET {_V1}/languages": f"{_W} languages list",
    f"GET {_V1}/linkTemplates": f"{_W} link-templates list",
    f"GET {_V1}/linkTemplates/{{label}}": f"{_W} link-templates get LABEL",
    f"POST {_V1}/linkTemplates/{{label}}": f"{_W} link-templates create LABEL --file",
    f"PATCH {_V1}/linkTemplates/{{label}}": f"{_W} link-templates update LABEL --file",
    f"GET {_V1}/mapLayers": f"{_W} map-layers list",
    f"POST {_V1}/mapLayers": f"{_W} map-layers create --file",
    f"GET {_V1}/mapLayers/{{label}}": f"{_W} map-layers get LABEL",
    f"PUT {_V1}/mapLayers/{{label}}": f"{_W} map-layers replace LABEL --file",
    f"POST {_V1}/mapLayers/custom-actions/populateLayers": f"{_W} map-layers populate --file",
    f"GET {_V1}/mapLayers/custom-actions/populateLayers/{{downloadId}}":
        f"{_W} map-layers populate-status ID",
    f"GET {_V1}/nonWorkingReasons": f"{_W} non-working-reasons list",
    f"GET {_V1}/organizations": f"{_W} organizations list",
    f"GET {_V1}/organizations/{{label}}": f"{_W} organizations get LABEL",
    f"POST {_V1}/plugins/custom-actions/import": f"{_W} plugins import --file",
    f"POST {_V1}/plugins/{{pluginLabel}}/custom-actions/install": f"{_W} plugins install LABEL",
    f"GET {_V1}/properties": f"{_W} properties list",
    f"GET {_V1}/properties/{{label}}": f"{_W} properties get LABEL",
    f"PUT {_V1}/properties/{{label}}": f"{_W} properties replace LABEL --file",
    f"PATCH {_V1}/properties/{{label}}": f"{_W} properties update LABEL --file",
    f"GET {_V1}/properties/{{label}}/enumerationList": f"{_W} properties enumeration get LABEL",
    f"PUT {_V1}/properties/{{label}}/enumerationList":
        f"{_W} properties enumeration set LABEL --file",
    f"GET {_V1}/resourceTypes": f"{_W} resource-types list",
    f"GET {_V1}/routingProfiles": f"{_W} routing-profiles list",
    f"GET {_V1}/routingProfiles/{{profileLabel}}/plans":
        f"{_W} routing-profiles plans list PROFILE",
    f"GET {_V1}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/custom-actions/export":
        f"{_W} routing-profiles plans export PROFILE PLAN --output-file",
    f"PUT {_V1}/routingProfiles/{{profileLabel}}/plans/custom-actions/import":
        f"{_W} routing-profiles plans import PROFILE --file",
    f"PUT {_V1}/routingProfiles/{{profileLabel}}/plans/custom-actions/forceImport":
        f"{_W} routing-profiles plans import PROFILE --file --force",
    f"POST {_V1}/routingProfiles/{{profileLabel}}/plans/{{planLabel}}/{{resourceExternalId}}"
    "/{date}/custom-actions/start": f"{_W} routing-profiles plans start PROFILE PLAN RESOURCE DATE",
    f"GET {_V1}/shifts": f"{_W} shifts list",
    f"GET {_V1}/shifts/{{label}}": f"{_W} shifts get LABEL",
    f"PUT {_V1}/shifts/{{label}}": f"{_W} shifts replace LABEL --file",
    f"DELETE {_V1}/shifts/{{label}}": f"{_W} shifts delete LABEL",
    f"GET {_V1}/timeSlots": f"{_W} time-slots list",
    f"GET {_V1}/workSkillConditions": f"{_W} work-skill-conditions list",
    f"PUT {_V1}/workSkillConditions": f"{_W} work-skill-conditions replace-all --file",
    f"GET {_V1}/workSkillGroups": f"{_W} work-skill-groups list",
    f"GET {_V1}/workSkillGroups/{{label}}": f"{_W} work-skill-groups get LABEL",
    f"PUT {_V1}/workSkillGroups/{{label}}": f"{_W} work-skill-groups replace LABEL --file",
    f"DELETE {_V1}/workSkillGroups/{{label}}": f"{_W} work-skill-groups delete LABEL",
    f"GET {_V1}/workSkills": f"{_W} work-skills list",
    f"GET {_V1}/workSkills/{{label}}": f"{_W} work-skills get LABEL",
    f"PUT {_V1}/workSkills/{{label}}": f"{_W} work-skills replace LABEL --file",
    f"DELETE {_V1}/workSkills/{{label}}": f"{_W} work-skills delete LABEL",
    f"GET {_V1}/workZoneKey": f"{_W} work-zone-key get",
    f"GET {_V1}/workZones": f"{_W} work-zones list",
    f"POST {_V1}/workZones": f"{_W} work-zones create --file",
    f"PUT {_V1}/workZones": f"{_W} work-zones replace-all --file",
    f"PATCH {_V1}/workZones": f"{_W} work-zones update-all --file",
    f"GET {_V1}/workZones/{{label}}": f"{_W} work-zones get LABEL",
    f"PUT {_V1}/workZones/{{label}}": f"{_W} work-zones replace LABEL --file",
    f"POST {_V1}/workZones/custom-actions/populateShapes":
        f"{_W} work-zones populate-shapes --file",
    f"GET {_V1}/workZones/custom-actions/populateShapes/{{downloadId}}":
        f"{_W} work-zones populate-shapes-status ID",
}  # fmt: skip
"""Every Metadata operation -> the command line that runs it."""
