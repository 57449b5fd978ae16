"""The rules brain's sentences: one or two natural sentences built from a tool's JSON result."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .intents import Nutrient

HELP = "I can help with recipes, timers, conversions and nutrition."
NEED_RECIPE = "Ask me for a recipe first, for example: find a recipe for banana bread."
ASK_WHAT_TO_COOK = "What would you like to cook? Tell me a dish or a few ingredients."
UNREADABLE = "Sorry, I got an answer I couldn't make sense of."

_NUTRIENT_FIELDS: dict[Nutrient, tuple[str, str]] = {
    "calories": ("calories_kcal", "calories"),
    "protein": ("protein_g", "grams of protein"),
    "fat": ("fat_g", "grams of fat"),
    "carbohydrates": ("carbohydrates_g", "grams of carbohydrates"),
    "fiber": ("fiber_g", "grams of fiber"),
    "sugar": ("sugar_g", "grams of sugar"),
    "sodium": ("sodium_mg", "milligrams of sodium"),
}
_UNIT_WORDS = {
    "g": ("gram", "grams"), "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"),
    "oz": ("ounce", "ounces"), "lb": ("pound", "pounds"), "ml": ("milliliter", "milliliters"),
    "l": ("liter", "liters"), "fl oz": ("fluid ounce", "fluid ounces"), "cup": ("cup", "cups"),
    "tablespoon": ("tablespoon", "tablespoons"), "teaspoon": ("teaspoon", "teaspoons"),
    "slice": ("slice", "slices"), "piece": ("piece", "pieces"), "serving": ("serving", "servings"),
    "stick": ("stick", "sticks"), "clove": ("clove", "cloves"), "handful": ("handful", "handfuls"),
}  # fmt: skip


def number(value: float) -> str:
    """Rounded for speech: 72, 6.3, 0.4."""
    rounded = round(value) if abs(value) >= 10 else round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def duration(seconds: float) -> str:
    """ "8 minutes", "1 hour 30 minutes", "1 minute 5 seconds"."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value} {name if value == 1 else name + 's'}"
        for value, name in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        if value
    ]
    return " ".join(parts) if parts else "0 seconds"


def unit_words(unit: str) -> str:
    """ "g" → "grams", as said after "into"."""
    return _UNIT_WORDS.get(unit, (unit, unit))[1]


def amount(quantity: float | None, unit: str | None, food: str) -> str:
    """ "2 tablespoons of peanut butter", "1 large egg", "a banana"."""
    if quantity is None and unit is None:
        return f"a serving of {food}"  # the tools service's default portion
    count = 1.0 if quantity is None else quantity
    if unit is None:
        return f"{number(count)} {food}"
    singular, plural = _UNIT_WORDS.get(unit, (unit, unit))
    word = singular if count == 1 else plural
    joiner = " " if unit in ("large", "medium", "small", "whole") else " of "
    return f"{number(count)} {word}{joiner}{food}"


def conversion(data: Mapping[str, Any]) -> str:
    text = str(data.get("text") or "").strip()
    if not text:
        text = f"That is about {number(float(data['quantity']))} {data['unit']}"
    return _sentence(text)


def nutrition(data: Mapping[str, Any], said: str, nutrient: Nutrient | None) -> str:
    # "There are ... in <said>" reads right for "2 large eggs" and "a banana" alike.
    grams = data.get("grams")
    if nutrient is not None:
        field, words = _NUTRIENT_FIELDS[nutrient]
        return f"There are about {number(float(data[field]))} {words} in {said}."
    weight = f" (about {number(float(grams))} grams)" if grams is not None else ""
    return (
        f"There are about {number(float(data['calories_kcal']))} calories in {said}{weight}, "
        f"with {number(float(data['protein_g']))} grams of protein, "
        f"{number(float(data['fat_g']))} grams of fat and "
        f"{number(float(data['carbohydrates_g']))} grams of carbohydrates."
    )


def timer_set(data: Mapping[str, Any]) -> str:
    return f"OK, your {data['label']} timer is set for {duration(float(data['duration_seconds']))}."


def timer_cancelled(data: Mapping[str, Any]) -> str:
    return f"OK, I cancelled the {data['label']} timer."


def timers_cancelled(labels: Sequence[str]) -> str:
    if not labels:
        return "You have no timers running."
    return f"OK, I cancelled {_join([f'the {label} timer' for label in labels])}."


def timers_left(timers: Sequence[Mapping[str, Any]], label: str | None) -> str:
    if label is not None and not timers:
        return f"I can't find a {label} timer."
    if not timers:
        return "You have no timers running."
    if len(timers) == 1:
        timer = timers[0]
        paused = " and it is paused" if timer.get("status") == "paused" else ""
        left = duration(float(timer.get("remaining_seconds") or 0))
        return f"Your {timer['label']} timer has {left} left{paused}."
    parts = [
        f"{timer['label']} with {duration(float(timer.get('remaining_seconds') or 0))} left"
        for timer in timers
    ]
    return f"You have {len(timers)} timers: {_join(parts)}."


def recipes_found(results: Sequence[Mapping[str, Any]], query: str) -> str:
    if not results:
        return f"I couldn't find a recipe for {query}. Try a dish name or a few ingredients."
    first = results[0]
    if len(results) == 1:
        return f"I found {first['title']}. {recipe_facts(first)} Want the ingredients or the steps?"
    titles = _join([str(result["title"]) for result in results])
    return f"I found {titles}. Want the steps for the first one, or another one?"


def recipe_chosen(recipe: Mapping[str, Any]) -> str:
    return f"{recipe['title']}. {recipe_facts(recipe)} Want the ingredients or the steps?"


def recipe_facts(recipe: Mapping[str, Any]) -> str:
    minutes, servings = recipe.get("total_minutes"), recipe.get("servings")
    if minutes and servings:
        return f"It takes about {duration(float(minutes) * 60)} and serves {servings}."
    if minutes:
        return f"It takes about {duration(float(minutes) * 60)}."
    return ""


def recipe_steps_intro(recipe: Mapping[str, Any]) -> str:
    steps = recipe.get("steps") or []
    return f"{recipe['title']} has {len(steps)} steps. Step 1: {_sentence(str(steps[0]))}"


def recipe_step(recipe: Mapping[str, Any], index: int) -> str:
    steps = recipe.get("steps") or []
    last = " That's the last step." if index == len(steps) - 1 and index > 0 else ""
    return f"Step {index + 1}: {_sentence(str(steps[index]))}{last}"


def recipe_ingredients(recipe: Mapping[str, Any]) -> str:
    ingredients = [str(item) for item in recipe.get("ingredients") or []]
    if not ingredients:
        return f"I don't have the ingredients for {recipe['title']}."
    return f"For {recipe['title']} you need {_join(ingredients)}."


def tool_error(message: str) -> str:
    """The tool's own message, as one or two sentences."""
    text = re.sub(r"^Error:\s*(\w+ - )?", "", message.strip())
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return _sentence(" ".join(sentences[:2])) if text else "Sorry, that didn't work."


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
