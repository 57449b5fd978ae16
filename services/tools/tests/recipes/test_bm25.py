from __future__ import annotations

import pytest

from sous_tools.recipes.bm25 import Bm25RecipeSearch
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.recipes.filters import RecipeFilters
from sous_tools.recipes.search import SearchQuery


@pytest.fixture(scope="module")
def search(catalog: RecipeCatalog) -> Bm25RecipeSearch:
    return Bm25RecipeSearch(catalog)


def test_a_recipes_own_title_finds_it_first(
    search: Bm25RecipeSearch, catalog: RecipeCatalog
) -> None:
    titles = {recipe.title.lower() for recipe in catalog.recipes}
    unique = [r for r in catalog.recipes if sum(r.title.lower() in t for t in titles) == 1]
    for recipe in unique[:: max(1, len(unique) // 25)]:
        hits = search.search(SearchQuery(recipe.title, RecipeFilters(), 3))
        assert hits[0].recipe.id == recipe.id, recipe.title


def test_ingredient_words_rank_recipes_that_use_them(search: Bm25RecipeSearch) -> None:
    hits = search.search(SearchQuery("chicken lemon", RecipeFilters(), 5))
    assert hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    top = hits[0].recipe
    text = " ".join([top.title, *top.ingredients]).lower()
    assert "chicken" in text and "lemon" in text


def test_filters_hold_for_every_result(search: Bm25RecipeSearch) -> None:
    filters = RecipeFilters(diets=frozenset({"vegan"}), max_minutes=40, exclude=("garlic",))
    hits = search.search(SearchQuery("curry soup rice beans", filters, 20))
    assert hits
    for hit in hits:
        assert "vegan" in hit.recipe.tags and hit.recipe.total_minutes <= 40
        assert not any("garlic" in line.lower() for line in hit.recipe.ingredients)


def test_words_no_recipe_has_find_nothing(search: Bm25RecipeSearch) -> None:
    assert search.search(SearchQuery("xylophone zeppelin", RecipeFilters(), 5)) == []


def test_filters_alone_list_quickest_first(search: Bm25RecipeSearch) -> None:
    hits = search.search(SearchQuery("", RecipeFilters(diets=frozenset({"vegetarian"})), 4))
    assert len(hits) == 4
    minutes = [hit.recipe.total_minutes for hit in hits]
    assert minutes == sorted(minutes)
