"""The ingredient density table (grams per US cup) that bridges volume and weight."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from sous_tools.data_files import load_rows
from sous_tools.errors import InvalidInput, did_you_mean
from sous_tools.matching import NameIndex, normalise


class Density(BaseModel):
    ingredient: str
    aliases: list[str] = []
    grams_per_cup: float = Field(gt=0)
    source: str


class DensityTable:
    def __init__(self, rows: list[Density]) -> None:
        self.rows = rows
        self._index = NameIndex((row, row.ingredient, row.aliases) for row in rows)

    @classmethod
    def load(cls, path: Path) -> DensityTable:
        return cls(load_rows(path, Density))

    def spoken_name(self, ingredient: str, row: Density) -> str:
        """The name to say back: the person's own word when it is listed, else the row's."""
        return normalise(ingredient) if self._index.is_known_form(ingredient) else row.ingredient

    def lookup(self, ingredient: str) -> Density:
        """The row for ``ingredient``; 422 with close names when there is none."""
        found = self._index.find(ingredient)
        if found is None:
            suggestions = self._index.suggest(ingredient)
            raise InvalidInput(
                f"I don't have a weight-per-cup for '{ingredient}', so I can't convert "
                "between volume and weight for it." + did_you_mean(suggestions),
                suggestions=suggestions,
            )
        return found
