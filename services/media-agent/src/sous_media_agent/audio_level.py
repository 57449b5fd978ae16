"""The audio level aiortc puts in every outgoing audio packet, computed with numpy.

aiortc fills the RFC 6464 audio-level header extension of each packet it sends with
`compute_audio_level_dbov`, a Python loop over the frame's 960 samples: about 4 % of the
agent's event loop with 10 echo sessions (docs/benchmarks.md). `audio_level_dbov` gives the same
value (RFC 6465 Appendix A, rounded to whole dB) in one numpy pass.
"""

from __future__ import annotations

import math

import aiortc.rtp
import numpy as np
from av import AudioFrame

MAX_SAMPLE_VALUE = 32767
MIN_AUDIO_LEVEL = -127


def audio_level_dbov(frame: AudioFrame) -> int:
    """The frame's level in dBov, from -127 (silence) to 0 (full scale)."""
    samples = np.frombuffer(frame.planes[0], dtype=np.int16).astype(np.float64)
    energy = float(np.dot(samples, samples))
    rms = math.sqrt(energy / (frame.samples * MAX_SAMPLE_VALUE * MAX_SAMPLE_VALUE))
    if rms == 0:
        return MIN_AUDIO_LEVEL
    return round(min(max(20 * math.log10(rms), MIN_AUDIO_LEVEL), 0))


def install_fast_audio_level() -> None:
    """Make aiortc's senders in this process compute audio levels with numpy (idempotent).

    Its sender calls `rtp.compute_audio_level_dbov` through the module and has no hook per
    connection, so the module's function is replaced.
    """
    aiortc.rtp.compute_audio_level_dbov = audio_level_dbov
