"""Text to speech with piper, one sentence at a time (blocking: call it from a worker thread)."""

from __future__ import annotations

import re

import numpy as np
from piper import PiperVoice, SynthesisConfig

from .audio import BYTES_PER_SAMPLE
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
    """ "Your pasta timer has 8 minutes left." → ["Your pasta timer,", "has 8 minutes left."].

    The answer's first few words are synthesized (and heard) while the rest is still being
    made: piper makes a sentence in one piece, so a whole first sentence would delay the first
    audio by ~0.1 s per second of speech. The split is at a comma or, failing one early on,
    before a word that opens a new phrase; the lead gets a comma so it is read as unfinished.
    """
    words = sentence.split()
    for at in range(1, min(len(words) - 1, _MAX_LEAD_WORDS)):
        if words[at - 1].endswith(",") and not words[at - 1][:-1].isdigit():
            return [" ".join(words[:at]), " ".join(words[at:])]
    if len(words) < _MIN_SPLIT_WORDS or sentence.endswith("?"):
        return [sentence]  # short, or a question whose rise a split would lose
    for at in range(_MIN_LEAD_WORDS, _MAX_LEAD_WORDS + 1):
        if words[at].lower() in _PHRASE_OPENERS and words[at - 1][-1].isalnum():
            return [" ".join(words[:at]) + ",", " ".join(words[at:])]
    return [sentence]


def trim_trailing_silence(pcm: bytes, sample_rate: int, keep_ms: int) -> bytes:
    """The audio without all but `keep_ms` of its quiet end (piper ends each phrase in a pause)."""
    samples = np.frombuffer(pcm, dtype=np.int16)
    loud = np.flatnonzero(np.abs(samples) > _QUIET_LEVEL)
    end = (int(loud[-1]) + 1 if loud.size else 0) + sample_rate * keep_ms // 1000
    return pcm[: min(len(samples), end) * BYTES_PER_SAMPLE]


_MIN_LEAD_WORDS, _MAX_LEAD_WORDS, _MIN_SPLIT_WORDS = 2, 5, 8
# Words before which a sentence can be paused in without sounding broken.
_PHRASE_OPENERS = {
    "is", "are", "was", "has", "have", "had", "will", "can", "should", "takes", "needs",
    "with", "and", "but", "for", "in", "into", "to", "from", "at", "on", "so", "then",
}  # fmt: skip
_QUIET_LEVEL = 655  # about -34 dBFS


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
