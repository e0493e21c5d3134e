"""Deterministic seed data: a fictional field-service company, "Harbor Field Services".

:func:`populate` fills an empty :class:`~ofsc_cli.sandbox.store.Store`.  Every random choice
comes from one ``random.Random(seed)`` consumed in a fixed order, so the same ``seed``,
``scale`` and ``today`` always give byte-identical data (see :meth:`Store.fingerprint`).
Every date is placed relative to ``today`` (default: the day it runs, :func:`current_day`):
activities from 15 days before to 14 days after it (finished before it, pending after),
schedules, effective dates, user stamps, events and daily-extract folders likewise, so the
data of one ``today`` is that of another shifted by whole days.  The store keeps the day in
its metadata (:func:`today_of`); the handlers take it as the sandbox's "today".  ``scale``
multiplies the resources, users, inventories and activities (``scale=20`` gives more than
100 000 activities); metadata stays the same size.  Fractions (``0.2``) make small test data.

Collections written (documents use the field names of the OFS response schemas):

========================  =====================================================
``organizations``         ``workZones`` (+ ``workZoneKey``)
``workSkills``            ``workSkillGroups``, ``workSkillConditions``
``properties``            ``enumerationList:<property>``
``activityTypeGroups``    ``activityTypes``
``capacityAreas``         ``capacityAreaLinks`` (children, zones, slots … per area)
``capacityCategories``    ``timeSlots``
``inventoryTypes``        ``resourceTypes``, ``languages``
``applications``          ``applicationApiAccess:<application>``
``forms``, ``shifts``     ``nonWorkingReasons``, ``linkTemplates``, ``mapLayers``
``routingProfiles``       ``routingPlans:<profile>``
``resources``             ``resourceWorkSkills|WorkZones|WorkSchedules|Locations:<id>``,
                          ``resourceAssignedLocations``
``users``                 ``userCollaborationGroups:<login>``
``inventories``           (parent = resourceId)
``eventSubscriptions``    ``events``
activities table          ~5 000 per unit of scale, in the 30 days around ``today``
========================  =====================================================
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ofsc_cli.sandbox.store import Store

__all__ = [
    "COMPANY",
    "LEGACY_TODAY",
    "REGIONS",
    "ROOT_RESOURCE",
    "current_day",
    "languages_iso",
    "populate",
    "seed_window",
    "today_of",
    "translations",
]

COMPANY = "Harbor Field Services"
ROOT_RESOURCE = "ROOT"
#: The day a store seeded before the day was recorded is centred on (its data was fixed there).
LEGACY_TODAY = dt.date(2026, 11, 16)
#: Activities are dated from this many days before ``today`` ...
DAYS_BEFORE = 15
#: ... to this many days after it.
DAYS_AFTER = 14
#: Effective dates (skills, zones, schedules) and user stamps count from this many days before
#: ``today`` (1 January for 16 November).
_EPOCH_DAYS = 319
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL")
TIME_ZONE = {"timeZone": "Eastern", "timeZoneIANA": "America/New_York", "timeZoneDiff": -300}

_ISO = {"en": "en-US", "es": "es-ES", "fr": "fr-FR", "de": "de-DE", "pt": "pt-BR"}


def languages_iso(language: str) -> str:
    """The ``languageISO`` OFS reports for a two-letter language code."""
    return _ISO.get(language, language)


def translations(name: str, **others: str) -> list[dict[str, str]]:
    """A ``translations`` array: English ``name`` plus ``language=name`` pairs."""
    pairs = {"en": name, **others}
    return [{"language": k, "name": v, "languageISO": languages_iso(k)} for k, v in pairs.items()]


def current_day() -> dt.date:
    """The day seeding centres on when none is given: the local date it runs."""
    return dt.date.today()


def seed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day that seeded activities are dated on."""
    return today - dt.timedelta(days=DAYS_BEFORE), today + dt.timedelta(days=DAYS_AFTER)


def today_of(store: Store) -> dt.date:
    """The day ``store``'s data is centred on (its metadata ``today``).

    A store seeded before the day was recorded has data fixed around :data:`LEGACY_TODAY`.
    """
    value = store.memo(("meta", "today"), lambda: store.get_meta("today"))
    if value is None:
        return LEGACY_TODAY
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return LEGACY_TODAY


# --------------------------------------------------------------------------- reference data


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


_CITIES: dict[str, list[tuple[str, str, float, float]]] = {
    # region -> (city, state, latitude, longitude)
    "NORTH": [
        ("Maple Ridge", "NY", 41.21, -73.91),
        ("Cedar Falls", "NY", 41.33, -73.86),
        ("Northgate", "NY", 41.28, -74.02),
        ("Pine Hollow", "NY", 41.40, -73.95),
        ("Elm Crossing", "NY", 41.36, -74.10),
        ("Brookfield", "CT", 41.47, -73.40),
    ],
    "SOUTH": [
        ("Bayview", "NJ", 40.46, -74.22),
        ("Harborside", "NJ", 40.52, -74.30),
        ("Southport", "NJ", 40.38, -74.15),
        ("Willow Bend", "NJ", 40.41, -74.35),
        ("Sandy Point", "NJ", 40.33, -74.05),
        ("Oak Shore", "NJ", 40.29, -74.20),
    ],
    "EAST": [
        ("Eastwick", "NY", 40.76, -73.42),
        ("Seacliff", "NY", 40.85, -73.62),
        ("Riverhead Park", "NY", 40.91, -72.70),
        ("Lighthouse Bay", "NY", 40.70, -73.30),
        ("Dune Harbor", "NY", 40.80, -72.95),
        ("Marsh Landing", "NY", 40.67, -73.15),
    ],
    "WEST": [
        ("Westbury Hills", "NJ", 40.88, -74.55),
        ("Stonebridge", "NJ", 40.95, -74.68),
        ("Valley Forge Park", "NJ", 40.82, -74.72),
        ("Highland View", "NJ", 41.02, -74.60),
        ("Copper Creek", "NJ", 40.78, -74.85),
        ("Ridgecrest", "NJ", 40.90, -74.92),
    ],
    "CENTRAL": [
        ("Midtown", "NY", 40.75, -73.98),
        ("Union Square West", "NY", 40.73, -74.00),
        ("Parkside", "NY", 40.66, -73.97),
        ("Foundry District", "NY", 40.71, -73.94),
        ("Gallery Row", "NY", 40.72, -74.01),
        ("Old Town", "NY", 40.70, -73.99),
    ],
}
_FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony "
    "Betty Mark Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kevin Michelle "
    "Brian Carol George Amanda Timothy Melissa Ronald Deborah Jason Stephanie Ryan Rebecca "
    "Jacob Laura Gary Sharon Nicholas Cynthia Eric Kathleen Jonathan Amy Luis Sofia Mateo Ana"
)
_LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Murphy"
)
_STREETS = _words(
    "Main St|Oak Ave|Maple Dr|Cedar Ln|Park Ave|Elm St|Washington Blvd|Lake Rd|Hill St|"
    "Pine St|River Rd|Church St|Highland Ave|Sunset Blvd|Forest Dr|Meadow Ln|Spring St|"
    "Mill Rd|Harbor Way|Bridge St|Valley Rd|Ridge Rd|Orchard Ln|Willow Ct|Chestnut St",
    "|",
)

