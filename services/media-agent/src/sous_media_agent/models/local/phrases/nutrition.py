"""Nutrition questions: "how many calories are in a large egg?", "and protein?"."""

from __future__ import annotations

import re

from ..intents import Intent, LookupNutrition, Nutrient
from ..units import unit_at
from .text import is_number, strip_words

_NUTRIENTS: dict[str, Nutrient] = {
    "calories": "calories", "calorie": "calories", "kcal": "calories", "cals": "calories",
    "protein": "protein", "proteins": "protein", "fat": "fat", "fats": "fat",
    "carbs": "carbohydrates", "carb": "carbohydrates", "carbohydrates": "carbohydrates",
    "carbohydrate": "carbohydrates", "fiber": "fiber", "fibre": "fiber", "sugar": "sugar",
    "sugars": "sugar", "sodium": "sodium", "salt": "sodium",
}  # fmt: skip
# Words that name a nutrient no matter what ("sugar", "fat", "salt" can also be ingredients).
_STRONG_NUTRIENTS = {
    "calories", "calorie", "kcal", "cals", "protein", "proteins", "carbs", "carb",
    "carbohydrates", "carbohydrate", "fiber", "fibre", "sodium",
}  # fmt: skip
_NUTRITION_WORDS = {"nutrition", "nutritional", "nutrients", "macros", "healthy"}
_PORTIONS = {
    "large": "large", "medium": "medium", "small": "small", "slice": "slice", "slices": "slice",
    "piece": "piece", "pieces": "piece", "serving": "serving", "servings": "serving",
    "whole": "whole", "handful": "handful", "clove": "clove", "cloves": "clove",
}  # fmt: skip


def read_nutrition(t: str, tokens: list[str]) -> Intent | None:
    words = set(tokens)
    strong = [tok for tok in tokens if tok in _STRONG_NUTRIENTS]
    weak = re.search(r"\bhow much (fat|sugar|salt|sugars|fats)\b", t)
    if not strong and not weak and not words & _NUTRITION_WORDS:
        return None
    nutrient_word = strong[0] if strong else weak.group(1) if weak else None
    nutrient = _NUTRIENTS[nutrient_word] if nutrient_word else None
    food_phrase = _food_phrase(t, nutrient_word)
    if food_phrase is None:
        return LookupNutrition(None, None, None, nutrient)
    quantity, portion, food = read_amount(food_phrase.split())
    if weak and not strong and portion is not None and quantity is not None and not food:
        return None  # "how much sugar in a cup": a conversion, not nutrition
    return LookupNutrition(food or None, quantity, portion, nutrient)


def _food_phrase(t: str, nutrient_word: str | None) -> str | None:
    """ "a large egg" in "how many calories are in a large egg?" (None for "and protein?")."""
    patterns = [
        r"\b(?:in|inside) (.+?)(?: have| contain)?$",
        r"\bdo(?:es)? (.+?) (?:have|has|contain|got)\b",
        r"\b(?:for|of|on|about) (.+)$",
        r"\bis (.+?) healthy\b",
    ]
    for pattern in patterns:
        match = re.search(pattern, t)
        if match:
            phrase = strip_words(match.group(1), {"the"})
            phrase = re.sub(r"^(there |it |that |are |is )+", "", phrase)
            if phrase and phrase not in ("it", "that", "this", "them", "there"):
                return phrase
    if nutrient_word and (match := re.match(rf"^(.+?) {nutrient_word}\b", t)):
        asked = r"^(how many|how much|what are the|what is the|what are|what is) ?"
        phrase = re.sub(asked, "", match.group(1))
        if phrase and phrase not in ("how many", "how much", "and", "what about", "how about"):
            return phrase
    return None


def read_amount(tokens: list[str]) -> tuple[float | None, str | None, str]:
    """ "2 tablespoons of peanut butter" → (2, "tablespoon", "peanut butter");
    "a large egg" → (1, "large", "egg"); "an apple" → (None, None, "apple")."""
    words = [tok for tok in tokens if tok != "the"]
    quantity: float | None = None
    if words and is_number(words[0]):
        quantity = float(words[0])
        words = words[1:]
    elif words and words[0] in ("a", "an", "one"):
        words = words[1:]
        if words and (words[0] in _PORTIONS or unit_at(words, 0) is not None):
            quantity = 1.0
    portion: str | None = None
    if words:
        mention = unit_at(words, 0)
        if mention is not None:
            portion = mention.unit.name
            words = words[mention.end :]
        elif words[0] in _PORTIONS:
            portion = _PORTIONS[words[0]]
            words = words[1:]
    if words and words[0] == "of":
        words = words[1:]
    return quantity, portion, " ".join(words).strip()
