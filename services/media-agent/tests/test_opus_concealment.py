"""Opus concealment: lost packets come back as libopus's continuation of the voice."""

from __future__ import annotations

import fractions
from collections.abc import Container

import av
import numpy as np
import pytest
from aiortc.codecs.base import Decoder
from aiortc.codecs.opus import OpusDecoder, OpusEncoder
from aiortc.jitterbuffer import JitterFrame
from media_agent_support import tone

from sous_media_agent.opus_concealment import MAX_CONCEALED_MS, ConcealingOpusDecoder

RATE = 48_000
FRAME = 960  # 20 ms packets, as browsers send


@pytest.fixture(scope="module")
def packets() -> list[JitterFrame]:
    """One second of a 440 Hz tone as the Opus packets a real aiortc sender makes."""
    samples = np.frombuffer(tone(1.0, RATE), dtype=np.int16)
    encoder = OpusEncoder()
    encoded = []
    for start in range(0, len(samples), FRAME):
        frame = av.AudioFrame.from_ndarray(
            samples[start : start + FRAME].reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = RATE
        frame.pts = start
        frame.time_base = fractions.Fraction(1, RATE)
        payloads, timestamp = encoder.encode(frame)
        encoded += [JitterFrame(payload, timestamp) for payload in payloads]
    return encoded


def decode(decoder: Decoder, packets: list[JitterFrame], lost: Container[int] = ()) -> np.ndarray:
    """The left channel of what `decoder` makes of the packets that were not lost."""
    out = []
    for number, packet in enumerate(packets):
        if number not in lost:
            for frame in decoder.decode(packet):
                assert isinstance(frame, av.AudioFrame)
                out.append(frame.to_ndarray().reshape(-1, 2)[:, 0])
    return np.concatenate(out).astype(np.float64)


def snr_db(signal: np.ndarray, received: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(signal**2) / np.sum((received - signal) ** 2)))


def test_without_loss_the_audio_is_what_aiortc_decodes(packets: list[JitterFrame]) -> None:
    concealing = decode(ConcealingOpusDecoder(), packets)
    assert np.array_equal(concealing, decode(OpusDecoder(), packets))


def test_lost_packets_are_filled_with_the_sound_that_was_there(
    packets: list[JitterFrame],
) -> None:
    clean = decode(OpusDecoder(), packets)
    concealed = decode(ConcealingOpusDecoder(), packets, lost={20, 21})
    assert len(concealed) == len(clean)  # nothing spliced: the audio after the hole stays put
    hole = slice(20 * FRAME, 22 * FRAME)
    # The concealment continues the tone in phase (silence would be 0 dB, a splice misaligned).
    assert snr_db(clean[hole], concealed[hole]) > 10
    after = slice(22 * FRAME, 30 * FRAME)
    assert snr_db(clean[after], concealed[after]) > 15


def test_a_long_outage_is_concealed_only_up_to_the_limit(packets: list[JitterFrame]) -> None:
    clean = decode(OpusDecoder(), packets)
    outage = set(range(10, 30))  # 400 ms
    concealed = decode(ConcealingOpusDecoder(), packets, lost=outage)
    missing_ms = (len(clean) - len(concealed)) * 1000 // RATE
    assert missing_ms == len(outage) * 20 - MAX_CONCEALED_MS


def test_nothing_is_invented_before_the_first_packet(packets: list[JitterFrame]) -> None:
    concealed = decode(ConcealingOpusDecoder(), packets, lost={0, 1, 2})
    assert len(concealed) == (len(packets) - 3) * FRAME
