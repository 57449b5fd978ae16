from __future__ import annotations

import pytest

from sous_tools.errors import InvalidInput
from sous_tools.recipes.catalog import Recipe
from sous_tools.recipes.filters import RecipeFilters, parse_diets, parse_spoken_query


@pytest.mark.parametrize(
    ("q", "text", "diets", "max_minutes", "exclude"),
    [
        ("chicken lemon", "chicken lemon", set(), None, ()),
        ("vegetarian pasta under 30 minutes", "pasta", {"vegetarian"}, 30, ()),
        ("Gluten-free vegan curry", "curry", {"gluten-free", "vegan"}, None, ()),
        ("pasta without nuts", "pasta", {"nut-free"}, None, ()),
        ("nut free cookies", "cookies", {"nut-free"}, None, ()),
        ("soup with no dairy", "soup with", {"dairy-free"}, None, ()),
        ("something quick for dinner", "for dinner", set(), 30, ()),
        ("stew in under an hour", "stew", set(), 60, ()),
        ("salad in less than half an hour", "salad", set(), 30, ()),
        ("curry 45 minutes or less", "curry", set(), 45, ()),
        ("risotto without mushrooms", "risotto", set(), None, ("mushrooms",)),
        ("vegetarian recipes", "", {"vegetarian"}, None, ()),
    ],
)
def test_spoken_filters_are_taken_out_of_the_query(
    q: str, text: str, diets: set[str], max_minutes: int | None, exclude: tuple[str, ...]
) -> None:
    parsed = parse_spoken_query(q, quick_max_minutes=30)
    assert parsed.text == text
    assert parsed.filters == RecipeFilters(frozenset(diets), max_minutes, exclude)


def _recipe(tags: list[str], minutes: int = 20, ingredients: tuple[str, ...] = ("rice",)) -> Recipe:
    return Recipe(
        id="r", title="R", ingredients=list(ingredients), steps=["cook"],
        total_minutes=minutes, servings=2, tags=tags,
    )  # fmt: skip


def test_admits_diets_time_and_exclusions() -> None:
    vegetarian = RecipeFilters(diets=frozenset({"vegetarian"}))
    assert vegetarian.admits(_recipe(["vegan"]))  # vegan food is vegetarian
    assert not vegetarian.admits(_recipe(["main"]))
    nut_free = RecipeFilters(diets=frozenset({"nut-free"}))
    assert nut_free.admits(_recipe(["nut-free"]))
    assert not nut_free.admits(_recipe(["nut-free", "contains-nuts"]))
    assert not nut_free.admits(_recipe([]))  # unlabelled is not safe for an allergy
    quick = RecipeFilters(max_minutes=30)
    assert quick.admits(_recipe([], 30)) and not quick.admits(_recipe([], 31))
    no_mushroom = RecipeFilters(exclude=("mushroom",))
    assert not no_mushroom.admits(_recipe([], ingredients=("250 g mushrooms, sliced",)))
    assert no_mushroom.admits(_recipe([], ingredients=("1 onion",)))


def test_merged_takes_the_stricter_of_both() -> None:
    spoken = RecipeFilters(frozenset({"vegan"}), 45, ("onion",))
    explicit = RecipeFilters(frozenset({"gluten-free"}), 30, ("garlic", "onion"))
    assert spoken.merged(explicit) == RecipeFilters(
        frozenset({"vegan", "gluten-free"}), 30, ("onion", "garlic")
    )


def test_diet_parameters() -> None:
    assert parse_diets(["Vegan", "gluten free,dairy-free", ""]) == {
        "vegan", "gluten-free", "dairy-free",
    }  # fmt: skip
    with pytest.raises(InvalidInput, match="'paleo' is not a diet"):
        parse_diets(["paleo"])
