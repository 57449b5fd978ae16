"""The recipe search interface every backend implements, and the filter-only listing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sous_tools.recipes.catalog import Recipe
from sous_tools.recipes.filters import RecipeFilters


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what to rank by, filters already taken out; may be empty
    filters: RecipeFilters
    limit: int


@dataclass(frozen=True)
class SearchHit:
    recipe: Recipe
    score: float


class RecipeSearch(Protocol):
    def search(self, query: SearchQuery) -> list[SearchHit]: ...


def browse(recipes: Iterable[Recipe], query: SearchQuery) -> list[SearchHit]:
    """Recipes passing the filters, quickest first, when nothing was asked to rank by."""
    passing = sorted(
        (recipe for recipe in recipes if query.filters.admits(recipe)),
        key=lambda recipe: (recipe.total_minutes, recipe.title),
    )
    return [SearchHit(recipe, 0.0) for recipe in passing[: query.limit]]
