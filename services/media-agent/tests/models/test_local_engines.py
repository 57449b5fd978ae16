"""The engines load from the model wheels, report progress and warm up."""

from __future__ import annotations

from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.settings import LocalModelSettings


def test_load_and_warm_up_report_each_step() -> None:
    steps: list[str] = []

    engines = LocalEngines.load(LocalModelSettings(tts_threads=1), steps.append)
    engines.warm_up(steps.append)

    assert steps == [
        "loading silero vad",
        "loading whisper tiny.en",
        "loading piper voice en_US joe",
        "warming up text to speech",
        "warming up speech to text",
        "voice models ready",
    ]
    assert engines.sample_rate == 22050
