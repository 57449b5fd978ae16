"""Settings come from LOCAL_* variables and refuse values that cannot work."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sous_media_agent.models.local.settings import LocalModelSettings


def test_defaults_run_offline_with_the_rules_brain() -> None:
    settings = LocalModelSettings()
    assert settings.brain == "rules"
    assert settings.pre_roll_ms == 300
    assert settings.stt_threads == 2
    assert settings.tts_chunk_ms <= 100


def test_environment_variables_use_the_local_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCAL_END_OF_TURN_SILENCE_MS", "700")
    monkeypatch.setenv("LOCAL_BRAIN", "strands")
    monkeypatch.setenv("LOCAL_BRAIN_PROVIDER", "ollama")
    monkeypatch.setenv("LOCAL_BRAIN_MODEL_ID", "llama3.2")

    settings = LocalModelSettings()

    assert settings.end_of_turn_silence_ms == 700
    assert (settings.brain, settings.brain_provider, settings.brain_model_id) == (
        "strands",
        "ollama",
        "llama3.2",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOCAL_VAD_THRESHOLD", "1.5"),
        ("LOCAL_TTS_CHUNK_MS", "250"),
        ("LOCAL_BRAIN", "gpt"),
        ("LOCAL_STT_THREADS", "0"),
    ],
)
def test_impossible_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("LOCAL_").lower()):
        LocalModelSettings()
