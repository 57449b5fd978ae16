"""Shared pieces for the model tests: the real engines (loaded once) and synthesized speech."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from piper import SynthesisConfig

from sous_media_agent.models.local import audio
from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.models.local.silero import SileroModel

# Test modules import helpers from voice_support (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

SPEECH_RATE = 16000


@pytest.fixture(scope="session")
def local_settings() -> LocalModelSettings:
    return LocalModelSettings()


@pytest.fixture(scope="session")
def silero() -> SileroModel:
    return SileroModel()


@pytest.fixture(scope="session")
def engines(local_settings: LocalModelSettings) -> LocalEngines:
    """Whisper and piper, loaded and warmed up once for every test that needs them."""
    loaded = LocalEngines.load(local_settings)
    loaded.warm_up()
    return loaded


@pytest.fixture(scope="session")
def speak(engines: LocalEngines) -> Callable[[str], bytes]:
    """Text → what a user saying it sounds like to the agent: 16 kHz mono PCM16.

    Piper's noise is off, so a sentence sounds the same in every run (reproducible tests).
    """
    steady = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)

    @functools.cache
    def say(text: str) -> bytes:
        chunks = engines.voice.synthesize(text, syn_config=steady)
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        return audio.resample(pcm, engines.sample_rate, SPEECH_RATE)

    return say
