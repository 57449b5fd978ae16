"""Speech to text: Whisper tiny.en hears piper's questions well enough for the brain."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from voice_support import silence

from sous_media_agent.models.local import stt
from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.intents import (
    ConvertUnits,
    Intent,
    LookupNutrition,
    SetTimer,
)
from sous_media_agent.models.local.phrases import normalize, parse
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.models.local.units import unit


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("Set a timer for eight minutes for the pasta.", SetTimer("pasta", 480)),
        (
            "How much protein is in a chicken breast?",
            LookupNutrition("chicken breast", None, None, "protein"),
        ),
        (
            "How many grams is two and a half cups of flour?",
            ConvertUnits(2.5, unit("cup"), unit("g"), "flour"),
        ),
        (
            "Convert three hundred fifty degrees Fahrenheit to Celsius.",
            ConvertUnits(350, unit("fahrenheit"), unit("celsius"), None),
        ),
    ],
)
def test_whisper_hears_what_the_brain_needs(
    engines: LocalEngines,
    local_settings: LocalModelSettings,
    speak: Callable[[str], bytes],
    said: str,
    meant: Intent,
) -> None:
    text = stt.transcribe(engines.whisper, silence(0.3) + speak(said), local_settings)

    assert parse(text) == meant


def test_silence_transcribes_to_nothing_useful(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    text = stt.transcribe(engines.whisper, silence(1.0), local_settings)

    assert len(normalize(text).split()) <= 1


@pytest.mark.parametrize(
    ("whisper", "kept"),
    [
        ("[BLANK_AUDIO]", ""),
        (" you", ""),
        ("Um.", ""),
        ("♪ ♪", ""),
        ("(coughs) How long is left?", "How long is left?"),
        ("Thank you.", "Thank you."),
    ],
)
def test_sound_notes_and_a_lone_filler_are_not_speech(whisper: str, kept: str) -> None:
    assert stt.without_noise(whisper) == kept
