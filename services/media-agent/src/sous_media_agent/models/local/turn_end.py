"""Semantic end of turn: does what the user said so far read as a whole request?

When the early transcript (taken at the first pause) is a complete request, the model ends the
turn after `end_of_turn_complete_ms` of silence instead of the full `end_of_turn_silence_ms`.
Anything unclear, unfinished ("How many grams is", "Set a timer for") or trailing off ("...")
waits the full silence, so a cook who pauses mid-sentence is not cut off.
"""

from __future__ import annotations

from .intents import (
    CancelTimer,
    Chat,
    ChooseRecipe,
    ConvertUnits,
    FollowUp,
    Intent,
    LookupNutrition,
    RecipeDetail,
    SearchRecipes,
    SetTimer,
    TimeLeft,
)
from .phrases import parse


def is_complete_request(text: str) -> bool:
    """True when `text` (as Whisper wrote it) is a finished sentence asking for something whole."""
    text = text.strip()
    if not text.endswith((".", "?", "!")) or text.endswith(".."):
        return False  # Whisper leaves a sentence that trails off open
    return _is_whole(parse(text))


def _is_whole(intent: Intent) -> bool:
    match intent:
        case ConvertUnits(quantity, from_unit, to_unit, ingredient):
            if quantity is None or from_unit is None or to_unit is None:
                return False
            # Between volume and mass the ingredient matters: "two cups … of flour".
            return ingredient is not None or {from_unit.kind, to_unit.kind} != {"volume", "mass"}
        case LookupNutrition(food=food):
            return food is not None
        case SetTimer(seconds=seconds):
            return seconds is not None
        case SearchRecipes(query=query):
            return bool(query)
        case Chat(kind=kind):
            return kind not in ("help", "ignore")
        case TimeLeft() | CancelTimer() | ChooseRecipe() | RecipeDetail() | FollowUp():
            return True
