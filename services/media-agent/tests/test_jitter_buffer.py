"""The audio jitter buffer: packets out in order at once, only the lost ones missing."""

from __future__ import annotations

from aiortc.rtp import RtpPacket

from sous_media_agent.jitter_buffer import MAX_WAIT_PACKETS, AudioJitterBuffer

FRAME = 960  # 20 ms of 48 kHz audio per packet


def packet(sequence: int, number: int | None = None) -> RtpPacket:
    """The RTP packet `sequence`, carrying frame `number` (its sequence by default)."""
    number = sequence if number is None else number
    rtp = RtpPacket(sequence_number=sequence % 0x10000, timestamp=number * FRAME)
    rtp._data = number.to_bytes(4)  # type: ignore[attr-defined]  # set by aiortc's receiver
    return rtp


def feed(buffer: AudioJitterBuffer, sequences: list[int]) -> list[tuple[int, int | None]]:
    """(sequence added, frame number released or None) for each packet in arrival order."""
    steps = []
    for sequence in sequences:
        _, frame = buffer.add(packet(sequence))
        steps.append((sequence, None if frame is None else int.from_bytes(frame.data)))
    return steps


def released(steps: list[tuple[int, int | None]]) -> list[int]:
    return [frame for _, frame in steps if frame is not None]


def test_packets_in_order_come_out_as_they_arrive() -> None:
    steps = feed(AudioJitterBuffer(), list(range(10)))
    assert steps == [(n, n) for n in range(10)]


def test_a_lost_packet_costs_only_itself() -> None:
    arrived = [n for n in range(40) if n not in (12, 25)]
    steps = feed(AudioJitterBuffer(), arrived)
    assert released(steps) == arrived[: len(arrived) - MAX_WAIT_PACKETS + 1]
    # The wait for a missing packet ends after MAX_WAIT_PACKETS later ones, then it is skipped.
    waiting = [sequence for sequence, frame in steps if frame is None]
    assert waiting == [13, 14, 15]


def test_reordered_packets_are_put_back_in_order() -> None:
    steps = feed(AudioJitterBuffer(), [0, 1, 3, 2, 4, 6, 5, 7, 8])
    assert released(steps) == [0, 1, 2, 3, 4, 5, 6, 7]


def test_a_packet_that_comes_after_it_was_given_up_is_dropped() -> None:
    buffer = AudioJitterBuffer()
    early = feed(buffer, [0, 1, 3, 4, 5, 6])
    assert released(early) == [0, 1, 3]
    late = feed(buffer, [2, 7, 8])
    assert late[0] == (2, None)  # not played out of order
    assert released(late) == [4, 5]


def test_a_burst_longer_than_the_wait_is_skipped_whole() -> None:
    arrived = [*range(10), *range(30, 45)]
    assert released(feed(AudioJitterBuffer(), arrived)) == arrived[: len(arrived) - 3]


def test_sequence_numbers_wrap_around() -> None:
    buffer = AudioJitterBuffer()
    arrived = [65530, 65531, 65532, 65533, 65534, 65536, 65537, 65538, 65539, 65540]
    steps = [buffer.add(packet(sequence))[1] for sequence in arrived]
    frames = [int.from_bytes(frame.data) for frame in steps if frame is not None]
    assert frames == [65530, 65531, 65532, 65533, 65534, 65536, 65537]


def test_a_sender_that_starts_a_new_sequence_is_followed() -> None:
    buffer = AudioJitterBuffer()
    before = [buffer.add(packet(5000 + n, n))[1] for n in range(5)]
    after = [buffer.add(packet(1000 + n, 5 + n))[1] for n in range(5)]
    frames = [int.from_bytes(frame.data) for frame in before + after if frame is not None]
    assert frames == list(range(10))
