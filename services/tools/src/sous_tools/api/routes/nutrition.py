"""POST /nutrition/lookup: nutrition facts for a portion of a food."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sous_tools.api.deps import ServicesDep

router = APIRouter(tags=["nutrition"])


class NutritionRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"food": "egg", "quantity": 2, "unit": "large"},
                {"food": "bananas"},
                {"food": "chicken breast", "quantity": 150, "unit": "g"},
            ]
        }
    )

    food: str = Field(min_length=1, max_length=100, description="e.g. egg, bananas, rice")
    quantity: float | None = Field(
        default=None, strict=True, gt=0, allow_inf_nan=False, description="Defaults to 1"
    )
    unit: str | None = Field(
        default=None,
        max_length=40,
        description="A portion (large, medium, cup, slice) or a weight (g, oz); "
        "defaults to the food's usual portion",
    )


class NutritionResponse(BaseModel):
    food: str = Field(examples=["Egg, whole, raw"])
    fdc_id: int = Field(examples=[171287])
    portion: str = Field(examples=["2 large"])
    grams: float = Field(examples=[100.0])
    calories_kcal: float
    protein_g: float
    fat_g: float
    carbohydrates_g: float
    fiber_g: float
    sugar_g: float
    sodium_mg: float
    source: str = Field(examples=["USDA FoodData Central (SR Legacy), FDC ID 171287"])
    text: str


@router.post(
    "/nutrition/lookup",
    responses={
        404: {"description": "Unknown food; `suggestions` lists the closest names"},
        422: {"description": "Bad quantity or a unit this food cannot be measured in"},
    },
)
def lookup(body: NutritionRequest, services: ServicesDep) -> NutritionResponse:
    facts = services.foods.lookup(body.food, body.quantity, body.unit)
    return NutritionResponse(
        food=facts.food.name,
        fdc_id=facts.food.fdc_id,
        portion=facts.portion,
        grams=facts.grams,
        source=facts.food.source,
        text=facts.text,
        **facts.nutrients.model_dump(),
    )
