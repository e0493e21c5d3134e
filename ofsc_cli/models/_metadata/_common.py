"""Shared parts: translations, the status enumeration, label references and the state of a download.

Part of :mod:`ofsc_cli.models.metadata`: import the models from there.
"""

from __future__ import annotations

from typing import Literal

from ofsc_cli.models._base import OFSModel, OpenEnum, Translation

__all__ = [
    "DownloadStatus",
]


Translations = list[Translation]


Status = OpenEnum[Literal["active", "inactive"]]


class LabelRef(OFSModel):
    """A reference to another object by label (``{"label": ...}``)."""

    label: str | None = None


class DownloadStatus(OFSModel):
    """State of a shapes or map-layer download started by a populate action."""

    status: str | None = None
    time: str | None = None
    downloadId: int | None = None
