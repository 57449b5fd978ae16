"""Benchmark of the offline voice model on this machine.

    uv run python -m sous_media_agent.models.local.bench [--rounds N]

Measures Whisper per utterance (and how many questions it hears right), piper's first chunk of
an answer, the end-of-turn wait, and the whole turn (end of speech → first answer audio) through
a real BidiAgent fed in real time, each question asked `--rounds` times. The agent's tools
answer with canned tools-service JSON so only the model is measured. The machine is shared, so
the load average before and after is printed with the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import time
from typing import Any

from piper import SynthesisConfig
from strands import tool
from strands.bidi import BidiAgent
from strands.bidi.types.events import BidiOutputEvent
from strands.bidi.types.media import AudioDelta

from . import audio, stt, tts
from .engines import LocalEngines
from .model import LocalVoiceModel
from .phrases import parse
from .settings import LocalModelSettings

QUESTIONS = [
    "Set a timer for eight minutes for the pasta.",
    "How many grams is two cups of flour?",
    "How long is left?",
    "How many calories are in a banana?",
    "Find me a recipe for banana bread.",
    "What is three hundred and fifty degrees Fahrenheit in Celsius?",
    "How much protein is in a cup of cooked rice?",
    "Set a timer for twelve minutes for the rice.",
    "What can I make with chicken and lemon?",
    "How many ounces is two hundred grams of butter?",
    "Cancel the pasta timer.",
    "Do you have a recipe with mushrooms?",
]
ANSWERS = [
    "OK, your pasta timer is set for 8 minutes.",
    "2 cups of all-purpose flour is about 240 g.",
    "Your pasta timer has 7 minutes 12 seconds left.",
    "Banana, about 118 grams, has about 105 calories, with 1.3 grams of protein.",
    "I found Classic Banana Bread and Banana Oat Muffins. Want the steps for the first one?",
]
CHUNK_BYTES = 640  # 20 ms of 16 kHz PCM16


def _canned_tools() -> list[Any]:
    timer = {
        "id": "t1", "session_id": "bench", "label": "pasta", "duration_seconds": 480,
        "ends_at": "2026-11-25T12:08:00Z", "status": "running", "remaining_seconds": 432,
    }  # fmt: skip

    def ok(data: Any) -> dict[str, Any]:
        return {"status": "success", "content": [{"json": data}]}

    @tool
    def set_timer(label: str, duration_seconds: int) -> dict[str, Any]:
        """Start a timer."""
        return ok({**timer, "label": label, "duration_seconds": duration_seconds})

    @tool
    def list_timers() -> dict[str, Any]:
        """List timers."""
        return ok({"timers": [timer]})

    @tool
    def cancel_timer(timer_id: str | None = None, label: str | None = None) -> dict[str, Any]:
        """Cancel a timer."""
        return ok({**timer, "status": "cancelled"})

    @tool
    def convert_units(
        quantity: float, from_unit: str, to_unit: str, ingredient: str | None = None
    ) -> dict[str, Any]:
        """Convert units."""
        return ok({"quantity": 240.0, "unit": to_unit, "text": ANSWERS[1].rstrip(".")})

    @tool
    def lookup_nutrition(
        food: str, quantity: float | None = None, unit: str | None = None
    ) -> dict[str, Any]:
        """Nutrition facts."""
        return ok({
            "food": food, "grams": 118, "calories_kcal": 105, "protein_g": 1.3, "fat_g": 0.4,
            "carbohydrates_g": 27, "fiber_g": 3.1, "sugar_g": 14.4, "sodium_mg": 1,
            "source": "USDA FDC 173944",
        })  # fmt: skip

    @tool
    def search_recipes(query: str, limit: int = 3) -> dict[str, Any]:
        """Search recipes."""
        recipe = {
            "id": "banana-bread", "title": "Classic Banana Bread", "ingredients": [],
            "steps": ["Mash."], "total_minutes": 70, "servings": 8, "tags": [], "score": 1,
        }  # fmt: skip
        return ok({"results": [recipe, {**recipe, "title": "Banana Oat Muffins"}]})

    return [set_timer, list_timers, cancel_timer, convert_units, lookup_nutrition, search_recipes]


class _Microphone:
    """Plays queued 16 kHz audio in real time, silence when there is none."""

    def __init__(self, pcm: bytes = b"") -> None:
        self._queued = bytearray(pcm)
        self.sent_seconds = 0.0
        self._next_at = 0.0

    def say(self, pcm: bytes) -> float:
        """Queue speech; returns the audio time at which it starts."""
        starts_at = self.sent_seconds + len(self._queued) / 32000
        self._queued += pcm
        return starts_at

    async def start(self, agent: BidiAgent) -> None:
        self._next_at = time.monotonic()

    async def stop(self) -> None:
        return None

    async def __call__(self) -> AudioDelta:
        self._next_at += 0.02
        await asyncio.sleep(max(0.0, self._next_at - time.monotonic()))
        chunk = bytes(self._queued[:CHUNK_BYTES]).ljust(CHUNK_BYTES, b"\0")
        del self._queued[:CHUNK_BYTES]
        self.sent_seconds += 0.02
        return AudioDelta(format="pcm", source={"bytes": chunk})


class _Watch:
    """Notes the microphone's audio time when audio and barge-ins come out, and what was heard."""

    def __init__(self, microphone: _Microphone) -> None:
        self._microphone = microphone
        self.first_audio = asyncio.Event()
        self.barge_in_at: float | None = None
        self.barged_in = asyncio.Event()
        self.heard: list[str] = []

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def __call__(self, event: BidiOutputEvent) -> None:
        if event.get("type") == "bidi_audio_delta":
            self.first_audio.set()
        elif event.get("type") == "bidi_barge_in":
            self.barge_in_at = self._microphone.sent_seconds
            self.barged_in.set()
        elif event.get("type") == "bidi_transcript_block" and event.get("role") == "user":
            self.heard.append(str(event.get("transcript")))


