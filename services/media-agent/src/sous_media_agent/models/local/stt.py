"""Speech to text with faster-whisper (blocking: call it from a worker thread)."""

from __future__ import annotations

import re

from faster_whisper import WhisperModel  # type: ignore[import-untyped]

from .audio import to_float
from .settings import LocalModelSettings


def transcribe(whisper: WhisperModel, pcm16: bytes, settings: LocalModelSettings) -> str:
    """What was said in this 16 kHz PCM16 utterance ("" for none)."""
    segments, _ = whisper.transcribe(
        to_float(pcm16),
        language="en",
        beam_size=settings.stt_beam_size,
        initial_prompt=settings.stt_prompt or None,
        condition_on_previous_text=False,
        without_timestamps=True,
        vad_filter=False,  # the utterance was already cut by our VAD
    )
    text = " ".join(segment.text.strip() for segment in segments)
    return without_noise(text)


# What Whisper writes for a cough, a door or music rather than words.
_SOUND_NOTES = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪")
_NOISE_WORDS = {"you", "uh", "um", "hmm", "mm"}


def without_noise(text: str) -> str:
    """Whisper's text without sound notes; "" when nothing but a filler is left."""
    text = " ".join(_SOUND_NOTES.sub(" ", text).split())
    if re.sub(r"[^\w ]", "", text).strip().lower() in {*_NOISE_WORDS, ""}:
        return ""
    return text
