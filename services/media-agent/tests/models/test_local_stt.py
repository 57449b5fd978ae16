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


@pytest.mark.parametrize(
    "said",
    [
        "How many calories are in two large eggs?",
        "Find me a quick vegan curry recipe.",
        "How many ounces is two hundred grams of butter?",
    ],
)
def test_the_short_window_hears_what_the_full_window_hears(
    engines: LocalEngines,
    local_settings: LocalModelSettings,
    speak: Callable[[str], bytes],
    said: str,
) -> None:
    speech = silence(0.3) + speak(said)
    full = local_settings.model_copy(update={"stt_window_seconds": 30})

    assert parse(stt.transcribe(engines.whisper, speech, local_settings)) == parse(said)
    assert parse(stt.transcribe(engines.whisper, speech, full)) == parse(said)


def test_an_utterance_longer_than_the_window_is_heard_to_the_end(
    engines: LocalEngines, local_settings: LocalModelSettings, speak: Callable[[str], bytes]
) -> None:
    speech = speak("I would like to know how many grams of flour are in two and a half cups.")
    assert len(speech) / 32000 > 3
    narrow = local_settings.model_copy(update={"stt_window_seconds": 2})

    text = normalize(stt.transcribe(engines.whisper, speech, narrow))

    assert text.startswith("i would like to know") and text.endswith("cups")


@pytest.mark.parametrize(
    ("whisper", "looping"),
    [
        ("Set a timer. Set a timer.", True),
        ("How many grams is 2 1 1 1 1 1 1 1 1 1 1 1", True),
        ("Thank you! Thank you! Thank you! Thank you! Thank you! Thank you!", True),
        ("How many grams is 2 1 1 12 cups of flour?", False),
        ("Yes. Yes, please.", False),
        ("Set a timer for 10 minutes for the sauce.", False),
    ],
)
def test_a_transcript_that_repeats_itself_is_taken_for_a_loop(whisper: str, looping: bool) -> None:
    assert stt.looks_like_a_loop(whisper) is looping
