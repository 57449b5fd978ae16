"""The jitter buffer for the browser's audio packets: it gives up on lost packets only.

aiortc's audio jitter buffer releases a packet only once the 4 after it are there, and when a
packet is lost it waits until 16 have piled up and then discards from its front, the good
packets before the hole included: every lost packet costs 100 ms of audio (5 packets), so 5 %
loss removed about a quarter of what the cook said. `AudioJitterBuffer` releases each packet as
soon as it is next in line, waits for a missing one until `max_wait_packets` later ones have
come, and then skips exactly the missing ones (the decoder conceals them).
"""

from __future__ import annotations

import aiortc.rtcrtpreceiver
from aiortc.jitterbuffer import MAX_MISORDER, JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket
from aiortc.utils import uint16_add

# How many later packets may come before a missing one counts as lost: tolerates 80 ms of
# reordering, the delay aiortc's buffer adds to every packet.
MAX_WAIT_PACKETS = 4

_SEQUENCE_RANGE = 0x10000
_HALF_RANGE = 0x8000  # sequence numbers more than this far "ahead" are behind (uint16 wrap)


class AudioJitterBuffer:
    """Puts audio packets back in sequence order, one out for each one in (aiortc's contract)."""

    def __init__(self, max_wait_packets: int = MAX_WAIT_PACKETS) -> None:
        self._max_wait = max_wait_packets
        self._next: int | None = None  # the sequence number to release next
        self._held: dict[int, RtpPacket] = {}

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        """Take a packet; return (request a key frame: never for audio, the next frame if any)."""
        sequence = packet.sequence_number
        if self._next is None:
            self._next = sequence
        ahead = uint16_add(sequence, -self._next)
        if ahead >= _HALF_RANGE:
            if _SEQUENCE_RANGE - ahead <= MAX_MISORDER:
                return False, None  # too late: its place was given up (and concealed) already
            self._restart(sequence)  # the sender jumped back: a new sequence
        self._held[sequence] = packet
        return False, self._release()

    def _restart(self, sequence: int) -> None:
        self._held.clear()
        self._next = sequence

    def _release(self) -> JitterFrame | None:
        assert self._next is not None
        packet = self._held.pop(self._next, None)
        if packet is None:
            if len(self._held) < self._max_wait:
                return None  # the next packet may still come
            # It is lost: go on from the oldest packet held.
            start = self._next
            oldest = min(self._held, key=lambda sequence: uint16_add(sequence, -start))
            self._next = oldest
            packet = self._held.pop(oldest)
        self._next = uint16_add(self._next, 1)
        return JitterFrame(data=packet._data, timestamp=packet.timestamp)  # type: ignore[attr-defined]


def _jitter_buffer(
    capacity: int, prefetch: int = 0, is_video: bool = False
) -> JitterBuffer | AudioJitterBuffer:
    """What aiortc's receivers get when they ask for a jitter buffer: ours for audio."""
    if is_video:
        return JitterBuffer(capacity, prefetch, is_video=True)
    return AudioJitterBuffer()


def install_audio_jitter_buffer() -> None:
    """Make every aiortc receiver created from now on in this process buffer audio with ours.

    aiortc has no per-connection hook: a receiver builds its buffer from the `JitterBuffer`
    name in its module, so this is process-wide (and idempotent).
    """
    aiortc.rtcrtpreceiver.JitterBuffer = _jitter_buffer  # type: ignore[attr-defined,assignment]
