"""Kitchen units: a pint registry with the cooking units pint lacks, and their spoken names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import pint
from rapidfuzz import fuzz, process

from sous_tools.errors import InvalidInput, did_you_mean
from sous_tools.matching import singular_word

REGISTRY = pint.UnitRegistry()
for _definition in (
    "pinch = teaspoon / 16",
    "dash = teaspoon / 8",
    "smidgen = teaspoon / 32",
    "stick = cup / 2",  # a US stick of butter: ½ cup, 8 tbsp, about 113 g
    "dessertspoon = 10 * milliliter",
    "metric_cup = 250 * milliliter",
    # UK oven gas mark: 1 = 275 °F, each mark +25 °F (exact for marks 1-10).
    "gas_mark = 125 / 9 * kelvin; offset: 394.2611111111111",
):
    REGISTRY.define(_definition)


class UnitKind(StrEnum):
    VOLUME = "volume"
    MASS = "mass"
    TEMPERATURE = "temperature"


_KIND_OF_DIMENSION = {
    REGISTRY.get_dimensionality("[length] ** 3"): UnitKind.VOLUME,
    REGISTRY.get_dimensionality("[mass]"): UnitKind.MASS,
    REGISTRY.get_dimensionality("[temperature]"): UnitKind.TEMPERATURE,
}


@dataclass(frozen=True)
class Unit:
    """A unit resolved from what someone said, with the names to say it back."""

    pint_unit: pint.Unit
    kind: UnitKind
    singular: str
    plural: str
    symbol: str

    def spoken(self, amount: float) -> str:
        return self.singular if amount == 1 else self.plural


# pint name → (singular, plural, symbol)
_DISPLAY: dict[str, tuple[str, str, str]] = {
    "cup": ("cup", "cups", "cup"),
    "metric_cup": ("metric cup", "metric cups", "metric cup"),
    "tablespoon": ("tablespoon", "tablespoons", "tbsp"),
    "teaspoon": ("teaspoon", "teaspoons", "tsp"),
    "dessertspoon": ("dessertspoon", "dessertspoons", "dsp"),
    "fluid_ounce": ("fluid ounce", "fluid ounces", "fl oz"),
    "pint": ("pint", "pints", "pt"),
    "quart": ("quart", "quarts", "qt"),
    "gallon": ("gallon", "gallons", "gal"),
    "milliliter": ("millilitre", "millilitres", "ml"),
    "centiliter": ("centilitre", "centilitres", "cl"),
    "deciliter": ("decilitre", "decilitres", "dl"),
    "liter": ("litre", "litres", "l"),
    "pinch": ("pinch", "pinches", "pinch"),
    "dash": ("dash", "dashes", "dash"),
    "smidgen": ("smidgen", "smidgens", "smidgen"),
    "stick": ("stick", "sticks", "stick"),
    "milligram": ("milligram", "milligrams", "mg"),
    "gram": ("gram", "grams", "g"),
    "kilogram": ("kilogram", "kilograms", "kg"),
    "ounce": ("ounce", "ounces", "oz"),
    "pound": ("pound", "pounds", "lb"),
    "degree_Fahrenheit": ("degree Fahrenheit", "degrees Fahrenheit", "°F"),
    "degree_Celsius": ("degree Celsius", "degrees Celsius", "°C"),
    "kelvin": ("kelvin", "kelvin", "K"),
    "gas_mark": ("gas mark", "gas mark", "gas mark"),
}

# Spoken and written forms → pint name. Matched after lowercasing, except the case-sensitive
# recipe abbreviations below ("T" is a tablespoon, "t" a teaspoon).
_CASE_SENSITIVE = {
    "T": "tablespoon",
    "Tb": "tablespoon",
    "Tbs": "tablespoon",
    "Tbsp": "tablespoon",
    "t": "teaspoon",
    "C": "degree_Celsius",
    "F": "degree_Fahrenheit",
    "K": "kelvin",
}
_SPOKEN = {
    "c": "cup",
    "cup": "cup",
    "us cup": "cup",
    "metric cup": "metric_cup",
    "tablespoon": "tablespoon",
    "tablespoonful": "tablespoon",
    "tbsp": "tablespoon",
    "tbs": "tablespoon",
    "tbl": "tablespoon",
    "tblsp": "tablespoon",
    "teaspoon": "teaspoon",
    "teaspoonful": "teaspoon",
    "tsp": "teaspoon",
    "dessertspoon": "dessertspoon",
    "dsp": "dessertspoon",
    "fluid ounce": "fluid_ounce",
    "fl oz": "fluid_ounce",
    "floz": "fluid_ounce",
    "fl ounce": "fluid_ounce",
    "pint": "pint",
    "pt": "pint",
    "quart": "quart",
    "qt": "quart",
    "gallon": "gallon",
    "gal": "gallon",
    "milliliter": "milliliter",
    "millilitre": "milliliter",
    "ml": "milliliter",
    "cc": "milliliter",
    "centiliter": "centiliter",
    "centilitre": "centiliter",
    "cl": "centiliter",
    "deciliter": "deciliter",
    "decilitre": "deciliter",
    "dl": "deciliter",
    "liter": "liter",
    "litre": "liter",
    "l": "liter",
    "pinch": "pinch",
    "dash": "dash",
    "smidgen": "smidgen",
    "stick": "stick",
    "butter stick": "stick",
    "milligram": "milligram",
    "mg": "milligram",
    "gram": "gram",
    "gramme": "gram",
    "g": "gram",
    "gr": "gram",
    "kilogram": "kilogram",
    "kilo": "kilogram",
    "kg": "kilogram",
    "ounce": "ounce",
    "oz": "ounce",
    "pound": "pound",
    "lb": "pound",
    "degree fahrenheit": "degree_Fahrenheit",
    "fahrenheit": "degree_Fahrenheit",
    "°f": "degree_Fahrenheit",
    "degf": "degree_Fahrenheit",
    "deg f": "degree_Fahrenheit",
    "degree celsius": "degree_Celsius",
    "degree centigrade": "degree_Celsius",
    "celsius": "degree_Celsius",
    "centigrade": "degree_Celsius",
    "°c": "degree_Celsius",
    "degc": "degree_Celsius",
    "deg c": "degree_Celsius",
    "kelvin": "kelvin",
    "gas mark": "gas_mark",
    "gas": "gas_mark",
    "mark": "gas_mark",
    "gasmark": "gas_mark",
    "regulo": "gas_mark",
}
_OF_SUFFIX = re.compile(r"\s+of\b.*$")  # "sticks of butter", "cups of flour"


def _spoken_forms(text: str) -> list[str]:
    lowered = re.sub(r"[\s_]+", " ", text.lower().replace(".", " ")).strip()
    lowered = _OF_SUFFIX.sub("", lowered)
    singular = " ".join(singular_word(word) for word in lowered.split())
    # "degrees" and "lbs" are short or irregular enough for singular_word to keep.
    singular = singular.replace("degrees", "degree").replace("lbs", "lb")
    return [lowered, singular]


def _make_unit(pint_name: str) -> Unit | None:
    pint_unit = REGISTRY.Unit(pint_name)
    kind = _KIND_OF_DIMENSION.get(pint_unit.dimensionality)
    if kind is None:
        return None
    singular, plural, symbol = _DISPLAY.get(
        pint_name, (str(pint_unit), str(pint_unit), f"{pint_unit:~}")
    )
    return Unit(pint_unit, kind, singular, plural, symbol)


def suggest_units(text: str, limit: int = 3) -> list[str]:
    """Spoken unit names close to ``text``."""
    matches = process.extract(
        text.lower(), list(_SPOKEN), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=60
    )
    names: list[str] = []
    for choice, _, _ in matches:
        display = _DISPLAY[_SPOKEN[choice]][0]
        if display not in names:
            names.append(display)
    return names[:limit]


def parse_unit(text: str) -> Unit:
    """Resolve a unit as people say or write it; 422 with close names when it is unknown."""
    stripped = text.strip()
    name = _CASE_SENSITIVE.get(stripped)
    for form in _spoken_forms(stripped):
        name = name or _SPOKEN.get(form)
    if name is None:
        # Anything else pint knows (microlitre, hectogram, ...), if it measures food.
        try:
            name = str(REGISTRY.parse_units(stripped.lower().replace(" ", "_")))
        except Exception:  # pint's parser raises many error types on free text
            name = None
    unit = _make_unit(name) if name else None
    if unit is None:
        raise InvalidInput(
            f"I don't know the unit '{text}'; use a volume (cup, tbsp, tsp, ml, fl oz), "
            f"a weight (g, kg, oz, lb) or a temperature (°F, °C, gas mark)."
            + did_you_mean(suggest_units(stripped)),
            suggestions=suggest_units(stripped),
        )
    return unit
