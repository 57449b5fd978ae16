"""The offline voice model: a Strands `BidiModel` that listens, thinks and speaks on this machine.

One instance per session (its VAD state and conversation are the session's); the heavy engines
are shared (`LocalEngines`). Audio in → VAD → Whisper (started at the first pause; a transcript
that is a complete request ends the turn sooner, `turn_end`) → brain (tools through the agent's
tool loop) → piper, sentence by sentence, in chunks of at most `tts_chunk_ms`. User speech while
the assistant is still answering or (by estimate) still playing interrupts it: `bidi_barge_in`.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from strands.bidi.models.configs import AudioConfig
from strands.bidi.models.model import BidiModel
from strands.bidi.types.content import BidiContentDelta, BidiMessage
from strands.bidi.types.events import (
    BidiAudioDeltaEvent,
    BidiAudioStartEvent,
    BidiAudioStopEvent,
    BidiBargeInEvent,
    BidiConnectionStartEvent,
    BidiOutputEvent,
    BidiResponseStartEvent,
    BidiResponseStopEvent,
    BidiToolUseBlocksEvent,
    BidiTranscriptDeltaEvent,
    BidiTranscriptStartEvent,
    BidiTranscriptStopEvent,
    Role,
)
from strands.bidi.types.media import AudioDelta
from strands.types.content import Messages, TextBlock
from strands.types.tools import ToolResultBlock, ToolSpec, ToolUse

from . import audio, stt, tts, turn_end
from .brain import Brain, ToolCall, ToolOutcome, make_brain
from .engines import LocalEngines
from .outbox import OnSent, Outbox
from .settings import LocalModelSettings
from .silero import SAMPLE_RATE
from .vad import Pause, SpeechDetector, SpeechStarted, Utterance

logger = logging.getLogger(__name__)

MODEL_ID = "sous-local-voice"
TOOL_TIMED_OUT = "The tool did not answer in time."
_LEAD_PAUSE_MS = 80  # silence kept after an answer's lead phrase, as after a comma
TurnMetricsCallback = Callable[[dict[str, Any]], None]


@dataclass
class _Turn:
    """Timings of one user turn, reported with its first answer audio."""

    number: int
    speech_end_at: float
    vad_ms: float = 0.0
    stt_ms: float = 0.0
    brain_ms: float | None = None
    tts_first_chunk_ms: float | None = None
    reported: bool = False


@dataclass
class _Answer:
    """One spoken response: its ids and how far it got."""

    response_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    transcript_id: str | None = None
    audio_id: str | None = None


class LocalVoiceModel(BidiModel):
    """Offline speech-to-speech with tools: silero VAD, Whisper tiny.en, a brain, piper."""

    def __init__(
        self,
        engines: LocalEngines,
        settings: LocalModelSettings,
        on_turn_metrics: TurnMetricsCallback | None = None,
    ) -> None:
        self._engines = engines
        self._settings = settings
        self._on_turn_metrics = on_turn_metrics
        self._config: dict[str, Any] = {"model_id": MODEL_ID}
        self._outbox = Outbox()
        self._detector: SpeechDetector | None = None
        self._brain: Brain | None = None
        self._reply: asyncio.Task[None] | None = None
        self._tool_waiters: dict[str, asyncio.Future[ToolOutcome]] = {}
        self._playback_ends_at = 0.0
        self._turns = 0
        self._connection_id = ""
        # Audio of an utterance interrupted before it was transcribed (the user paused mid-
        # sentence and went on): it is heard again together with what followed.
        self._unheard = b""
        # Transcription started at a pause, keyed by its speech_end_at: if the turn ends at
        # that same pause, its result is the turn's transcript.
        self._early: tuple[float, asyncio.Task[str]] | None = None
        self._max_utterance_bytes = int(settings.max_utterance_seconds * SAMPLE_RATE) * 2

    # --- BidiModel -----------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        return {**self._config, "audio": self.get_audio_config()}

    def update_config(self, **model_config: Any) -> None:
        self._config.update(model_config)

    def get_audio_config(self) -> AudioConfig:
        return {
            "input": {"sample_rate": SAMPLE_RATE, "channels": 1, "format": "pcm"},
            "output": {"sample_rate": self._engines.sample_rate, "channels": 1, "format": "pcm"},
        }

    async def start(
        self,
        system_prompt: str | None = None,
        tools: list[ToolSpec] | None = None,
        messages: Messages | None = None,
        **kwargs: Any,
    ) -> None:
        self._outbox = Outbox()
        self._detector = SpeechDetector(self._engines.vad, self._settings)
        self._brain = await asyncio.to_thread(
            make_brain, self._settings, system_prompt, tools or []
        )
        self._playback_ends_at = 0.0
        self._connection_id = uuid.uuid4().hex
        self._outbox.put(BidiConnectionStartEvent(self._connection_id, MODEL_ID))

    async def stop(self) -> None:
        reply, self._reply = self._reply, None
        if reply is not None and not reply.done():
            reply.cancel()
            await asyncio.wait([reply])
        if self._early is not None:
            self._early[1].cancel()
            self._early = None
        for waiter in self._tool_waiters.values():
            waiter.cancel()
        self._tool_waiters.clear()
        self._outbox.close()
        self._detector = None

    async def receive(self) -> AsyncIterator[BidiOutputEvent]:
        while (item := await self._outbox.get()) is not None:
            event, on_sent = item
            if on_sent is not None:
                on_sent()
            yield event

    async def send(self, content: BidiMessage | BidiContentDelta) -> None:
        if isinstance(content, AudioDelta):
            self._hear(content)
        elif isinstance(content, BidiMessage):
            self._read(content)
        else:
            raise ValueError(f"the local model cannot take {type(content).__name__} input")

    # --- public extras -------------------------------------------------------------------

    async def announce(self, text: str) -> None:
        """Speak exactly `text` as its own response, after any answer in progress."""
        while self._reply is not None and not self._reply.done():
            await asyncio.wait([self._reply])
        task = self._start_reply(self._speak_announcement(text))
        await asyncio.wait([task])

    # --- input ---------------------------------------------------------------------------

    def _hear(self, delta: AudioDelta) -> None:
        pcm = delta.source.get("bytes")
        if self._detector is None or not isinstance(pcm, bytes | bytearray):
            return
        for event in self._detector.feed(bytes(pcm)):
            if isinstance(event, SpeechStarted):
                if self._assistant_active():
                    self._barge_in()
            elif isinstance(event, Pause):
                self._transcribe_early(event)
            elif isinstance(event, Utterance):
                self._end_turn(event)

    def _end_turn(self, utterance: Utterance) -> None:
        if self._assistant_active():
            self._barge_in()
        early = self._early_transcript(utterance)
        if self._unheard:
            heard_again = (self._unheard + utterance.audio)[-self._max_utterance_bytes :]
            utterance = Utterance(heard_again, utterance.speech_end_at, utterance.detected_at)
        self._unheard = utterance.audio
        self._start_reply(self._voice_turn(utterance, early))

    def _transcribe_early(self, pause: Pause) -> None:
        if self._early is not None:
            self._early[1].cancel()
        work = asyncio.to_thread(stt.transcribe, self._engines.whisper, pause.audio, self._settings)
        task = asyncio.ensure_future(work)
        self._early = (pause.speech_end_at, task)
        task.add_done_callback(lambda done: self._on_early_transcript(pause, done))

    def _on_early_transcript(self, pause: Pause, task: asyncio.Future[str]) -> None:
        """A complete request heard at a pause ends the turn sooner (semantic end of turn)."""
        current = self._early is not None and self._early[1] is task
        if not current or task.cancelled() or task.exception() is not None or self._unheard:
            return
        if self._detector is None or not turn_end.is_complete_request(task.result()):
            return
        complete_ms = self._settings.end_of_turn_complete_ms
        utterance = self._detector.end_sooner(pause.speech_end_at, complete_ms)
        if utterance is not None:
            self._end_turn(utterance)

    def _early_transcript(self, utterance: Utterance) -> asyncio.Task[str] | None:
        """The early transcription of exactly this utterance, if one is running or done."""
        early, self._early = self._early, None
        if early is None or early[0] != utterance.speech_end_at or self._unheard:
            if early is not None:
                early[1].cancel()
            return None
        return early[1]

    def _read(self, message: BidiMessage) -> None:
        for block in message.content:
            if isinstance(block, ToolResultBlock):
                waiter = self._tool_waiters.get(block.tool_use_id)
                if waiter is not None and not waiter.done():
                    waiter.set_result(ToolOutcome(block.tool_use_id, block.status, block.content))
        text = " ".join(b.text for b in message.content if isinstance(b, TextBlock)).strip()
        if text:
            if self._assistant_active():
                self._barge_in()
            self._start_reply(self._text_turn(text[: self._settings.max_text_chars]))

    def _assistant_active(self) -> bool:
        generating = self._reply is not None and not self._reply.done()
        return generating or time.monotonic() < self._playback_ends_at

    def _barge_in(self) -> None:
        """Stop answering at once and tell the output to drop what it still has queued."""
        if self._reply is not None and not self._reply.done():
            self._reply.cancel()
        self._outbox.drop_audio()
        self._playback_ends_at = 0.0
        self._outbox.put(BidiBargeInEvent())

    def _start_reply(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        previous = self._reply
        if previous is not None and not previous.done():
            previous.cancel()
        self._reply = asyncio.create_task(self._after(previous, work))
        return self._reply

    async def _after(
        self, previous: asyncio.Task[None] | None, work: Coroutine[Any, Any, None]
    ) -> None:
        """Run `work` once the previous reply has wound down (its closing events come first)."""
        try:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])
            await work
        except asyncio.CancelledError:
            work.close()
            raise
        except Exception:
            logger.exception("the local model failed to answer")

    # --- turns ---------------------------------------------------------------------------

    async def _voice_turn(self, utterance: Utterance, early: asyncio.Task[str] | None) -> None:
        started = time.monotonic()
        try:
            if early is not None:
                text = await early
            else:
                text = await asyncio.to_thread(
                    stt.transcribe, self._engines.whisper, utterance.audio, self._settings
                )
        finally:
            if early is not None:
                early.cancel()
        # The part of transcription not hidden behind the end-of-turn wait.
        stt_ms = (time.monotonic() - started) * 1000
        self._unheard = b""
        if not text:
            return
        self._emit_transcript("user", text)
        self._turns += 1
        vad_ms = (utterance.detected_at - utterance.speech_end_at) * 1000
        turn = _Turn(self._turns, utterance.speech_end_at, vad_ms=vad_ms, stt_ms=stt_ms)
        await self._respond(text, turn)

    async def _text_turn(self, text: str) -> None:
        self._turns += 1
        await self._respond(text, _Turn(self._turns, time.monotonic()))

    async def _respond(self, text: str, turn: _Turn) -> None:
        assert self._brain is not None
        answer = _Answer()
        self._outbox.put(BidiResponseStartEvent(answer.response_id))
        splitter = tts.SentenceSplitter()
        thinking_since = time.monotonic()
        try:
            async for piece in self._brain.reply(text, self._call_tools):
                for sentence in splitter.feed(piece):
                    turn.brain_ms = turn.brain_ms or (time.monotonic() - thinking_since) * 1000
                    await self._say_sentence(sentence, answer, turn)
            if (rest := splitter.flush()) is not None:
                turn.brain_ms = turn.brain_ms or (time.monotonic() - thinking_since) * 1000
                await self._say_sentence(rest, answer, turn)
        finally:
            self._close_answer(answer)

    async def _speak_announcement(self, text: str) -> None:
        answer = _Answer()
        self._outbox.put(BidiResponseStartEvent(answer.response_id))
        splitter = tts.SentenceSplitter()
        try:
            for sentence in [*splitter.feed(text), splitter.flush()]:
                if sentence:
                    await self._say_sentence(sentence, answer, None)
        finally:
            self._close_answer(answer)

    async def _say_sentence(self, sentence: str, answer: _Answer, turn: _Turn | None) -> None:
        """Transcript, then audio in chunks, for one sentence. The answer's first sentence is
        spoken lead phrase first (`tts.split_lead_clause`), so its audio starts sooner."""
        first = answer.transcript_id is None
        if answer.transcript_id is None:
            answer.transcript_id = uuid.uuid4().hex
            self._outbox.put(BidiTranscriptStartEvent("assistant", answer.transcript_id))
            delta = sentence
        else:
            delta = f" {sentence}"
        self._outbox.put(BidiTranscriptDeltaEvent(delta, "assistant", answer.transcript_id))
        phrases = tts.split_lead_clause(sentence) if first else [sentence]
        for index, phrase in enumerate(phrases):
            started = time.monotonic()
            voice, settings = self._engines.voice, self._settings
            pcm = await asyncio.to_thread(tts.synthesize, voice, phrase, settings)
            if index < len(phrases) - 1:  # piper ends a phrase as a sentence: keep a comma's pause
                pcm = tts.trim_trailing_silence(pcm, self._engines.sample_rate, _LEAD_PAUSE_MS)
            self._play(pcm, answer, turn, started)

    def _play(self, pcm: bytes, answer: _Answer, turn: _Turn | None, started: float) -> None:
        """Queue the audio in chunks; the turn's first chunk reports its latency when sent."""
        if answer.audio_id is None:
            answer.audio_id = uuid.uuid4().hex
            self._outbox.put(BidiAudioStartEvent(answer.audio_id))
        rate = self._engines.sample_rate
        for chunk in audio.chunks(pcm, rate, self._settings.tts_chunk_ms):
            event = BidiAudioDeltaEvent(
                base64.b64encode(chunk).decode("ascii"), "pcm", rate, 1, answer.audio_id
            )
            if turn is not None and turn.tts_first_chunk_ms is None:
                turn.tts_first_chunk_ms = (time.monotonic() - started) * 1000
                self._outbox.put(event, self._on_played(chunk, turn))
            else:
                self._outbox.put(event, self._on_played(chunk, None))

    def _close_answer(self, answer: _Answer) -> None:
        if answer.audio_id is not None:
            self._outbox.put(BidiAudioStopEvent(answer.audio_id))
        if answer.transcript_id is not None:
            self._outbox.put(BidiTranscriptStopEvent("assistant", answer.transcript_id))
        self._outbox.put(BidiResponseStopEvent(answer.response_id))

    def _on_played(self, chunk: bytes, turn: _Turn | None) -> OnSent:
        """When a chunk goes out: extend the playback estimate; report the turn's first one."""
        seconds = audio.duration_seconds(chunk, self._engines.sample_rate)

        def sent() -> None:
            now = time.monotonic()
            self._playback_ends_at = max(self._playback_ends_at, now) + seconds
            if turn is not None and not turn.reported:
                turn.reported = True
                self._report(turn)

        return sent

    def _report(self, turn: _Turn) -> None:
        if self._on_turn_metrics is None:
            return
        metrics = {
            "turn": turn.number,
            "speech_end_at": turn.speech_end_at,
            "stages": {
                "vad_ms": round(turn.vad_ms, 1),
                "stt_ms": round(turn.stt_ms, 1),
                "brain_ms": round(turn.brain_ms or 0.0, 1),
                "tts_first_chunk_ms": round(turn.tts_first_chunk_ms or 0.0, 1),
            },
        }
        try:
            self._on_turn_metrics(metrics)
        except Exception:
            logger.exception("on_turn_metrics failed")

    def _emit_transcript(self, role: Role, text: str) -> None:
        content_id = uuid.uuid4().hex
        self._outbox.put(BidiTranscriptStartEvent(role, content_id))
        self._outbox.put(BidiTranscriptDeltaEvent(text, role, content_id))
        self._outbox.put(BidiTranscriptStopEvent(role, content_id))

    # --- tools ---------------------------------------------------------------------------

    async def _call_tools(self, calls: Sequence[ToolCall]) -> list[ToolOutcome]:
        """Ask the agent to run these tools; their results come back through `send`."""
        uses = [
            ToolUse(
                toolUseId=call.tool_use_id or f"tooluse_{uuid.uuid4().hex[:20]}",
                name=call.name,
                input=call.input,
            )
            for call in calls
        ]
        loop = asyncio.get_running_loop()
        waiters = {use["toolUseId"]: loop.create_future() for use in uses}
        self._tool_waiters.update(waiters)
        self._outbox.put(BidiToolUseBlocksEvent(uses))
        try:
            await asyncio.wait(waiters.values(), timeout=self._settings.tool_timeout_seconds)
        finally:
            for tool_use_id in waiters:
                self._tool_waiters.pop(tool_use_id, None)
        return [
            waiter.result()
            if waiter.done() and not waiter.cancelled()
            else ToolOutcome(tool_use_id, "error", [{"text": TOOL_TIMED_OUT}])
            for tool_use_id, waiter in waiters.items()
        ]
