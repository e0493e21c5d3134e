"""The calendar dates ``ofsc`` sends: ``YYYY-MM-DD`` within :data:`EARLIEST`..:data:`LATEST`.

Neither the API reference nor the notes give OFS's own bounds (it answers 409 "too far in the
past or in the future" for some requests, without saying how far), so a sane range is used:
the years 1900 to 2999.  It refuses the typos that matter (``0026-11-01``, ``9999-12-31``)
at once, before any request is planned, and keeps date arithmetic away from the ends of
:class:`datetime.date`.  Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re

from ofsc_cli.errors import OFSValidationError

__all__ = ["EARLIEST", "LATEST", "check_day", "parse_day"]

EARLIEST = dt.date(1900, 1, 1)
"""The first date accepted."""
LATEST = dt.date(2999, 12, 31)
"""The last date accepted."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_day(day: dt.date, name: str) -> dt.date:
    """Returns ``day`` when it is within range.  Raises :class:`OFSValidationError` naming
    ``name`` when it is not.
    """
    if not EARLIEST <= day <= LATEST:
        raise OFSValidationError(
            f"{name}: {day.isoformat()} is out of range: use a date from {EARLIEST} to {LATEST}"
        )
    return day


def parse_day(value: str, name: str) -> dt.date:
    """Returns ``value`` as a date: a real ``YYYY-MM-DD`` date within range.  Raises
    :class:`OFSValidationError` naming ``name`` otherwise.
    """
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        shown = f"'{value}'" if len(value) <= 40 else f"a {len(value)}-character value"
        raise OFSValidationError(f"{name}: {shown} is not a date (YYYY-MM-DD)") from None
    return check_day(day, name)
