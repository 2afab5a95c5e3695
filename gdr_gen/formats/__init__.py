"""Registry of official format versions. Add a version by adding a module and one entry."""

from __future__ import annotations

from .base import (
    YEAR_PATH,
    FormatSpec,
    GridCell,
    RowDef,
    SectionSpec,
    TableSpec,
    ValuePath,
    path_str,
)
from .v2021 import FORMAT_2021

FORMATS: dict[str, FormatSpec] = {FORMAT_2021.version: FORMAT_2021}
DEFAULT_VERSION = FORMAT_2021.version


def get_format(version: str = DEFAULT_VERSION) -> FormatSpec:
    """Return the format definition for a version string such as "2021"."""
    from ..errors import UnsupportedFormatError

    try:
        return FORMATS[version]
    except KeyError:
        raise UnsupportedFormatError(version, sorted(FORMATS)) from None


__all__ = [
    "DEFAULT_VERSION",
    "FORMATS",
    "YEAR_PATH",
    "FormatSpec",
    "GridCell",
    "RowDef",
    "SectionSpec",
    "TableSpec",
    "ValuePath",
    "get_format",
    "path_str",
]
