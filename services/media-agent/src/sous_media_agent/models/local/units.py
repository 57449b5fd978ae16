"""Kitchen units as cooks say them (and as Whisper mishears them), mapped to the names the tools
service takes, plus timer durations.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["volume", "mass", "temperature"]


@dataclass(frozen=True)
class Unit:
    name: str  # as sent to the tools service
    kind: UnitKind


_UNITS: dict[str, Unit] = {
    unit.name: unit
    for unit in (
        Unit("cup", "volume"),
        Unit("tablespoon", "volume"),
        Unit("teaspoon", "volume"),
        Unit("ml", "volume"),
        Unit("l", "volume"),
        Unit("fl oz", "volume"),
        Unit("pint", "volume"),
        Unit("quart", "volume"),
        Unit("gallon", "volume"),
        Unit("stick", "volume"),
        Unit("pinch", "volume"),
        Unit("g", "mass"),
        Unit("kg", "mass"),
        Unit("mg", "mass"),
        Unit("oz", "mass"),
        Unit("lb", "mass"),
        Unit("fahrenheit", "temperature"),
        Unit("celsius", "temperature"),
        Unit("kelvin", "temperature"),
        Unit("gas mark", "temperature"),
    )
}

# Spoken or written form → unit name. Multi-word forms are matched before single words.
_ALIASES: dict[str, str] = {
    "cup": "cup", "cups": "cup", "c.": "cup",
    "tablespoon": "tablespoon", "tablespoons": "tablespoon", "tbsp": "tablespoon",
    "tbsps": "tablespoon", "tbs": "tablespoon", "table spoon": "tablespoon",
    "table spoons": "tablespoon", "tablespoonful": "tablespoon",
    "teaspoon": "teaspoon", "teaspoons": "teaspoon", "tsp": "teaspoon", "tsps": "teaspoon",
    "tea spoon": "teaspoon", "tea spoons": "teaspoon", "teaspoonful": "teaspoon",
    "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
    "ml": "ml", "mls": "ml",
    "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "fluid ounce": "fl oz", "fluid ounces": "fl oz", "fl oz": "fl oz",
    "pint": "pint", "pints": "pint", "quart": "quart", "quarts": "quart",
    "gallon": "gallon", "gallons": "gallon",
    "stick": "stick", "sticks": "stick", "pinch": "pinch", "pinches": "pinch",
    "gram": "g", "grams": "g", "gramme": "g", "grammes": "g", "g": "g", "gm": "g", "gms": "g",
    "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "kg": "kg", "kgs": "kg",
    "milligram": "mg", "milligrams": "mg", "mg": "mg",
    "ounce": "oz", "ounces": "oz", "oz": "oz",
    "pound": "lb", "pounds": "lb", "lb": "lb", "lbs": "lb",
    "fahrenheit": "fahrenheit", "degrees fahrenheit": "fahrenheit",
    "degree fahrenheit": "fahrenheit", "farenheit": "fahrenheit", "fahrenheight": "fahrenheit",
    "celsius": "celsius", "degrees celsius": "celsius", "degree celsius": "celsius",
    "centigrade": "celsius", "degrees centigrade": "celsius", "celcius": "celsius",
    "kelvin": "kelvin", "gas mark": "gas mark",
    # What tiny.en writes for some of them.
    "grants": "g", "grahams": "g", "cuts": "cup", "cops": "cup", "cop": "cup", "caps": "cup",
}  # fmt: skip
# Letters that are units only right after a number or after "in"/"to" ("180 c in f").
_LETTER_ALIASES = {"f": "fahrenheit", "c": "celsius", "l": "l", "k": "kelvin"}
_FUZZY_CANDIDATES = sorted(alias for alias in _ALIASES if len(alias) >= 4 and " " not in alias)

DURATION_SECONDS: dict[str, int] = {
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60, "m": 60,
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1,
}  # fmt: skip


@dataclass(frozen=True)
class UnitMention:
    unit: Unit
    start: int  # token index
    end: int  # index after the last token


def unit(name: str) -> Unit:
    """The unit with this tools-service name."""
    return _UNITS[name]


def find_units(tokens: list[str]) -> list[UnitMention]:
    """Every unit said in `tokens`, left to right."""
    mentions: list[UnitMention] = []
    i = 0
    while i < len(tokens):
        mention = unit_at(tokens, i)
        if mention is None:
            i += 1
            continue
        mentions.append(mention)
        i = mention.end
    return mentions


def unit_at(tokens: list[str], i: int, *, fuzzy: bool = False) -> UnitMention | None:
    """The unit starting at token `i`, if any (longest spoken form first)."""
    for length in (3, 2):
        phrase = " ".join(tokens[i : i + length])
        if len(tokens) - i >= length and phrase in _ALIASES:
            return UnitMention(_UNITS[_ALIASES[phrase]], i, i + length)
    word = tokens[i]
    if word in _ALIASES:
        return UnitMention(_UNITS[_ALIASES[word]], i, i + 1)
    previous = tokens[i - 1] if i > 0 else ""
    if word in _LETTER_ALIASES and (_is_number(previous) or previous in ("in", "to", "degrees")):
        return UnitMention(_UNITS[_LETTER_ALIASES[word]], i, i + 1)
    if fuzzy and len(word) >= 4:
        close = difflib.get_close_matches(word, _FUZZY_CANDIDATES, n=1, cutoff=0.8)
        if close:
            return UnitMention(_UNITS[_ALIASES[close[0]]], i, i + 1)
    return None


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
