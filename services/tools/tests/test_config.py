from __future__ import annotations

import pytest
from pydantic import ValidationError

from sous_tools.config import Settings


def test_defaults_run_locally() -> None:
    settings = Settings()
    assert (settings.host, settings.port, settings.max_body_bytes) == ("127.0.0.1", 8001, 16384)
    assert (settings.timer_min_seconds, settings.timer_max_seconds) == (1, 86400)
    assert (settings.data_dir / "recipes.json").exists()


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("MAX_TIMERS_PER_SESSION", "3")
    settings = Settings()
    assert (settings.port, settings.max_timers_per_session) == (9001, 3)


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="BEDROCK_KB_ID"):
        Settings(search_backend="bedrock-kb")
    with pytest.raises(ValidationError, match="TIMER_MIN_SECONDS"):
        Settings(timer_min_seconds=10, timer_max_seconds=5)
