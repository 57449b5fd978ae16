"""Reader for the USDA SR28 ASCII release (the data FoodData Central publishes as "SR Legacy").

The release is a set of caret-separated, tilde-quoted, latin-1 text files keyed by NDB number:
FOOD_DES.txt (descriptions), NUT_DATA.txt (nutrient values per 100 g) and WEIGHT.txt (household
measures with their gram weights).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

# SR nutrient numbers (NUTR_DEF.txt) of the values the tools service ships.
NUTRIENTS = {
    "calories_kcal": "208",
    "protein_g": "203",
    "fat_g": "204",
    "carbohydrates_g": "205",
    "fiber_g": "291",
    "sugar_g": "269",
    "sodium_mg": "307",
}

_SIZES = ("extra large", "jumbo", "large", "medium", "small")
_UNITS = ("cup", "tbsp", "tsp", "fl oz", "oz", "lb", "quart", "serving")
_RENAMES = {
    "tablespoon": "tbsp",
    "teaspoon": "tsp",
    "nlea serving": "serving",
    "roll 1 serving": "roll",
    "individual packet": "packet",
    "can drained": "can",
    "can or bottle": "can",
    "sheet dough": "sheet",
    "pie crust": "crust",
    "sweetpotato": "sweet potato",
    "wedge or slice": "wedge",
    "watermelon ball": "ball",
    "cantaloupe ball": "ball",
    "italian tomato": "plum tomato",
}
# Measures that describe a different state of the food than its name (or a brand) are dropped.
_DROPPED = ("slice crust not eaten", "spear tip", "cookie pepperidge farm chocolate chunk pecan")
_TRIMMED_SUFFIXES = (
    " with skin",
    " without skin",
    " without refuse",
    " raw",
    " crumbled",
    " whole",
)


@dataclass(frozen=True)
class Measure:
    seq: int
    amount: float
    description: str
    grams: float


@dataclass
class SR28:
    descriptions: dict[str, str]
    nutrients: dict[str, dict[str, float]]
    measures: dict[str, list[Measure]]

    @classmethod
    def load(cls, directory: Path) -> SR28:
        wanted = set(NUTRIENTS.values())
        nutrients: dict[str, dict[str, float]] = defaultdict(dict)
        for row in _rows(directory / "NUT_DATA.txt"):
            if row[1] in wanted:
                nutrients[row[0]][row[1]] = float(row[2])
        measures: dict[str, list[Measure]] = defaultdict(list)
        for row in _rows(directory / "WEIGHT.txt"):
            measures[row[0]].append(Measure(int(row[1]), float(row[2]), row[3], float(row[4])))
        descriptions = {row[0]: row[2] for row in _rows(directory / "FOOD_DES.txt")}
        return cls(descriptions, dict(nutrients), dict(measures))

    def portions(self, ndb: str) -> dict[str, float]:
        """Grams per one household portion, keyed by a short portion name ("cup", "large")."""
        portions: dict[str, float] = {}
        sized: dict[str, dict[str, float]] = defaultdict(dict)
        for measure in sorted(self.measures.get(ndb, []), key=lambda m: m.seq):
            parsed = portion_key(measure.description)
            if parsed is None or measure.amount <= 0:
                continue
            key, per_measure, size_of = parsed
            grams = round(measure.grams / float(Fraction(measure.amount) * per_measure), 1)
            if size_of:  # "stalk, medium" is also recorded as the plain "stalk" below
                sized[size_of].setdefault(key, grams)
            if key not in portions and _singular(key) not in portions:
                portions[key] = grams
        for head, by_size in sized.items():
            if head not in portions:
                portions[head] = by_size.get(f"medium {head}", next(iter(by_size.values())))
        return portions


def portion_key(description: str) -> tuple[str, Fraction, str] | None:
    """(portion name, how many of that portion one USDA measure holds, sized head) or None."""
    text = re.sub(r"\([^)]*\)", "", description.lower()).strip()
    if text.endswith(" yields") and "," not in text:  # "lemon yields": one lemon's juice
        return text.removesuffix(" yields"), Fraction(1), ""
    if text.startswith(("unit", "grams")) or "yield" in text or text in _DROPPED:
        return None
    serving = re.match(r"serving (\d+/\d+|\d+) (cup|tbsp|tsp|fl oz)", text)
    if serving:
        return serving.group(2), Fraction(serving.group(1)), ""
    head, _, tail = (part.strip() for part in text.partition(","))
    if "whipped" in tail:  # a cup of whipped cream is half the weight of a cup of cream
        return f"{head} whipped", Fraction(1), ""
    for size in _SIZES:
        if tail.startswith(size) and not head.startswith(_UNITS):
            if head in _SIZES or head.startswith(("potato", "pepper")):
                return size, Fraction(1), ""
            return f"{size} {_singular(head)}", Fraction(1), _singular(head)
    for size in _SIZES:
        if head == size or head.startswith(size + " ") or head.endswith(" " + size):
            return size, Fraction(1), ""
    for unit in _UNITS:
        if head == unit or head.startswith(unit + " "):
            return unit, Fraction(1), ""
    for suffix in _TRIMMED_SUFFIXES:
        head = head.removesuffix(suffix)
    key = " ".join(_singular(word) for word in head.split())
    return _RENAMES.get(key, key), Fraction(1), ""


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word == "leaves":
        return "leaf"
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="latin-1").splitlines()
    return [[field.strip("~") for field in line.split("^")] for line in lines if line.strip()]
