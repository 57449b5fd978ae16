"""Word error rate of the agent's Whisper on Opus audio that lost packets, per receive path.

The media agent's microphone path without the network: questions spoken by the piper voice at
48 kHz, encoded by aiortc's Opus encoder (voip, 20 ms RTP packets) at a browser's 32 kb/s or at
aiortc's own 96 kb/s (what the test client sends), a seeded share of the packets lost, the rest
put through a jitter buffer and an Opus decoder, resampled to 16 kHz and transcribed by the
local model's speech to text (Whisper tiny.en, its settings). Receive paths: aiortc's own (its
jitter buffer discards the 4 packets before each lost one, the decoder skips the holes);
`AudioJitterBuffer` (only the lost packets missing) with the holes spliced (aiortc's decoder),
filled with silence, or concealed by libopus (`ConcealingOpusDecoder`, what the agent runs).

    uv run python services/media-agent/scripts/bench_concealment.py [--seeds 20] [--bitrate 96000]
"""

from __future__ import annotations

import argparse
import fractions
import random
import re
import time
from collections.abc import Callable, Iterator

import av
import numpy as np
from aiortc.codecs.base import Decoder
from aiortc.codecs.opus import OpusDecoder, OpusEncoder
from aiortc.jitterbuffer import JitterBuffer
from aiortc.rtp import RtpPacket
from av.frame import Frame
from rapidfuzz.distance import Levenshtein

from sous_media_agent.jitter_buffer import AudioJitterBuffer
from sous_media_agent.models.local import stt
from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.opus_concealment import ConcealingOpusDecoder

QUESTIONS = [
    "How many grams is two cups of flour?",
    "How many calories are in a banana?",
    "Set a timer for eight minutes for the pasta.",
    "How many tablespoons are in a cup?",
    "Find me a vegetarian pasta recipe.",
]
RATE = 48_000
PACKET = 960  # 20 ms, as browsers send


class SilenceFillingOpusDecoder(ConcealingOpusDecoder):
    """Fills the holes with silence instead of concealment (for comparison only)."""

    def _conceal_until(self, timestamp: int) -> list[Frame]:
        if self._next_timestamp is None or timestamp <= self._next_timestamp:
            return []
        silence = np.zeros((1, 2 * (timestamp - self._next_timestamp)), dtype=np.int16)
        frame = av.AudioFrame.from_ndarray(silence, format="s16", layout="stereo")
        frame.sample_rate = RATE
        return [frame]


Buffer = JitterBuffer | AudioJitterBuffer
PATHS: dict[str, tuple[Callable[[], Buffer], Callable[[], Decoder]]] = {
    "aiortc": (lambda: JitterBuffer(capacity=16, prefetch=4), OpusDecoder),
    "buffer, spliced": (AudioJitterBuffer, OpusDecoder),
    "buffer, silence": (AudioJitterBuffer, SilenceFillingOpusDecoder),
    "buffer, concealed": (AudioJitterBuffer, ConcealingOpusDecoder),
}


def speech_48k(engines: LocalEngines, text: str) -> np.ndarray:
    pcm = b"".join(chunk.audio_int16_bytes for chunk in engines.voice.synthesize(text))
    return resample(np.frombuffer(pcm, dtype=np.int16), engines.voice.config.sample_rate, RATE)


def resample(samples: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=to_rate)
    out = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([f.to_ndarray().reshape(-1) for f in out])


def opus_packets(samples: np.ndarray, bitrate: int) -> list[tuple[bytes, int]]:
    """(packet, RTP timestamp) of 20 ms Opus packets, with 0.3 s of silence either side."""
    pause = np.zeros(RATE * 3 // 10, dtype=np.int16)
    audio = np.concatenate([pause, samples, pause])
    audio = np.pad(audio, (0, -len(audio) % PACKET))
    encoder = OpusEncoder()
    encoder.codec.bit_rate = bitrate  # the codec opens at the first frame
    packets = []
    for start in range(0, len(audio), PACKET):
        frame = av.AudioFrame.from_ndarray(
            audio[start : start + PACKET].reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = RATE
        frame.pts = start
        frame.time_base = fractions.Fraction(1, RATE)
        data, timestamp = encoder.encode(frame)
        packets += [(payload, timestamp) for payload in data]
    return packets


def received(packets: list[tuple[bytes, int]], loss: float, seed: int) -> Iterator[RtpPacket]:
    rng = random.Random(seed)
    for sequence, (data, timestamp) in enumerate(packets):
        if rng.random() >= loss:
            packet = RtpPacket(sequence_number=sequence, timestamp=timestamp)
            packet._data = data  # type: ignore[attr-defined]  # as aiortc's receiver does
            yield packet


def heard_at_16k(buffer: Buffer, decoder: Decoder, packets: Iterator[RtpPacket]) -> bytes:
    """What the agent's audio input hands the model: 16 kHz mono PCM16."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=16_000)
    out = bytearray()
    for packet in packets:
        _, encoded = buffer.add(packet)
        if encoded is None:
            continue
        for frame in decoder.decode(encoded):
            assert isinstance(frame, av.AudioFrame)
            for resampled in resampler.resample(frame):
                out += resampled.to_ndarray().tobytes()
    return bytes(out)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="loss patterns per question")
    parser.add_argument("--bitrate", type=int, default=32_000, help="Opus bits per second")
    parser.add_argument("--loss", type=float, nargs="+", default=[0.0, 0.05, 0.10, 0.20])
    args = parser.parse_args()

    settings = LocalModelSettings()
    engines = LocalEngines.load(settings, on_progress=lambda _: None)
    packets = {text: opus_packets(speech_48k(engines, text), args.bitrate) for text in QUESTIONS}
    print(
        f"{len(QUESTIONS)} questions x {args.seeds} loss patterns, Opus {args.bitrate // 1000} "
        "kb/s, Whisper tiny.en"
    )
    print(f"{'loss':>5} | {'receive path':<17} | {'word error rate':>15} | {'questions exact':>15}")
    for loss in args.loss:
        for name, (make_buffer, make_decoder) in PATHS.items():
            errors = total = exact = 0
            started = time.perf_counter()
            for text, question_packets in packets.items():
                said = words(text)
                for seed in range(args.seeds):
                    lossy = received(question_packets, loss, seed)
                    pcm = heard_at_16k(make_buffer(), make_decoder(), lossy)
                    heard = words(stt.transcribe(engines.whisper, pcm, settings))
                    distance = Levenshtein.distance(said, heard)
                    errors += distance
                    total += len(said)
                    exact += distance == 0
                    if loss == 0:
                        break  # no loss: every seed gives the same audio
            runs = len(QUESTIONS) * (1 if loss == 0 else args.seeds)
            print(
                f"{loss:>5.0%} | {name:<17} | {errors / total:>15.1%} | "
                f"{exact:>7}/{runs:<7} ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
