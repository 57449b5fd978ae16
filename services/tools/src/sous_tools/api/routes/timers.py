"""Kitchen timers: set, list, read, cancel, pause and resume. State lives in Redis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from sous_tools.api.deps import ServicesDep
from sous_tools.timers.models import Timer

router = APIRouter(prefix="/timers", tags=["timers"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such timer (or it ended over an hour ago)"}
}
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The timer is not in a state that allows this"}
}


class NewTimer(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"session_id": "s1", "label": "pasta", "duration_seconds": 480}]
        }
    )

    session_id: str = Field(min_length=1, max_length=128, description="The voice session's id")
    label: str = Field(default="timer", max_length=1000, description='What it is for: "pasta"')
    duration_seconds: int = Field(strict=True, description="From 1 s to 24 h by default")


class TimerList(BaseModel):
    timers: list[Timer]


@router.post(
    "",
    status_code=201,
    responses={409: {"description": "The session already has the most timers allowed"}},
)
async def set_timer(body: NewTimer, services: ServicesDep) -> Timer:
    return await services.timers.create(body.session_id, body.label, body.duration_seconds)


@router.get("")
async def list_timers(
    services: ServicesDep,
    session_id: Annotated[str, Query(min_length=1, max_length=128, examples=["s1"])],
) -> TimerList:
    return TimerList(timers=await services.timers.list_for_session(session_id))


@router.get("/{timer_id}", responses=_NOT_FOUND)
async def get_timer(timer_id: str, services: ServicesDep) -> Timer:
    return await services.timers.get(timer_id)


@router.delete("/{timer_id}", responses={**_NOT_FOUND, **_CONFLICT})
async def cancel_timer(timer_id: str, services: ServicesDep) -> Timer:
    """Cancel a running or paused timer (cancelling twice is harmless)."""
    return await services.timers.cancel(timer_id)


@router.post("/{timer_id}/pause", responses={**_NOT_FOUND, **_CONFLICT})
async def pause_timer(timer_id: str, services: ServicesDep) -> Timer:
    return await services.timers.pause(timer_id)


@router.post("/{timer_id}/resume", responses={**_NOT_FOUND, **_CONFLICT})
async def resume_timer(timer_id: str, services: ServicesDep) -> Timer:
    return await services.timers.resume(timer_id)
