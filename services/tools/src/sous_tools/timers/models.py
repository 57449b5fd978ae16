"""A timer as the API shows it, read from its Redis hash."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class TimerStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FIRED = "fired"
    CANCELLED = "cancelled"


def iso_utc(epoch_seconds: float) -> str:
    """ISO 8601 UTC with milliseconds and a Z, the form docs/events.md uses."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Timer(BaseModel):
    id: str = Field(examples=["8f0c2f1e6b0a4a0f9f4c1f5e2d3c4b5a"])
    session_id: str = Field(examples=["s1"])
    label: str = Field(examples=["pasta"])
    duration_seconds: int = Field(examples=[480])
    status: TimerStatus
    ends_at: datetime | None = Field(
        description="When the timer ends (or ended); null while it is paused."
    )
    remaining_seconds: float = Field(description="Seconds left; 0 once fired or cancelled.")
    created_at: datetime
    fired_at: datetime | None = None

    @classmethod
    def from_hash(cls, fields: dict[str, str], now: float) -> Timer:
        status = TimerStatus(fields["status"])
        ends_epoch = float(fields["ends_at_epoch"])
        if status is TimerStatus.RUNNING:
            remaining = max(0.0, ends_epoch - now)
        elif status is TimerStatus.PAUSED:
            remaining = float(fields["remaining_seconds"])
        else:
            remaining = 0.0
        return cls(
            id=fields["id"],
            session_id=fields["session_id"],
            label=fields["label"],
            duration_seconds=int(fields["duration_seconds"]),
            status=status,
            ends_at=None if status is TimerStatus.PAUSED else fields["ends_at"],
            remaining_seconds=round(remaining, 1),
            created_at=fields["created_at"],
            fired_at=fields.get("fired_at") or None,
        )
