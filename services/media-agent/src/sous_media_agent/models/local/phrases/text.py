"""Whisper's text made regular: lowercase words, digits for every quantity, no punctuation."""

from __future__ import annotations

import re

from ..numbers import spoken_numbers_to_digits

_CONTRACTIONS = {"ll": " will", "re": " are", "ve": " have", "d": " would", "m": " am"}
_UNICODE_FRACTIONS = {"½": " 1/2", "¼": " 1/4", "¾": " 3/4", "⅓": " 1/3", "⅔": " 2/3", "⅛": " 1/8"}
FILLERS = {
    "um", "uh", "umm", "uhh", "er", "hmm", "so", "okay", "ok", "please", "hey", "sous", "chef",
    "well", "just", "quick", "question", "actually", "oh",
}  # fmt: skip


def normalize(text: str) -> str:
    """Lowercase words and digits: "Eight minutes." → "8 minutes"."""
    t = text.lower()
    for symbol, fraction in _UNICODE_FRACTIONS.items():
        t = t.replace(symbol, fraction)
    t = re.sub(r"(\d)\s*°\s*f\b", r"\1 fahrenheit", t)
    t = re.sub(r"(\d)\s*°\s*c\b", r"\1 celsius", t)
    t = t.replace("°", " degrees ")
    t = re.sub(r"\b(\d+) 1 12\b", r"\1 1/2", t)  # tiny.en writes "2 1/2" as "2 1 12"
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = t.replace("&", " and ").replace("\u2019", "'")  # curly apostrophe
    t = re.sub(r"\b(what|that|it|how|there|where|who|here|let)'s\b", r"\1 is", t)
    t = t.replace("let is", "let us")
    t = re.sub(r"n't\b", " not", t)
    t = re.sub(r"'(ll|re|ve|d|m)\b", lambda m: _CONTRACTIONS[m.group(1)], t)
    t = re.sub(r"(\d)([a-z])", r"\1 \2", t)  # "8min", "350f"
    t = re.sub(r"[^\w\s/.]", " ", t.replace("-", " "))
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)
    return spoken_numbers_to_digits(" ".join(t.split()))


def strip_words(text: str, edge_words: set[str]) -> str:
    words = text.split()
    while words and words[0] in edge_words:
        words.pop(0)
    while words and words[-1] in edge_words:
        words.pop()
    return " ".join(words)


def is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
