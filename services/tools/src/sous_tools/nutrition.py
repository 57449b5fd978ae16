"""Nutrition facts for a portion of a food, from the shipped USDA FoodData Central table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from sous_tools.conversion import spoken_number
from sous_tools.data_files import load_rows
from sous_tools.errors import InvalidInput, NotFound, ToolsError, did_you_mean
from sous_tools.matching import NameIndex, name_forms
from sous_tools.units import REGISTRY, UnitKind, parse_unit


class Per100g(BaseModel):
    calories_kcal: float = Field(ge=0)
    protein_g: float = Field(ge=0)
    fat_g: float = Field(ge=0)
    carbohydrates_g: float = Field(ge=0)
    fiber_g: float = Field(ge=0)
    sugar_g: float = Field(ge=0)
    sodium_mg: float = Field(ge=0)


class Food(BaseModel):
    name: str
    aliases: list[str] = []
    fdc_id: int
    dataset: str
    per_100g: Per100g
    portions: dict[str, float] = {}  # household portion → grams
    default_portion: str | None = None

    @model_validator(mode="after")
    def _default_portion_is_listed(self) -> Food:
        if self.default_portion is not None and self.default_portion not in self.portions:
            raise ValueError(f"default_portion {self.default_portion!r} is not in portions")
        return self

    @property
    def source(self) -> str:
        return f"USDA FoodData Central ({self.dataset}), FDC ID {self.fdc_id}"


@dataclass(frozen=True)
class NutritionFacts:
    food: Food
    portion: str
    grams: float
    nutrients: Per100g

    @property
    def text(self) -> str:
        n = self.nutrients
        return (
            f"{self.food.name}, {self.portion} ({spoken_number(self.grams)} g): about "
            f"{spoken_number(n.calories_kcal)} kcal, {spoken_number(n.protein_g)} g protein, "
            f"{spoken_number(n.fat_g)} g fat and {spoken_number(n.carbohydrates_g)} g "
            "carbohydrate."
        )


DEFAULT_GRAMS = 100.0


class FoodTable:
    def __init__(self, foods: list[Food], max_quantity: float) -> None:
        self.foods = foods
        self.max_quantity = max_quantity
        self._index = NameIndex((food, food.name, food.aliases) for food in foods)

    @classmethod
    def load(cls, path: Path, max_quantity: float) -> FoodTable:
        return cls(load_rows(path, Food), max_quantity)

    def find(self, name: str) -> Food:
        food = self._index.find(name)
        if food is None:
            suggestions = self._index.suggest(name)
            raise NotFound(
                f"I don't have nutrition data for '{name}'." + did_you_mean(suggestions),
                suggestions=suggestions,
            )
        return food

    def _grams_per_unit(self, food: Food, unit: str) -> float:
        portions = {form: grams for key, grams in food.portions.items() for form in name_forms(key)}
        for form in name_forms(unit):
            if form in portions:
                return portions[form]
        known = ", ".join(food.portions) or "none"
        try:
            parsed = parse_unit(unit)
        except ToolsError:
            parsed = None
        if parsed is not None and parsed.kind is UnitKind.MASS:
            return float(REGISTRY.Quantity(1, parsed.pint_unit).to(REGISTRY.gram).magnitude)
        if parsed is not None and parsed.kind is UnitKind.VOLUME and "cup" in food.portions:
            cups = REGISTRY.Quantity(1, parsed.pint_unit).to(REGISTRY.cup).magnitude
            return float(cups * food.portions["cup"])
        raise InvalidInput(
            f"I can't measure {food.name} in '{unit}'; use one of its portions ({known}) "
            "or a weight such as g, oz or lb."
        )

    def lookup(self, name: str, quantity: float | None, unit: str | None) -> NutritionFacts:
        """Facts for ``quantity`` times ``unit`` of a food; the default portion fills the gaps."""
        food = self.find(name)
        if quantity is not None and quantity > self.max_quantity:
            raise InvalidInput(
                f"The quantity {quantity} is too large; send at most {self.max_quantity:g}."
            )
        count = 1.0 if quantity is None else quantity
        if unit is not None and unit.strip():
            per_unit, unit_name = self._grams_per_unit(food, unit), unit.strip()
        elif food.default_portion is not None:
            per_unit, unit_name = food.portions[food.default_portion], food.default_portion
        elif quantity is None:
            per_unit, unit_name, count = 1.0, "g", DEFAULT_GRAMS
        else:
            raise InvalidInput(
                f"{spoken_number(count)} of what? {food.name} has no default portion; add a "
                "'unit' such as g, oz, lb or cup."
            )
        grams = count * per_unit
        scale = grams / 100.0
        nutrients = Per100g.model_validate(
            {key: round(value * scale, 1) for key, value in food.per_100g.model_dump().items()}
        )
        return NutritionFacts(
            food=food,
            portion=f"{spoken_number(count)} {unit_name}",
            grams=round(grams, 1),
            nutrients=nutrients,
        )
