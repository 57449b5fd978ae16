"""Voice activity on real speech: onset, pre-roll, end of turn, and noise ignored."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from voice_support import silence

from sous_media_agent.models.local import audio
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.models.local.silero import SileroModel
from sous_media_agent.models.local.vad import (
    Pause,
    SpeechDetector,
    SpeechStarted,
    Utterance,
    VadEvent,
)

RATE = 16000
CHUNK = 640  # 20 ms of PCM16


def feed(detector: SpeechDetector, pcm: bytes) -> list[tuple[float, VadEvent]]:
    """Events with the audio time (seconds fed so far) at which each came out."""
    heard = []
    for start in range(0, len(pcm), CHUNK):
        for event in detector.feed(pcm[start : start + CHUNK]):
            heard.append(((start + CHUNK) / 2 / RATE, event))
    return heard


def onset_seconds(pcm: bytes) -> float:
    """Where the speech in `pcm` becomes audible (first 10 ms above -45 dBFS)."""
    step = RATE // 100 * 2
    for start in range(0, len(pcm), step):
        if audio.rms_dbfs(pcm[start : start + step]) > -45:
            return start / 2 / RATE
    raise AssertionError("no speech in the audio")


def test_one_utterance_is_found_with_its_pre_roll(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings()
    speech = speak("How many grams is two cups of flour?")
    stream = silence(1.0) + speech + silence(1.0)

    heard = feed(SpeechDetector(silero, settings), stream)

    assert [type(event) for _, event in heard] == [SpeechStarted, Pause, Utterance]
    started_at = heard[0][0]
    onset = 1.0 + onset_seconds(speech)
    assert 0 < started_at - onset < 0.15  # detected within 150 ms of audible speech
    utterance = heard[2][1]
    assert isinstance(utterance, Utterance)
    kept = audio.duration_seconds(utterance.audio, RATE)
    spoken = audio.duration_seconds(speech, RATE)
    assert spoken < kept < spoken + 0.3 + settings.end_of_turn_silence_ms / 1000 + 0.1
    assert utterance.detected_at >= utterance.speech_end_at


def test_the_turn_ends_after_the_configured_silence(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    speech = speak("Set a timer for eight minutes.")
    for silence_ms in (300, 800):
        settings = LocalModelSettings(end_of_turn_silence_ms=silence_ms)
        heard = feed(SpeechDetector(silero, settings), silence(0.5) + speech + silence(1.5))
        ended_at = heard[-1][0]
        speech_ends = 0.5 + audio.duration_seconds(speech, RATE)
        assert isinstance(heard[-1][1], Utterance)
        assert silence_ms / 1000 - 0.15 < ended_at - speech_ends < silence_ms / 1000 + 0.15


def test_two_utterances_apart_are_two_turns(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    stream = speak("Hello there.") + silence(1.2) + speak("Thank you.") + silence(1.0)

    heard = feed(SpeechDetector(silero, LocalModelSettings()), stream)

    assert [type(event) for _, event in heard] == [SpeechStarted, Pause, Utterance] * 2


def test_silence_and_a_click_are_not_speech(silero: SileroModel) -> None:
    click = (np.random.default_rng(1).normal(0, 8000, 800)).astype(np.int16).tobytes()  # 50 ms

    heard = feed(SpeechDetector(silero, LocalModelSettings()), silence(1.0) + click + silence(1.0))

    assert not [event for _, event in heard if isinstance(event, Utterance)]


def test_a_very_long_utterance_is_cut_at_the_limit(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(max_utterance_seconds=2.0)
    long_speech = speak("I would like to know how many grams of flour are in two and a half cups.")

    heard = feed(SpeechDetector(silero, settings), long_speech + silence(1.0))

    utterances = [event for _, event in heard if isinstance(event, Utterance)]
    assert utterances
    assert audio.duration_seconds(utterances[0].audio, RATE) <= 2.0 + 0.05


def test_a_pause_comes_early_and_matches_its_utterance(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=200, end_of_turn_silence_ms=500)
    speech = speak("How long is left?")

    heard = feed(SpeechDetector(silero, settings), silence(0.5) + speech + silence(1.0))

    (paused_at, pause), (ended_at, utterance) = heard[1], heard[2]
    assert isinstance(pause, Pause) and isinstance(utterance, Utterance)
    assert 0.25 < ended_at - paused_at < 0.35  # 300 ms of transcription hidden in the wait
    assert pause.speech_end_at == utterance.speech_end_at
    assert utterance.audio.startswith(pause.audio)


def test_speech_after_a_pause_makes_a_new_pause(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=200, end_of_turn_silence_ms=800)
    stream = speak("Set a timer") + silence(0.4) + speak("for eight minutes.") + silence(1.2)

    heard = feed(SpeechDetector(silero, settings), stream)

    pauses = [event for _, event in heard if isinstance(event, Pause)]
    utterance = heard[-1][1]
    assert isinstance(utterance, Utterance) and len(pauses) >= 2
    assert pauses[0].speech_end_at != utterance.speech_end_at
    assert pauses[-1].speech_end_at == utterance.speech_end_at


def test_no_pause_events_when_early_transcription_is_off(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=0)

    heard = feed(SpeechDetector(silero, settings), speak("How long is left?") + silence(1.0))

    assert [type(event) for _, event in heard] == [SpeechStarted, Utterance]


def test_a_complete_request_ends_the_turn_after_the_shorter_silence(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=160, end_of_turn_silence_ms=800)
    detector = SpeechDetector(silero, settings)
    stream = silence(0.5) + speak("How long is left?") + silence(1.0)
    start, pause = 0, None
    while pause is None:  # up to the pause, as the model hears it
        events = detector.feed(stream[start : start + CHUNK])
        start += CHUNK
        pause = next((event for event in events if isinstance(event, Pause)), None)

    assert detector.end_sooner(pause.speech_end_at, 320) is None  # not that much silence yet
    later = feed(detector, stream[start:])

    ((ended_at, utterance),) = later
    assert isinstance(utterance, Utterance)
    assert utterance.speech_end_at == pause.speech_end_at
    assert 0.1 < ended_at < 0.2  # 320 ms of silence in all, not 800 ms


def test_ending_sooner_once_the_silence_has_passed_gives_the_utterance_at_once(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=160, end_of_turn_silence_ms=800)
    detector = SpeechDetector(silero, settings)
    pause = feed(detector, speak("Cancel it.") + silence(0.4))[-1][1]
    assert isinstance(pause, Pause)

    utterance = detector.end_sooner(pause.speech_end_at, 200)

    assert isinstance(utterance, Utterance)
    assert utterance.audio.startswith(pause.audio)
    assert not detector.in_speech
    assert feed(detector, silence(1.0)) == []  # the turn is not ended a second time


def test_ending_sooner_is_ignored_once_the_user_speaks_again(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(stt_early_start_ms=160, end_of_turn_silence_ms=700)
    detector = SpeechDetector(silero, settings)
    pause = feed(detector, speak("Set a timer") + silence(0.25))[-1][1]
    assert isinstance(pause, Pause)
    feed(detector, speak("for eight minutes."))

    assert detector.end_sooner(pause.speech_end_at, 100) is None
    rest = feed(detector, silence(1.0))

    utterance = rest[-1][1]
    assert isinstance(utterance, Utterance) and utterance.speech_end_at != pause.speech_end_at
