"""Bad-input corpus: options (issue 9, item 4).

Numbers beyond any sane bound (``--limit``/``--offset`` past a billion or 2**63, ids past the
API's 64-bit integers, ``nan``/``inf``, latitudes past 90°), timeouts that are not a positive
finite number of seconds, dates outside the years 1900-2999 and exports over more than ten
years, 100,000-character values, and header names or values with CR/LF or other control
characters in ``ofsc api -H``.  Every one exits 2 with one line on stderr and sends nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs import Case, check
from served_cli import Cli

from ofsc_cli.sandbox import ServerHandle

TWO_63 = str(2**63)
HUGE = "9" * 40
LONG = "A" * 100_000
DAYS = "--resources ROOT --date-from 2026-11-16 --date-to 2026-11-17"


def _case(id: str, command: str, *extra: str, has: str | None = None) -> Case:
    """``command`` is split on spaces; ``extra`` arguments are taken as they are."""
    return Case(id=id, argv=(*command.split(), *extra), code=2, stderr_has=has)


LIMITS = [
    _case("limit-2^63", f"metadata work-zones list --limit {TWO_63}", has="1000000000"),
    _case("limit-1e9+1", "metadata properties list -n 1000000001", has="1000000000"),
    _case("limit-40-digits", f"core resources list --all --limit {HUGE}"),
    _case("limit-activities", f"core activities list {DAYS} --limit {TWO_63}"),
    _case("limit-search", f"core activities search --search-in a --value x --limit {TWO_63}"),
    _case("limit-statistics", f"statistics activity-duration get --limit {TWO_63}", has="10000"),
    _case("limit-declared", f"core users list --limit {TWO_63}"),
    _case("limit-nearby", "core resources find-nearby-activities ROOT --limit 101", has="1 to 100"),
    _case("limit-negative", "metadata work-zones list --limit -5"),
    _case("offset-2^63", f"core users list --offset {TWO_63}", has="1000000000"),
    _case("offset-metadata", f"metadata work-skills list --offset {HUGE}"),
    _case("offset-statistics", f"statistics activity-travel get --offset {TWO_63}"),
    _case("offset-calendars", f"core calendars {DAYS} --offset {TWO_63}"),
]

NUMBERS = [
    _case("int-svc-work-order", f"core activities list --svc-work-order-id {TWO_63}"),
    _case("int-after", f"core activities move 4200010 --after {TWO_63}"),
    _case("int-minutes", f"core activities delay 4200010 --minutes {HUGE}"),
    _case(
        "int-declared-activity",
        f"core resources inventories install ROOT 1 --activity {TWO_63}",
        has="--activity",
    ),
    _case("float-lat-nan", "core resources find-nearby-activities ROOT --lat nan", has="finite"),
    _case("float-lng-inf", "core resources find-nearby-activities ROOT --lng -inf", has="finite"),
    _case("float-lat-91", "core resources positions in-area --lat 91 --lng 0", has="-90.0 to 90"),
    _case(
        "float-quantity-nan",
        "core inventories install 1 --activity 4200010 --quantity nan",
        has="--quantity",
    ),
    _case("sandbox-port-70000", "sandbox serve --port 70000", has="65535"),
    _case("sandbox-port-negative", "sandbox serve --port -1"),
    _case("sandbox-latency-nan", "sandbox serve --latency nan", has="--latency"),
    _case("sandbox-slow-body-inf", "sandbox serve --slow-body inf"),
]

TIMEOUTS = [
    _case(f"timeout-{value}", f"metadata work-zones list --timeout {value}", has="--timeout")
    for value in ("-1", "0", "-0", "nan", "inf", "1e400", "86401", "soon")
] + [
    _case("timeout-before-group", "--timeout=-1 metadata work-zones list"),
    _case("timeout-after-verb-equals", "core users list --timeout=nan"),
]

DATES = [
    _case(
        "dates-0001-9999-all",
        "core activities list --resources ROOT --date-from 0001-01-01 --date-to 9999-12-31 --all",
        has="1900-01-01",
    ),
    _case(
        "dates-0001-9999",
        "core activities list --resources ROOT --date-from 0001-01-01 --date-to 9999-12-31",
    ),
    _case(
        "dates-to-9999",
        "core activities list --resources ROOT --date-from 2026-11-01 --date-to 9999-12-31 --all",
        has="--date-to",
    ),
    _case(
        "dates-export-over-ten-years",
        "core activities list --resources ROOT --date-from 2000-01-01 --date-to 2020-12-31 --all",
        has="3660",
    ),
    _case(
        "dates-impossible",
        "core activities list --resources ROOT --date-from 2026-02-30 --date-to 2026-03-01",
    ),
    _case(
        "dates-search",
        "core activities search --search-in a --value x --date-from 9999-01-01 "
        "--date-to 9999-01-02",
    ),
    _case("dates-move", "core activities move 4200010 --date 9999-12-31 --dry-run", has="--date"),
    _case(
        "dates-calendars",
        "core calendars --resources ROOT --date-from 0001-01-01 --date-to 0001-01-05",
        has="--date-from",
    ),
    _case("dates-route", "core resources routes get ROOT 0999-12-31"),
    _case("dates-capacity", "capacity available --areas x --dates 2026-11-01,9999-12-31"),
    _case("dates-daily-extract", "core daily-extract files 0001-01-01"),
]

LONG_VALUES = [
    # Path values: refused by the library's path check (MAX_PATH_VALUE).
    _case("long-label", "metadata work-zones get", LONG),
    _case("long-resource-id", "core resources get", LONG),
    _case("long-login", "core users get", LONG),
    _case("long-property", "metadata properties get", LONG),
    # Query values: a URL too long for httpx to build must be refused before sending.
    _case("long-resources-option", "core activities list --resources", LONG, *DAYS.split()[2:]),
    _case(
        "long-date",
        "core activities list --resources ROOT --date-to 2026-11-02 --date-from",
        LONG,
        has="100000-character",
    ),
]

API = "api GET /ofscMetadata/v1/workZones -H"
HEADERS = [
    _case("header-lf-in-value", API, "X-Note: a\nInjected: yes", has="control"),
    _case("header-cr-in-value", API, "X-Note: a\rb", has="control"),
    _case("header-crlf-trailing", API, "X-Note: a\r\n", has="control"),
    _case("header-nul-in-value", API, "X-Note: a\x00b", has="control"),
    _case("header-del-in-value", API, "X-Note: a\x7fb"),
    _case("header-non-ascii-value", API, "X-Note: café", has="non-ASCII"),
    _case("header-lf-in-name", API, "X-A\nB: c", has="header name"),
    _case("header-control-in-name", API, "X-A\x01: c"),
    _case("header-space-in-name", API, "X A: c"),
    _case("header-no-colon", API, "Authorization Bearer secret-token"),
    _case("header-empty-name", API, ": value"),
]

CASES: list[Case] = LIMITS + NUMBERS + TIMEOUTS + DATES + LONG_VALUES + HEADERS


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, sandbox_server: ServerHandle, tmp_path: Path) -> None:
    check(case, sandbox_server, tmp_path)


def test_header_errors_never_echo_the_value(sandbox_server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(sandbox_server, tmp_path)
    for header in ("Authorization: Bearer s3cr3t\r\n", "Authorization Bearer s3cr3t"):
        result = cli.fails(2, *API.split(), header)
        assert "s3cr3t" not in result.stderr


def test_values_within_the_bounds_still_work(sandbox_server: ServerHandle, tmp_path: Path) -> None:
    cli = Cli(sandbox_server, tmp_path)
    cli.ok(*API.split(), "X-Trace-Id:  abc-123 ", "-H", "X-Tabbed: a\tb")
    cli.ok("metadata", "work-zones", "list", "--limit", "1000000000", "--timeout", "86400")
    cli.ok("core", "activities", "list", *DAYS.split(), "--limit", "1", "--timeout", "0.5")
    cli.ok("core", "resources", "find-nearby-activities", "TECH-0004", "--limit", "100")
