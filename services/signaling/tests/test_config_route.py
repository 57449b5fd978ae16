"""GET /api/config tells the page how to sign in, and the OIDC_* settings behind it."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from pydantic import ValidationError

from services.signaling.tests.conftest import AppClientFactory
from sous_signaling.config import Settings

DOMAIN = "sous-123456789012.auth.us-east-1.amazoncognito.com"
CLIENT_ID = "5f0example0client0id"
JWKS_URL = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example/.well-known/jwks.json"


def _cognito(**overrides: Any) -> dict[str, Any]:
    """Signaling as infra/ deploys it: Cognito ID tokens, sign-in at the hosted page."""
    values: dict[str, Any] = {
        "AUTH_MODE": "jwt",
        "JWT_JWKS_URL": JWKS_URL,
        "JWT_AUDIENCE": CLIENT_ID,
        "OIDC_DOMAIN": DOMAIN,
        "OIDC_CLIENT_ID": CLIENT_ID,
    }
    values.update(overrides)
    return values


async def test_without_auth_the_page_needs_no_sign_in(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        response = await client.get("/api/config")
    assert response.status_code == 200
    assert response.json() == {"auth": "none", "oidc": None}
    assert response.headers["cache-control"] == "no-cache"


async def test_a_static_token_is_asked_for_and_the_config_itself_needs_none(
    app_client: AppClientFactory,
) -> None:
    async with app_client(AUTH_MODE="token", AUTH_TOKEN="s3cret") as client:
        config = await client.get("/api/config")
        sessions = await client.post("/api/sessions")
    assert config.status_code == 200
    assert config.json() == {"auth": "token", "oidc": None}
    assert sessions.status_code == 401


async def test_jwt_without_a_sign_in_page_asks_for_the_token(
    app_client: AppClientFactory,
) -> None:
    async with app_client(AUTH_MODE="jwt", JWT_JWKS_URL=JWKS_URL) as client:
        response = await client.get("/api/config")
    assert response.json() == {"auth": "token", "oidc": None}


async def test_cognito_sign_in_gives_the_hosted_pages_endpoints(
    app_client: AppClientFactory,
) -> None:
    async with app_client(**_cognito()) as client:
        config = await client.get("/api/config")
        sessions = await client.post("/api/sessions")
    assert config.status_code == 200
    assert config.json() == {
        "auth": "oidc",
        "oidc": {
            "authorization_endpoint": f"https://{DOMAIN}/oauth2/authorize",
            "token_endpoint": f"https://{DOMAIN}/oauth2/token",
            "revocation_endpoint": f"https://{DOMAIN}/oauth2/revoke",
            "logout_endpoint": f"https://{DOMAIN}/logout",
            "client_id": CLIENT_ID,
            "scopes": ["openid", "email"],
            "redirect_path": "/",
        },
    }
    assert sessions.status_code == 401, "the session API still needs the token"


async def test_the_sign_in_config_answers_while_redis_is_down(
    app_client: AppClientFactory,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    async with app_client(REDIS_URL=dead_redis, **_cognito()) as client:
        response = await client.get("/api/config")
    assert response.status_code == 200
    assert response.json()["auth"] == "oidc"


async def test_the_config_route_is_in_the_openapi_spec(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        spec = (await client.get("/openapi.json")).json()
    answer = spec["paths"]["/api/config"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ClientConfig"
    }


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in _cognito(OIDC_DOMAIN=f"https://{DOMAIN}/").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OIDC_SCOPES", "openid, email, profile")
    monkeypatch.setenv("OIDC_REDIRECT_PATH", "/signed-in")
    settings = Settings(_env_file=None)
    assert settings.OIDC_DOMAIN == f"https://{DOMAIN}"
    assert settings.OIDC_SCOPES == ["openid", "email", "profile"]
    assert settings.OIDC_REDIRECT_PATH == "/signed-in"


def test_a_loopback_sign_in_server_may_use_plain_http() -> None:
    settings = Settings(**_cognito(OIDC_DOMAIN="http://127.0.0.1:9000"))
    assert settings.OIDC_DOMAIN == "http://127.0.0.1:9000"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"AUTH_MODE": "none"}, "OIDC_DOMAIN needs AUTH_MODE=jwt"),
        ({"OIDC_CLIENT_ID": ""}, "set both or neither"),
        ({"OIDC_DOMAIN": ""}, "set both or neither"),
        ({"JWT_AUDIENCE": "another-client"}, "JWT_AUDIENCE must equal OIDC_CLIENT_ID"),
        ({"JWT_AUDIENCE": ""}, "JWT_AUDIENCE must equal OIDC_CLIENT_ID"),
        ({"OIDC_SCOPES": "email"}, "must include openid"),
        ({"OIDC_DOMAIN": f"http://{DOMAIN}"}, "must use https"),
        ({"OIDC_DOMAIN": f"https://{DOMAIN}/oauth2/authorize"}, "no path"),
        ({"OIDC_REDIRECT_PATH": "signed-in"}, "OIDC_REDIRECT_PATH must be a path"),
        ({"OIDC_REDIRECT_PATH": "//evil.example/"}, "OIDC_REDIRECT_PATH must be a path"),
        ({"OIDC_REDIRECT_PATH": "/?next=x"}, "OIDC_REDIRECT_PATH must be a path"),
    ],
)
def test_a_sign_in_that_cannot_work_is_refused_at_startup(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**_cognito(**overrides))
