"""Text to speech: what the voice reads, sentence splitting, and real piper audio."""

from __future__ import annotations

import numpy as np
import pytest

from sous_media_agent.models.local import audio, tts
from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.settings import LocalModelSettings


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("2 cups of sugar is about 400 g.", "2 cups of sugar is about 400 grams."),
        ("350°F is 177 °C", "350 degrees Fahrenheit is 177 degrees Celsius"),
        ("1 tbsp & 2 tsp", "1 tablespoon and 2 teaspoons"),
        ("1 1/2 cups, 1/3 cup", "1 and a half cups, a third cup"),
        ("8 fl oz is 237 ml", "8 fluid ounces is 237 milliliters"),
        ("Step 2: mix.", "Step 2: mix."),
    ],
)
def test_speakable_expands_what_a_voice_would_misread(text: str, spoken: str) -> None:
    assert tts.speakable(text) == spoken


def test_sentences_are_handed_out_as_soon_as_they_end() -> None:
    splitter = tts.SentenceSplitter()

    assert splitter.feed("Hello there. It is 2.5 cu") == ["Hello there."]
    assert splitter.feed("ps! And") == ["It is 2.5 cups!"]
    assert splitter.flush() == "And"
    assert splitter.flush() is None


def test_piper_speaks_a_sentence_at_its_native_rate(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    pcm = tts.synthesize(engines.voice, "Your pasta timer is done.", local_settings)

    seconds = audio.duration_seconds(pcm, engines.sample_rate)
    assert engines.sample_rate == 22050
    assert 0.8 < seconds < 4
    assert audio.rms_dbfs(pcm) > -30


def test_a_slower_length_scale_speaks_longer(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    slow = local_settings.model_copy(update={"tts_length_scale": 1.5})
    # Long enough that piper's random phoneme lengths even out (a short one varies by 10 %).
    text = "Preheat the oven to three hundred and fifty degrees and grease the pan."
    normal_pcm = tts.synthesize(engines.voice, text, local_settings)
    slow_pcm = tts.synthesize(engines.voice, text, slow)
    assert len(slow_pcm) > 1.25 * len(normal_pcm)


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("OK, your pasta timer is set.", ["OK,", "your pasta timer is set."]),
        (
            "Your pasta timer has 7 minutes 12 seconds left.",
            ["Your pasta timer,", "has 7 minutes 12 seconds left."],
        ),
        (
            "I found Classic Banana Bread and Banana Oat Muffins.",
            ["I found Classic Banana Bread,", "and Banana Oat Muffins."],
        ),
        ("Your pasta timer is done.", ["Your pasta timer is done."]),  # short: one piece
        (
            "How long should the timer be and what for?",
            ["How long should the timer be and what for?"],
        ),
        ("Add 1,000 grams.", ["Add 1,000 grams."]),
        ("Step 1: mix.", ["Step 1: mix."]),
    ],
)
def test_the_lead_clause_is_split_off_for_an_early_first_chunk(
    sentence: str, phrases: list[str]
) -> None:
    assert tts.split_lead_clause(sentence) == phrases


def test_a_lead_phrase_comes_out_sooner_and_keeps_only_a_short_pause(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    sentence = "Your pasta timer has 7 minutes 12 seconds left."
    lead, _ = tts.split_lead_clause(sentence)
    rate = engines.sample_rate
    whole = tts.synthesize(engines.voice, sentence, local_settings)
    spoken = tts.synthesize(engines.voice, lead, local_settings)

    trimmed = tts.trim_trailing_silence(spoken, rate, 80)

    assert audio.duration_seconds(trimmed, rate) < audio.duration_seconds(whole, rate) / 2
    assert spoken.startswith(trimmed)
    dropped = np.frombuffer(spoken[len(trimmed) :], dtype=np.int16)
    kept_pause = np.frombuffer(trimmed[-rate * 80 // 1000 * 2 :], dtype=np.int16)
    assert dropped.size > 0 and np.abs(dropped).max() < 700  # only the quiet tail went
    assert np.abs(kept_pause).max() < 700
