"""Numbers as cooks say them and as Whisper writes them, turned into digits.

`spoken_numbers_to_digits("two and a half cups")` gives `"2.5 cups"`; "a cup and a half",
"three quarters of a cup", "half an hour", "350", "1,000", "2 1/2" and "two point five" work the
same way. The input is lowercase words separated by single spaces (see `intents.normalize`).
"""

from __future__ import annotations

import re
from fractions import Fraction

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_FRACTIONS = {
    "half": Fraction(1, 2), "halves": Fraction(1, 2), "quarter": Fraction(1, 4),
    "quarters": Fraction(1, 4), "third": Fraction(1, 3), "thirds": Fraction(1, 3),
    "eighth": Fraction(1, 8), "eighths": Fraction(1, 8),
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
# "one" after these words is a pronoun ("the second one"), not a quantity.
_PRONOUN_ONE_AFTER = {
    "the", "which", "this", "that", "another", "other", "next", "last", "any", *_ORDINALS,
}  # fmt: skip
_ARTICLES = {"a", "an"}
# What may follow "a cup and a half" (the end, or a word that is not a second noun).
_AFTER_NOUN_FRACTION = {
    None, "of", "in", "to", "into", "for", "is", "are", "timer", "left", "and", "please", "on",
    "with", "at", "or", "then",
}  # fmt: skip
_DIGITS = re.compile(r"^\d+(?:\.\d+)?$")
_SLASH_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def spoken_numbers_to_digits(text: str) -> str:
    """Replace every spoken or written quantity in `text` with its decimal digits."""
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        value, used, trailing_word = _read_quantity(tokens, i, out[-1] if out else None)
        if used == 0:
            out.append(tokens[i])
            i += 1
            continue
        out.append(format_number(value))
        if trailing_word is not None:
            out.append(trailing_word)
        i += used
    return " ".join(out)


def ordinal(word: str) -> int | None:
    """1 for "first" or "1st", 2 for "second", ...; None for anything else."""
    if word in _ORDINALS:
        return _ORDINALS[word]
    match = _ORDINAL_DIGITS.match(word)
    return int(match.group(1)) if match else None


def format_number(value: Fraction | float) -> str:
    """Shortest decimal form: 2, 2.5, 0.333."""
    rounded = round(float(value), 3)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.3f}".rstrip("0")


def _read_quantity(
    tokens: list[str], i: int, previous: str | None
) -> tuple[Fraction, int, str | None]:
    """Value, tokens used and a noun to re-emit after it ("a cup and a half" → 1.5, cup)."""
    word = tokens[i]
    if word in _ARTICLES:
        return _read_after_article(tokens, i)
    if word == "half" and _at(tokens, i + 1) in _ARTICLES:
        return Fraction(1, 2), 2, None  # "half a cup", "half an hour"
    if word == "one" and previous in _PRONOUN_ONE_AFTER:
        return Fraction(0), 0, None
    if word == "dozen":
        return Fraction(12), 1, None
    value, used = _read_number(tokens, i)
    if used == 0:
        return value, 0, None
    return _read_tail(tokens, i + used, value, used)


def _read_after_article(tokens: list[str], i: int) -> tuple[Fraction, int, str | None]:
    nxt = _at(tokens, i + 1)
    if nxt == "dozen":
        return Fraction(12), 2, None
    if nxt == "couple" and _at(tokens, i + 2) == "of":
        return Fraction(2), 3, None
    if nxt in ("half", "quarter", "third"):
        used = 2 + _of_article_length(tokens, i + 2)  # "a quarter of a cup"
        return _FRACTIONS[nxt], used, None
    # "a cup and a half": the article counts as one only before a fractional tail.
    extra, extra_used = _noun_fraction_tail(tokens, i + 2)
    if nxt is not None and extra_used:
        return 1 + extra, 2 + extra_used, nxt
    return Fraction(0), 0, None


def _read_tail(
    tokens: list[str], i: int, value: Fraction, used: int
) -> tuple[Fraction, int, str | None]:
    """What may follow a number: a fraction, "quarters", "dozen", or "<noun> and a half"."""
    nxt = _at(tokens, i)
    if nxt is not None and (match := _SLASH_FRACTION.match(nxt)):
        return value + Fraction(int(match.group(1)), int(match.group(2))), used + 1, None
    if nxt in ("quarters", "thirds", "eighths", "halves", "quarter", "third", "eighth"):
        fraction = value * _FRACTIONS[nxt]
        return fraction, used + 1 + _of_article_length(tokens, i + 1), None
    if nxt == "dozen":
        return value * 12, used + 1, None
    extra, extra_used = _fraction_tail(tokens, i)
    if extra_used:
        return value + extra, used + extra_used, None
    if nxt is not None and not _is_number_word(nxt):
        extra, extra_used = _noun_fraction_tail(tokens, i + 1)  # "2 cups and a half"
        if extra_used:
            return value + extra, used + 1 + extra_used, nxt
    return value, used, None


