"""``ofsc metadata``: configuration objects, one declaration per resource."""

from __future__ import annotations

from ofsc_cli.cli._resource import Resource, group
from ofsc_cli.client.api.metadata import Metadata
from ofsc_cli.models.metadata import WorkZone

RESOURCES = [
    Resource(
        name="work-zones",
        help="Work zones (v1).",
        key="workZoneLabel",
        columns=("workZoneLabel", "workZoneName", "status", "travelArea", "keys"),
        model=WorkZone,
        list=Metadata.list_work_zones,
        get=Metadata.get_work_zone,
    ),
]

app = group("Configuration objects: work zones, skills, properties, activity types…", RESOURCES)
