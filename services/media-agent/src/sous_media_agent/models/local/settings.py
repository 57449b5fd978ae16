"""Settings of the offline voice model (environment variables prefixed `LOCAL_`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STT_PROMPT = (
    "A cook asks a kitchen assistant about recipes, timers, cups, grams, tablespoons, "
    "teaspoons, ounces, Fahrenheit, Celsius and calories."
)


class LocalModelSettings(BaseSettings):
    """How the offline model listens, transcribes, thinks and speaks."""

    model_config = SettingsConfigDict(env_prefix="LOCAL_", extra="ignore")

    # Listening (silero VAD on 32 ms windows of 16 kHz audio).
    vad_threshold: float = Field(0.5, gt=0, lt=1, description="Speech probability that counts")
    end_of_turn_silence_ms: int = Field(
        500, ge=100, le=5000, description="Silence after speech that ends the user's turn"
    )
    end_of_turn_complete_ms: int = Field(
        250,
        ge=32,
        le=5000,
        description="Silence that ends the turn sooner when the early transcript reads as a "
        "complete request (semantic end of turn); needs stt_early_start_ms on",
    )
    pre_roll_ms: int = Field(300, ge=0, le=2000, description="Audio kept from before speech onset")
    speech_start_ms: int = Field(
        64, ge=32, le=500, description="Continuous speech that counts as the user starting to talk"
    )
    min_speech_ms: int = Field(
        250, ge=0, le=5000, description="Shorter utterances are taken for noise and dropped"
    )
    max_utterance_seconds: float = Field(
        20.0,
        gt=1,
        le=30,
        description="A longer utterance is cut and answered (Whisper hears at most 30 s at once)",
    )

    # Speech to text (faster-whisper, tiny.en, int8).
    stt_threads: int = Field(2, ge=1, le=32)
    stt_workers: int = Field(
        2,
        ge=1,
        le=8,
        description="Transcriptions that run at once (two cooks ending a turn together are not "
        "queued behind each other); each uses stt_threads",
    )
    stt_beam_size: int = Field(
        1,
        ge=1,
        le=10,
        description="Whisper's beam; 1 (greedy) heard the benchmark's 24 questions as well as 3 "
        "and transcribes faster (docs/benchmarks.md)",
    )
    stt_window_seconds: float = Field(
        15.0,
        ge=1,
        le=30,
        description="Whisper's encoder window for an utterance up to this long (Whisper's own is "
        "30 s; a shorter one costs far less; a transcript that loops is heard again on 30 s)",
    )
    stt_prompt: str = Field(DEFAULT_STT_PROMPT, description="Vocabulary hint for Whisper")
    stt_early_start_ms: int = Field(
        160,
        ge=0,
        le=5000,
        description="Silence after which Whisper starts on the speech so far, before the turn "
        "has surely ended (hides STT time in the end-of-turn wait); 0 turns it off",
    )

    # Text to speech (piper, en_US joe medium).
    tts_threads: int = Field(1, ge=1, le=32)
    tts_speaker_id: int | None = None
    tts_length_scale: float = Field(1.0, gt=0.3, lt=3.0, description="> 1 speaks slower")
    tts_chunk_ms: int = Field(100, ge=20, le=100, description="Length of each audio chunk sent")

    # Typed input and tools.
    max_text_chars: int = Field(1000, ge=1, description="Longer typed questions are cut")
    tool_timeout_seconds: float = Field(
        30.0, gt=0, le=300, description="A tool result later than this counts as failed"
    )

    # The brain: the built-in rules, or any Strands text model.
    brain: Literal["rules", "strands"] = "rules"
    brain_provider: Literal["bedrock", "ollama", "openai"] = "bedrock"
    brain_model_id: str = "amazon.nova-lite-v1:0"
    brain_url: str | None = Field(None, description="Ollama host or OpenAI-compatible base URL")
    brain_api_key: SecretStr | None = None
    brain_region: str | None = None
    brain_max_tool_rounds: int = Field(4, ge=1, le=20)
