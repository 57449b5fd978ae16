from __future__ import annotations

import httpx
import pytest

from sous_tools.nutrition import FoodTable

NUTRIENTS = (
    "calories_kcal", "protein_g", "fat_g", "carbohydrates_g", "fiber_g", "sugar_g", "sodium_mg",
)  # fmt: skip


async def test_the_documented_example(client: httpx.AsyncClient, foods: FoodTable) -> None:
    response = await client.post(
        "/nutrition/lookup", json={"food": "egg", "quantity": 2, "unit": "large"}
    )
    assert response.status_code == 200
    facts = response.json()
    egg = foods.find("egg")
    assert facts["food"] == egg.name and facts["fdc_id"] == egg.fdc_id
    assert facts["grams"] == pytest.approx(2 * egg.portions["large"])
    for nutrient in NUTRIENTS:
        per_100g = getattr(egg.per_100g, nutrient)
        assert facts[nutrient] == pytest.approx(per_100g * facts["grams"] / 100, abs=0.06)
    assert str(egg.fdc_id) in facts["source"] and "FoodData Central" in facts["source"]


async def test_default_portion(client: httpx.AsyncClient) -> None:
    response = await client.post("/nutrition/lookup", json={"food": "bananas"})
    assert response.status_code == 200
    assert response.json()["portion"].startswith("1 ")


async def test_unknown_food_is_404_with_closest_matches(client: httpx.AsyncClient) -> None:
    typo = await client.post("/nutrition/lookup", json={"food": "chiken brest"})
    assert typo.status_code == 200 and "breast" in typo.json()["food"].lower()
    response = await client.post("/nutrition/lookup", json={"food": "chicken nuggets"})
    assert response.status_code == 404
    body = response.json()
    assert "'chicken nuggets'" in body["detail"]
    assert any("chicken" in name.lower() for name in body["suggestions"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"food": "egg", "quantity": 0}, "'quantity'"),
        ({"food": "egg", "quantity": -1}, "'quantity'"),
        ({"food": "egg", "quantity": "2"}, "'quantity'"),
        ({"food": "egg", "unit": "furlong"}, "furlong"),
        ({"food": ""}, "'food'"),
    ],
)
async def test_bad_requests_are_422(
    client: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    response = await client.post("/nutrition/lookup", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