def _noun_fraction_tail(tokens: list[str], i: int) -> tuple[Fraction, int]:
    """ "and a half" after a noun ("a cup and a half of milk"), but not "and a half cup", which
    is a second quantity."""
    extra, used = _fraction_tail(tokens, i)
    if not used or _SLASH_FRACTION.match(tokens[i + 1]):
        return Fraction(0), 0
    if _at(tokens, i + used) not in _AFTER_NOUN_FRACTION:
        return Fraction(0), 0
    return extra, used


def _fraction_tail(tokens: list[str], i: int) -> tuple[Fraction, int]:
    """ "and a half", "and one quarter", "and three quarters", "and 1/2" → (value, tokens)."""
    if _at(tokens, i) != "and":
        return Fraction(0), 0
    nxt = _at(tokens, i + 1)
    if nxt is not None and (match := _SLASH_FRACTION.match(nxt)):
        return Fraction(int(match.group(1)), int(match.group(2))), 2
    count: Fraction
    if nxt in _ARTICLES or nxt == "one":
        count = Fraction(1)
    elif nxt in _SMALL:
        count = Fraction(_SMALL[nxt])
    elif nxt is not None and nxt.isdigit():
        count = Fraction(int(nxt))
    else:
        return Fraction(0), 0
    kind = _at(tokens, i + 2)
    if kind not in _FRACTIONS:
        return Fraction(0), 0
    return count * _FRACTIONS[kind], 3


def _read_number(tokens: list[str], i: int) -> tuple[Fraction, int]:
    """A number in digits ("1,000", "2.5", "1/2") or words ("three hundred and fifty")."""
    word = tokens[i].replace(",", "") if re.match(r"^\d{1,3}(,\d{3})+$", tokens[i]) else tokens[i]
    if _DIGITS.match(word):
        return Fraction(word), 1
    if match := _SLASH_FRACTION.match(word):
        if int(match.group(2)) == 0:
            return Fraction(0), 0
        return Fraction(int(match.group(1)), int(match.group(2))), 1
    total, current, used, last = 0, 0, 0, ""
    while i + used < len(tokens):
        word = tokens[i + used]
        if word in _SMALL and (last in ("", "scale") or (last == "tens" and current % 10 == 0)):
            current += _SMALL[word]
            last = "small"
        elif word in _TENS and last in ("", "scale"):
            current += _TENS[word]
            last = "tens"
        elif word == "hundred" and last in ("small", "tens"):
            current *= 100
            last = "scale"
        elif word == "thousand" and last in ("small", "tens", "scale"):
            total += current * 1000
            current, last = 0, "scale"
        elif word == "and" and last == "scale" and _at(tokens, i + used + 1) in (*_SMALL, *_TENS):
            pass  # "one hundred and fifty"; "two and a half" is left for the tail
        else:
            break
        used += 1
    if used == 0:
        return Fraction(0), 0
    decimals, decimals_used = _read_decimals(tokens, i + used)
    return Fraction(total + current) + decimals, used + decimals_used


def _read_decimals(tokens: list[str], i: int) -> tuple[Fraction, int]:
    """ "point five" after a whole number → (0.5, tokens used)."""
    if _at(tokens, i) != "point":
        return Fraction(0), 0
    digits = ""
    while (word := _at(tokens, i + 1 + len(digits))) is not None and _SMALL.get(word, 10) < 10:
        digits += str(_SMALL[word])
    if not digits:
        return Fraction(0), 0
    return Fraction(f"0.{digits}"), 1 + len(digits)


def _of_article_length(tokens: list[str], i: int) -> int:
    """How many of "of a"/"of an"/"a"/"an" follow, so "a quarter of a cup" reads as a cup."""
    if _at(tokens, i) == "of" and _at(tokens, i + 1) in _ARTICLES:
        return 2
    if _at(tokens, i) in _ARTICLES:
        return 1
    return 0


def _is_number_word(word: str) -> bool:
    return word in _SMALL or word in _TENS or word in ("hundred", "thousand", "and")


def _at(tokens: list[str], i: int) -> str | None:
    return tokens[i] if 0 <= i < len(tokens) else None
