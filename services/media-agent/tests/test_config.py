"""Settings: defaults that run locally, the advertised URL, cloud mode."""

from __future__ import annotations

import socket

import pytest

from sous_media_agent.config import Settings


def test_defaults_run_on_one_machine() -> None:
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.model == "local"
    assert settings.advertised_url == "http://127.0.0.1:8080"
    assert not settings.cloud_ice and not settings.relay_only
    assert settings.agent_id.startswith(socket.gethostname())
    assert Settings().agent_id != settings.agent_id  # random suffix: replicas never collide


def test_public_url_wins() -> None:
    assert Settings(public_url="http://agent-3:8080/").advertised_url == "http://agent-3:8080"


def test_all_interfaces_advertise_this_hosts_address() -> None:
    settings = Settings(host="0.0.0.0", port=9000)
    address = socket.gethostbyname(socket.gethostname())
    assert settings.advertised_url == f"http://{address}:9000"


def test_container_env_means_cloud_ice_and_relay_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTAINER_ENV", "agentcore")
    settings = Settings()
    assert settings.cloud_ice and settings.relay_only


def test_heartbeat_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTBEAT_INTERVAL_SECONDS", "0")
    with pytest.raises(ValueError, match="heartbeat_interval_seconds"):
        Settings()
