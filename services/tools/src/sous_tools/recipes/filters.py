"""Filters people say aloud ("vegetarian", "under 30 minutes", "without nuts") and their test."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sous_tools.errors import InvalidInput
from sous_tools.matching import name_forms, normalise
from sous_tools.recipes.catalog import Recipe

DIETS = ("vegetarian", "vegan", "gluten-free", "dairy-free", "nut-free")

_DIET_PHRASES: dict[str, str] = {
    r"vegetarian|veggie|meatless|meat free|no meat|without meat": "vegetarian",
    r"vegan|plant based": "vegan",
    r"gluten free|no gluten|without gluten|coeliac|celiac": "gluten-free",
    r"dairy free|no dairy|without dairy|non dairy|lactose free": "dairy-free",
    r"nut free|no nuts?|without (?:any )?nuts?|nut allergy": "nut-free",
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20,
    "twenty five": 25, "thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "sixty": 60,
    "ninety": 90,
}  # fmt: skip
_NUMBER = r"\d+|half an|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT = r"minutes?|mins?|hours?|hrs?"
_UNDER = re.compile(
    rf"\b(?:in |takes? )?(?:under|less than|within|at most|no more than|max|up to)\s+"
    rf"(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})\b"
)
_OR_LESS = re.compile(rf"\b(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})\s+or less\b")
_QUICK = re.compile(r"\b(?:quick|quickly|fast|speedy)\b")
_EXCLUDE = re.compile(r"\b(?:without|no|excluding|except|minus|hold the)\s+(?P<what>[a-z]+)\b")
# Words that ask for recipes without saying which: left in, they would match nothing.
_FILLER = frozenset(
    "recipe recipes dish dishes meal meals idea ideas something anything some food make cook "
    "want give show find me please i can could what good nice suggest suggestion".split()
)


@dataclass(frozen=True)
class RecipeFilters:
    diets: frozenset[str] = frozenset()
    max_minutes: int | None = None
    exclude: tuple[str, ...] = ()

    def merged(self, other: RecipeFilters) -> RecipeFilters:
        limits = [m for m in (self.max_minutes, other.max_minutes) if m is not None]
        return RecipeFilters(
            diets=self.diets | other.diets,
            max_minutes=min(limits) if limits else None,
            exclude=tuple(dict.fromkeys((*self.exclude, *other.exclude))),
        )

    def admits(self, recipe: Recipe) -> bool:
        tags = set(recipe.tags)
        for diet in self.diets:
            # Vegan food is vegetarian; nut-free must also not be flagged as containing nuts.
            if diet == "vegetarian" and "vegan" in tags:
                continue
            if diet not in tags or (diet == "nut-free" and "contains-nuts" in tags):
                return False
        if self.max_minutes is not None and recipe.total_minutes > self.max_minutes:
            return False
        words = {form for line in recipe.ingredients for form in name_forms(line)}
        text = " ".join(words)
        return not any(
            re.search(rf"\b{re.escape(form)}\b", text)
            for excluded in self.exclude
            for form in name_forms(excluded)
        )


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: RecipeFilters = field(default_factory=RecipeFilters)


def _minutes(number: str, unit: str) -> int:
    if number == "half an":
        value = 0.5
    else:
        value = float(number) if number.isdigit() else float(_NUMBER_WORDS[number])
    return round(value * 60) if unit.startswith("h") else round(value)


def parse_spoken_query(q: str, quick_max_minutes: int) -> ParsedQuery:
    """Split what to look for from the filters said along with it."""
    text = f" {normalise(q)} "
    diets: set[str] = set()
    for pattern, diet in _DIET_PHRASES.items():
        text, found = re.subn(rf"\b(?:{pattern})\b", " ", text)
        if found:
            diets.add(diet)
    limits: list[int] = []
    for time_limit in (_UNDER, _OR_LESS):
        for match in time_limit.finditer(text):
            limits.append(_minutes(match["n"], match["unit"]))
        text = time_limit.sub(" ", text)
    text, quick = _QUICK.subn(" ", text)
    if quick:
        limits.append(quick_max_minutes)
    exclude = tuple(match["what"] for match in _EXCLUDE.finditer(text))
    text = _EXCLUDE.sub(" ", text)
    words = [word for word in text.split() if word not in _FILLER]
    return ParsedQuery(
        text=" ".join(words),
        filters=RecipeFilters(
            diets=frozenset(diets), max_minutes=min(limits) if limits else None, exclude=exclude
        ),
    )


def parse_diets(values: Iterable[str]) -> frozenset[str]:
    """Diet query parameters ("vegan", "gluten free", "dairy-free,nut-free") as tags."""
    diets: set[str] = set()
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            tag = normalise(item).replace(" ", "-")
            if tag not in DIETS:
                raise InvalidInput(
                    f"'{item.strip()}' is not a diet I can filter by; use one of "
                    f"{', '.join(DIETS)}."
                )
            diets.add(tag)
    return frozenset(diets)