async def _turns(
    engines: LocalEngines, settings: LocalModelSettings, clips: list[bytes]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each question spoken in real time, 3 s apart: the model's per-turn reports, and what
    it heard."""
    reports: list[dict[str, Any]] = []
    all_answered = asyncio.Event()

    def record(metrics: dict[str, Any]) -> None:
        latency_ms = (time.monotonic() - metrics["speech_end_at"]) * 1000
        reports.append({**metrics, "latency_ms": latency_ms})
        if len(reports) == len(clips):
            all_answered.set()

    gap = b"\0\0" * 16000 * 3
    model = LocalVoiceModel(engines, settings, on_turn_metrics=record)
    agent = BidiAgent(model=model, tools=_canned_tools())
    microphone = _Microphone(gap[:3200] + gap.join(clips) + gap)
    watch = _Watch(microphone)
    running = asyncio.create_task(agent.run(inputs=[microphone], outputs=[watch]))
    try:
        async with asyncio.timeout(10 + 8 * len(clips)):
            await all_answered.wait()
    except TimeoutError:
        print(f"only {len(reports)} of {len(clips)} questions were answered in time")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    return reports, watch.heard


async def _barge_ins(
    engines: LocalEngines, settings: LocalModelSettings, clip: bytes, rounds: int
) -> list[float]:
    """Audio time from the onset of speech over an answer to the model's barge-in (ms)."""
    onset = next(i for i in range(0, len(clip), 320) if audio.rms_dbfs(clip[i : i + 320]) > -45)
    delays = []
    for _ in range(rounds):
        model = LocalVoiceModel(engines, settings)
        microphone = _Microphone()
        watch = _Watch(microphone)
        agent = BidiAgent(model=model, tools=_canned_tools())
        running = asyncio.create_task(agent.run(inputs=[microphone], outputs=[watch]))
        try:
            async with asyncio.timeout(30):
                await asyncio.sleep(0.5)
                speaking = asyncio.create_task(model.announce(ANSWERS[4] + " " + ANSWERS[3]))
                await watch.first_audio.wait()
                await asyncio.sleep(0.5)
                starts_at = microphone.say(clip) + onset / 32000
                await watch.barged_in.wait()
                assert watch.barge_in_at is not None
                delays.append(1000 * (watch.barge_in_at - starts_at))
                await speaking
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
    return delays


def _summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name:<36} p50 {statistics.median(values):7.1f} ms   p95 {p95:7.1f}"
        f"   mean {statistics.fmean(values):7.1f}   n={len(values)}"
    )


def _heard_right(heard: list[str], said: list[str]) -> str:
    right = sum(parse(text) == parse(question) for text, question in zip(heard, said, strict=False))
    return f"{right}/{len(said)} heard as asked"


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="repetitions of each measurement")
    rounds = parser.parse_args().rounds
    settings = LocalModelSettings()
    load_before = _load()
    print(f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    tuned = {k: v for k, v in settings.model_dump().items() if k.startswith(("end_of", "stt_"))}
    print({key: value for key, value in tuned.items() if key != "stt_prompt"})
    started = time.perf_counter()
    engines = LocalEngines.load(settings, on_progress=lambda _: None)
    loaded = time.perf_counter()
    engines.warm_up(on_progress=lambda _: None)
    warmed = time.perf_counter()
    print(f"load {1000 * (loaded - started):.0f} ms, warm-up {1000 * (warmed - loaded):.0f} ms")

    steady = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    clips = [
        audio.resample(
            b"".join(c.audio_int16_bytes for c in engines.voice.synthesize(q, syn_config=steady)),
            engines.sample_rate,
            16000,
        )
        for q in QUESTIONS
    ]
    stt_ms: list[float] = []
    transcripts: list[str] = []
    for _ in range(rounds):
        for clip in clips:
            began = time.perf_counter()
            transcripts.append(stt.transcribe(engines.whisper, clip, settings))
            stt_ms.append(1000 * (time.perf_counter() - began))
    seconds = statistics.fmean(audio.duration_seconds(clip, 16000) for clip in clips)
    print(_summary(f"STT per utterance ({seconds:.1f} s audio)", stt_ms))
    print(f"{'':36} {_heard_right(transcripts, QUESTIONS * rounds)}")

    first_chunk_ms: list[float] = []
    for _ in range(rounds):
        for answer in ANSWERS:
            first_sentence = tts.SentenceSplitter().feed(answer + " ")[0]
            first_phrase = tts.split_lead_clause(first_sentence)[0]
            began = time.perf_counter()
            tts.synthesize(engines.voice, first_phrase, settings)
            first_chunk_ms.append(1000 * (time.perf_counter() - began))
    print(_summary("TTS first chunk (first phrase)", first_chunk_ms))

    reports, heard = asyncio.run(_turns(engines, settings, clips * rounds))
    stages = {key: [r["stages"][key] for r in reports] for key in reports[0]["stages"]}
    print(_summary("  turn stage vad_ms (end-of-turn wait)", stages["vad_ms"]))
    for key in ("stt_ms", "brain_ms", "tts_first_chunk_ms"):
        print(_summary(f"  turn stage {key}", stages[key]))
    print(_summary("turn: speech end → first audio", [r["latency_ms"] for r in reports]))
    print(f"{'':36} {_heard_right(heard, QUESTIONS * rounds)}")
    delays = asyncio.run(_barge_ins(engines, settings, clips[2], rounds))
    print(_summary("barge-in after speech onset (audio)", delays))
    print(f"load average (1 min): {load_before} before, {_load()} after")


if __name__ == "__main__":
    main()
