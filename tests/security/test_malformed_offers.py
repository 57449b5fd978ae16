"""Offers that are valid SDP line by line but make no sense as WebRTC: a clear 400, never 5xx.

Each case is a real browser-like offer with one thing taken out or doubled; hypothesis found
them (test_signal_fuzz.py), these pin them down.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from sdp_strategies import REAL_OFFER

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow


def without(pattern: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [line for line in lines if not re.match(pattern, line)]


def doubled_empty_mid(lines: list[str]) -> list[str]:
    first_mid = next(i for i, line in enumerate(lines) if line.startswith("a=mid:"))
    return [*lines[: first_mid + 1], "a=mid:", *lines[first_mid + 1 :]]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(without(r"a=ice-(ufrag|pwd):"), id="no-ice-credentials"),
        pytest.param(without(r"a=(sendrecv|sendonly|recvonly|inactive)$"), id="no-direction"),
        pytest.param(without(r"a=(fingerprint|setup):"), id="no-dtls-parameters"),
        pytest.param(doubled_empty_mid, id="empty-second-mid"),
        pytest.param(without(r"a=rtpmap:"), id="no-codecs"),
    ],
)
def test_nonsense_offer_is_refused_with_400(
    fuzz_stack: tuple[Stack, StackLog], change: Callable[[list[str]], list[str]]
) -> None:
    stack, _ = fuzz_stack
    sdp = "\r\n".join(change(list(REAL_OFFER))) + "\r\n"
    with httpx.Client(base_url=stack.url, timeout=30) as http:
        session_id = http.post("/api/sessions").json()["session_id"]
        answer = http.post(f"/api/sessions/{session_id}/offer", json={"sdp": sdp, "type": "offer"})
        http.delete(f"/api/sessions/{session_id}")
    assert answer.status_code == 400, answer.text
    assert "offer" in answer.json()["detail"].lower()
