"""Tables drawn on a terminal: headers in words, columns fitted to the terminal's width.

Only the drawn table (``-o table`` on a TTY) uses this module; piped tables and CSV keep the
raw field names as headers and every column, because scripts read them.

The fitting rule, in order:

1. Every column gets the width of its widest cell (or of the longest word of its header) if
   the table fits; headers then get onto one line, left to right, while room is left, and
   wrap between words otherwise.
2. Identifier columns are never shortened and never wrapped: the first column, and every
   column whose last dotted segment is ``id``, ``label`` or ``login`` or ends in one of them
   in camelCase (``resourceId``, ``workZoneLabel``, ``parent.label``, ``mainResourceID``).
   Their headers may wrap between words, never inside one.
3. The other columns are shortened, widest first, down to :data:`MIN_SHORTENED` characters
   each; a shortened cell ends in ``…`` and is never wrapped.
4. If the table still does not fit, columns are left out from the right (the declared column
   order, last first; the first column always stays) and the caller is told which
   (:attr:`FittedTable.dropped`), so one line on stderr can name them.

Names (``name``, ``workZoneName``) are text written by people and may be long, so they are
shortened like other text rather than kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "COLUMN_GAP",
    "MIN_SHORTENED",
    "FittedTable",
    "draw_table",
    "fit_widths",
    "header_text",
    "is_identifier_column",
]

COLUMN_GAP: Final = 2
"""Blank characters between two columns of a drawn table."""

MIN_SHORTENED: Final = 10
"""The narrowest a shortened column gets (room for a date) before columns are left out."""

_IDENTIFIER_WORDS: Final = ("id", "label", "login")
_CAMEL_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS: Final = re.compile(r"[_\-\s]+")


def header_text(name: str) -> str:
    """Returns the header of a drawn table for the field ``name``, in words.

    ``workZoneLabel`` → ``Work zone label``, ``resourceId`` → ``Resource ID``,
    ``activityKeys.activityId`` → ``Activity keys activity ID``, ``languageISO`` →
    ``Language ISO``, ``on-call`` → ``On call``. A name without lower-case letters (a custom
    property such as ``XA_REGION``) is shown as it is.
    """
    if not any(ch.islower() for ch in name):
        return name
    words: list[str] = []
    for segment in name.split("."):
        spaced = _CAMEL_BOUNDARY.sub(" ", segment)
        words.extend(word for word in _SEPARATORS.split(spaced) if word)
    if not words:
        return name
    shown = []
    for word in words:
        if len(word) > 1 and word.isupper():
            shown.append(word)  # an acronym as the API writes it: ISO, URL
        elif word.lower() == "id":
            shown.append("ID")
        else:
            shown.append(word.lower())
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def is_identifier_column(name: str, position: int) -> bool:
    """Returns whether column ``name`` at ``position`` is kept whole (see the module's rule)."""
    if position == 0:
        return True
    last = name.rsplit(".", 1)[-1]
    lowered = last.lower()
    for word in _IDENTIFIER_WORDS:
        if lowered == word:
            return True
        if lowered.endswith(word) and last[-len(word)].isupper():
            return True  # resourceId, workZoneLabel, mainResourceID
    return False


@dataclass(frozen=True)
class FittedTable:
    """Which columns a table keeps (by position) and the width of each kept one."""

    kept: list[int]
    widths: list[int]
    dropped: list[int]


def _spread(lows: list[int], highs: list[int], room: int) -> list[int]:
    """Widths between ``lows`` and ``highs`` summing to at most ``room``: the widest columns
    give up characters first (every width is ``clamp(level, low, high)``)."""
    if sum(highs) <= room:
        return list(highs)

    def total(level: int) -> int:
        return sum(min(max(level, lo), hi) for lo, hi in zip(lows, highs, strict=True))

    low, high = 0, max(highs)
    while low < high:  # the highest level whose total still fits
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [min(max(low, lo), hi) for lo, hi in zip(lows, highs, strict=True)]
    spare = room - sum(widths)
    for i, hi in enumerate(highs):
        if spare <= 0:
            break
        if widths[i] < hi:
            widths[i] += 1
            spare -= 1
    return widths


def fit_widths(
    content: Sequence[int],
    minimum: Sequence[int],
    width: int,
    natural: Sequence[int] | None = None,
) -> FittedTable:
    """Fit columns into ``width``: each gets at least ``minimum``, at most ``content`` (its
    cells whole), and then, while room is left, its ``natural`` width (a header on one line).
    Returns the :class:`FittedTable`.

    Columns are left out from the right until the minimums fit; the first column is always
    kept (cut to ``width`` if it alone is wider).
    """
    kept = list(range(len(content)))
    while len(kept) > 1 and sum(minimum[i] for i in kept) + COLUMN_GAP * (len(kept) - 1) > width:
        kept.pop()
    room = max(1, width - COLUMN_GAP * (len(kept) - 1))
    lows = [max(1, min(minimum[i], room)) for i in kept]
    highs = [max(low, min(content[i], room)) for low, i in zip(lows, kept, strict=True)]
    widths = _spread(lows, highs, room)
    spare = room - sum(widths)
    if natural is not None and widths == highs:
        for j, i in enumerate(kept):  # whole headers, left to right, where they fit
            extra = natural[i] - widths[j]
            if 0 < extra <= spare:
                widths[j] += extra
                spare -= extra
    dropped = [i for i in range(len(content)) if i not in kept]
    return FittedTable(kept=kept, widths=widths, dropped=dropped)


def _wrap_words(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` between words (a longer word stays
    whole on its own line; the column's ellipsis cuts it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or text


def draw_table(
    console: Console,
    names: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
) -> list[str]:
    """Draw ``rows`` (cells as text) on ``console`` under headers made from ``names``, fitted
    to the console's width, with ``title`` above when given.  Returns the names of the
    columns left out (empty when all fit).
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    headers = [header_text(name) for name in names]
    content: list[int] = []
    natural: list[int] = []
    minimum: list[int] = []
    for position, (name, header) in enumerate(zip(names, headers, strict=True)):
        cells = max(
            (cell_len(line) for row in rows for line in row[position].splitlines()), default=0
        )
        longest_word = max((cell_len(word) for word in header.split()), default=0)
        content.append(max(cells, longest_word))
        natural.append(max(cells, cell_len(header)))
        if is_identifier_column(name, position):
            minimum.append(content[-1])
        else:
            minimum.append(min(content[-1], MIN_SHORTENED))
    fitted = fit_widths(content, minimum, console.width, natural)

    table = Table(title=title, box=None, pad_edge=False, show_edge=False)
    for position, width in zip(fitted.kept, fitted.widths, strict=True):
        table.add_column(
            Text(_wrap_words(headers[position], width)),
            width=width,
            no_wrap=True,
            overflow="ellipsis",
        )
    for row in rows:
        table.add_row(*(Text(row[position]) for position in fitted.kept))
    console.print(table)
    return [names[i] for i in fitted.dropped]
