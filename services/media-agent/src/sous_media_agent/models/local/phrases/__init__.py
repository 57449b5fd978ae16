"""Reading what a cook said (as Whisper wrote it) into one `Intent`.

`parse` only reads the sentence; filling gaps from earlier turns ("and in grams?") is the
brain's job. Whisper's quirks (punctuation, casing, "Eight minutes.", "350°F", "2 1 12" for
"2 1/2", "and in grants") are undone by `normalize` and the unit vocabulary.
"""

from __future__ import annotations

from ..intents import Chat, Intent
from .conversions import read_conversion
from .nutrition import read_amount, read_nutrition
from .recipes import read_recipe_detail, read_recipe_search
from .talk import read_chat, read_follow_up
from .text import FILLERS, normalize
from .timers import read_duration, read_timer

# Tried in order: the first reader that recognises the sentence wins.
_READERS = (
    read_timer,
    read_nutrition,
    read_recipe_detail,
    read_conversion,
    read_recipe_search,
    read_follow_up,
    read_chat,
)


def parse(text: str) -> Intent:
    """The one thing this utterance asks for."""
    tokens = [token for token in normalize(text).split() if token not in FILLERS]
    if not tokens:
        return Chat("ignore")
    sentence = " ".join(tokens)
    for reader in _READERS:
        intent = reader(sentence, tokens)
        if intent is not None:
            return intent
    return Chat("help")


__all__ = ["normalize", "parse", "read_amount", "read_duration"]
