"""Packet-loss concealment for the browser's Opus audio: lost packets are filled, not skipped.

aiortc decodes the packets its jitter buffer hands over and silently skips the ones that never
came, so the audio after a loss is spliced onto the audio before it and speech recognition
mishears the splice. `ConcealingOpusDecoder` notices the hole in the RTP timestamps and has
libopus conceal it first: a packet that is only a TOC byte (a zero-length frame, RFC 6716
§3.2.1) makes libopus run its packet-loss concealment for one frame, continuing the voice from
its decoder state, and cross-fade into the next real packet.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiortc.rtcrtpreceiver
from aiortc.codecs import get_decoder as aiortc_get_decoder
from aiortc.codecs.base import Decoder
from aiortc.codecs.opus import SAMPLE_RATE, TIME_BASE, OpusDecoder
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from av import AudioFrame
from av.frame import Frame
from av.packet import Packet

# Longer holes are concealed this far and the rest skipped as before: libopus has faded its
# concealment to silence well before, and a sender's huge timestamp jump must not make us
# synthesize minutes of audio.
MAX_CONCEALED_MS = 200

# The TOC byte without its frame-count code bits: code 0, a single frame.
_SINGLE_FRAME_TOC = 0b1111_1100


class ConcealingOpusDecoder(OpusDecoder):
    """aiortc's Opus decoder, plus libopus concealment of the packets missing before each one."""

    def __init__(self, max_concealed_ms: int = MAX_CONCEALED_MS) -> None:
        super().__init__()
        self._max_concealed_samples = max_concealed_ms * SAMPLE_RATE // 1000
        self._next_timestamp: int | None = None
        self._lost_packet: bytes | None = None  # a TOC byte alone: "conceal one frame"

    def decode(self, encoded_frame: JitterFrame) -> list[Frame]:
        frames = self._conceal_until(encoded_frame.timestamp)
        decoded = super().decode(encoded_frame)
        if encoded_frame.data:
            # Same mode, bandwidth and frame size as the last real packet, but no frame data.
            self._lost_packet = bytes([encoded_frame.data[0] & _SINGLE_FRAME_TOC])
        # RTP timestamps of Opus count 48 kHz samples, as the decoder's output does.
        self._next_timestamp = encoded_frame.timestamp + _samples(decoded)
        return frames + decoded

    def _conceal_until(self, timestamp: int) -> list[Frame]:
        if self._next_timestamp is None or self._lost_packet is None:
            return []
        start = self._next_timestamp
        end = start + min(timestamp - start, self._max_concealed_samples)
        frames: list[Frame] = []
        position = start
        while position < end:
            packet = Packet(self._lost_packet)
            packet.pts = position
            packet.time_base = TIME_BASE
            concealed = self.codec.decode(packet)
            samples = _samples(concealed)
            if samples == 0:
                break
            frames += concealed
            position += samples
        return frames


def _samples(frames: Sequence[Frame]) -> int:
    return sum(frame.samples for frame in frames if isinstance(frame, AudioFrame))


def decoder_for(codec: RTCRtpCodecParameters) -> Decoder:
    """aiortc's decoder for `codec`, with concealment for Opus."""
    if codec.mimeType.lower() == "audio/opus":
        return ConcealingOpusDecoder()
    return aiortc_get_decoder(codec)


def install_opus_concealment() -> None:
    """Make every aiortc receiver in this process decode Opus with concealment from now on.

    aiortc has no per-connection decoder hook: its receivers look `get_decoder` up in their
    module when their first packet arrives, so this is process-wide (and idempotent).
    """
    aiortc.rtcrtpreceiver.get_decoder = decoder_for  # type: ignore[attr-defined]
