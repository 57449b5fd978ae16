"""`build_model`: the model MODEL names, one fresh instance per session."""

from __future__ import annotations

import pytest
from strands.bidi.models.bedrock import BedrockNovaSonicModel

from sous_media_agent.config import Settings
from sous_media_agent.models import build_model, load_engines, model_factory
from sous_media_agent.models.echo import EchoModel


def test_echo_and_nova_sonic_need_no_engines() -> None:
    assert load_engines(Settings(model="echo")) is None
    assert isinstance(build_model(Settings(model="echo")), EchoModel)
    assert isinstance(build_model(Settings(model="nova-sonic")), BedrockNovaSonicModel)


def test_each_session_gets_its_own_model() -> None:
    make = model_factory(Settings(model="echo"))
    assert make(None) is not make(None)


def test_local_model_without_engines_says_what_to_do() -> None:
    with pytest.raises(ValueError, match="load_engines"):
        build_model(Settings(model="local"))


def test_unknown_model_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL", "gpt-voice")
    with pytest.raises(ValueError, match="'local', 'nova-sonic' or 'echo'"):
        Settings()
