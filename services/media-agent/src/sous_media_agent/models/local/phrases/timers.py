"""Timer requests: "set a timer for 8 minutes for the pasta", "how long is left?", "cancel it"."""

from __future__ import annotations

import re

from ..intents import CancelTimer, Intent, SetTimer, TimeLeft
from ..units import DURATION_SECONDS
from .text import is_number

_CANCEL_WORDS = {"cancel", "stop", "delete", "remove", "clear", "kill", "dismiss", "scrap"}
_TIMER_WORDS = {"timer", "timers", "alarm", "alarms"}
_LABEL_STOPWORDS = {
    "a", "an", "the", "my", "for", "on", "set", "start", "create", "make", "put", "timer",
    "timers", "alarm", "me", "can", "you", "could", "would", "will", "i", "need", "want", "to",
    "called", "named", "labeled", "labelled", "it", "of", "and", "new", "another", "up", "add",
    "please", "is", "that", "this", "cancel", "stop", "delete", "remove", "clear", "how", "long",
    "left", "much", "time", "remaining", "with", "in", "go", "there", "does", "have", "what",
    "minute", "minutes", "hour", "hours", "second", "seconds",
}  # fmt: skip


def read_duration(tokens: list[str]) -> tuple[int | None, set[int]]:
    """Seconds said in `tokens` ("1 hour and 30 minutes" → 5400) and the token indexes used."""
    seconds = 0.0
    used: set[int] = set()
    for i, token in enumerate(tokens):
        if token not in DURATION_SECONDS or i == 0:
            continue
        previous = tokens[i - 1]
        if token in ("m", "s", "h", "second", "min") and not is_number(previous):
            continue  # "the second step", "m" as a word
        if is_number(previous):
            seconds += float(previous) * DURATION_SECONDS[token]
            used |= {i - 1, i}
        elif previous in ("a", "an") and token in ("hour", "minute", "second"):
            seconds += DURATION_SECONDS[token]
            used |= {i - 1, i}
    if not used:
        return None, used
    return round(seconds), used


def read_timer(t: str, tokens: list[str]) -> Intent | None:
    words = set(tokens)
    has_timer_word = bool(words & _TIMER_WORDS)
    seconds, duration_at = read_duration(tokens)
    if (words & _CANCEL_WORDS or "turn off" in t) and (
        has_timer_word or words & {"it", "that", "them", "both", "all"}
    ):
        if words & {"all", "both", "every", "them"}:
            return CancelTimer(None, every=True)
        return CancelTimer(_timer_label(tokens, duration_at))
    asks_time = re.search(r"\bhow (long|much time|much longer|many minutes)\b", t)
    if asks_time and re.search(r"\b(left|remaining|to go|longer|timer|timers)\b", t):
        return TimeLeft(_timer_label(tokens, duration_at))
    if re.search(r"\b(time left|time remaining)\b|^how long (on|for)\b", t):
        return TimeLeft(_timer_label(tokens, duration_at))
    if re.search(r"\b(what|which|list|any|my|show)\b.*\btimers\b", t) or t in ("timers", "timer"):
        return TimeLeft(None)
    if "remind me" in t:
        match = re.search(r"remind me(?: in [\w. ]+?)? to (.+)$", t)
        if match:  # "remind me to check the roast in 20 minutes": the label is the errand
            return SetTimer(_strip_duration(match.group(1).split()) or None, seconds)
        return SetTimer(_timer_label(tokens, duration_at), seconds)
    if has_timer_word or (seconds is not None and _only_duration_and(tokens, duration_at)):
        if "timers" in words and seconds is None:
            return TimeLeft(None)
        return SetTimer(_timer_label(tokens, duration_at), seconds)
    return None


def _only_duration_and(tokens: list[str], duration_at: set[int]) -> bool:
    """A bare "8 minutes" or "set it for 10 minutes": an answer about a timer's length."""
    rest = [tok for i, tok in enumerate(tokens) if i not in duration_at]
    allowed = {"for", "set", "it", "start", "make", "and", "just", "about", "like", "a", "an", "in"}
    return all(tok in allowed for tok in rest)


def _timer_label(tokens: list[str], duration_at: set[int]) -> str | None:
    """ "pasta" in "set a timer for 8 minutes for the pasta" or "cancel the pasta timer"."""
    marked = ["|" if i in duration_at else tok for i, tok in enumerate(tokens)]
    # "<label> timer": the words right before "timer".
    for i, token in enumerate(marked):
        if token in _TIMER_WORDS:
            before: list[str] = []
            j = i - 1
            while j >= 0 and marked[j] not in _LABEL_STOPWORDS and marked[j] != "|":
                before.insert(0, marked[j])
                j -= 1
            if before and len(before) <= 3:
                return " ".join(before)
    # "for the pasta", "on the rice", "called bread".
    for i, token in enumerate(marked):
        if token in ("for", "on", "called", "named", "labeled", "labelled"):
            after: list[str] = []
            for word in marked[i + 1 :]:
                if word == "|" or (word in ("for", "on") and after):
                    break
                after.append(word)
            while after and after[0] in _LABEL_STOPWORDS:
                after.pop(0)
            while after and after[-1] in _LABEL_STOPWORDS:
                after.pop()
            if after and "|" not in after and len(after) <= 4:
                return " ".join(after)
    return None


def _strip_duration(tokens: list[str]) -> str:
    _, used = read_duration(tokens)
    kept = [tok for i, tok in enumerate(tokens) if i not in used]
    while kept and kept[-1] in ("in", "for", "after"):
        kept.pop()
    return " ".join(kept)
