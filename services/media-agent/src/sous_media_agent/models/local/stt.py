"""Speech to text with Whisper tiny.en (blocking: call it from a worker thread).

faster-whisper's `transcribe` pads every utterance to Whisper's 30 s window, and the encoder's
cost grows faster than the window (30 s costs ~5x what 15 s does). A cook's question lasts a
few seconds, so the encoder runs on a window of `stt_window_seconds` (longer only for a longer
utterance) and faster-whisper's model (features, tokenizer, CTranslate2 decoder) is driven the
way its `transcribe` drives it. Whisper's failure mode on a short window is to loop; such a
transcript is heard again on the full 30 s window.
"""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel  # type: ignore[import-untyped]
from faster_whisper.audio import pad_or_trim  # type: ignore[import-untyped]
from faster_whisper.tokenizer import Tokenizer  # type: ignore[import-untyped]
from faster_whisper.transcribe import get_suppressed_tokens  # type: ignore[import-untyped]

from .audio import to_float
from .settings import LocalModelSettings

FRAMES_PER_SECOND = 100  # Whisper's mel frames (10 ms hop)
FULL_WINDOW_FRAMES = 3000  # the 30 s Whisper was trained on, and all it can hear at once
# Words per second of fast speech, in tokens, with room to spare: more means a loop.
_MAX_TOKENS_PER_SECOND = 8
_MIN_TOKENS = 12
# faster-whisper's defaults for "this was no speech" and "this text repeats itself".
_NO_SPEECH_PROBABILITY = 0.6
_NO_SPEECH_LOG_PROBABILITY = -1.0
_LOOPING_COMPRESSION_RATIO = 2.4


def transcribe(whisper: WhisperModel, pcm16: bytes, settings: LocalModelSettings) -> str:
    """What was said in this 16 kHz PCM16 utterance ("" for none)."""
    samples = to_float(pcm16)
    if samples.size == 0:
        return ""
    features = whisper.feature_extractor(samples)[..., :-1]
    window = round(settings.stt_window_seconds * FRAMES_PER_SECOND)
    window = min(FULL_WINDOW_FRAMES, max(window, features.shape[-1]))
    max_tokens = _MIN_TOKENS + int(_MAX_TOKENS_PER_SECOND * samples.size / 16000)
    text, looped = _decode(whisper, features, window, max_tokens, settings)
    if looped and window < FULL_WINDOW_FRAMES:
        text, _ = _decode(whisper, features, FULL_WINDOW_FRAMES, max_tokens, settings)
    return without_noise(text)


def _decode(
    whisper: WhisperModel,
    features: npt.NDArray[np.float32],
    window: int,
    max_tokens: int,
    settings: LocalModelSettings,
) -> tuple[str, bool]:
    """The text heard in a `window`-frame encoder window, and whether it ran away (looped)."""
    tokenizer = Tokenizer(whisper.hf_tokenizer, whisper.model.is_multilingual, "transcribe", "en")
    vocabulary = tokenizer.encode(" " + settings.stt_prompt.strip()) if settings.stt_prompt else []
    prompt = whisper.get_prompt(tokenizer, vocabulary, without_timestamps=True)
    encoded = whisper.encode(np.ascontiguousarray(pad_or_trim(features, window)))
    result = whisper.model.generate(
        encoded,
        [prompt],
        beam_size=settings.stt_beam_size,
        max_length=len(prompt) + max_tokens,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=list(get_suppressed_tokens(tokenizer, [-1])),
    )[0]
    tokens: list[int] = result.sequences_ids[0]
    text = str(tokenizer.decode(tokens)).strip()
    average_log_probability = result.scores[0] * len(tokens) / (len(tokens) + 1)
    no_speech = result.no_speech_prob > _NO_SPEECH_PROBABILITY
    if no_speech and average_log_probability < _NO_SPEECH_LOG_PROBABILITY:
        return "", False
    return text, len(tokens) >= max_tokens or looks_like_a_loop(text)


def looks_like_a_loop(text: str) -> bool:
    """ "Set a timer. Set a timer." or "2 1 1 1 1 1 1 1": Whisper looping, not a cook talking."""
    sentences = [re.sub(r"\W+", " ", part).strip().lower() for part in _SENTENCE_END.split(text)]
    if any(first and first == second for first, second in itertools.pairwise(sentences)):
        return True
    if _STUCK_WORD.search(text):
        return True
    raw = text.encode("utf-8")
    return bool(raw) and len(raw) / len(zlib.compress(raw)) > _LOOPING_COMPRESSION_RATIO


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_STUCK_WORD = re.compile(r"\b(\w+)(?:\W+\1\b){3,}", re.IGNORECASE)  # one word 4 times in a row


# What Whisper writes for a cough, a door or music rather than words.
_SOUND_NOTES = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪")
_NOISE_WORDS = {"you", "uh", "um", "hmm", "mm"}


def without_noise(text: str) -> str:
    """Whisper's text without sound notes; "" when nothing but a filler is left."""
    text = " ".join(_SOUND_NOTES.sub(" ", text).split())
    if re.sub(r"[^\w ]", "", text).strip().lower() in {*_NOISE_WORDS, ""}:
        return ""
    return text
