"""Per-turn latency: end of the user's speech → first answer audio frame leaving the agent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from . import events

logger = logging.getLogger(__name__)


class TurnMetrics:
    """Pairs the model's `on_turn_metrics` report with the moment its first audio frame is sent.

    Either may come first; a barge-in discards a turn whose answer never played.
    """

    def __init__(self, session_id: str, send: Callable[[events.Event], None]) -> None:
        self._session_id = session_id
        self._send = send
        self._report: dict[str, Any] | None = None
        self._first_frame_at: float | None = None
        self.last_latency_ms: float | None = None

    def on_report(self, report: dict[str, Any]) -> None:
        self._report = report
        self._maybe_emit()

    def on_first_frame(self, sent_at: float) -> None:
        self._first_frame_at = sent_at
        self._maybe_emit()

    def on_response_start(self) -> None:
        self._first_frame_at = None

    def on_barge_in(self) -> None:
        self._report = None
        self._first_frame_at = None

    def _maybe_emit(self) -> None:
        report, sent_at = self._report, self._first_frame_at
        if report is None or sent_at is None:
            return
        self._report = None
        self._first_frame_at = None
        try:
            latency_ms = (sent_at - float(report["speech_end_at"])) * 1000
            turn = int(report["turn"])
            stages = {str(k): round(float(v), 1) for k, v in report.get("stages", {}).items()}
        except (KeyError, TypeError, ValueError):
            logger.warning("ignoring malformed turn metrics %r", report)
            return
        self.last_latency_ms = latency_ms
        logger.info(
            "session %s turn %d: latency %.0f ms %s", self._session_id[:8], turn, latency_ms, stages
        )
        self._send(events.metrics(turn, latency_ms, stages))
