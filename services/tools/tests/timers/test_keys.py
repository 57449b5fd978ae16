from __future__ import annotations

from pathlib import Path

from sous_tools.timers import keys

ARCHITECTURE = Path(__file__).resolve().parents[4] / "docs" / "architecture.md"


def test_keys_are_the_documented_ones() -> None:
    documented = ARCHITECTURE.read_text()
    assert f"`{keys.DUE}`" in documented
    assert f"`{keys.timer('{timer_id}')}`" in documented
    assert f"`{keys.EVENTS_STREAM}`" in documented


def test_keys_are_prefixed_and_distinct() -> None:
    built = {keys.DUE, keys.EVENTS_STREAM, keys.timer("t1"), keys.session_timers("s1")}
    assert len(built) == 4
    assert all(key.startswith("sous:") for key in built)
