"""``ofsc statistics``: learned activity durations and travel times, and their overrides.

The three statistics collections differ only in their filters and columns: each is one
:class:`~ofsc_cli.cli.declare.Group` of two declared commands, ``get`` and ``update``.
"""

from __future__ import annotations

from itertools import islice

from ofsc_cli.cli.declare import DRY_RUN, Body, Call, Command, Group, Opt, build
from ofsc_cli.client.api.statistics import Statistics as S

__all__ = ["GROUP", "app"]

PAGE_OPTIONS = (
    Opt("--all", "all_", "Follow the next links: every record.", kind="bool", to_op=False),
    Opt("--limit", help="At most N records (and N per request).", kind="int", bounds=(1, 10_000)),
    Opt("--offset", help="Skip this many records.", kind="int", bounds=(0, 1_000_000_000)),
)


def _get(call: Call) -> None:
    """One page of records, or with --all every record (following the next links)."""
    from ofsc_cli.client.api.statistics import iter_stats

    kwargs = call.kwargs()
    if call.values["all_"] and not call.dry_run:
        records = iter_stats(call.bound(), **kwargs)
        call.write(islice(records, kwargs.get("limit")))
        return
    page = call.execute(None, **kwargs)
    if page is DRY_RUN:
        return
    count = call.write(page.items)
    if page.next_href():
        call.obj.info(f"Showing {count}; more follow: use --all, or --offset/--limit.")


def _update(call: Call) -> None:
    from ofsc_cli.cli._input import read_checked_body

    body = read_checked_body(str(call.file), call.command.op)
    call.render(call.execute(None, body))


def _stats(
    name: str,
    help: str,
    get: object,
    update: object,
    filters: tuple[Opt, ...],
    columns: tuple[str, ...],
    example_filter: str,
) -> Group:
    return Group(
        name,
        help,
        (
            Command(
                "get",
                help,
                (
                    f"ofsc statistics {name} get --limit 20",
                    f"ofsc statistics {name} get {example_filter}",
                ),
                op=get,
                params=(*PAGE_OPTIONS, *filters),
                columns=columns,
                dry_run=True,
                run=_get,
            ),
            Command(
                "update",
                'Set overrides from a file ({"items": [...]}).',
                f"ofsc statistics {name} update --file overrides.json",
                op=update,
                body=Body(),
                run=_update,
            ),
        ),
    )


GROUP = Group(
    "statistics",
    "Activity duration and travel statistics.",
    (
        _stats(
            "activity-duration",
            "Activity duration statistics per resource and activity key.",
            S.get_activity_duration_stats,
            S.update_activity_duration_stats,
            (
                Opt("--resource-id", help="Only this resource."),
                Opt(
                    "--include-children",
                    help="With --resource-id: include the resources below it.",
                    kind="bool",
                ),
                Opt("--akey", help="Only this activity key."),
            ),
            ("resourceId", "akey", "level", "avg", "dev", "count", "override"),
            "--resource-id TECH1 --include-children",
        ),
        _stats(
            "activity-travel",
            "Travel time statistics between travel keys.",
            S.get_activity_travel_stats,
            S.update_activity_travel_stats,
            (
                Opt("--region", help="Only this region."),
                Opt("--fkey", help="Only travel from this key."),
                Opt("--tkey", help="Only travel to this key."),
                Opt("--key-id", help="Only this travel key id.", kind="int"),
            ),
            ("keyId", "fkey", "tkey", "region", "avg", "dev", "count", "override"),
            "--region north",
        ),
        _stats(
            "airline-distance-travel",
            "Travel time estimated from airline distance.",
            S.get_airline_distance_based_travel,
            S.update_airline_distance_based_travel,
            (
                Opt(
                    "--level",
                    help="company or travelkey.",
                    kind="choice",
                    choices=("company", "travelkey"),
                ),
                Opt("--key", help="Only this travel key."),
                Opt("--distance", help="Only this distance."),
                Opt("--key-id", help="Only this travel key id.", kind="int"),
            ),
            ("level", "key", "keyId", "data"),
            "--level company",
        ),
    ),
)

app = build(GROUP)
