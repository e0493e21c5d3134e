"""The API's bulk operations (activities ``bulkUpdate``; the resources' work zones, work
skills, work schedules and inventories) as :class:`~ofsc_cli.client.bulk.base.BulkSpec`
objects, by operation key (:func:`bulk_specs`).
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping
from typing import Any

from ofsc_cli.client.bulk.base import BulkSpec, InvalidItem

__all__ = ["bulk_specs", "check_activity"]


_IDENTIFY_FIELDS: dict[str, tuple[str, ...]] = {
    "activityId": ("activityId",),
    "apptNumber": ("apptNumber",),
    "apptNumberPlusCustomerNumber": ("apptNumber", "customerNumber"),
    "apptNumberPlusIbAssetId": ("apptNumber", "ibAssetId"),
}


_INTEGER_KEYS = ("activityId", "ibAssetId")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_activity(item: dict[str, Any], parameters: Mapping[str, Any]) -> None:
    """Check that ``item``, an activity of a bulk update, has the fields that find it
    (``identifyActivityBy`` of ``parameters``), an integer id where one is needed, and a
    ``YYYY-MM-DD`` date if any.  Raises :class:`InvalidItem` naming the field otherwise.
    """
    identify_by = str(parameters.get("identifyActivityBy") or "activityId")
    for name in _IDENTIFY_FIELDS.get(identify_by, ()):
        value = item.get(name)
        if value in (None, ""):
            raise InvalidItem(name, f"missing (needed to find the activity by {identify_by})")
        if name in _INTEGER_KEYS and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidItem(name, f"'{value}' is not an integer")
    date = item.get("date")
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        raise InvalidItem("date", f"'{date}' is not a date (YYYY-MM-DD)")


@functools.cache
def bulk_specs() -> Mapping[str, BulkSpec]:
    """Returns the specs of the API's bulk operations, by operation key (``"POST /rest/…"``)."""
    from ofsc_cli.client.api.core_activities import CoreActivities as A
    from ofsc_cli.client.api.core_resources import CoreResources as R
    from ofsc_cli.models.activities import Activity, BulkUpdateParameters
    from ofsc_cli.models.resources import (
        BulkResourceInventories,
        BulkWorkSchedules,
        BulkWorkSkills,
        BulkWorkZones,
    )

    ids = ("resourceId", "resourceInternalId")

    def per_resource(name: str, model: Any, list_field: str, idempotent: bool) -> BulkSpec:
        return BulkSpec(
            name,
            "resources",
            model,
            list_field=list_field,
            group_by=ids,
            key_fields=ids,
            idempotent=idempotent,
        )

    return types.MappingProxyType(
        {
            A.bulk_update_activities.spec.key: BulkSpec(
                "activity updates",
                "activities",
                Activity,
                check=check_activity,
                envelope="activities",
                parameters="updateParameters",
                parameters_model=BulkUpdateParameters,
                parameter_defaults={
                    "ifInFinalStatusThen": "doNothing",
                    "identifyActivityBy": "activityId",
                },
                failed_key="operationsFailed",
                error_fields=("errorDetail",),
                flatten_errors=False,
            ),
            # Work zones and skills are replaced: sending a batch twice is harmless.
            R.bulk_update_work_zones.spec.key: per_resource(
                "work-zone assignments", BulkWorkZones, "workZones", True
            ),
            R.bulk_update_work_skills.spec.key: per_resource(
                "work skills", BulkWorkSkills, "workSkills", True
            ),
            # Work-schedule records are added, so twice would add them twice.
            R.bulk_update_work_schedules.spec.key: per_resource(
                "work-schedule records", BulkWorkSchedules, "workSchedules", False
            ),
            R.bulk_update_inventories.spec.key: BulkSpec(
                "inventory changes",
                "resources",
                BulkResourceInventories,
                envelope="resources",
                list_field="inventories",
                group_by=("resourceId",),
                key_fields=("resourceId",),
            ),
        }
    )
