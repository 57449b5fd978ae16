"""Settings come from the environment, lists as comma-separated values, with checked companions."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from pydantic import ValidationError

from sous_signaling.config import Settings


def test_lists_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://sous.example, http://localhost:5173")
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.10")
    settings = Settings()
    assert settings.CORS_ORIGINS == ["https://sous.example", "http://localhost:5173"]
    assert settings.TRUSTED_PROXIES == [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.0.2.10/32"),
    ]


def test_lists_may_also_be_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", '["https://sous.example"]')
    assert Settings().CORS_ORIGINS == ["https://sous.example"]


def test_a_bad_proxy_address_is_refused_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "not-an-ip")
    with pytest.raises(ValidationError, match="TRUSTED_PROXIES"):
        Settings()


def test_the_frontend_dir_resolves_from_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings().FRONTEND_DIR == tmp_path / "frontend" / "dist"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ROUTER": "agentcore"}, "needs AGENTCORE_RUNTIME_ARN"),
        ({"AUTH_MODE": "token"}, "needs AUTH_TOKEN"),
        ({"AUTH_MODE": "jwt"}, "needs JWT_JWKS_URL"),
        ({"ROUTER": "kubernetes"}, "ROUTER"),
        ({"MAX_SDP_BYTES": 100_000, "MAX_BODY_BYTES": 50_000}, "MAX_BODY_BYTES"),
    ],
)
def test_incomplete_settings_fail_with_a_message(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**values)  # type: ignore[arg-type]
