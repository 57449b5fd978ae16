"""Failures a client can act on, each with the HTTP status and message it is answered with."""

from __future__ import annotations

START_NEW_SESSION = "Start a new session (POST /api/sessions)."


class SignalingError(Exception):
    """An error answered as `{"detail": message}` with `status_code`."""

    status_code = 400

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(SignalingError):
    status_code = 400


class Unauthorized(SignalingError):
    status_code = 401

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class SessionNotFound(SignalingError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__(f"Unknown or expired session. {START_NEW_SESSION}")


class Conflict(SignalingError):
    status_code = 409


class SessionGone(SignalingError):
    """The session's media agent is dead or no longer holds the session."""

    status_code = 410


class AgentStopped(SessionGone):
    """The session's agent stopped heartbeating: no agent will ever answer for it again."""

    def __init__(self) -> None:
        super().__init__(
            "The media agent of this session has stopped (its heartbeat expired). "
            + START_NEW_SESSION
        )


class PayloadTooLarge(SignalingError):
    status_code = 413


class TooManyRequests(SignalingError):
    status_code = 429

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_seconds)})


class AgentFailed(SignalingError):
    """The agent (or AgentCore) answered with something other than the contract's responses."""

    status_code = 502


class ServiceUnavailable(SignalingError):
    """No agent can take the session, the agent is busy or unreachable, or a backend is down."""

    status_code = 503
