"""One conversation: the browser's peer connection and a Strands BidiAgent talking to a model."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from aiortc import RTCDataChannel, RTCIceCandidate, RTCPeerConnection
from aiortc.mediastreams import MediaStreamTrack
from strands.bidi.agent.agent import BidiAgent

from . import events, tools
from .agent_events import EventsOutput
from .audio_in import AudioInput
from .audio_out import AudioOutput, AudioOutputTrack
from .config import IceServer, Settings
from .models import ModelFactory
from .models.nova_sonic import announcement_prompt
from .peers import answer_offer, new_peer_connection
from .text_in import TextInput
from .timer_events import TimerEvent
from .tools import ToolsClient, ToolsServiceError, find_timer
from .turn_metrics import TurnMetrics

logger = logging.getLogger(__name__)


class Session:
    """Owns the peer, the audio adapters, the data channel and the agent run of one session."""

    def __init__(
        self,
        session_id: str,
        *,
        settings: Settings,
        model_factory: ModelFactory,
        tools_client: ToolsClient,
        ice_servers: list[IceServer],
        on_closed: Callable[[Session], None],
    ) -> None:
        self.session_id = session_id
        self._settings = settings
        self._tools_client = tools_client
        self._on_closed = on_closed
        self._loop = asyncio.get_running_loop()
        self.channel = events.EventChannel(max_bytes=settings.max_event_bytes)
        self.metrics = TurnMetrics(session_id, self.channel.send)
        self.model = model_factory(self._turn_metrics_from_model)
        self.output_track = AudioOutputTrack(
            buffer_seconds=settings.output_buffer_seconds, on_playback=self._on_playback
        )
        self.audio_in = AudioInput(settings.input_queue_chunks)
        self.text_in = TextInput()
        self._agent = BidiAgent(
            model=self.model,
            tools=list(tools.ALL_TOOLS),
            system_prompt=settings.system_prompt,
        )
        self.peer: RTCPeerConnection = new_peer_connection(
            ice_servers, relay_only=settings.relay_only
        )
        self._run_task: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self.closed = asyncio.Event()
        self._closing = False
        self._has_remote_candidate = False

    # --- lifecycle -------------------------------------------------------------------------

    async def answer(self, offer_sdp: str) -> str:
        """Apply the browser's offer, start the agent, return the answer SDP."""
        self.peer.on("track", self._on_track)
        self.peer.on("datachannel", self._on_datachannel)
        self.peer.on("connectionstatechange", self._on_connection_state)
        answer = await answer_offer(
            self.peer, offer_sdp, relay_only=self._settings.relay_only, send_track=self.output_track
        )
        self._has_remote_candidate = "a=candidate:" in offer_sdp
        self._run_task = asyncio.create_task(self._run_agent(), name=f"agent-{self.session_id[:8]}")
        self.channel.send(events.state("listening"))  # delivered when the channel opens
        self._watchdog = asyncio.create_task(self._close_if_never_connected())
        return answer

    async def add_ice_candidate(self, candidate: RTCIceCandidate | None) -> None:
        """Add a trickled candidate; None is end-of-candidates."""
        if candidate is None and not self._has_remote_candidate:
            # aioice fails ICE at once on end-of-candidates with no candidate to pair, and drops
            # candidates after it: one that overtook the client's candidates would end a good
            # session. Ignored, ICE keeps waiting; the connect watchdog ends a hopeless one.
            logger.info(
                "session %s: end-of-candidates before any candidate, ignored", self.session_id[:8]
            )
            return
        await self.peer.addIceCandidate(candidate)
        if candidate is not None:
            self._has_remote_candidate = True

    async def close(self, reason: str = "closed") -> None:
        """Stop the agent and the peer; safe to call more than once."""
        if self._closing:
            await self.closed.wait()
            return
        self._closing = True
        logger.info("closing session %s: %s", self.session_id[:8], reason)
        current = asyncio.current_task()
        tasks = [
            task
            for task in (self._run_task, self._watchdog, *self._background)
            if task is not None and task is not current
        ]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.output_track.stop()
        await self.audio_in.stop()
        with contextlib.suppress(Exception):
            await self.peer.close()
        self.closed.set()
        self._on_closed(self)

    def ask_to_reconnect(self, reason: str) -> None:
        """Tell the browser to start a new session (this agent is going away)."""
        self.channel.send(events.session_reconnect(reason))

    async def _run_agent(self) -> None:
        invocation_state = {
            tools.SESSION_ID: self.session_id,
            tools.TOOLS_CLIENT: self._tools_client,
        }
        try:
            await self._agent.run(
                inputs=[self.audio_in, self.text_in],
                outputs=[
                    AudioOutput(self.output_track, self.metrics.on_first_frame),
                    EventsOutput(self.channel.send, self.metrics),
                ],
                invocation_state=invocation_state,
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("session %s: the voice model failed", self.session_id[:8])
            self.channel.send(events.error("The voice model stopped working; start a new session."))
        self._spawn(self.close("agent stopped"))

    async def _close_if_never_connected(self) -> None:
        await asyncio.sleep(self._settings.connect_timeout_seconds)
        if self.peer.connectionState != "connected":
            await self.close(f"not connected after {self._settings.connect_timeout_seconds:.0f} s")

    # --- peer callbacks ---------------------------------------------------------------------

    def _on_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            self.audio_in.attach(track)

    def _on_datachannel(self, channel: RTCDataChannel) -> None:
        if channel.label != events.LABEL:
            return
        self.channel.attach(channel)
        channel.on("message", self._on_client_message)

    def _on_connection_state(self) -> None:
        state = self.peer.connectionState
        logger.info("session %s: peer %s", self.session_id[:8], state)
        if state in ("failed", "closed"):
            self._spawn(self.close(f"peer {state}"))

    def _on_playback(self, playing: bool) -> None:
        self.channel.send(events.state("speaking" if playing else "listening"))

    def _turn_metrics_from_model(self, report: dict[str, Any]) -> None:
        # The model may report from a worker thread; handle it on the event loop.
        self._loop.call_soon_threadsafe(self.metrics.on_report, report)

    # --- browser messages and timer events --------------------------------------------------

    def _on_client_message(self, raw: str | bytes) -> None:
        try:
            message = events.parse_client_message(
                raw,
                max_bytes=self._settings.max_event_bytes,
                max_text_chars=self._settings.max_text_chars,
            )
        except events.BadClientMessage as exc:
            self.channel.send(events.error(str(exc)))
            return
        if isinstance(message, events.TextMessage):
            if self.text_in.offer(message.text):
                self.channel.send(events.state("thinking"))
            else:
                self.channel.send(
                    events.error("Too many questions are waiting; wait for an answer.")
                )
        else:
            self._spawn(self._cancel_timer(message.timer_id))

    async def _cancel_timer(self, timer_id: str) -> None:
        try:
            timer = await find_timer(
                self._tools_client, self.session_id, timer_id=timer_id, label=None
            )
            await self._tools_client.request("DELETE", f"/timers/{quote(timer['id'], safe='')}")
        except ToolsServiceError as exc:
            self.channel.send(events.error(str(exc)))

    async def on_timer_event(self, event: TimerEvent) -> None:
        """Forward a timer change to the browser; say fired timers out loud."""
        self.channel.send(events.timer(event.action, event.timer_fields()))
        if event.action == "fired":
            await self.announce(f"Your {event.label} timer is done.")

    async def announce(self, text: str) -> None:
        """Speak `text` without being asked (models with `announce`, else as a text turn)."""
        announce = getattr(self.model, "announce", None)
        if announce is not None:
            await announce(text)
        elif not self.text_in.offer(announcement_prompt(text)):
            logger.warning("session %s: announcement dropped, input full", self.session_id[:8])

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