_SKILL_AREAS = (
    ("FIBER", "Fiber"),
    ("COPPER", "Copper line"),
    ("HVAC", "HVAC"),
    ("ELEC", "Electrical"),
    ("PLUMB", "Plumbing"),
    ("SOLAR", "Solar"),
    ("METER", "Smart meter"),
    ("GAS", "Gas"),
    ("NETW", "Home network"),
    ("ALARM", "Security alarm"),
)
_SKILL_KINDS = (
    ("INST", "installation"),
    ("REP", "repair"),
    ("INSP", "inspection"),
    ("ADV", "advanced"),
)
_SHARING = ("maximal", "minimal", "summary", "no sharing")

# label, name, group, default duration (minutes), work skill area
_ACTIVITY_TYPES = (
    ("INSTALL", "Installation", "customer", 90, "FIBER"),
    ("REPAIR", "Repair", "customer", 60, "COPPER"),
    ("MAINT", "Preventive maintenance", "customer", 45, "HVAC"),
    ("INSPECT", "Inspection", "customer", 30, "METER"),
    ("UPGRADE", "Service upgrade", "customer", 75, "NETW"),
    ("DISCONNECT", "Disconnection", "customer", 30, "ELEC"),
    ("SURVEY", "Site survey", "customer", 40, "SOLAR"),
    ("EMERGENCY", "Emergency call-out", "customer", 120, "GAS"),
    ("ALARM_SVC", "Alarm service", "customer", 50, "ALARM"),
    ("PLUMB_SVC", "Plumbing service", "customer", 60, "PLUMB"),
    ("LUNCH", "Lunch break", "internal", 30, None),
    ("TRAINING", "Training", "internal", 120, None),
    ("VEHICLE_CHK", "Vehicle check", "internal", 20, None),
    ("TEAMWORK", "Teamwork", "teamwork", 60, None),
)
_CUSTOMER_TYPES = tuple(t for t in _ACTIVITY_TYPES if t[2] == "customer")
_ACTIVITY_TYPE_FEATURES = _words(
    "isTeamworkAvailable isSegmentingEnabled allowMoveBetweenResources allowCreationInBuckets "
    "allowReschedule supportOfNotOrderedActivities allowNonScheduled supportOfWorkZones "
    "supportOfWorkSkills supportOfTimeSlots supportOfInventory supportOfLinks "
    "supportOfPreferredResources allowMassActivities allowRepeatingActivities calculateTravel "
    "calculateActivityDurationUsingStatistics allowToSearch allowToCreateFromIncomingInterface "
    "enableDayBeforeTrigger enableReminderAndChangeTriggers enableNotStartedTrigger "
    "enableSwWarningTrigger calculateDeliveryWindow slaAndServiceWindowUseCustomerTimeZone "
    "supportOfRequiredInventory disableLocationTracking"
)

_TIME_SLOTS = (
    ("08-10", "08:00", "10:00"),
    ("10-12", "10:00", "12:00"),
    ("12-14", "12:00", "14:00"),
    ("14-16", "14:00", "16:00"),
    ("16-18", "16:00", "18:00"),
    ("AM", "08:00", "12:00"),
    ("PM", "12:00", "18:00"),
)

# label|name|type|entity|gui
_PROPERTIES = """
cust_tier|Customer tier|enumeration|activity|combobox
cust_service_level|Service level|enumeration|activity|combobox
cust_contract_id|Contract number|string|activity|text
cust_account_manager|Account manager|string|activity|text
cust_preferred_contact|Preferred contact|enumeration|activity|radiogroup
cust_access_code|Access code|string|activity|text
cust_gate_code|Gate code|string|activity|text
cust_pets_on_site|Pets on site|integer|activity|checkbox
cust_parking_notes|Parking notes|string|activity|text
cust_building_floor|Floor|integer|activity|text
cust_language|Customer language|enumeration|activity|combobox
cust_signature|Customer signature|file|activity|signature
cust_photo_before|Photo before work|file|activity|image
cust_photo_after|Photo after work|file|activity|image
cust_rating|Customer rating|integer|activity|text
job_priority|Job priority|enumeration|activity|combobox
job_cause_code|Cause code|enumeration|activity|combobox
job_resolution_code|Resolution code|enumeration|activity|combobox
job_notes|Technician notes|string|activity|text
job_internal_notes|Internal notes|string|activity|text
job_parts_used|Parts used|string|activity|text
job_meter_reading|Meter reading|integer|activity|text
job_follow_up|Follow-up required|integer|activity|checkbox
job_follow_up_reason|Follow-up reason|string|activity|text
job_warranty|Under warranty|integer|activity|checkbox
job_invoice_number|Invoice number|string|activity|text
job_estimated_cost|Estimated cost|integer|activity|text
job_permit_number|Permit number|string|activity|text
job_safety_check|Safety checklist done|integer|activity|checkbox
job_equipment_model|Equipment model|string|activity|text
job_equipment_serial|Equipment serial|string|activity|text
job_sla_breach|SLA breach|integer|activity|checkbox
job_source|Order source|enumeration|activity|combobox
job_attachments|Attachments|attachments|activity|attachments
res_certification|Certification level|enumeration|resource|combobox
res_vehicle_plate|Vehicle plate|string|resource|text
res_employee_number|Employee number|string|resource|text
res_hire_date|Hire date|string|resource|text
res_home_depot|Home depot|string|resource|text
res_union_member|Union member|integer|resource|checkbox
res_shirt_size|Shirt size|enumeration|resource|combobox
res_mobile_device|Mobile device|string|resource|text
res_photo|Photo|file|resource|image
res_supervisor|Supervisor|string|resource|text
res_overtime_ok|Accepts overtime|integer|resource|checkbox
res_languages|Spoken languages|string|resource|text
inv_condition|Condition|enumeration|inventory|combobox
inv_model|Model|string|inventory|text
inv_manufacturer|Manufacturer|string|inventory|text
inv_firmware|Firmware version|string|inventory|text
inv_mac_address|MAC address|string|inventory|text
inv_warranty_end|Warranty end|string|inventory|text
inv_location_bin|Bin location|string|inventory|text
inv_photo|Inventory photo|file|inventory|image
user_badge_id|Badge ID|string|user|text
user_department|Department|enumeration|user|combobox
user_phone_ext|Phone extension|string|user|text
user_photo|User photo|file|user|image
req_category|Request category|enumeration|service request|combobox
req_description|Request description|string|service request|text
"""

