"""Pydantic v2 models of OFS objects, one module per API family."""

from ofsc_cli.models._base import Link, OFSModel, Page, Translation, dump

__all__ = ["Link", "OFSModel", "Page", "Translation", "dump"]
