"""Settings of the benchmark run (environment variables prefixed `BENCH_`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class BenchSettings(BaseSettings):
    """Where things are and how long anything may take; the plans live in each benchmark."""

    model_config = SettingsConfigDict(env_prefix="BENCH_", extra="ignore")

    docs_dir: Path = ROOT / "docs"
    chromium_path: Path = Path("/usr/bin/chromium")
    pipecat_venv: Path = ROOT / ".bench" / "pipecat-venv"
    pipecat_requirement: str = "pipecat-ai[webrtc,runner]==1.14.0"

    # Services under test: every client is 127.0.0.1, so per-client limits must not bite.
    agent_capacity: int = Field(1000, ge=1)
    signaling_sessions_per_client: int = Field(1_000_000, ge=1)
    signaling_rate_limit: int = Field(1_000_000_000, ge=1)

    stack_start_timeout_seconds: float = Field(240.0, gt=0)
    connect_timeout_seconds: float = Field(20.0, gt=0)