# enumeration property -> "value:Name,value:Name"
_ENUMERATIONS = {
    "cust_tier": "platinum:Platinum,gold:Gold,silver:Silver,bronze:Bronze",
    "cust_service_level": "standard:Standard,priority:Priority,premium:Premium",
    "cust_preferred_contact": "phone:Phone,email:E-mail,sms:Text message",
    "cust_language": "en:English,es:Spanish,fr:French",
    "job_priority": "1:Critical,2:High,3:Normal,4:Low",
    "job_cause_code": "WEAR:Wear and tear,DMG:Damage,INST:Installation fault,UNK:Unknown",
    "job_resolution_code": "FIXED:Fixed,REPL:Replaced part,REFER:Referred,NOACC:No access",
    "job_source": "WEB:Web portal,CC:Call center,APP:Mobile app,PARTNER:Partner",
    "res_certification": "L1:Level 1,L2:Level 2,L3:Level 3",
    "res_shirt_size": "S:Small,M:Medium,L:Large,XL:Extra large",
    "inv_condition": "new:New,refurb:Refurbished,used:Used,faulty:Faulty",
    "user_department": "OPS:Operations,DISP:Dispatch,IT:IT,MGMT:Management",
    "req_category": "BILL:Billing,TECH:Technical,GEN:General",
}

_INVENTORY_TYPES = (
    # label, name, unit, non-serialized
    ("ROUTER", "Wi-Fi router", "", False),
    ("MODEM", "Fiber modem", "", False),
    ("ONT", "Optical network terminal", "", False),
    ("STB", "Set-top box", "", False),
    ("METER", "Smart meter", "", False),
    ("THERMO", "Smart thermostat", "", False),
    ("CAMERA", "Security camera", "", False),
    ("PANEL", "Alarm panel", "", False),
    ("INVERTER", "Solar inverter", "", False),
    ("CABLE_FIBER", "Fiber cable", "m", True),
    ("CABLE_CAT6", "Cat6 cable", "m", True),
    ("CONNECTOR", "Connector", "pcs", True),
    ("FILTER", "HVAC filter", "pcs", True),
    ("PIPE", "Copper pipe", "m", True),
    ("SEALANT", "Sealant", "l", True),
)

_RESOURCE_TYPES = (
    ("BK", "Bucket", "bucket"),
    ("GR", "Group", "group"),
    ("PR", "Technician", "field_resource"),
    ("TR", "Vehicle", "vehicle"),
    ("TL", "Tool", "tool"),
    ("CR", "Crew", "field_resource"),
)

_FORMS = (
    ("site_survey", "Site survey"),
    ("safety_checklist", "Safety checklist"),
    ("customer_feedback", "Customer feedback"),
    ("vehicle_inspection", "Vehicle inspection"),
    ("damage_report", "Damage report"),
)

_SHIFTS = (
    ("DAY", "Day shift", "regular", "08:00", "17:00", 100),
    ("EARLY", "Early shift", "regular", "06:00", "15:00", 100),
    ("LATE", "Late shift", "regular", "12:00", "21:00", 100),
    ("NIGHT", "Night shift", "regular", "21:00", "06:00", 80),
    ("ONCALL_WKD", "Weekend on-call", "on-call", "08:00", "20:00", 50),
    ("HALF_DAY", "Half day", "regular", "08:00", "12:00", 50),
)

_NON_WORKING = (
    ("VACATION", "Vacation"),
    ("SICK", "Sick leave"),
    ("TRAINING", "Training day"),
    ("HOLIDAY", "Public holiday"),
    ("PERSONAL", "Personal day"),
    ("UNPAID", "Unpaid leave"),
)

_USER_TYPES = ("admin", "dispatcher", "technician", "supervisor")


# ------------------------------------------------------------------------------- helpers


def _scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


def _date(d: dt.date) -> str:
    return d.isoformat()


def _keyed(items: Iterable[dict[str, Any]], key: str = "label") -> list[tuple[str, Any, None]]:
    return [(str(item[key]), item, None) for item in items]


