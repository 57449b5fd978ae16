"""The optional bearer-token check: a static token, or JWTs verified against a local JWKS."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

from services.signaling.tests.conftest import AgentFactory, AppClientFactory
from services.signaling.tests.local_server import start_local_server

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
AUDIENCE = "sous-web"
KID = "test-key-1"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key: Any = SIGNING_KEY, kid: str = KID, **claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": "cook-1", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300}
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def jwks_url() -> AsyncIterator[str]:
    """A JWKS endpoint on 127.0.0.1 publishing SIGNING_KEY's public half."""
    public_jwk = RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True)
    jwks = {"keys": [{**public_jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}
    app = FastAPI()

    @app.get("/.well-known/jwks.json")
    async def keys() -> dict[str, Any]:
        return jwks

    server = await start_local_server(app, lifespan="off")
    yield f"{server.url}/.well-known/jwks.json"
    await server.stop()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing bearer token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Malformed Authorization header"),
        ({"Authorization": "Bearer "}, "Malformed Authorization header"),
        (_bearer("not-the-token"), "Invalid bearer token"),
    ],
)
async def test_static_token_mode_refuses_requests_without_the_token(
    app_client: AppClientFactory, headers: dict[str, str], message: str
) -> None:
    async with app_client(AUTH_MODE="token", AUTH_TOKEN="s3cret-token") as client:
        response = await client.post("/api/sessions", headers=headers)
        assert (await client.get("/health")).status_code == 200, "health needs no token"
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_static_token_mode_admits_the_token(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    await start_agent()
    async with app_client(AUTH_MODE="token", AUTH_TOKEN="s3cret-token") as client:
        created = await client.post("/api/sessions", headers=_bearer("s3cret-token"))
        session_id = created.json()["session_id"]
        unauthenticated = await client.get(f"/api/sessions/{session_id}/ice")
    assert created.status_code == 201
    assert unauthenticated.status_code == 401, "every session endpoint checks the token"


def _jwt_settings(jwks_url: str) -> dict[str, str]:
    return {
        "AUTH_MODE": "jwt",
        "JWT_JWKS_URL": jwks_url,
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
    }


async def test_a_valid_jwt_is_admitted(
    app_client: AppClientFactory, start_agent: AgentFactory, jwks_url: str
) -> None:
    await start_agent()
    async with app_client(**_jwt_settings(jwks_url)) as client:
        created = await client.post("/api/sessions", headers=_bearer(_token()))
    assert created.status_code == 201, created.text


@pytest.mark.parametrize(
    ("token", "message"),
    [
        pytest.param(_token(exp=int(time.time()) - 10), "Signature has expired", id="expired"),
        pytest.param(_token(iss="https://evil.example"), "Invalid issuer", id="issuer"),
        pytest.param(_token(aud="someone-else"), "Audience doesn't match", id="audience"),
        pytest.param(_token(exp=None), 'Token is missing the "exp" claim', id="no-exp"),
        pytest.param(_token(key=OTHER_KEY), "Signature verification failed", id="forged"),
        pytest.param(_token(kid="unknown-kid"), "Unable to find a signing key", id="unknown-key"),
        pytest.param(
            jwt.encode(
                {"sub": "x", "exp": int(time.time()) + 60},
                "",
                algorithm="none",
                headers={"kid": KID},
            ),
            "The specified alg value is not allowed",
            id="alg-none",
        ),
        pytest.param("garbage.token.here", "Invalid bearer token", id="garbage"),
    ],
)
async def test_bad_jwts_are_401_with_the_reason(
    app_client: AppClientFactory, jwks_url: str, token: str, message: str
) -> None:
    async with app_client(**_jwt_settings(jwks_url)) as client:
        response = await client.post("/api/sessions", headers=_bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Invalid bearer token")
    assert message in response.json()["detail"]


async def test_an_unreachable_jwks_endpoint_is_503(app_client: AppClientFactory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/jwks.json"
    async with app_client(**_jwt_settings(closed)) as client:
        response = await client.post("/api/sessions", headers=_bearer(_token()))
    assert response.status_code == 503
    assert "JWKS endpoint is not answering" in response.json()["detail"]
