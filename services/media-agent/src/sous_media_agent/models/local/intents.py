"""What a cook's sentence can ask for: one `Intent` per utterance (read by `phrases.parse`).

A partial intent (no amount in "and in grams?") is completed by the brain from earlier turns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .units import Unit

Nutrient = Literal["calories", "protein", "fat", "carbohydrates", "fiber", "sugar", "sodium"]
RecipePart = Literal[
    "steps", "step", "next", "previous", "repeat", "ingredients", "time", "servings"
]
ChatKind = Literal["greeting", "thanks", "goodbye", "help", "yes", "no", "ignore"]


@dataclass(frozen=True)
class ConvertUnits:
    quantity: float | None
    from_unit: Unit | None
    to_unit: Unit | None
    ingredient: str | None
    degrees: bool = False  # "350 degrees" with no scale said


@dataclass(frozen=True)
class LookupNutrition:
    food: str | None
    quantity: float | None
    unit: str | None
    nutrient: Nutrient | None


@dataclass(frozen=True)
class SetTimer:
    label: str | None
    seconds: int | None


@dataclass(frozen=True)
class TimeLeft:
    label: str | None


@dataclass(frozen=True)
class CancelTimer:
    label: str | None  # None: "it", the timer just talked about
    every: bool = False  # "cancel all timers"


@dataclass(frozen=True)
class SearchRecipes:
    query: str  # empty: the cook wants ideas but named nothing


@dataclass(frozen=True)
class ChooseRecipe:
    index: int  # 0-based position in the last search results; -1 is the last one


@dataclass(frozen=True)
class RecipeDetail:
    part: RecipePart
    number: int | None = None  # 1-based step number for part="step"; -1 is the last step


@dataclass(frozen=True)
class FollowUp:
    """ "What about butter?": a new subject for whatever was asked last."""

    subject: str


@dataclass(frozen=True)
class Chat:
    kind: ChatKind


Intent = (
    ConvertUnits
    | LookupNutrition
    | SetTimer
    | TimeLeft
    | CancelTimer
    | SearchRecipes
    | ChooseRecipe
    | RecipeDetail
    | FollowUp
    | Chat
)
