"""Recipe requests: searches ("what can I make with eggs?") and the chosen recipe's details."""

from __future__ import annotations

import re

from ..intents import ChooseRecipe, Intent, RecipeDetail, SearchRecipes
from ..numbers import ordinal

_QUERY_PREFIXES = re.compile(
    r"^(?:(?:can|could|would) you |please |i(?: would|d) like |i want |i need |let us |lets )*"
    r"(?:find me|find|search for|search|look up|look for|show me|give me|get me|suggest|"
    r"recommend|do you have|have you got|is there|what can i (?:make|cook|bake)|"
    r"what should i (?:make|cook|bake)|how do (?:i|you) (?:make|cook|bake)|"
    r"how to (?:make|cook|bake)|to (?:make|cook|bake)|i want to (?:make|cook|bake)|"
    r"something|anything|ideas? for|any)?\b"
)
_QUERY_STOPWORDS = {
    "a", "an", "some", "any", "me", "recipe", "recipes", "good", "nice", "easy", "the", "for",
    "with", "using", "please", "something", "idea", "ideas", "dish", "meal", "to", "make", "cook",
    "i", "can", "of", "that", "has", "have", "tonight", "today", "one",
}  # fmt: skip
_NEXT = re.compile(
    r"\b(what is next|what next|then what|and then|what do i do next|next one|what now|^next$|"
    r"keep going|go on|continue)\b"
)
_STEPS = re.compile(
    r"\b(steps|instructions|directions|method|walk me through|how do i (make|cook|do) (it|that))\b"
)


def read_recipe_detail(t: str, tokens: list[str]) -> Intent | None:
    step = re.search(r"\b(\w+) step\b", t)
    if step and (number := ordinal(step.group(1))) is not None:
        return RecipeDetail("step", number)
    if step and step.group(1) == "last":
        return RecipeDetail("step", -1)
    if step and step.group(1) in ("next", "following"):
        return RecipeDetail("next")
    if step and step.group(1) in ("previous", "prior"):
        return RecipeDetail("previous")
    if match := re.search(r"\bstep (?:number )?(\d+)\b", t):
        return RecipeDetail("step", int(match.group(1)))
    if re.search(_NEXT, t):
        return RecipeDetail("next")
    if re.search(r"\b(go back|previous|step before|before that)\b", t):
        return RecipeDetail("previous")
    if re.search(r"\b(repeat|say that again|come again|again please|what was that)\b", t):
        return RecipeDetail("repeat")
    if re.search(_STEPS, t):
        return RecipeDetail("steps")
    if re.search(r"\b(ingredients|what do i need|what goes in it|shopping list)\b", t):
        return RecipeDetail("ingredients")
    if re.search(r"\bhow long (does|will|would) (it|that|this) take\b|\b(cook|total) time\b", t):
        return RecipeDetail("time")
    if re.search(r"\b(how many (people|servings|portions)|does (it|that) serve|serves)\b", t):
        return RecipeDetail("servings")
    choice = re.search(
        r"^(?:let us |i will |i would like |i want |can we |lets )?"
        r"(?:make |do |go with |try |cook |pick |choose |take |read |open |tell me about )?"
        r"(?:the |number |option |recipe )?(\w+)(?: one| recipe| option)?$",
        t,
    )
    if choice:
        word = choice.group(1)
        if word == "last":
            return ChooseRecipe(-1)
        number = ordinal(word)
        if number is None and word.isdigit() and re.search(r"\b(number|option|recipe)\b", t):
            number = int(word)
        if number is not None and number >= 1:
            return ChooseRecipe(number - 1)
    return None


def read_recipe_search(t: str, tokens: list[str]) -> Intent | None:
    asks = re.search(
        r"\b(recipes?|what can i (make|cook|bake)|what should i (make|cook|bake)|"
        r"how (do|can) (i|you) (make|cook|bake)|how to (make|cook|bake)|i want to (make|cook|bake)|"
        r"ideas? for (dinner|lunch|breakfast|dessert)|something (for|with) |"
        r"(dinner|lunch|breakfast|dessert) ideas?)\b",
        t,
    )
    if not asks:
        return None
    query = _QUERY_PREFIXES.sub("", t).strip()
    words = query.split()
    while words and words[0] in _QUERY_STOPWORDS:
        words.pop(0)
    while words and words[-1] in _QUERY_STOPWORDS:
        words.pop()
    query = " ".join(word for word in words if word not in ("recipe", "recipes"))
    return SearchRecipes(query)
