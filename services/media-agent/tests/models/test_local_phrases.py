"""Reading one utterance: Whisper's text normalised, then the one thing it asks for.

(The big table of utterances → tool calls is in test_local_rules_brain.py.)
"""

from __future__ import annotations

import pytest

from sous_media_agent.models.local.intents import (
    CancelTimer,
    Chat,
    ChooseRecipe,
    FollowUp,
    Intent,
    LookupNutrition,
    RecipeDetail,
    SearchRecipes,
    SetTimer,
    TimeLeft,
)
from sous_media_agent.models.local.phrases import normalize, parse, read_amount


@pytest.mark.parametrize(
    ("whisper", "normal"),
    [
        ("Set a timer for Eight minutes.", "set a timer for 8 minutes"),
        ("What's 350°F in Celsius?", "what is 350 fahrenheit in celsius"),
        ("How many grams is 2 1 12 cups of flour?", "how many grams is 2.5 cups of flour"),
        ("Add 1,000 grams & ½ cup.", "add 1000 grams and 0.5 cup"),
        ("I\u2019d like twenty-five minutes", "i would like 25 minutes"),  # curly apostrophe
        ("Bake at 200°C for 8min.", "bake at 200 celsius for 8 min"),
    ],
)
def test_normalize_undoes_whispers_writing(whisper: str, normal: str) -> None:
    assert normalize(whisper) == normal


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("What's the first step?", RecipeDetail("step", 1)),
        ("Step number 3.", RecipeDetail("step", 3)),
        ("What's the last step?", RecipeDetail("step", -1)),
        ("What's next?", RecipeDetail("next")),
        ("Go back.", RecipeDetail("previous")),
        ("Say that again.", RecipeDetail("repeat")),
        ("What do I need?", RecipeDetail("ingredients")),
        ("How many servings is that?", RecipeDetail("servings")),
        ("The second one.", ChooseRecipe(1)),
        ("Let's make the first one.", ChooseRecipe(0)),
        ("Number two.", ChooseRecipe(1)),
        ("The last one.", ChooseRecipe(-1)),
        ("What about butter?", FollowUp("butter")),
        ("And for two eggs?", FollowUp("2 eggs")),
        ("And protein?", LookupNutrition(None, None, None, "protein")),
        ("Cancel it.", CancelTimer(None)),
        ("Cancel all timers.", CancelTimer(None, every=True)),
        ("How long on the eggs?", TimeLeft("eggs")),
        ("Set a timer for the chicken.", SetTimer("chicken", None)),
        ("10 minutes.", SetTimer(None, 600)),
        ("What should I cook tonight?", SearchRecipes("")),
        ("Yes please.", Chat("yes")),
        ("No thanks.", Chat("no")),
        ("Goodbye.", Chat("goodbye")),
        ("Um.", Chat("ignore")),
        ("Tell me a joke.", Chat("help")),
    ],
)
def test_parse_reads_what_was_asked(said: str, intent: Intent) -> None:
    assert parse(said) == intent


@pytest.mark.parametrize(
    ("phrase", "amount"),
    [
        ("2 tablespoons of peanut butter", (2.0, "tablespoon", "peanut butter")),
        ("a large egg", (1.0, "large", "egg")),
        ("an apple", (None, None, "apple")),
        ("3 slices of the bread", (3.0, "slice", "bread")),
        ("100 g of rice", (100.0, "g", "rice")),
    ],
)
def test_read_amount_splits_quantity_portion_and_food(
    phrase: str, amount: tuple[float | None, str | None, str]
) -> None:
    assert read_amount(phrase.split()) == amount