class _Seeder:
    """Builds every collection from one random generator, in a fixed order."""

    def __init__(self, store: Store, scale: float, seed: int, today: dt.date) -> None:
        self.store = store
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.first_day, self.last_day = seed_window(today)
        self.epoch = today - dt.timedelta(days=_EPOCH_DAYS)
        self.effective = _date(self.epoch)  # the startDate of skills, zones and schedules
        self.zones: list[dict[str, Any]] = []  # work zone docs
        self.zone_region: dict[str, str] = {}
        self.zone_city: dict[str, tuple[str, str, float, float]] = {}
        self.technicians: list[dict[str, Any]] = []
        self.tech_zones: dict[str, list[str]] = {}
        self.next_internal_id = 5_000_001
        self.zones_by_label: dict[str, dict[str, Any]] = {}
        self.skills: list[str] = []
        self.categories: list[str] = []
        self.activity_docs: list[dict[str, Any]] = []

    def put_all(self, collection: str, rows: Iterable[tuple[str | int, Any, str | None]]) -> None:
        self.store.bulk_put(collection, rows)

    # ----------------------------------------------------------------- metadata

    def organizations(self) -> None:
        orgs = [
            {
                "label": "default",
                "name": COMPANY,
                "type": "inhouse",
                "translations": translations(COMPANY),
            },
            {
                "label": "bluepeak",
                "name": "BluePeak Contracting",
                "type": "contractor",
                "translations": translations("BluePeak Contracting"),
            },
            {
                "label": "ironwood",
                "name": "Ironwood Services",
                "type": "contractor",
                "translations": translations("Ironwood Services"),
            },
        ]
        self.put_all("organizations", _keyed(orgs))

    def work_zones(self) -> None:
        postal = 10100
        for region in REGIONS:
            for city in _CITIES[region]:
                label = city[0].upper().replace(" ", "_")
                keys = [str(postal + i) for i in range(self.rng.randint(2, 4))]
                postal += 10
                org = "default" if self.rng.random() < 0.85 else "bluepeak"
                self.zones.append(
                    {
                        "workZoneLabel": label,
                        "workZoneName": city[0],
                        "status": "active",
                        "travelArea": region.lower(),
                        "keys": keys,
                        "shapes": [],
                        "organization": org,
                    }
                )
                self.zone_region[label] = region
                self.zone_city[label] = city
        self.put_all("workZones", _keyed(self.zones, "workZoneLabel"))
        key = {
            "current": [
                {
                    "label": "Postal code",
                    "length": 5,
                    "function": "",
                    "order": 1,
                    "apiParameterName": "postalCode",
                }
            ],
            "pending": [],
        }
        self.store.put("workZoneKey", "workZoneKey", key)

    def work_skills(self) -> None:
        skills: list[dict[str, Any]] = []
        for area, area_name in _SKILL_AREAS:
            for kind, kind_name in _SKILL_KINDS:
                name = f"{area_name} {kind_name}"
                skills.append(
                    {
                        "label": f"{area}_{kind}",
                        "name": name,
                        "active": self.rng.random() > 0.05,
                        "sharing": self.rng.choice(_SHARING),
                        "translations": translations(name),
                    }
                )
        self.skills = [s["label"] for s in skills]
        self.put_all("workSkills", _keyed(skills))
        groups = []
        for area, area_name in _SKILL_AREAS[:6]:
            groups.append(
                {
                    "label": f"{area}_ALL",
                    "name": f"All {area_name.lower()} skills",
                    "assignToResource": True,
                    "addToCapacityCategory": area in ("FIBER", "HVAC"),
                    "active": True,
                    "workSkills": [
                        {"label": f"{area}_{k}", "ratio": self.rng.choice((50, 75, 100))}
                        for k, _ in _SKILL_KINDS
                    ],
                    "translations": translations(f"All {area_name.lower()} skills"),
                }
            )
        self.put_all("workSkillGroups", _keyed(groups))
        conditions = []
        for i, (label, _, _, _, skill_area) in enumerate(_CUSTOMER_TYPES, 1):
            conditions.append(
                {
                    "internalId": i,
                    "label": f"{skill_area}_{'INST' if label == 'INSTALL' else 'REP'}",
                    "requiredLevel": self.rng.choice((1, 2, 3)),
                    "preferableLevel": self.rng.choice((3, 4, 5)),
                    "conditions": [{"label": "aworktype", "function": "in", "valueList": [label]}],
                    "dependencies": [],
                }
            )
        self.put_all("workSkillConditions", _keyed(conditions, "internalId"))

    def properties(self) -> None:
        props = []
        for line in _PROPERTIES.strip().splitlines():
            label, name, ptype, entity, gui = line.split("|")
            enum = _ENUMERATIONS.get(label)
            prop: dict[str, Any] = {
                "label": label,
                "name": name,
                "type": ptype,
                "entity": entity,
                "gui": gui,
                "translations": translations(name),
            }
            if ptype == "string":
                prop["lines"] = 1
                prop["cloneFlag"] = True
            if ptype == "file":
                prop.update(fileSizeLimit="5MB", mimeTypes=["image/png", "image/jpeg"])
            props.append(prop)
            if enum:
                values = []
                for pair in enum.split(","):
                    value, value_name = pair.split(":")
                    values.append(
                        {
                            "label": value,
                            "active": True,
                            "translations": translations(value_name, es=value_name),
                        }
                    )
                self.put_all(f"enumerationList:{label}", _keyed(values))
        self.put_all("properties", _keyed(props))

    def activity_types(self) -> None:
        groups = [
            {"label": "customer", "translations": translations("Customer")},
            {"label": "internal", "translations": translations("Internal")},
            {"label": "teamwork", "translations": translations("Teamwork")},
        ]
        self.put_all("activityTypeGroups", _keyed(groups))
        types = []
        for label, name, group, duration, _ in _ACTIVITY_TYPES:
            customer = group == "customer"
            features = {f: False for f in _ACTIVITY_TYPE_FEATURES}
            features.update(
                allowMoveBetweenResources=True,
                allowCreationInBuckets=True,
                allowReschedule=customer,
                allowNonScheduled=customer,
                supportOfWorkZones=customer,
                supportOfWorkSkills=customer,
                supportOfTimeSlots=customer,
                supportOfInventory=customer,
                supportOfLinks=customer,
                calculateTravel=customer,
                allowToSearch=True,
                allowToCreateFromIncomingInterface=customer,
                isTeamworkAvailable=group == "teamwork",
            )
            types.append(
                {
                    "label": label,
                    "name": name,
                    "active": True,
                    "groupLabel": group,
                    "defaultDuration": duration,
                    "timeSlots": [{"label": s[0]} for s in _TIME_SLOTS] if customer else [],
                    "colors": {
                        "pending": "FFDE00",
                        "started": "5DBE3F",
                        "completed": "79B6EB",
                        "suspended": "9AC2A8",
                        "cancelled": "80FF80",
                        "notdone": "BFBFBF",
                        "notOrdered": "FFCC99",
                        "warning": "FFAAAA",
                    },
                    "features": features,
                    "translations": translations(name),
                }
            )
        self.put_all("activityTypes", _keyed(types))

    def time_slots_and_categories(self) -> None:
        slots = [
            {
                "label": label,
                "name": label,
                "active": True,
                "isAllDay": False,
                "timeStart": start,
                "timeEnd": end,
            }
            for label, start, end in _TIME_SLOTS
        ]
        slots.append({"label": "ALL_DAY", "name": "All day", "active": True, "isAllDay": True})
        self.put_all("timeSlots", _keyed(slots))
        categories: list[dict[str, Any]] = []
        for area, area_name in _SKILL_AREAS[:8]:
            name = f"{area_name} work"
            categories.append(
                {
                    "label": f"CAT_{area}",
                    "name": name,
                    "active": True,
                    "workSkills": [
                        {"label": f"{area}_INST", "ratio": 100, "startDate": self.effective},
                        {"label": f"{area}_REP", "ratio": 80, "startDate": self.effective},
                    ],
                    "workSkillGroups": [],
                    "timeSlots": [{"label": s[0]} for s in _TIME_SLOTS[:5]],
                    "translations": translations(name),
                }
            )
        self.categories = [c["label"] for c in categories]
        self.put_all("capacityCategories", _keyed(categories))

    def capacity_areas(self) -> None:
        areas: list[dict[str, Any]] = []
        links: list[tuple[str, Any, None]] = []
        config = {
            "definitionLevel": ["day", "timeSlot", "capacityCategory"],
            "byDay": "minutes",
            "byCapacityCategory": "minutes",
            "byTimeSlot": "minutes",
            "isTimeSlotBase": True,
            "isAllowCloseOnWorkzoneLevel": False,
        }
        intervals = [{"timeFrom": s[1], "timeTo": s[2]} for s in _TIME_SLOTS[:5]]
        for region in REGIONS:
            zones = [z["workZoneLabel"] for z in self.zones if z["travelArea"] == region.lower()]
            children = [f"{region}_URBAN", f"{region}_RURAL"]
            areas.append(
                {
                    "label": region,
                    "name": f"{region.title()} region",
                    "type": "group",
                    "status": "active",
                    "configuration": config,
                }
            )
            links.append(
                (
                    region,
                    {
                        "children": children,
                        "workZones": zones,
                        "timeSlots": [],
                        "capacityCategories": [],
                        "organizations": ["default"],
                        "timeIntervals": [],
                    },
                    None,
                )
            )
            for i, child in enumerate(children):
                half = zones[i * 3 : i * 3 + 3]
                cats = self.rng.sample(self.categories, 4)
                areas.append(
                    {
                        "label": child,
                        "name": f"{region.title()} {('urban', 'rural')[i]}",
                        "type": "area",
                        "status": "active",
                        "parentLabel": region,
                        "configuration": config,
                    }
                )
                links.append(
                    (
                        child,
                        {
                            "children": [],
                            "workZones": half,
                            "timeSlots": [s[0] for s in _TIME_SLOTS[:5]],
                            "capacityCategories": cats,
                            "organizations": ["default", "bluepeak"][: 1 + i],
                            "timeIntervals": intervals,
                        },
                        None,
                    )
                )
        self.put_all("capacityAreas", _keyed(areas))
        self.put_all("capacityAreaLinks", links)

    def simple_lists(self) -> None:
        inv_types = [
            {
                "label": label,
                "name": name,
                "unitOfMeasurement": unit,
                "active": True,
                "nonSerialized": bulk,
                "quantityPrecision": 2 if bulk else 0,
                "modelProperty": "inv_model",
                "translations": [{**t, "unitOfMeasurement": unit} for t in translations(name)],
            }
            for label, name, unit, bulk in _INVENTORY_TYPES
        ]
        self.put_all("inventoryTypes", _keyed(inv_types))
        res_types = [
            {
                "label": label,
                "name": name,
                "active": True,
                "role": role,
                "translations": translations(name),
            }
            for label, name, role in _RESOURCE_TYPES
        ]
        self.put_all("resourceTypes", _keyed(res_types))
        langs = [
            ("en", "English"),
            ("es", "Spanish"),
            ("fr", "French"),
            ("de", "German"),
            ("pt", "Portuguese"),
        ]
        self.put_all(
            "languages",
            _keyed(
                {
                    "label": code,
                    "name": name,
                    "active": code in ("en", "es"),
                    "translations": translations(name),
                }
                for code, name in langs
            ),
        )
        forms = [
            {
                "label": label,
                "name": name,
                "translations": translations(name),
                "content": '{"items":[{"type":"section","label":"' + label + '","items":[]}]}',
            }
            for label, name in _FORMS
        ]
        self.put_all("forms", _keyed(forms))
        shifts = [
            {
                "label": label,
                "name": name,
                "active": True,
                "type": kind,
                "workTimeStart": start,
                "workTimeEnd": end,
                "points": points,
            }
            for label, name, kind, start, end, points in _SHIFTS
        ]
        self.put_all("shifts", _keyed(shifts))
        self.put_all(
            "nonWorkingReasons",
            _keyed(
                {"label": label, "name": name, "active": True, "translations": translations(name)}
                for label, name in _NON_WORKING
            ),
        )
        templates = [
            ("START_AFTER", "START_BEFORE", "finish-to-start", "Start after", "Start before"),
            ("SAME_DAY", "SAME_DAY_REV", "related", "Same day", "Same day"),
            ("SIMULTANEOUS", "SIMULTANEOUS_REV", "simultaneous", "Simultaneous", "Simultaneous"),
            ("FOLLOW_UP", "FOLLOWED_BY", "related", "Follow-up of", "Followed by"),
        ]
        self.put_all(
            "linkTemplates",
            _keyed(
                {
                    "label": label,
                    "reverseLabel": reverse,
                    "linkType": kind,
                    "active": True,
                    "minInterval": "none",
                    "maxInterval": "none",
                    "schedulingConstraint": "none",
                    "assignmentConstraint": "none",
                    "translations": [{"language": "en", "name": name, "reverseName": rname}],
                }
                for label, reverse, kind, name, rname in templates
            ),
        )
        self.put_all(
            "mapLayers",
            _keyed(
                [
                    {
                        "label": "FLOOD_ZONES",
                        "status": "active",
                        "text": "Flood risk areas",
                        "translations": translations("Flood zones"),
                        "shapeTitleColumn": "NAME",
                        "tableColumns": ["NAME", "RISK"],
                        "shapeHintColumns": [],
                    },
                    {
                        "label": "SERVICE_POLES",
                        "status": "active",
                        "text": "Utility poles",
                        "translations": translations("Service poles"),
                        "shapeTitleColumn": "POLE_ID",
                        "tableColumns": ["POLE_ID"],
                        "shapeHintColumns": [],
                    },
                ]
            ),
        )
        profiles = ("DAILY_ROUTING", "URGENT", "OVERNIGHT")
        self.put_all("routingProfiles", [(p, {"profileLabel": p}, None) for p in profiles])
        for profile in profiles:
            plans = [f"{profile}_{suffix}" for suffix in ("MAIN", "REOPT")]
            self.put_all(
                f"routingPlans:{profile}",
                [
                    (
                        p,
                        {
                            "planLabel": p,
                            "profileLabel": profile,
                            "name": p.replace("_", " ").title(),
                            "activation": "scheduled",
                            "scheduledTime": "05:30",
                            "optimization": self.rng.choice(("fast", "normal", "thorough")),
                            "assignmentMode": "assign_and_schedule",
                        },
                        None,
                    )
                    for p in plans
                ],
            )

    def applications(self) -> None:
        apis = (
            ("coreAPI", "Core API"),
            ("metadataAPI", "Metadata API"),
            ("capacityAPI", "Capacity API"),
            ("statisticsAPI", "Statistics API"),
            ("partsCatalogAPI", "Parts Catalog API"),
            ("fieldCollaborationAPI", "Field Collaboration API"),
            ("inboundAPI", "Inbound API"),
            ("outboundAPI", "Outbound API"),
        )
        apps = [
            ("demo", "Sandbox demo client", ("coreAPI", "metadataAPI", "capacityAPI")),
            ("erp_sync", "ERP synchronisation", ("coreAPI", "inboundAPI")),
            ("bi_extract", "Reporting extract", ("coreAPI", "statisticsAPI")),
        ]
        rows = []
        for label, name, enabled in apps:
            rows.append(
                (
                    label,
                    {
                        "label": label,
                        "name": name,
                        "status": "active",
                        "tokenService": "ofsc",
                        "resourcesToAllow": [
                            {
                                "resourceId": ROOT_RESOURCE,
                                "resourceInternalId": self.next_internal_id,
                            }
                        ],
                        "IPAddressesToAllow": [],
                        "allowedCorsDomains": [],
                    },
                    None,
                )
            )
            access = []
            for api, api_name in apis:
                config: dict[str, Any] = {
                    "label": api,
                    "name": api_name,
                    "status": "active" if api in enabled else "inactive",
                }
                if api == "coreAPI":
                    config["activityFields"] = [
                        {"label": field, "visibilities": [{"visibility": "ReadWrite"}]}
                        for field in ("cust_tier", "cust_service_level", "job_notes")
                    ]
                    config["apiEntities"] = [
                        {"label": "activity", "access": "ReadWrite"},
                        {"label": "resource", "access": "ReadOnly"},
                    ]
                access.append((api, config, None))
            self.put_all(f"applicationApiAccess:{label}", access)
        self.put_all("applications", rows)

    # -------------------------------------------------------------- resources

    def _resource(
        self, rid: str, name: str, rtype: str, parent: str | None, **extra: Any
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {"resourceId": rid, "resourceInternalId": self.next_internal_id}
        self.next_internal_id += 1
        if parent:
            doc["parentResourceId"] = parent
        doc.update(
            resourceType=rtype,
            name=name,
            status="active",
            organization="default",
            language="en",
            **TIME_ZONE,
            dateFormat="mm/dd/yy",
            timeFormat="12-hour",
            durationStatisticsInitialRatio=1,
            durationStatisticsInitialPeriod=30,
        )
        doc.update(extra)
        return doc

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(_FIRST), self.rng.choice(_LAST)

    def resources(self) -> None:
        s, rng = self.scale, self.rng
        docs = [self._resource(ROOT_RESOURCE, COMPANY, "BK", None)]
        teams_per_region = _scaled(2, s)
        techs = _scaled(166, s, minimum=len(REGIONS))
        vans = _scaled(18, s)
        teams: list[tuple[str, str]] = []
        for region in REGIONS:
            docs.append(
                self._resource(f"BK_{region}", f"{region.title()} region", "BK", ROOT_RESOURCE)
            )
            for t in range(teams_per_region):
                team = f"BK_{region}_{chr(65 + t % 26)}{t // 26 or ''}"
                docs.append(
                    self._resource(team, f"{region.title()} team {team[-1]}", "BK", f"BK_{region}")
                )
                teams.append((team, region))
        for i in range(1, vans + 1):
            region = REGIONS[i % len(REGIONS)]
            docs.append(
                self._resource(
                    f"VAN-{i:03d}",
                    f"Van {i:03d}",
                    "TR",
                    f"BK_{region}",
                    res_vehicle_plate=f"HFS-{rng.randint(1000, 9999)}",
                )
            )
        for i in range(1, techs + 1):
            team, region = teams[i % len(teams)]
            first, last = self._person()
            rid = f"TECH-{i:04d}"
            doc = self._resource(
                rid,
                f"{first} {last}",
                "PR",
                team,
                email=f"{first.lower()}.{last.lower()}{i}@harborfs.example",
                phone=f"+1 555 01{i % 100:02d} {rng.randint(1000, 9999)}",
                res_certification=rng.choice(("L1", "L1", "L2", "L2", "L3")),
                res_employee_number=f"E{100000 + i}",
            )
            if rng.random() < 0.12:
                doc["organization"] = rng.choice(("bluepeak", "ironwood"))
            if rng.random() < 0.04:
                doc["status"] = "inactive"
            docs.append(doc)
            self.technicians.append(doc)
            region_zones = [z for z, r in self.zone_region.items() if r == region]
            self.tech_zones[rid] = rng.sample(region_zones, rng.randint(1, 3))
        self.store.bulk_put(
            "resources", [(d["resourceId"], d, d.get("parentResourceId")) for d in docs]
        )
        self.store.ensure_counter("resourceInternalId", self.next_internal_id)
        self._resource_details()

    def _resource_details(self) -> None:
        rng = self.rng
        skill_rows: dict[str, list[tuple[str, Any, None]]] = {}
        item_id = 0
        location_id = 0
        schedule_id = 0
        for tech in self.technicians:
            rid = tech["resourceId"]
            skills = rng.sample(self.skills, rng.randint(2, 5))
            skill_rows[rid] = [
                (
                    sk,
                    {
                        "workSkill": sk,
                        "ratio": rng.choice((50, 75, 100)),
                        "startDate": self.effective,
                    },
                    None,
                )
                for sk in skills
            ]
            zones = []
            for zone in self.tech_zones[rid]:
                item_id += 1
                zones.append(
                    (
                        item_id,
                        {
                            "workZoneItemId": item_id,
                            "workZone": zone,
                            "ratio": 100,
                            "startDate": self.effective,
                            "recurrence": "weekly",
                            "recurEvery": 1,
                            "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                            "type": "regular",
                        },
                        None,
                    )
                )
            self.store.bulk_put(f"resourceWorkZones:{rid}", zones)
            schedule_id += 1
            shift = rng.choice(("DAY", "DAY", "DAY", "EARLY", "LATE"))
            schedules: list[tuple[int, Any, None]] = [
                (
                    schedule_id,
                    {
                        "scheduleItemId": schedule_id,
                        "recordType": "shift",
                        "shiftLabel": shift,
                        "startDate": self.effective,
                        "isWorking": True,
                        "shiftType": "regular",
                        "recurrence": {
                            "recurrenceType": "weekly",
                            "recurEvery": 1,
                            "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                        },
                    },
                    None,
                )
            ]
            if rng.random() < 0.15:
                schedule_id += 1
                start = self.first_day + dt.timedelta(days=rng.randint(0, 25))
                schedules.append(
                    (
                        schedule_id,
                        {
                            "scheduleItemId": schedule_id,
                            "recordType": "non-working",
                            "nonWorkingReason": rng.choice(("VACATION", "SICK", "TRAINING")),
                            "startDate": _date(start),
                            "endDate": _date(start + dt.timedelta(days=2)),
                            "isWorking": False,
                        },
                        None,
                    )
                )
            self.store.bulk_put(f"resourceWorkSchedules:{rid}", schedules)
            location_id += 1
            zone = self.tech_zones[rid][0]
            city, state, lat, lng = self.zone_city[zone]
            home = {
                "locationId": location_id,
                "label": "home",
                "address": f"{rng.randint(1, 999)} {rng.choice(_STREETS)}",
                "city": city,
                "state": state,
                "postalCode": self.zones_by_label[zone]["keys"][0],
                "country": "US",
                "latitude": round(lat + rng.uniform(-0.05, 0.05), 5),
                "longitude": round(lng + rng.uniform(-0.05, 0.05), 5),
                "status": "valid",
                "privateLocationFlag": True,
            }
            self.store.bulk_put(f"resourceLocations:{rid}", [(location_id, home, None)])
            week = {
                day: {"start": location_id, "end": location_id, "homeZoneCenter": location_id}
                for day in ("mon", "tue", "wed", "thu", "fri")
            }
            self.store.put("resourceAssignedLocations", rid, week)
        for rid, rows in skill_rows.items():
            self.store.bulk_put(f"resourceWorkSkills:{rid}", rows)
        self.store.ensure_counter("workZoneItemId", item_id)
        self.store.ensure_counter("locationId", location_id)
        self.store.ensure_counter("scheduleItemId", schedule_id)

    def users(self) -> None:
        rng = self.rng
        rows: list[tuple[str, Any, None]] = []
        count = _scaled(50, self.scale, minimum=3)
        groups: list[tuple[str, list[tuple[str, Any, None]]]] = []
        base = {
            "status": "active",
            "language": "en",
            **TIME_ZONE,
            "dateFormat": "mm/dd/yy",
            "longDateFormat": "weekday, month dd",
            "timeFormat": "12-hour",
            "weekStart": "default",
            "passwordTemporary": False,
            "loginAttempts": 0,
        }

        def stamp(day: int) -> str:
            midnight = dt.datetime.combine(self.epoch, dt.time())
            when = midnight + dt.timedelta(days=day, minutes=rng.randint(0, 1439))
            return when.strftime("%Y-%m-%d %H:%M:%S")

        techs = [t for t in self.technicians if t["status"] == "active"]
        seen: set[str] = set()
        for i in range(count):
            if i == 0:
                login, name, utype, resources = (
                    "admin",
                    "Sandbox Administrator",
                    "admin",
                    [ROOT_RESOURCE],
                )
            elif i <= max(1, count // 10):
                first, last = self._person()
                login, name, utype = f"disp.{last.lower()}{i}", f"{first} {last}", "dispatcher"
                resources = [f"BK_{REGIONS[i % len(REGIONS)]}"]
            elif i <= max(2, count // 10 + 2):
                first, last = self._person()
                login, name, utype = f"sup.{last.lower()}{i}", f"{first} {last}", "supervisor"
                resources = [ROOT_RESOURCE]
            else:
                tech = techs[(i * 7) % len(techs)]
                login = tech["resourceId"].lower().replace("-", "")
                if login in seen:
                    login = f"{login}_{i}"
                name, utype, resources = tech["name"], "technician", [tech["resourceId"]]
            created = rng.randint(0, 200)
            user = {
                "login": login,
                "name": name,
                "userType": utype,
                **base,
                "resources": resources,
                "mainResourceId": resources[0],
                "selfAssignment": utype == "technician",
                "createdTime": stamp(created),
                "lastUpdatedTime": stamp(created + 30),
                "lastLoginTime": stamp(300 + rng.randint(0, 15)),
                "lastPasswordChangeTime": stamp(created),
            }
            seen.add(login)
            rows.append((login, user, None))
            if utype in ("dispatcher", "supervisor"):
                groups.append(
                    (
                        login,
                        [
                            ("Dispatch", {"name": "Dispatch"}, None),
                            ("Region leads", {"name": "Region leads"}, None),
                        ],
                    )
                )
        self.store.bulk_put("users", rows)
        for login, items in groups:
            self.store.bulk_put(f"userCollaborationGroups:{login}", items)

    # ------------------------------------------------------------ activities

    def activities(self) -> None:
        rng = self.rng
        total = _scaled(5000, self.scale, minimum=20)
        non_scheduled = max(1, total // 50)
        techs = [t for t in self.technicians if t["status"] == "active"]
        span = (self.last_day - self.first_day).days + 1
        days = [self.first_day + dt.timedelta(days=d) for d in range(span)]
        # Assign (technician, day) pairs first, then build each route in order.
        routes: dict[tuple[int, int], int] = {}
        for _ in range(total - non_scheduled):
            key = (rng.randrange(len(techs)), rng.randrange(len(days)))
            routes[key] = routes.get(key, 0) + 1
        next_id = 4_200_001
        docs: list[dict[str, Any]] = []
        customers = _scaled(2000, self.scale, minimum=50)
        for (tech_index, day_index), count in sorted(routes.items()):
            tech = techs[tech_index]
            day = days[day_index]
            minute = 8 * 60 + rng.randint(0, 30)
            for position in range(1, count + 1):
                doc = self._activity(next_id, tech, day, position, minute, customers)
                minute += int(doc.get("duration", 30)) + rng.randint(10, 40)
                docs.append(doc)
                next_id += 1
        buckets = [f"BK_{r}" for r in REGIONS]
        for _ in range(non_scheduled):
            bucket = rng.choice(buckets)
            docs.append(self._activity(next_id, {"resourceId": bucket}, None, None, 0, customers))
            next_id += 1
        self.store.bulk_put_activities(docs)
        self.store.ensure_counter("activityId", next_id)
        self.activity_docs = docs

    def _activity(
        self,
        activity_id: int,
        tech: dict[str, Any],
        day: dt.date | None,
        position: int | None,
        minute: int,
        customers: int,
    ) -> dict[str, Any]:
        rng = self.rng
        rid = tech["resourceId"]
        zones = self.tech_zones.get(rid) or [rng.choice(self.zones)["workZoneLabel"]]
        zone = rng.choice(zones)
        city, state, lat, lng = self.zone_city[zone]
        atype, _, _, duration, _ = rng.choice(_CUSTOMER_TYPES)
        duration = max(15, duration + rng.randint(-15, 30))
        customer = rng.randrange(customers)
        first, last = _FIRST[customer % len(_FIRST)], _LAST[(customer * 7) % len(_LAST)]
        slot = rng.choice(_TIME_SLOTS[:5])
        doc: dict[str, Any] = {
            "activityId": activity_id,
            "resourceId": rid,
            "activityType": atype,
            "apptNumber": f"WO-{activity_id - 4_000_000:07d}",
            "customerNumber": f"C{100000 + customer}",
            "customerName": f"{first} {last}",
            "customerPhone": f"+1 555 02{customer % 100:02d} {1000 + customer % 9000}",
            "customerEmail": f"{first.lower()}.{last.lower()}@mail.example",
            "streetAddress": f"{rng.randint(1, 2500)} {rng.choice(_STREETS)}",
            "city": city,
            "stateProvince": state,
            "postalCode": rng.choice(self.zones_by_label[zone]["keys"]),
            "country_code": "US",
            "workZone": zone,
            "latitude": round(lat + rng.uniform(-0.04, 0.04), 5),
            "longitude": round(lng + rng.uniform(-0.04, 0.04), 5),
            "duration": duration,
            "timeSlot": slot[0],
            "serviceWindowStart": slot[1] + ":00",
            "serviceWindowEnd": slot[2] + ":00",
            "recordType": "regular",
            "language": "en",
            "languageISO": "en-US",
            "timeZone": "Eastern",
            "timeZoneIANA": "America/New_York",
            "cust_tier": rng.choice(("platinum", "gold", "gold", "silver", "silver", "bronze")),
            "cust_service_level": rng.choice(("standard", "standard", "priority", "premium")),
            "job_priority": rng.choice(("1", "2", "3", "3", "3", "4")),
        }
        if rng.random() < 0.3:
            doc["cust_contract_id"] = f"K-{rng.randint(10000, 99999)}"
        if day is None:
            doc["status"] = "pending"
            return doc
        doc["date"] = _date(day)
        doc["positionInRoute"] = position
        doc["resourceTimeZone"] = "Eastern"
        doc["resourceTimeZoneIANA"] = "America/New_York"
        doc["resourceTimeZoneDiff"] = -300
        doc["travelTime"] = rng.randint(5, 40)
        roll = rng.random()
        if day < self.today:
            status = "completed" if roll < 0.85 else "notdone" if roll < 0.93 else "cancelled"
        elif day == self.today:
            status = "completed" if roll < 0.3 else "started" if roll < 0.45 else "pending"
        else:
            status = "pending" if roll < 0.95 else "cancelled"
        doc["status"] = status
        if status != "cancelled":
            start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
            doc["startTime"] = start.strftime("%Y-%m-%d %H:%M:%S")
            doc["endTime"] = (start + dt.timedelta(minutes=duration)).strftime("%Y-%m-%d %H:%M:%S")
        if status in ("completed", "notdone"):
            doc["job_resolution_code"] = "FIXED" if status == "completed" else "NOACC"
        return doc

    def inventories(self) -> None:
        rng = self.rng
        rows: list[tuple[int, Any, str | None]] = []
        inventory_id = 21_000_000
        serialized = [t for t in _INVENTORY_TYPES if not t[3]]
        bulk = [t for t in _INVENTORY_TYPES if t[3]]
        for tech in self.technicians:
            for _ in range(rng.randint(1, 4)):
                inventory_id += 1
                label = rng.choice(serialized)[0]
                rows.append(
                    (
                        inventory_id,
                        {
                            "inventoryId": inventory_id,
                            "status": "resource",
                            "inventoryType": label,
                            "serialNumber": f"{label[:3]}{rng.randint(10**7, 10**8 - 1)}",
                            "quantity": 1,
                            "resourceId": tech["resourceId"],
                            "inv_condition": rng.choice(("new", "new", "refurb")),
                        },
                        tech["resourceId"],
                    )
                )
            inventory_id += 1
            label = rng.choice(bulk)[0]
            rows.append(
                (
                    inventory_id,
                    {
                        "inventoryId": inventory_id,
                        "status": "resource",
                        "inventoryType": label,
                        "quantity": float(rng.randint(5, 200)),
                        "resourceId": tech["resourceId"],
                    },
                    tech["resourceId"],
                )
            )
        installs = [
            a
            for a in self.activity_docs
            if a["status"] == "completed" and a["activityType"] in ("INSTALL", "UPGRADE")
        ]
        for activity in installs[: _scaled(300, self.scale)]:
            inventory_id += 1
            label = rng.choice(serialized)[0]
            rows.append(
                (
                    inventory_id,
                    {
                        "inventoryId": inventory_id,
                        "status": "installed",
                        "inventoryType": label,
                        "serialNumber": f"{label[:3]}{rng.randint(10**7, 10**8 - 1)}",
                        "quantity": 1,
                        "activityId": activity["activityId"],
                    },
                    None,
                )
            )
        self.store.bulk_put("inventories", rows)
        self.store.ensure_counter("inventoryId", inventory_id)

    def events(self) -> None:
        subscription: dict[str, Any] = {
            "subscriptionId": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "subscriptionTitle": "Sandbox activity changes",
            "applicationId": "demo",
            "events": ["activityCreated", "activityUpdated", "activityCompleted"],
            "createdTime": f"{_date(self.first_day)} 00:00:00",
        }
        self.store.put("eventSubscriptions", subscription["subscriptionId"], subscription)
        done = [a for a in self.activity_docs if a["status"] == "completed"][:20]
        events = [
            (
                str(i),
                {
                    "eventType": "activityCompleted",
                    "time": a["endTime"],
                    "user": "admin",
                    "activityDetails": {
                        "activityId": a["activityId"],
                        "resourceId": a["resourceId"],
                        "date": a["date"],
                        "status": "completed",
                    },
                },
                subscription["subscriptionId"],
            )
            for i, a in enumerate(done, 1)
        ]
        self.store.bulk_put("events", events)

    def run(self) -> None:
        self.organizations()
        self.work_zones()
        self.zones_by_label = {z["workZoneLabel"]: z for z in self.zones}
        self.work_skills()
        self.properties()
        self.activity_types()
        self.time_slots_and_categories()
        self.capacity_areas()
        self.simple_lists()
        self.applications()
        self.resources()
        self.users()
        self.activities()
        self.inventories()
        self.events()


def populate(
    store: Store, *, scale: float = 1.0, seed: int = 42, today: dt.date | None = None
) -> None:
    """Fill ``store`` (assumed empty) with the seed data centred on ``today`` (default
    :func:`current_day`), in one transaction; the day is recorded in the store's metadata."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    day = today if today is not None else current_day()
    with store.transaction():
        store.set_meta("today", day.isoformat())
        _Seeder(store, scale, seed, day).run()
