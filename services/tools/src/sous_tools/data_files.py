"""Loading the shipped JSON tables with a clear error naming the file when one is broken."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError


class DataFileError(RuntimeError):
    """A data file is missing or does not match its schema (raised at startup)."""


def load_rows[Row: BaseModel](path: Path, row_type: type[Row]) -> list[Row]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"Cannot read data file {path}: {exc}") from exc
    try:
        return TypeAdapter(list[row_type]).validate_json(raw)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise DataFileError(f"Data file {path} does not match its schema: {exc}") from exc
