"""The brain interface: tool results as the agent returns them, and the brain settings pick."""

from __future__ import annotations

from sous_media_agent.models.local.brain import ToolOutcome, make_brain
from sous_media_agent.models.local.rules_brain import RulesBrain
from sous_media_agent.models.local.settings import LocalModelSettings


def test_tool_outcome_reads_json_given_as_text_too() -> None:
    as_text = ToolOutcome("t1", "success", [{"text": '{"quantity": 250.0, "unit": "g"}'}])
    as_json = ToolOutcome("t2", "success", [{"json": {"quantity": 250.0, "unit": "g"}}])

    assert as_text.data == as_json.data == {"quantity": 250.0, "unit": "g"}
    assert ToolOutcome("t3", "error", [{"text": "down"}]).message == "down"
    assert ToolOutcome("t4", "success", [{"text": "not json"}]).data is None


def test_the_default_brain_is_the_offline_rules_brain() -> None:
    assert isinstance(make_brain(LocalModelSettings(), None, []), RulesBrain)
