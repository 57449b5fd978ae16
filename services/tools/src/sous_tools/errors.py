"""Errors the domain raises, and how the API turns them (and validation errors) into JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError


class ToolsError(Exception):
    """A problem a person can fix; ``detail`` says what was wrong and what to do."""

    status_code = 422

    def __init__(self, detail: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = list(suggestions)


class InvalidInput(ToolsError):
    status_code = 422


class NotFound(ToolsError):
    status_code = 404


class Conflict(ToolsError):
    status_code = 409


class UpstreamUnavailable(ToolsError):
    """A dependency (Redis, a cloud search backend) did not answer."""

    status_code = 503


def did_you_mean(suggestions: Sequence[str]) -> str:
    """' Did you mean "a", "b" or "c"?' for a message, or '' when there is nothing to offer."""
    if not suggestions:
        return ""
    quoted = [f'"{s}"' for s in suggestions]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" Did you mean {joined}?"


def _shorten(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(error: dict[str, Any]) -> str:
    """One validation error as a sentence naming the field, the bad value and the fix."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    kind = error.get("type", "")
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "syntax error")
        return f"The request body is not valid JSON ({reason}); send a JSON object."
    field = ".".join(loc) or "the request body"
    if kind == "missing":
        return f"'{field}' is missing; add it."
    if not loc and kind in ("model_attributes_type", "dict_type"):
        return f"The request body must be a JSON object, not {_shorten(error.get('input'))}."
    message = str(error.get("msg", "is invalid")).rstrip(".")
    sent = _shorten(error.get("input"))
    return f"'{field}': {message[0].lower()}{message[1:]} (you sent {sent})."


def validation_message(errors: Sequence[Any]) -> str:
    return " ".join(_describe(dict(error)) for error in errors)


async def _tools_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ToolsError)
    body: dict[str, Any] = {"detail": exc.detail}
    if exc.suggestions:
        body["suggestions"] = exc.suggestions
    return JSONResponse(body, status_code=exc.status_code)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": validation_message(exc.errors())}, status_code=422)


async def _redis_error(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": f"Timers are unavailable because Redis did not answer ({exc}); try again."},
        status_code=503,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ToolsError, _tools_error)
    app.add_exception_handler(RedisError, _redis_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
