"""Text to speech with piper, one sentence at a time (blocking: call it from a worker thread)."""

from __future__ import annotations

import re

from piper import PiperVoice, SynthesisConfig

from .settings import LocalModelSettings

_FRACTION_WORDS = {
    "1/2": "a half", "1/3": "a third", "2/3": "two thirds", "1/4": "a quarter",
    "3/4": "three quarters", "1/8": "an eighth",
}  # fmt: skip
_ABBREVIATIONS = {
    "g": ("gram", "grams"), "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"),
    "ml": ("milliliter", "milliliters"), "l": ("liter", "liters"), "oz": ("ounce", "ounces"),
    "fl oz": ("fluid ounce", "fluid ounces"), "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"), "tbsp": ("tablespoon", "tablespoons"),
    "tsp": ("teaspoon", "teaspoons"), "kcal": ("calorie", "calories"),
    "min": ("minute", "minutes"), "mins": ("minute", "minutes"),
    "°f": ("degree Fahrenheit", "degrees Fahrenheit"), "°c": ("degree Celsius", "degrees Celsius"),
    "f": ("degree Fahrenheit", "degrees Fahrenheit"), "c": ("degree Celsius", "degrees Celsius"),
}  # fmt: skip
_QUANTITY_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(fl oz|°f|°c|lbs|kcal|tbsp|tsp|mins|min|kg|mg|ml|oz|lb|g|l|f|c)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def synthesize(voice: PiperVoice, text: str, settings: LocalModelSettings) -> bytes:
    """PCM16 mono at the voice's sample rate for this text."""
    config = SynthesisConfig(
        speaker_id=settings.tts_speaker_id, length_scale=settings.tts_length_scale
    )
    return b"".join(
        chunk.audio_int16_bytes for chunk in voice.synthesize(speakable(text), syn_config=config)
    )


def speakable(text: str) -> str:
    """What the voice should read: "250 g" → "250 grams", "1 1/2 cups" → "1 and a half cups"."""

    def mixed(match: re.Match[str]) -> str:
        words = _FRACTION_WORDS.get(match.group(2))
        return f"{match.group(1)} and {words}" if words else match.group(0)

    text = re.sub(r"\b(\d+) (\d/\d)\b", mixed, text)
    text = re.sub(r"\b\d/\d\b", lambda m: _FRACTION_WORDS.get(m.group(0), m.group(0)), text)

    def expand(match: re.Match[str]) -> str:
        amount, abbreviation = match.group(1), match.group(2).lower()
        singular, plural = _ABBREVIATIONS[abbreviation]
        return f"{amount} {singular if amount == '1' else plural}"

    return _QUANTITY_UNIT.sub(expand, text).replace(" & ", " and ")


def split_lead_clause(sentence: str) -> list[str]:
    """ "OK, your timer is set." → ["OK,", "your timer is set."]: the short first clause is
    synthesized (and heard) while the rest is still being made, so the first audio comes sooner.
    """
    head, comma, tail = sentence.partition(", ")
    return [f"{head},", tail] if comma and head and tail else [sentence]


class SentenceSplitter:
    """Collects streamed text and hands out whole sentences, so speech can start early."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> list[str]:
        self._buffer += text
        parts = _SENTENCE_END.split(self._buffer)
        self._buffer = parts.pop()
        return [part.strip() for part in parts if part.strip()]

    def flush(self) -> str | None:
        rest, self._buffer = self._buffer.strip(), ""
        return rest or None
