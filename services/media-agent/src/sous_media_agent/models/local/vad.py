"""Per-session voice activity detection: when the user starts talking, and each utterance.

Silero VAD (`silero.py`) scores 32 ms windows (512 samples at 16 kHz). Speech starts after
`speech_start_ms` of speech-like windows; the ~300 ms before it are kept (pre-roll) so Whisper
hears the first syllable. After `stt_early_start_ms` of silence a `Pause` lets transcription
start early; the turn ends after `end_of_turn_silence_ms` of silence, or sooner when the model
says the words so far make a complete request (`end_sooner`).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from .audio import BYTES_PER_SAMPLE, to_float
from .settings import LocalModelSettings
from .silero import SAMPLE_RATE, WINDOW_SAMPLES, SileroModel

# Below threshold minus this, a window counts as silence (hysteresis, as silero's own default).
_SILENCE_MARGIN = 0.15


@dataclass(frozen=True)
class SpeechStarted:
    at: float  # time.monotonic() when it was detected


@dataclass(frozen=True)
class Pause:
    """The user went quiet: maybe the end of the turn, so transcription may start early."""

    audio: bytes  # the utterance so far
    speech_end_at: float  # equal to the Utterance's if no speech comes before the turn ends


@dataclass(frozen=True)
class Utterance:
    audio: bytes  # PCM16 mono 16 kHz, pre-roll included
    speech_end_at: float  # time.monotonic() when the last speech arrived
    detected_at: float  # time.monotonic() when the end-of-turn silence had passed


VadEvent = SpeechStarted | Pause | Utterance


class SpeechDetector:
    """Feed it PCM16 16 kHz audio as it arrives; it says when speech starts and ends."""

    def __init__(self, model: SileroModel, settings: LocalModelSettings) -> None:
        self._vad = model.stream()
        self._window_bytes = WINDOW_SAMPLES * BYTES_PER_SAMPLE
        self._window_ms = window_ms = 1000 * WINDOW_SAMPLES / SAMPLE_RATE
        self._threshold = settings.vad_threshold
        self._start_windows = max(1, round(settings.speech_start_ms / window_ms))
        self._end_windows = max(1, round(settings.end_of_turn_silence_ms / window_ms))
        early = round(settings.stt_early_start_ms / window_ms)
        self._pause_windows = early if 0 < early < self._end_windows else 0
        self._min_speech_windows = round(settings.min_speech_ms / window_ms)
        self._max_bytes = int(settings.max_utterance_seconds * SAMPLE_RATE) * BYTES_PER_SAMPLE
        self._pre_roll: deque[bytes] = deque(
            maxlen=max(self._start_windows, round(settings.pre_roll_ms / window_ms))
        )
        self._pending = bytearray()
        self._speech = bytearray()
        self._in_speech = False
        self._onset_run = 0
        self._silence_run = 0
        self._speech_windows = 0
        self._speech_end_at = 0.0
        self._sooner_windows = 0  # a shorter end-of-turn silence for the current pause

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def feed(self, pcm: bytes) -> list[VadEvent]:
        """Events caused by this audio, in order."""
        self._pending += pcm
        events: list[VadEvent] = []
        while len(self._pending) >= self._window_bytes:
            window = bytes(self._pending[: self._window_bytes])
            del self._pending[: self._window_bytes]
            probability = self._vad.probability(to_float(window))
            event = self._step(window, probability)
            if event is not None:
                events.append(event)
        return events

    def _step(self, window: bytes, probability: float) -> VadEvent | None:
        now = time.monotonic()
        if not self._in_speech:
            self._pre_roll.append(window)
            self._onset_run = self._onset_run + 1 if probability >= self._threshold else 0
            if self._onset_run < self._start_windows:
                return None
            self._in_speech = True
            self._speech = bytearray(b"".join(self._pre_roll))
            self._pre_roll.clear()
            self._speech_windows, self._silence_run = self._onset_run, 0
            return SpeechStarted(now)
        self._speech += window
        if probability >= self._threshold - _SILENCE_MARGIN:
            self._silence_run, self._sooner_windows = 0, 0
            self._speech_windows += 1
        else:
            if self._silence_run == 0:
                self._speech_end_at = now
            self._silence_run += 1
        if len(self._speech) >= self._max_bytes:
            return self._finish(now, self._speech_end_at if self._silence_run else now)
        if self._silence_run >= (self._sooner_windows or self._end_windows):
            return self._finish(now, self._speech_end_at)
        pausing = self._pause_windows and self._silence_run == self._pause_windows
        if pausing and self._speech_windows >= self._min_speech_windows:
            return Pause(bytes(self._speech), self._speech_end_at)
        return None

    def end_sooner(self, speech_end_at: float, silence_ms: int) -> Utterance | None:
        """The pause that began at `speech_end_at` ends the turn after only `silence_ms`.

        Returns the utterance at once if that much silence has already passed; otherwise it
        comes from `feed` when it has. No effect once the user has spoken again.
        """
        pausing = self._in_speech and self._silence_run > 0
        if not pausing or self._speech_end_at != speech_end_at:
            return None
        self._sooner_windows = max(1, round(silence_ms / self._window_ms))
        if self._silence_run < self._sooner_windows:
            return None
        return self._finish(time.monotonic(), speech_end_at)

    def _finish(self, now: float, speech_end_at: float) -> Utterance | None:
        audio, speech_windows = bytes(self._speech), self._speech_windows
        self._in_speech, self._speech, self._onset_run = False, bytearray(), 0
        self._sooner_windows = 0
        if speech_windows < self._min_speech_windows:
            return None  # a click or a cough
        return Utterance(audio, speech_end_at, now)
