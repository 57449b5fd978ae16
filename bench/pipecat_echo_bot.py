# mypy: ignore-errors
# (It runs only in the Pipecat venv: the workspace has no Pipecat to type-check against.)
"""A Pipecat echo bot on its SmallWebRTC transport, for the side-by-side benchmark.

Runs only inside the Pipecat benchmark venv (`.bench/pipecat-venv`, made by
bench/pipecat_side.py); it is not a Sous dependency. The server is Pipecat's own example
shape (FastAPI `POST /api/offer` → `SmallWebRTCRequestHandler`), one pipeline per connection:
transport input → echo → transport output, with Pipecat's default transport parameters except
that both sides run at 16 kHz, the rate Sous's echo model uses.

    .bench/pipecat-venv/bin/python bench/pipecat_echo_bot.py --port 7860
"""

import argparse
import asyncio
import sys

import aioice.ice
import uvicorn
from fastapi import FastAPI
from loguru import logger
from pipecat.frames.frames import Frame, InputAudioRawFrame, OutputAudioRawFrame
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.runner import PipelineRunner
from pipecat.pipeline.task import PipelineParams, PipelineTask
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.transports.base_transport import TransportParams
from pipecat.transports.smallwebrtc.connection import SmallWebRTCConnection
from pipecat.transports.smallwebrtc.request_handler import (
    SmallWebRTCRequest,
    SmallWebRTCRequestHandler,
)
from pipecat.transports.smallwebrtc.transport import SmallWebRTCTransport

SAMPLE_RATE = 16000


class Echo(FrameProcessor):
    """Sends every microphone frame straight back as speaker audio."""

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InputAudioRawFrame):
            await self.push_frame(
                OutputAudioRawFrame(
                    audio=frame.audio,
                    sample_rate=frame.sample_rate,
                    num_channels=frame.num_channels,
                )
            )
        else:
            await self.push_frame(frame, direction)


async def run_bot(connection: SmallWebRTCConnection) -> None:
    transport = SmallWebRTCTransport(
        webrtc_connection=connection,
        params=TransportParams(audio_in_enabled=True, audio_out_enabled=True),
    )
    task = PipelineTask(
        Pipeline([transport.input(), Echo(), transport.output()]),
        params=PipelineParams(audio_in_sample_rate=SAMPLE_RATE, audio_out_sample_rate=SAMPLE_RATE),
    )

    @transport.event_handler("on_client_disconnected")
    async def on_client_disconnected(transport, client):
        await task.cancel()

    await PipelineRunner(handle_sigint=False).run(task)


def create_app() -> FastAPI:
    app = FastAPI()
    handler = SmallWebRTCRequestHandler()
    bots: set[asyncio.Task[None]] = set()

    async def start_bot(connection: SmallWebRTCConnection) -> None:
        bot = asyncio.create_task(run_bot(connection))
        bots.add(bot)
        bot.add_done_callback(bots.discard)

    @app.post("/api/offer")
    async def offer(request: dict) -> dict:
        answer = await handler.handle_web_request(SmallWebRTCRequest.from_dict(request), start_bot)
        return answer or {}

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args()
    # Host candidates on loopback only, like the Sous agent under the bench (ICE_HOST_ADDRESSES).
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    # Pipecat logs at DEBUG by default; INFO matches the Sous agent's LOG_LEVEL.
    logger.remove()
    logger.add(sys.stderr, level="INFO")
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
