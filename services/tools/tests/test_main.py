from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx


def test_the_console_script_serves_on_the_configured_port(
    start_server: Callable[..., Any],
) -> None:
    server = start_server(MAX_BODY_BYTES="1024")
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}
    response = httpx.post(f"{server.url}/convert", content=b" " * 2000)
    assert response.status_code == 413 and "1024 bytes" in response.json()["detail"]
