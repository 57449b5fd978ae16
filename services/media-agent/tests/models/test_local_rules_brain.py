"""The rules brain: what cooks say (as Whisper writes it) → the right tool, inputs and answer.

The tools answer with the tools service's JSON shapes (docs/architecture.md, issue 2); the
brain's answers are built from those results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from sous_media_agent.models.local import answers
from sous_media_agent.models.local.brain import ToolCall, ToolOutcome
from sous_media_agent.models.local.rules_brain import RulesBrain

NOT_ANSWERING = "The tools service is not answering, so I can't look that up right now."
RECIPES = [
    {
        "id": "classic-banana-bread",
        "title": "Classic Banana Bread",
        "ingredients": ["3 ripe bananas", "1/3 cup melted butter", "1 1/2 cups flour"],
        "steps": ["Heat the oven to 350°F.", "Mash the bananas.", "Bake for 60 minutes."],
        "total_minutes": 70,
        "servings": 8,
        "tags": ["baking"],
        "score": 9.1,
    },
    {
        "id": "banana-oat-muffins",
        "title": "Banana Oat Muffins",
        "ingredients": ["2 bananas", "1 cup oats"],
        "steps": ["Mix everything.", "Bake for 20 minutes."],
        "total_minutes": 30,
        "servings": 12,
        "tags": ["baking", "breakfast"],
        "score": 7.2,
    },
]
EGG = {
    "food": "Egg, whole, raw",
    "grams": 50,
    "calories_kcal": 71.5,
    "protein_g": 6.28,
    "fat_g": 4.76,
    "carbohydrates_g": 0.36,
    "fiber_g": 0.0,
    "sugar_g": 0.19,
    "sodium_mg": 71.0,
    "source": "USDA FoodData Central SR Legacy 171287",
}


class ToolsDesk:
    """Runs the brain's tool calls like the agent would, answering in the tools service's shapes."""

    def __init__(self, down: bool = False) -> None:
        self.calls: list[ToolCall] = []
        self.down = down
        self.timers: dict[str, dict[str, Any]] = {}

    async def __call__(self, calls: Sequence[ToolCall]) -> list[ToolOutcome]:
        self.calls.extend(calls)
        return [self._run(call, f"tooluse_{len(self.calls)}_{i}") for i, call in enumerate(calls)]

    def _run(self, call: ToolCall, tool_use_id: str) -> ToolOutcome:
        if self.down:
            return ToolOutcome(tool_use_id, "error", [{"text": NOT_ANSWERING}])
        try:
            data = getattr(self, call.name)(**call.input)
        except LookupError as refusal:  # what the service answers with a 404
            return ToolOutcome(tool_use_id, "error", [{"text": refusal.args[0]}])
        return ToolOutcome(tool_use_id, "success", [{"json": data}])

    def convert_units(
        self, quantity: float, from_unit: str, to_unit: str, ingredient: str | None = None
    ) -> dict[str, Any]:
        of = f" of {ingredient}" if ingredient else ""
        return {
            "quantity": 250.0,
            "unit": to_unit,
            "text": f"{quantity} {from_unit}{of} is 250 {to_unit}",
        }

    def lookup_nutrition(
        self, food: str, quantity: float | None = None, unit: str | None = None
    ) -> dict[str, Any]:
        return {**EGG, "food": food}

    def set_timer(self, label: str, duration_seconds: int) -> dict[str, Any]:
        timer = {
            "id": f"timer-{len(self.timers) + 1}",
            "session_id": "s1",
            "label": label,
            "duration_seconds": duration_seconds,
            "ends_at": "2026-11-25T12:08:00Z",
            "status": "running",
            "remaining_seconds": duration_seconds,
        }
        self.timers[str(timer["id"])] = timer
        return timer

    def list_timers(self) -> dict[str, Any]:
        return {"timers": [t for t in self.timers.values() if t["status"] == "running"]}

    def cancel_timer(self, timer_id: str | None = None, label: str | None = None) -> dict[str, Any]:
        found = [
            t
            for t in self.timers.values()
            if timer_id in (t["id"], None) and label in (t["label"], None)
        ]
        if not found:
            raise LookupError(f"There is no {label or timer_id} timer.")
        timer = found[0]
        timer["status"] = "cancelled"
        return timer

    def search_recipes(self, query: str, limit: int = 3) -> dict[str, Any]:
        return {"results": RECIPES[:limit]}

    def get_recipe(self, recipe_id: str) -> dict[str, Any]:
        return next(r for r in RECIPES if r["id"] == recipe_id)


async def ask(brain: RulesBrain, desk: ToolsDesk, text: str) -> str:
    return "".join([piece async for piece in brain.reply(text, desk)])


C = "convert_units"
N = "lookup_nutrition"
T = "set_timer"
S = "search_recipes"

SINGLE_TURNS: list[tuple[str, str | None, dict[str, Any] | None]] = [
    # Conversions, in the forms Whisper writes them.
    ("How many grams is two cups of flour?", C,
     {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"}),
    ("How many grams is 2 1 12 cups of flour?", C,
     {"quantity": 2.5, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"}),
    ("How many grams is two and a half cups of flour?", C,
     {"quantity": 2.5, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"}),
    ("Convert 350 degrees Fahrenheit to Celsius.", C,
     {"quantity": 350, "from_unit": "fahrenheit", "to_unit": "celsius"}),
    ("What's 350°F in Celsius?", C,
     {"quantity": 350, "from_unit": "fahrenheit", "to_unit": "celsius"}),
    ("What is 180 C in F?", C, {"quantity": 180, "from_unit": "celsius", "to_unit": "fahrenheit"}),
    ("How many tablespoons are in a quarter cup?", C,
     {"quantity": 0.25, "from_unit": "cup", "to_unit": "tablespoon"}),
    ("A cup and a half of milk in milliliters.", C,
     {"quantity": 1.5, "from_unit": "cup", "to_unit": "ml", "ingredient": "milk"}),
    ("How many ounces is 200 grams of butter?", C,
     {"quantity": 200, "from_unit": "g", "to_unit": "oz", "ingredient": "butter"}),
    ("How many cups is a pound of sugar?", C,
     {"quantity": 1, "from_unit": "lb", "to_unit": "cup", "ingredient": "sugar"}),
    ("How many grams of flour in a cup?", C,
     {"quantity": 1, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"}),
    ("How much does a cup of rice weigh?", C,
     {"quantity": 1, "from_unit": "cup", "to_unit": "g", "ingredient": "rice"}),
    ("Convert 3 tablespoons to teaspoons.", C,
     {"quantity": 3, "from_unit": "tablespoon", "to_unit": "teaspoon"}),
    ("Gas mark 4 in Celsius?", C, {"quantity": 4, "from_unit": "gas mark", "to_unit": "celsius"}),
    ("350 degrees in Celsius.", C,
     {"quantity": 350, "from_unit": "fahrenheit", "to_unit": "celsius"}),
    ("What is a stick of butter in grams?", C,
     {"quantity": 1, "from_unit": "stick", "to_unit": "g", "ingredient": "butter"}),
    ("Three quarters of a cup of sugar in grams.", C,
     {"quantity": 0.75, "from_unit": "cup", "to_unit": "g", "ingredient": "sugar"}),
    ("How many teaspoons in a tablespoon?", C,
     {"quantity": 1, "from_unit": "tablespoon", "to_unit": "teaspoon"}),
    ("Half a cup of honey in grams, please.", C,
     {"quantity": 0.5, "from_unit": "cup", "to_unit": "g", "ingredient": "honey"}),
    ("200 C in Fahrenheit.", C, {"quantity": 200, "from_unit": "celsius", "to_unit": "fahrenheit"}),
    ("How much is 2 cups of flour?", C,
     {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"}),
    ("How many millilitres in 2 tablespoons?", C,
     {"quantity": 2, "from_unit": "tablespoon", "to_unit": "ml"}),
    # Nutrition.
    ("How many calories are in a large egg?", N, {"food": "egg", "quantity": 1, "unit": "large"}),
    ("How much protein is in 100 grams of chicken breast?", N,
     {"food": "chicken breast", "quantity": 100, "unit": "g"}),
    ("Calories in a banana.", N, {"food": "banana"}),
    ("How many calories does an avocado have?", N, {"food": "avocado"}),
    ("Nutrition facts for two tablespoons of peanut butter.", N,
     {"food": "peanut butter", "quantity": 2, "unit": "tablespoon"}),
    ("How much fat is in a cup of whole milk?", N,
     {"food": "whole milk", "quantity": 1, "unit": "cup"}),
    ("How many carbs in two slices of bread?", N,
     {"food": "bread", "quantity": 2, "unit": "slice"}),
    ("How much sugar is in an apple?", N, {"food": "apple"}),
    ("How much fiber does a cup of oats have?", N, {"food": "oats", "quantity": 1, "unit": "cup"}),
    ("How many calories in 2 eggs?", N, {"food": "eggs", "quantity": 2}),
    # Timers.
    ("Set a timer for 8 minutes for the pasta.", T, {"label": "pasta", "duration_seconds": 480}),
    ("Set a pasta timer for eight minutes.", T, {"label": "pasta", "duration_seconds": 480}),
    ("Start a 5 minute timer for the eggs.", T, {"label": "eggs", "duration_seconds": 300}),
    ("Set a timer for an hour and a half for the bread.", T,
     {"label": "bread", "duration_seconds": 5400}),
    ("Set a timer for Eight minutes.", T, {"label": "8 minute", "duration_seconds": 480}),
    ("Timer 10 minutes.", T, {"label": "10 minute", "duration_seconds": 600}),
    ("Remind me in 20 minutes to check the roast.", T,
     {"label": "check the roast", "duration_seconds": 1200}),
    ("Remind me to flip the steak in 5 minutes.", T,
     {"label": "flip the steak", "duration_seconds": 300}),
    ("Set a timer for 1 hour and 30 minutes for the stew.", T,
     {"label": "stew", "duration_seconds": 5400}),
    ("Set a timer for half an hour for the rice.", T, {"label": "rice", "duration_seconds": 1800}),
    ("Set a 90 second timer for the toast.", T, {"label": "toast", "duration_seconds": 90}),
    ("Okay, um, set the oven timer for twenty-five minutes.", T,
     {"label": "oven", "duration_seconds": 1500}),
    ("How long is left?", "list_timers", {}),
    ("How much time is left on the pasta?", "list_timers", {}),
    ("What timers do I have?", "list_timers", {}),
    ("Cancel the pasta timer.", "cancel_timer", {"label": "pasta"}),
    ("Stop the timer for the eggs.", "cancel_timer", {"label": "eggs"}),
    ("Turn off the rice timer.", "cancel_timer", {"label": "rice"}),
    # Recipes.
    ("Find me a recipe for banana bread.", S, {"query": "banana bread", "limit": 3}),
    ("Do you have a recipe with chicken and rice?", S, {"query": "chicken and rice", "limit": 3}),
    ("What can I make with eggs and spinach?", S, {"query": "eggs and spinach", "limit": 3}),
    ("Vegetarian pasta recipes under 30 minutes.", S,
     {"query": "vegetarian pasta under 30 minutes", "limit": 3}),
    ("How do I make pancakes?", S, {"query": "pancakes", "limit": 3}),
    ("Any gluten-free dessert recipes?", S, {"query": "gluten free dessert", "limit": 3}),
    ("Give me dinner ideas.", S, {"query": "dinner", "limit": 3}),
    # No tool: small talk, things it can't do, nothing to go on.
    ("Hello!", None, None),
    ("Thank you so much.", None, None),
    ("What's the weather like?", None, None),
    ("Tell me the steps.", None, None),
    ("you", None, None),
]  # fmt: skip


def test_the_table_is_big_enough() -> None:
    assert len(SINGLE_TURNS) >= 50


@pytest.mark.parametrize(("said", "tool", "inputs"), SINGLE_TURNS)
async def test_an_utterance_calls_the_right_tool(
    said: str, tool: str | None, inputs: dict[str, Any] | None
) -> None:
    desk = ToolsDesk()
    desk.set_timer("pasta", 300)  # a running timer for the "how long" questions

    await ask(RulesBrain(), desk, said)

    calls = [(call.name, call.input) for call in desk.calls]
    assert calls == ([] if tool is None else [(tool, inputs)])


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("Hello!", f"Hi! {answers.HELP}"),
        ("Thank you so much.", "You're welcome!"),
        ("What's the weather like?", answers.HELP),
        ("Tell me the steps.", answers.NEED_RECIPE),
        ("What should I cook?", answers.ASK_WHAT_TO_COOK),
        ("you", ""),
    ],
)
async def test_small_talk_and_the_unknown_get_a_plain_answer(said: str, answer: str) -> None:
    assert await ask(RulesBrain(), ToolsDesk(), said) == answer


async def test_conversion_answers_with_the_services_text_and_follow_ups_keep_context() -> None:
    brain, desk = RulesBrain(), ToolsDesk()

    first = await ask(brain, desk, "How many grams is two cups of flour?")
    await ask(brain, desk, "And in ounces?")
    await ask(brain, desk, "What about butter?")
    await ask(brain, desk, "And three cups?")
    await ask(brain, desk, "and in grants.")  # tiny.en's "and in grams"

    assert first == "2 cup of flour is 250 g."
    assert [call.input for call in desk.calls] == [
        {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"},
        {"quantity": 2, "from_unit": "cup", "to_unit": "oz", "ingredient": "flour"},
        {"quantity": 2, "from_unit": "cup", "to_unit": "oz", "ingredient": "butter"},
        {"quantity": 3, "from_unit": "cup", "to_unit": "oz", "ingredient": "butter"},
        {"quantity": 3, "from_unit": "cup", "to_unit": "g", "ingredient": "butter"},
    ]


async def test_a_follow_up_with_nothing_to_follow_asks_for_the_amount() -> None:
    desk = ToolsDesk()

    answer = await ask(RulesBrain(), desk, "And in grams?")

    assert desk.calls == []
    assert answer == "What amount should I convert into grams? For example: 2 cups of flour."


async def test_nutrition_follow_ups_answer_from_the_last_result_or_look_up_the_new_food() -> None:
    brain, desk = RulesBrain(), ToolsDesk()

    first = await ask(brain, desk, "How many calories are in a large egg?")
    protein = await ask(brain, desk, "And protein?")
    banana = await ask(brain, desk, "What about a banana?")

    assert first == "There are about 72 calories in 1 large egg."
    assert protein == "There are about 6.3 grams of protein in 1 large egg."
    assert banana == "There are about 72 calories in a serving of banana."
    assert [(call.name, call.input) for call in desk.calls] == [
        (N, {"food": "egg", "quantity": 1, "unit": "large"}),
        (N, {"food": "banana"}),
    ]


async def test_nutrition_overview_names_the_main_nutrients() -> None:
    answer = await ask(RulesBrain(), ToolsDesk(), "Nutrition facts for an egg.")

    assert answer == (
        "There are about 72 calories in a serving of egg (about 50 grams), with 6.3 grams of "
        "protein, "
        "4.8 grams of fat and 0.4 grams of carbohydrates."
    )


async def test_a_timer_without_a_length_is_asked_for_then_set_listed_and_cancelled() -> None:
    brain, desk = RulesBrain(), ToolsDesk()

    question = await ask(brain, desk, "Set a timer for the chicken.")
    set_answer = await ask(brain, desk, "25 minutes.")
    left = await ask(brain, desk, "How long is left?")
    cancelled = await ask(brain, desk, "Cancel it.")

    assert question == "How long should the chicken timer be?"
    assert set_answer == "OK, your chicken timer is set for 25 minutes."
    assert left == "Your chicken timer has 25 minutes left."
    assert cancelled == "OK, I cancelled the chicken timer."
    assert [(call.name, call.input) for call in desk.calls] == [
        (T, {"label": "chicken", "duration_seconds": 1500}),
        ("list_timers", {}),
        ("cancel_timer", {"timer_id": "timer-1"}),
    ]


async def test_time_left_names_every_running_timer_or_the_one_asked_about() -> None:
    brain, desk = RulesBrain(), ToolsDesk()
    desk.set_timer("pasta", 480)
    desk.set_timer("eggs", 90)

    both = await ask(brain, desk, "What timers do I have?")
    eggs = await ask(brain, desk, "How much time is left on the eggs?")
    bread = await ask(brain, desk, "How long is left on the bread?")

    assert (
        both
        == "You have 2 timers: pasta with 8 minutes left and eggs with 1 minute 30 seconds left."
    )
    assert eggs == "Your eggs timer has 1 minute 30 seconds left."
    assert bread == "I can't find a bread timer."


async def test_cancel_all_cancels_each_running_timer_in_one_tool_group() -> None:
    brain, desk = RulesBrain(), ToolsDesk()
    desk.set_timer("pasta", 480)
    desk.set_timer("eggs", 90)

    answer = await ask(brain, desk, "Cancel all timers.")

    assert answer == "OK, I cancelled the pasta timer and the eggs timer."
    assert [(call.name, call.input) for call in desk.calls] == [
        ("list_timers", {}),
        ("cancel_timer", {"timer_id": "timer-1"}),
        ("cancel_timer", {"timer_id": "timer-2"}),
    ]


async def test_recipe_search_then_steps_ingredients_and_another_choice() -> None:
    brain, desk = RulesBrain(), ToolsDesk()

    found = await ask(brain, desk, "Find me a recipe for banana bread.")
    steps = await ask(brain, desk, "Yes.")
    second = await ask(brain, desk, "What's the next step?")
    last = await ask(brain, desk, "Next.")
    beyond = await ask(brain, desk, "Next.")
    ingredients = await ask(brain, desk, "Read me the ingredients.")
    chosen = await ask(brain, desk, "The second one.")
    first_step = await ask(brain, desk, "What's the first step?")
    how_long = await ask(brain, desk, "How long does it take?")

    assert found == (
        "I found Classic Banana Bread and Banana Oat Muffins. "
        "Want the steps for the first one, or another one?"
    )
    assert steps == "Classic Banana Bread has 3 steps. Step 1: Heat the oven to 350°F."
    assert second == "Step 2: Mash the bananas."
    assert last == "Step 3: Bake for 60 minutes. That's the last step."
    assert beyond == "That was the last step. Enjoy your meal!"
    assert ingredients == (
        "For Classic Banana Bread you need 3 ripe bananas, 1/3 cup melted butter "
        "and 1 1/2 cups flour."
    )
    assert chosen == (
        "Banana Oat Muffins. It takes about 30 minutes and serves 12. "
        "Want the ingredients or the steps?"
    )
    assert first_step == "Step 1: Mix everything."
    assert how_long == "It takes about 30 minutes and serves 12."
    assert [(call.name, call.input) for call in desk.calls] == [
        (S, {"query": "banana bread", "limit": 3}),
        ("get_recipe", {"recipe_id": "banana-oat-muffins"}),
    ]


async def test_when_the_tools_service_is_down_the_brain_says_so_in_one_sentence() -> None:
    answer = await ask(RulesBrain(), ToolsDesk(down=True), "How many calories are in an egg?")

    assert answer == NOT_ANSWERING


async def test_a_tool_refusal_is_passed_on_without_the_error_prefix() -> None:
    class Refusing(ToolsDesk):
        def _run(self, call: ToolCall, tool_use_id: str) -> ToolOutcome:
            message = "Error: Unknown unit 'smidgen'. Did you mean: pinch? Try a kitchen unit."
            return ToolOutcome(tool_use_id, "error", [{"text": message}])

    answer = await ask(RulesBrain(), Refusing(), "Convert 2 cups of flour to grams")

    assert answer == "Unknown unit 'smidgen'. Did you mean: pinch?"


async def test_a_result_of_an_unexpected_shape_gets_an_apology_not_a_crash() -> None:
    class Odd(ToolsDesk):
        def set_timer(self, label: str, duration_seconds: int) -> dict[str, Any]:
            return {"id": "t1"}  # no label, no duration

    answer = await ask(RulesBrain(), Odd(), "Set a timer for 8 minutes for the pasta.")

    assert answer == answers.UNREADABLE
