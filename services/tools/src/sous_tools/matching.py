"""Finding a table row by the name a person says: exact forms first, then fuzzy (rapidfuzz)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process, utils

# Typos ("suger", "choclate chips") pass; different foods ("almond flour" vs "flour") do not.
AUTO_ACCEPT_SCORE = 80.0
SUGGEST_SCORE = 50.0
_ARTICLES = re.compile(r"^(?:a|an|the|some)\s+")


def normalise(text: str) -> str:
    """Lowercase words separated by single spaces, punctuation and leading articles dropped."""
    cleaned = re.sub(r"[^\w%]+", " ", text.lower()).strip()
    return _ARTICLES.sub("", cleaned)


def singular_word(word: str) -> str:
    """A simple English singular: berries → berry, tomatoes → tomato, eggs → egg."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def name_forms(text: str) -> list[str]:
    """The normalised text, then the same with every word made singular."""
    base = normalise(text)
    singular = " ".join(singular_word(word) for word in base.split())
    return [base] if singular == base else [base, singular]


class NameIndex[T]:
    """Rows reachable by their name and aliases, in any case, singular or plural."""

    def __init__(self, rows: Iterable[tuple[T, str, Sequence[str]]]) -> None:
        self._exact: dict[str, tuple[T, str]] = {}
        self._choices: list[str] = []
        self._owners: list[tuple[T, str]] = []
        for item, name, aliases in rows:
            for spoken in (name, *aliases):
                for form in name_forms(spoken):
                    self._exact.setdefault(form, (item, name))
                    self._choices.append(form)
                    self._owners.append((item, name))

    def is_known_form(self, query: str) -> bool:
        """Whether ``query`` is a name or alias as listed (ignoring case and plurals)."""
        return any(form in self._exact for form in name_forms(query))

    def find(self, query: str) -> T | None:
        forms = name_forms(query)
        for form in forms:
            if form in self._exact:
                return self._exact[form][0]
        if len(forms[0]) < 4:
            return None
        best = process.extractOne(
            forms[-1], self._choices, scorer=fuzz.ratio, score_cutoff=AUTO_ACCEPT_SCORE
        )
        return None if best is None else self._owners[best[2]][0]

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Canonical names of the rows closest to ``query``, best first."""
        matches = process.extract(
            normalise(query),
            self._choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 8,
            score_cutoff=SUGGEST_SCORE,
        )
        names: list[str] = []
        for _, _, index in matches:
            name = self._owners[index][1]
            if name not in names:
                names.append(name)
        return names[:limit]
