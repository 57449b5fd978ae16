"""Unit conversions: "how many grams is 2 1/2 cups of flour?", "350°F in Celsius"."""

from __future__ import annotations

import re

from ..intents import ConvertUnits, Intent
from ..units import UnitMention, find_units, unit, unit_at
from .text import is_number

_TARGET_MARKERS = {"in", "to", "into", "as", "and"}
_INGREDIENT_STOP = {
    "in", "to", "into", "as", "is", "are", "equal", "equals", "make", "makes", "weigh", "weighs",
    "be", "would", "will",
}  # fmt: skip


def read_conversion(t: str, tokens: list[str]) -> Intent | None:
    mentions = find_units(tokens)
    fuzzy = _fuzzy_target(tokens, mentions)
    if fuzzy is not None:
        mentions = sorted([*mentions, fuzzy], key=lambda mention: mention.start)
    degrees_at = next(
        (
            i
            for i, tok in enumerate(tokens)
            if tok in ("degrees", "degree")
            and i > 0
            and is_number(tokens[i - 1])
            and unit_at(tokens, i) is None
        ),
        None,
    )
    if not mentions and degrees_at is None:
        return None
    source = _source(tokens, mentions)
    target = _target(tokens, mentions, source)
    ingredient = _ingredient(tokens, mentions, source, target)
    quantity = _quantity_of(tokens, source) if source else None
    if target is None and re.search(r"\bweigh", t):
        target = UnitMention(unit("g"), len(tokens), len(tokens))
    if source is None and degrees_at is not None:
        to_unit = target.unit if target else None
        return ConvertUnits(float(tokens[degrees_at - 1]), None, to_unit, None, True)
    if source is None and target is None:
        return None
    if source is None and not _asks_conversion(t) and len(tokens) > 4:
        return None
    return ConvertUnits(
        quantity, source.unit if source else None, target.unit if target else None, ingredient
    )


def _asks_conversion(t: str) -> bool:
    return bool(re.search(r"\b(convert|how many|how much|in|to|into|what about|how about)\b", t))


def _source(tokens: list[str], mentions: list[UnitMention]) -> UnitMention | None:
    """The unit with an amount in front of it ("2.5 cups", "a pound", "gas mark 4")."""
    for mention in mentions:
        if _quantity_before(tokens, mention.start) is not None:
            return mention
        if mention.unit.name == "gas mark" and mention.end < len(tokens):
            if is_number(tokens[mention.end]):
                return mention
    return None


def _quantity_of(tokens: list[str], mention: UnitMention) -> float | None:
    if mention.unit.name == "gas mark" and mention.end < len(tokens):
        if is_number(tokens[mention.end]):
            return float(tokens[mention.end])
    return _quantity_before(tokens, mention.start)


def _quantity_before(tokens: list[str], start: int) -> float | None:
    if start == 0:
        return None
    previous = tokens[start - 1]
    if is_number(previous):
        return float(previous)
    if previous in ("a", "an", "one", "per"):
        return 1.0
    return None


def _target(
    tokens: list[str], mentions: list[UnitMention], source: UnitMention | None
) -> UnitMention | None:
    """The unit asked for: after "how many", or after "in"/"to"."""
    others = [mention for mention in mentions if mention is not source]
    for mention in others:
        before = " ".join(tokens[max(0, mention.start - 2) : mention.start])
        if before.endswith(("how many", "how much")) or (
            mention.start > 0 and tokens[mention.start - 1] in _TARGET_MARKERS
        ):
            return mention
    return others[0] if others else None


def _fuzzy_target(tokens: list[str], mentions: list[UnitMention]) -> UnitMention | None:
    """A misheard unit where one is expected: "and in grants" → grams."""
    taken = {i for mention in mentions for i in range(mention.start, mention.end)}
    for i in range(1, len(tokens)):
        if i in taken or tokens[i - 1] not in ("in", "to", "into", "many"):
            continue
        mention = unit_at(tokens, i, fuzzy=True)
        if mention is not None:
            return mention
    return None


def _ingredient(
    tokens: list[str],
    mentions: list[UnitMention],
    source: UnitMention | None,
    target: UnitMention | None,
) -> str | None:
    """ "flour" in "2 cups of flour in grams", "how many grams of flour", "2 cups flour"."""
    taken = {i for mention in mentions for i in range(mention.start, mention.end)}
    for mention in (source, target):
        if mention is None:
            continue
        start = mention.end
        if start < len(tokens) and tokens[start] == "of":
            start += 1
        elif mention is not source:
            continue
        name: list[str] = []
        for i in range(start, len(tokens)):
            word = tokens[i]
            ends = word in _INGREDIENT_STOP or i in taken or is_number(word)
            if ends or (word in _TARGET_MARKERS and i + 1 in taken):
                break
            if word not in ("the", "a", "an"):
                name.append(word)
        if name:
            return " ".join(name)
    return None
