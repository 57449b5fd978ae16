from __future__ import annotations

import httpx

from sous_tools.recipes.catalog import RecipeCatalog

RESULT_FIELDS = {
    "id",
    "title",
    "ingredients",
    "steps",
    "total_minutes",
    "servings",
    "tags",
    "score",
}


async def test_the_documented_example(client: httpx.AsyncClient) -> None:
    response = await client.get("/recipes/search", params={"q": "chicken lemon", "limit": 5})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 1 <= len(results) <= 5
    assert RESULT_FIELDS <= set(results[0])
    assert "chicken" in " ".join([results[0]["title"], *results[0]["ingredients"]]).lower()


async def test_spoken_filters_apply_and_are_reported(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/recipes/search", params={"q": "vegetarian pasta under 30 minutes", "limit": 10}
    )
    body = response.json()
    assert body["query"] == {
        "text": "pasta", "diets": ["vegetarian"], "max_minutes": 30, "exclude": [],
    }  # fmt: skip
    for recipe in body["results"]:
        assert {"vegetarian", "vegan"} & set(recipe["tags"]) and recipe["total_minutes"] <= 30


async def test_explicit_filters(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/recipes/search",
        params=[("q", "dinner"), ("diet", "gluten free"), ("diet", "nut-free"),
                ("max_minutes", "45"), ("exclude", "garlic"), ("limit", "20")],
    )  # fmt: skip
    body = response.json()
    assert body["query"]["diets"] == ["gluten-free", "nut-free"]
    for recipe in body["results"]:
        assert {"gluten-free", "nut-free"} <= set(recipe["tags"])
        assert recipe["total_minutes"] <= 45
        assert not any("garlic" in line.lower() for line in recipe["ingredients"])


async def test_search_errors(client: httpx.AsyncClient) -> None:
    too_many = await client.get("/recipes/search", params={"q": "soup", "limit": 1000})
    assert too_many.status_code == 422 and "at most" in too_many.json()["detail"]
    zero = await client.get("/recipes/search", params={"q": "soup", "limit": 0})
    assert zero.status_code == 422 and "'limit'" in zero.json()["detail"]
    diet = await client.get("/recipes/search", params={"q": "soup", "diet": "paleo"})
    assert diet.status_code == 422 and "'paleo'" in diet.json()["detail"]
    long = await client.get("/recipes/search", params={"q": "soup " * 100})
    assert long.status_code == 422 and "'q'" in long.json()["detail"]


async def test_get_recipe(client: httpx.AsyncClient, catalog: RecipeCatalog) -> None:
    recipe = catalog.recipes[0]
    response = await client.get(f"/recipes/{recipe.id}")
    assert response.status_code == 200
    assert response.json() == recipe.model_dump()
    missing = await client.get("/recipes/no-such-dish")
    assert missing.status_code == 404
    assert "'no-such-dish'" in missing.json()["detail"]
