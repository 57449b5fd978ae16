"""What a benchmark hands to the report: tables with a caption, notes, and the raw numbers."""

from __future__ import annotations

from typing import Any, TypedDict


class Table(TypedDict):
    title: str
    columns: list[str]
    rows: list[list[Any]]


class Section(TypedDict):
    name: str  # the --only name
    title: str
    method: str  # how it was measured (markdown)
    tables: list[Table]
    notes: list[str]
    load: dict[str, float]  # 1-minute load average before and after
    raw: dict[str, Any]


def ms(value: float | None) -> str:
    """A millisecond figure for a table cell ("-" when missing)."""
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"
