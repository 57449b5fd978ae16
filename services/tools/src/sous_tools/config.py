"""Settings of the tools service, read from environment variables (no prefix)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"


class Settings(BaseSettings):
    """Every limit the service enforces, with defaults that run locally."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout_seconds: float = Field(default=2.0, gt=0)
    data_dir: Path = PACKAGE_DATA_DIR

    max_body_bytes: int = Field(default=16 * 1024, ge=256)
    max_quantity: float = Field(default=1_000_000, gt=0)

    timer_min_seconds: int = Field(default=1, ge=1)
    timer_max_seconds: int = Field(default=24 * 3600, ge=1)
    timer_label_max_chars: int = Field(default=80, ge=1)
    max_timers_per_session: int = Field(default=20, ge=1)
    # A finished or cancelled timer stays readable this long (docs/architecture.md: 1 h).
    timer_keep_seconds: int = Field(default=3600, ge=1)
    # A paused timer is forgotten after this long, so no key lives forever.
    timer_max_paused_seconds: int = Field(default=24 * 3600, ge=1)
    timer_poll_interval_seconds: float = Field(default=0.2, gt=0, le=1.0)
    timer_claim_batch: int = Field(default=100, ge=1)
    timer_stream_maxlen: int = Field(default=10_000, ge=100)
    redis_retry_max_seconds: float = Field(default=5.0, gt=0)

    search_backend: Literal["bm25", "bedrock-kb"] = "bm25"
    search_max_limit: int = Field(default=20, ge=1)
    quick_max_minutes: int = Field(default=30, ge=1)
    bedrock_kb_id: str = ""
    bedrock_kb_region: str = "us-east-1"
    bedrock_kb_max_results: int = Field(default=50, ge=1, le=100)

    @model_validator(mode="after")
    def _check_consistency(self) -> Settings:
        if self.timer_min_seconds > self.timer_max_seconds:
            raise ValueError("TIMER_MIN_SECONDS must not exceed TIMER_MAX_SECONDS")
        if self.search_backend == "bedrock-kb" and not self.bedrock_kb_id:
            raise ValueError("SEARCH_BACKEND=bedrock-kb needs BEDROCK_KB_ID (a knowledge base id)")
        return self
