"""Follow-ups ("what about butter?") and small talk (greetings, thanks, yes/no)."""

from __future__ import annotations

import re

from ..intents import Chat, FollowUp, Intent
from .text import strip_words

_GREETINGS = {"hi", "hello", "hey", "howdy", "hiya", "morning", "evening", "afternoon", "yo"}
_THANKS = {"thanks", "thank", "cheers", "appreciate", "appreciated", "thx"}
_GOODBYES = {"bye", "goodbye", "night", "later", "done"}
_YES = {
    "yes", "yeah", "yep", "sure", "yup", "definitely", "absolutely", "go ahead", "please do",
    "ok sure", "sounds good", "do it", "why not",
}  # fmt: skip
_NO = {"no", "nope", "nah", "no thanks", "not now", "no thank you", "never mind", "nevermind"}


_FOLLOW_UP = re.compile(
    r"^(?:and |but |ok |now )?(?:what about|how about|and for|what if|same for|and with|now for|"
    r"and|for|with) (.+)$"
)


def read_follow_up(t: str, tokens: list[str]) -> Intent | None:
    match = _FOLLOW_UP.match(t)
    if match is None:
        return None
    subject = strip_words(match.group(1), {"the", "some", "using", "it", "with"})
    return FollowUp(subject) if subject else None


def read_chat(t: str, tokens: list[str]) -> Intent | None:
    words = set(tokens)
    if t in _YES or (tokens[0] in _YES and len(tokens) <= 3):
        return Chat("yes")
    if t in _NO or (tokens[0] in ("no", "nope", "nah") and len(tokens) <= 3):
        return Chat("no")
    if words & _THANKS:
        return Chat("thanks")
    if words & _GOODBYES or "see you" in t or "that is all" in t:
        return Chat("goodbye")
    if (words & _GREETINGS or t.startswith("good ")) and len(tokens) <= 4:
        return Chat("greeting")
    if t in ("you", "i", "the", "a", "and", "bye bye bye") or len(t) <= 1:
        return Chat("ignore")  # what Whisper hears in a cough or a door
    return None
