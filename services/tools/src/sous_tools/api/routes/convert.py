"""POST /convert: kitchen unit conversion."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sous_tools.api.deps import ServicesDep

router = APIRouter(tags=["conversion"])


class ConvertRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "sugar"},
                {"quantity": 350, "from_unit": "°F", "to_unit": "gas mark"},
                {"quantity": 3, "from_unit": "tablespoons", "to_unit": "tsp"},
            ]
        }
    )

    quantity: float = Field(strict=True, allow_inf_nan=False, description="How much, e.g. 2")
    from_unit: str = Field(min_length=1, max_length=40, description="e.g. cups, T, stick")
    to_unit: str = Field(min_length=1, max_length=40, description="e.g. g, ml, °C, gas mark")
    ingredient: str | None = Field(
        default=None, max_length=80, description="Needed between volume and weight: flour, ..."
    )


class ConvertResponse(BaseModel):
    quantity: float = Field(examples=[400.0])
    unit: str = Field(examples=["g"])
    text: str = Field(examples=["2 cups of sugar is about 400 g"])
    ingredient: str | None = Field(
        default=None, description="The density-table row used between volume and weight"
    )
    density_source: str | None = None


@router.post(
    "/convert",
    responses={422: {"description": "Unknown unit or ingredient, missing ingredient, bad value"}},
)
def convert(body: ConvertRequest, services: ServicesDep) -> ConvertResponse:
    result = services.converter.convert(
        body.quantity, body.from_unit, body.to_unit, body.ingredient
    )
    return ConvertResponse(
        quantity=result.quantity,
        unit=result.unit,
        text=result.text,
        ingredient=result.density.ingredient if result.density else None,
        density_source=result.density.source if result.density else None,
    )
