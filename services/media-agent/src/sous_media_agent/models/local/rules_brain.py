"""The offline brain: understands what cooks say about the four tools, with no model at all.

It reads the sentence (`phrases.parse`), fills gaps from the conversation so far ("and in
grams?", "cancel it", "what's the next step?"), calls the tools through the agent's tool loop
and answers in one or two sentences built from their results (`answers`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from . import answers
from .brain import ToolCall, ToolCaller, ToolOutcome
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
from .numbers import format_number
from .phrases import parse, read_amount
from .units import Unit, unit

logger = logging.getLogger(__name__)

Topic = Literal["convert", "nutrition", "timer", "recipe"]


@dataclass
class _Conversation:
    """What earlier turns established, so short follow-ups make sense."""

    topic: Topic | None = None
    conversion: ConvertUnits | None = None
    nutrition: LookupNutrition | None = None
    nutrition_result: Mapping[str, Any] | None = None
    timer: Mapping[str, Any] | None = None
    timer_label_waiting: str | None = None  # asked "how long?" for this label
    recipes: list[Mapping[str, Any]] = field(default_factory=list)
    recipe: Mapping[str, Any] | None = None
    step: int = -1
    offer: Literal["steps"] | None = None


class RulesBrain:
    """Understands the four tools from what cooks say; no network, no model."""

    def __init__(self) -> None:
        self._state = _Conversation()

    async def reply(self, text: str, call_tools: ToolCaller) -> AsyncIterator[str]:
        try:
            answer = await self._answer(parse(text), call_tools)
        except (LookupError, TypeError, ValueError, AttributeError):
            logger.exception("a tool result did not have the expected shape")
            answer = answers.UNREADABLE
        if answer:
            yield answer

    async def _answer(self, intent: Intent, call: ToolCaller) -> str | None:
        state = self._state
        # An offer ("want the steps?") or a question ("how long?") is open for one turn only.
        if not isinstance(intent, Chat):
            state.offer = None
        waiting, state.timer_label_waiting = state.timer_label_waiting, None
        match intent:
            case ConvertUnits():
                return await self._convert(intent, call)
            case LookupNutrition():
                return await self._nutrition(intent, call)
            case SetTimer():
                return await self._set_timer(intent, waiting, call)
            case TimeLeft():
                return await self._time_left(intent.label, call)
            case CancelTimer():
                return await self._cancel_timer(intent, call)
            case SearchRecipes():
                return await self._search(intent.query, call)
            case ChooseRecipe():
                return await self._choose(intent.index, call)
            case RecipeDetail():
                return await self._recipe_detail(intent, call)
            case FollowUp():
                return await self._follow_up(intent.subject, call)
            case Chat():
                return await self._chat(intent, call)

    # --- conversions ---------------------------------------------------------------------

    async def _convert(self, asked: ConvertUnits, call: ToolCaller) -> str:
        state = self._state
        last = state.conversion
        wanted = _fill_conversion(asked, last)
        quantity, from_unit = wanted.quantity, wanted.from_unit
        if quantity is None or from_unit is None:
            target = f" into {answers.unit_words(asked.to_unit.name)}" if asked.to_unit else ""
            return f"What amount should I convert{target}? For example: 2 cups of flour."
        to_unit = wanted.to_unit or _default_target(from_unit, wanted.ingredient)
        wanted = replace(wanted, to_unit=to_unit)
        inputs: dict[str, Any] = {
            "quantity": _json_number(quantity),
            "from_unit": from_unit.name,
            "to_unit": to_unit.name,
        }
        if wanted.ingredient:
            inputs["ingredient"] = wanted.ingredient
        outcome = await _call_one(call, "convert_units", inputs)
        state.topic = "convert"
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        state.conversion = wanted
        return answers.conversion(outcome.data)

    # --- nutrition -----------------------------------------------------------------------

    async def _nutrition(self, asked: LookupNutrition, call: ToolCaller) -> str:
        state = self._state
        if asked.food is None:
            if state.nutrition is None or state.nutrition_result is None:
                return "Which food would you like to know about?"
            state.topic = "nutrition"
            said = _said_food(state.nutrition)
            return answers.nutrition(state.nutrition_result, said, asked.nutrient)
        inputs: dict[str, Any] = {"food": asked.food}
        if asked.quantity is not None:
            inputs["quantity"] = _json_number(asked.quantity)
        if asked.unit is not None:
            inputs["unit"] = asked.unit
        outcome = await _call_one(call, "lookup_nutrition", inputs)
        state.topic = "nutrition"
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        state.nutrition, state.nutrition_result = asked, outcome.data
        return answers.nutrition(outcome.data, _said_food(asked), asked.nutrient)

    # --- timers --------------------------------------------------------------------------

    async def _set_timer(self, asked: SetTimer, waiting: str | None, call: ToolCaller) -> str:
        state = self._state
        state.topic = "timer"
        label = asked.label or waiting
        if asked.seconds is None:
            state.timer_label_waiting = label or ""
            named = f"the {label} timer" if label else "the timer"
            return f"How long should {named} be?"
        if asked.seconds <= 0:
            return "A timer needs a length, like 8 minutes."
        label = label or re.sub(r"(hour|minute|second)s\b", r"\1", answers.duration(asked.seconds))
        outcome = await _call_one(
            call, "set_timer", {"label": label, "duration_seconds": asked.seconds}
        )
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        state.timer = outcome.data
        return answers.timer_set(outcome.data)

    async def _time_left(self, label: str | None, call: ToolCaller) -> str:
        self._state.topic = "timer"
        outcome = await _call_one(call, "list_timers", {})
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        timers = _running(outcome.data)
        if label is not None:
            timers = [timer for timer in timers if _label_matches(label, str(timer["label"]))]
        if len(timers) == 1:
            self._state.timer = timers[0]
        return answers.timers_left(timers, label)

    async def _cancel_timer(self, asked: CancelTimer, call: ToolCaller) -> str:
        state = self._state
        state.topic = "timer"
        if asked.every:
            listed = await _call_one(call, "list_timers", {})
            if listed.status == "error":
                return answers.tool_error(listed.message)
            timers = _running(listed.data)
            if not timers:
                return answers.timers_cancelled([])
            outcomes = await call(
                [ToolCall("cancel_timer", {"timer_id": str(timer["id"])}) for timer in timers]
            )
            failed = [outcome for outcome in outcomes if outcome.status == "error"]
            if failed:
                return answers.tool_error(failed[0].message)
            return answers.timers_cancelled([str(timer["label"]) for timer in timers])
        inputs: dict[str, Any]
        if asked.label is not None:
            inputs = {"label": asked.label}
        elif state.timer is not None:
            inputs = {"timer_id": str(state.timer["id"])}
        else:
            inputs = {}
        outcome = await _call_one(call, "cancel_timer", inputs)
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        state.timer = None
        return answers.timer_cancelled(outcome.data)

    # --- recipes -------------------------------------------------------------------------

    async def _search(self, query: str, call: ToolCaller) -> str:
        state = self._state
        if not query:
            return answers.ASK_WHAT_TO_COOK
        outcome = await _call_one(call, "search_recipes", {"query": query, "limit": 3})
        state.topic = "recipe"
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        results = list(outcome.data.get("results") or [])
        state.recipes, state.recipe, state.step = results, None, -1
        if results:
            state.recipe = results[0]
            state.offer = "steps"
        return answers.recipes_found(results, query)

    async def _choose(self, index: int, call: ToolCaller) -> str:
        state = self._state
        if not state.recipes:
            return answers.NEED_RECIPE
        if index >= len(state.recipes):
            return f"I only found {len(state.recipes)}; which one would you like?"
        chosen = state.recipes[index]
        outcome = await _call_one(call, "get_recipe", {"recipe_id": str(chosen["id"])})
        state.topic = "recipe"
        if outcome.status == "error":
            return answers.tool_error(outcome.message)
        state.recipe, state.step, state.offer = outcome.data, -1, "steps"
        return answers.recipe_chosen(outcome.data)

    async def _recipe_detail(self, asked: RecipeDetail, call: ToolCaller) -> str:
        state = self._state
        if state.recipe is None:
            return answers.NEED_RECIPE
        state.topic = "recipe"
        recipe = state.recipe
        if asked.part in ("steps", "step", "next", "previous", "repeat", "ingredients") and not (
            recipe.get("steps") and recipe.get("ingredients")
        ):
            outcome = await _call_one(call, "get_recipe", {"recipe_id": str(recipe["id"])})
            if outcome.status == "error":
                return answers.tool_error(outcome.message)
            state.recipe = recipe = outcome.data
        steps = list(recipe.get("steps") or [])
        match asked.part:
            case "ingredients":
                return answers.recipe_ingredients(recipe)
            case "time" | "servings":
                return answers.recipe_facts(recipe) or "I don't know how long it takes."
            case _ if not steps:
                return f"I don't have the steps for {recipe['title']}."
            case "steps":
                state.step = 0
                return answers.recipe_steps_intro(recipe)
            case "next":
                if state.step + 1 >= len(steps):
                    return "That was the last step. Enjoy your meal!"
                state.step += 1
            case "previous":
                state.step = max(0, state.step - 1)
            case "repeat":
                state.step = max(0, state.step)
            case "step":
                number = asked.number or 1
                index = len(steps) - 1 if number == -1 else number - 1
                if not 0 <= index < len(steps):
                    return f"{recipe['title']} has {len(steps)} steps."
                state.step = index
        return answers.recipe_step(recipe, state.step)

    # --- follow-ups and small talk -------------------------------------------------------

    async def _follow_up(self, subject: str, call: ToolCaller) -> str:
        state = self._state
        match state.topic:
            case "convert":
                quantity, portion, ingredient = read_amount(subject.split())
                from_unit = _unit_or_none(portion)
                return await self._convert(
                    ConvertUnits(quantity, from_unit, None, ingredient or None), call
                )
            case "nutrition":
                nutrient = parse(f"how much {subject}")
                if isinstance(nutrient, LookupNutrition) and nutrient.food is None:
                    return await self._nutrition(nutrient, call)
                quantity, portion, food = read_amount(subject.split())
                focus = state.nutrition.nutrient if state.nutrition else None
                return await self._nutrition(LookupNutrition(food, quantity, portion, focus), call)
            case "recipe":
                return await self._search(subject, call)
            case "timer":
                return await self._time_left(subject, call)
        return answers.HELP

    async def _chat(self, chat: Chat, call: ToolCaller) -> str | None:
        state = self._state
        offer, state.offer = state.offer, None
        match chat.kind:
            case "yes" if offer == "steps":
                return await self._recipe_detail(RecipeDetail("steps"), call)
            case "yes" | "no":
                return "OK."
            case "greeting":
                return f"Hi! {answers.HELP}"
            case "thanks":
                return "You're welcome!"
            case "goodbye":
                return "Happy cooking!"
            case "ignore":
                return None
        return answers.HELP


async def _call_one(call: ToolCaller, name: str, inputs: dict[str, Any]) -> ToolOutcome:
    return (await call([ToolCall(name, inputs)]))[0]


def _fill_conversion(asked: ConvertUnits, last: ConvertUnits | None) -> ConvertUnits:
    """A partial question ("and in grams?", "what about 3 cups?") completed by the last one."""
    from_unit = asked.from_unit
    if asked.degrees and from_unit is None:
        to_name = asked.to_unit.name if asked.to_unit else None
        from_unit = unit("celsius" if to_name == "fahrenheit" else "fahrenheit")
    if last is None:
        return replace(asked, from_unit=from_unit, degrees=False)
    partial = asked.quantity is None or asked.to_unit is None
    quantity, ingredient = asked.quantity, asked.ingredient
    if quantity is None and from_unit is None:
        quantity, from_unit = last.quantity, last.from_unit
    if ingredient is None and partial:
        ingredient = last.ingredient
    to_unit = asked.to_unit
    if to_unit is None and last.to_unit is not None and from_unit is not None:
        if last.to_unit != from_unit and (
            last.to_unit.kind == from_unit.kind or ingredient is not None
        ):
            to_unit = last.to_unit
    return ConvertUnits(quantity, from_unit, to_unit, ingredient)


def _default_target(source: Unit, ingredient: str | None) -> Unit:
    """What a cook most likely wants when no unit was named."""
    if source.kind == "temperature":
        return unit("celsius" if source.name in ("fahrenheit", "gas mark") else "fahrenheit")
    if source.kind == "volume":
        if ingredient:
            return unit("g")
        return unit("ml" if source.name in ("cup", "fl oz", "pint", "quart", "gallon") else "cup")
    if ingredient:
        return unit("cup")
    return unit("oz" if source.name in ("g", "kg", "mg") else "g")


def _said_food(asked: LookupNutrition) -> str:
    return answers.amount(asked.quantity, asked.unit, asked.food or "that")


def _running(data: Any) -> list[Mapping[str, Any]]:
    timers = data.get("timers") if isinstance(data, Mapping) else None
    return [
        timer
        for timer in timers or []
        if isinstance(timer, Mapping) and timer.get("status", "running") in ("running", "paused")
    ]


def _label_matches(said: str, label: str) -> bool:
    said, label = said.lower(), label.lower()
    return said in label or label in said


def _unit_or_none(name: str | None) -> Unit | None:
    try:
        return unit(name) if name else None
    except KeyError:
        return None


def _json_number(value: float) -> float | int:
    """2 rather than 2.0 in a tool's input."""
    return int(value) if value == int(value) else float(format_number(value))
