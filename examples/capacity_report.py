"""Capacity and quota of areas over a few days, as a table or CSV.

    python examples/capacity_report.py                                   # every area, 7 days
    python examples/capacity_report.py -p prod --areas NORTH,SOUTH --from 2026-12-01 --days 3 --csv

One row per date and capacity area: the calendar and available minutes of ``GET capacity``
(``client.capacity.get_capacity``, summed over the time intervals) beside the quota, used
minutes and booked activities of ``GET v2/quota`` (``client.capacity.get_quota``), and how
much of the quota is left.  ``--by-category`` adds a row per capacity category (capacity
figures only: quota per category needs ``categoryLevel``, left out here).  Without
``--areas`` the report covers every capacity area of the instance.

A table for people (aligned columns, on stdout) or, with ``--csv``, CSV with a header line for
spreadsheets.  Exit status: 0; 1 when a request fails; 2 for a bad date; 3 for a bad profile.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any

from ofsc_cli import OFSC, OFSConfigurationError, OFSError
from ofsc_cli.models.capacity import CapacityList, QuotaList, metric_total

COLUMNS = (
    "date",
    "area",
    "category",
    "calendar_min",
    "available_min",
    "quota_min",
    "used_min",
    "quota_left_min",
    "booked",
)


def report_rows(
    capacity: CapacityList, quota: QuotaList, by_category: bool
) -> Iterator[dict[str, Any]]:
    """The rows of the report: each date and area of ``capacity`` with its ``quota``."""
    quotas = {(day.date, area.label): area for day in quota.items for area in day.areas}
    for day in capacity.items:
        for area in day.areas:
            q = quotas.get((day.date, area.label))
            used = q.used if q else None
            left = q.quota - used if q and q.quota is not None and used is not None else None
            yield {
                "date": day.date,
                "area": area.label,
                "category": "",
                "calendar_min": metric_total(area.calendar, "minutes"),
                "available_min": metric_total(area.available, "minutes"),
                "quota_min": q.quota if q else None,
                "used_min": used,
                "quota_left_min": left,
                "booked": q.bookedActivities if q else None,
            }
            for category in (area.categories or []) if by_category else []:
                yield {
                    "date": day.date,
                    "area": area.label,
                    "category": category.label,
                    "calendar_min": metric_total(category.calendar, "minutes"),
                    "available_min": metric_total(category.available, "minutes"),
                }


def print_table(rows: list[dict[str, Any]]) -> None:
    """``rows`` as aligned columns, numbers to the right, a header line first."""
    cells = [[("" if r.get(c) is None else str(r[c])) for c in COLUMNS] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip())
    for row in cells:
        out = [
            v.ljust(w) if i < 3 else v.rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(out).rstrip())


def main(argv: list[str] | None = None) -> int:
    """Run the example with the command-line arguments ``argv``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-p", "--profile", default="sandbox", help="default: sandbox")
    parser.add_argument("--areas", help="capacity areas, comma-separated (default: all)")
    parser.add_argument("--from", dest="start", help="first date, YYYY-MM-DD (default: today)")
    parser.add_argument("--days", type=int, default=7, help="number of dates (default 7)")
    parser.add_argument("--by-category", action="store_true", help="a row per category too")
    parser.add_argument("--csv", action="store_true", help="CSV instead of a table")
    args = parser.parse_args(argv)
    try:
        start = dt.date.fromisoformat(args.start) if args.start else dt.date.today()
    except ValueError as exc:
        parser.error(f"--from: {exc}")
    if not 1 <= args.days <= 31:
        parser.error("--days: from 1 to 31")
    dates = [(start + dt.timedelta(days=n)).isoformat() for n in range(args.days)]
    try:
        with OFSC.from_profile(args.profile) as client:
            if args.areas:
                areas = args.areas.split(",")
            else:
                listed = client.metadata.list_capacity_areas(status="active")
                areas = [a.label for a in listed.items if a.label]
            capacity = client.capacity.get_capacity(dates, areas=areas)
            quota = client.capacity.get_quota(dates, areas=areas)
    except OFSConfigurationError as exc:
        print(f"capacity_report: {exc}", file=sys.stderr)
        return 3
    except OFSError as exc:
        print(f"capacity_report: {exc}", file=sys.stderr)
        return 1
    rows = list(report_rows(capacity, quota, args.by_category))
    if args.csv:
        writer = csv.DictWriter(sys.stdout, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
