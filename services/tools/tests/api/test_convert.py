from __future__ import annotations

import httpx
import pytest

from sous_tools.densities import DensityTable


async def test_the_documented_example(client: httpx.AsyncClient, densities: DensityTable) -> None:
    body = {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "sugar"}
    response = await client.post("/convert", json=body)
    assert response.status_code == 200
    sugar = densities.lookup("sugar")
    result = response.json()
    assert result["quantity"] == pytest.approx(2 * sugar.grams_per_cup, rel=1e-3)
    assert result["unit"] == "g"
    assert result["text"].startswith("2 cups of sugar is about")
    assert (result["ingredient"], result["density_source"]) == (sugar.ingredient, sugar.source)


async def test_spoken_units_and_temperatures(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/convert", json={"quantity": 3, "from_unit": "T", "to_unit": "teaspoons"}
    )
    assert response.json()["quantity"] == 9
    oven = await client.post(
        "/convert", json={"quantity": 4, "from_unit": "gas mark", "to_unit": "°C"}
    )
    assert oven.json()["quantity"] == pytest.approx(176.7, abs=0.1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"quantity": 1, "from_unit": "cupz", "to_unit": "g", "ingredient": "flour"}, "'cupz'"),
        ({"quantity": 1, "from_unit": "cup", "to_unit": "g"}, "add an 'ingredient'"),
        ({"quantity": 1, "from_unit": "cup", "to_unit": "g", "ingredient": "unobtainium"},
         "'unobtainium'"),
        ({"quantity": -2, "from_unit": "cup", "to_unit": "ml"}, "negative"),
        ({"quantity": "two", "from_unit": "cup", "to_unit": "ml"}, "'quantity'"),
        ({"quantity": True, "from_unit": "cup", "to_unit": "ml"}, "'quantity'"),
        ({"quantity": 1, "from_unit": "", "to_unit": "ml"}, "'from_unit'"),
        ({"from_unit": "cup", "to_unit": "ml"}, "'quantity' is missing"),
    ],
)  # fmt: skip
async def test_errors_are_422_and_say_what_to_fix(
    client: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    response = await client.post("/convert", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]


async def test_unknown_ingredient_lists_suggestions(client: httpx.AsyncClient) -> None:
    body = {
        "quantity": 1,
        "from_unit": "cup",
        "to_unit": "g",
        "ingredient": "purple sugar crystals",
    }
    response = await client.post("/convert", json=body)
    assert response.status_code == 422
    assert any("sugar" in name for name in response.json()["suggestions"])
    typo = {**body, "ingredient": "brwn sugr"}  # close enough to one row: accepted
    assert (await client.post("/convert", json=typo)).json()["ingredient"] == "brown sugar"
