"""The shipped recipe corpus, loaded once and looked up by id."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from sous_tools.data_files import load_rows
from sous_tools.errors import NotFound, did_you_mean
from sous_tools.matching import NameIndex


class Recipe(BaseModel):
    id: str
    title: str
    cuisine: str = ""
    description: str = ""
    ingredients: list[str]
    steps: list[str]
    total_minutes: int = Field(ge=0)
    servings: int = Field(ge=1)
    tags: list[str] = []


class RecipeCatalog:
    def __init__(self, recipes: list[Recipe]) -> None:
        self.recipes = recipes
        self._by_id = {recipe.id: recipe for recipe in recipes}
        if len(self._by_id) != len(recipes):
            raise ValueError("recipe ids must be unique")
        self._titles = NameIndex((recipe, recipe.id, [recipe.title]) for recipe in recipes)

    @classmethod
    def load(cls, path: Path) -> RecipeCatalog:
        return cls(load_rows(path, Recipe))

    def get(self, recipe_id: str) -> Recipe:
        recipe = self._by_id.get(recipe_id)
        if recipe is None:
            suggestions = self._titles.suggest(recipe_id.replace("-", " "))
            raise NotFound(
                f"There is no recipe with id '{recipe_id}'; search with /recipes/search?q=... "
                "to find ids." + did_you_mean(suggestions),
                suggestions=suggestions,
            )
        return recipe

    def find(self, recipe_id: str) -> Recipe | None:
        return self._by_id.get(recipe_id)
