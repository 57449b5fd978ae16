"""Settings of the media agent, read from environment variables (no prefix)."""

from __future__ import annotations

import secrets
import socket
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SYSTEM_PROMPT = (
    "You are Sous, a friendly sous-chef who talks with a cook in a busy kitchen. "
    "Answer in one or two short spoken sentences. Use the tools for recipes, unit conversions, "
    "nutrition facts and kitchen timers instead of guessing, and say so plainly when a tool fails."
)


class IceServer(BaseModel):
    """One RTCIceServer dictionary, as browsers and aiortc take it."""

    urls: list[str] = Field(min_length=1)
    username: str | None = None
    credential: str | None = None

    @field_validator("urls", mode="before")
    @classmethod
    def _one_url_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


def _default_agent_id() -> str:
    return f"{socket.gethostname()}-{secrets.token_hex(3)}"


class Settings(BaseSettings):
    """Every knob of the media agent; defaults run on one machine without AWS."""

    model_config = SettingsConfigDict(extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    redis_url: str = "redis://127.0.0.1:6379/0"
    tools_url: str = "http://127.0.0.1:8001"
    model: Literal["local", "nova-sonic", "echo"] = "local"

    agent_id: str = Field(default_factory=_default_agent_id, min_length=1, max_length=200)
    # How signaling reaches this agent; None derives it from HOST/PORT (see `advertised_url`).
    public_url: str | None = None
    capacity: int = Field(default=4, ge=1)
    heartbeat_interval_seconds: float = Field(default=2.0, gt=0)
    heartbeat_ttl_seconds: int = Field(default=6, ge=1)
    drain_timeout_seconds: float = Field(default=20.0, ge=0)
    # A peer that has not connected this long after its answer is given up (frees capacity).
    connect_timeout_seconds: float = Field(default=30.0, gt=0)

    ice_servers: list[IceServer] = Field(default_factory=list)
    ice_relay_only: bool = False
    # Host candidates only on these addresses (JSON list, e.g. ["127.0.0.1"]); [] = all interfaces.
    ice_host_addresses: list[str] = Field(default_factory=list)
    container_env: str | None = None
    kvs_channel_name: str | None = None
    kvs_channel_arn: str | None = None
    aws_region: str = "us-east-1"

    nova_sonic_model_id: str = "amazon.nova-2-sonic-v1:0"
    nova_sonic_voice: str = "matthew"
    # Nova Sonic closes a connection after 8 minutes; strands restarts it earlier, keeping history.
    nova_sonic_restart_after_seconds: int = Field(default=420, ge=60, le=470)
    system_prompt: str = DEFAULT_SYSTEM_PROMPT

    tool_timeout_seconds: float = Field(default=5.0, gt=0)
    tool_connect_timeout_seconds: float = Field(default=1.0, gt=0)
    max_invocation_bytes: int = Field(default=64 * 1024, ge=1024)
    max_event_bytes: int = Field(default=16 * 1024, ge=1024)
    max_text_chars: int = Field(default=2000, ge=1)
    # 20 ms chunks of 16 kHz microphone audio waiting for the model: 50 = 1 s.
    input_queue_chunks: int = Field(default=50, ge=1)
    # Most answer audio waiting to be played (TTS runs faster than real time); grown to on demand.
    output_buffer_seconds: float = Field(default=120.0, gt=0)
    log_level: str = "INFO"

    @property
    def cloud_ice(self) -> bool:
        """ICE servers come from Kinesis Video Streams (in a container or when a channel is set)."""
        return bool(self.container_env or self.kvs_channel_name or self.kvs_channel_arn)

    @property
    def relay_only(self) -> bool:
        """Offer only TURN-relayed candidates (always in cloud mode: peers can't reach us)."""
        return self.ice_relay_only or self.cloud_ice

    @property
    def advertised_url(self) -> str:
        """PUBLIC_URL, else this host's address when bound to all interfaces, else HOST."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostbyname(socket.gethostname())
        return f"http://{host}:{self.port}"
