from __future__ import annotations

import pytest

from sous_tools.errors import NotFound
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.filters import DIETS


def test_corpus_is_varied(catalog: RecipeCatalog) -> None:
    recipes = catalog.recipes
    assert len(recipes) >= 150
    assert len({recipe.cuisine for recipe in recipes}) >= 8
    tags = {tag for recipe in recipes for tag in recipe.tags}
    assert set(DIETS) <= tags
    assert min(r.total_minutes for r in recipes) <= 20 < 60 <= max(r.total_minutes for r in recipes)
    for recipe in recipes:
        assert recipe.ingredients and recipe.steps, recipe.id
        assert all(tag == tag.lower() for tag in recipe.tags), recipe.id
        assert not ({"vegan", "vegetarian"} & set(recipe.tags) and "meat" in recipe.tags)


def test_get_by_id(catalog: RecipeCatalog) -> None:
    first = catalog.recipes[0]
    assert catalog.get(first.id) is first


def test_unknown_id_is_404_naming_it(catalog: RecipeCatalog) -> None:
    with pytest.raises(NotFound, match="'no-such-dish'"):
        catalog.get("no-such-dish")
