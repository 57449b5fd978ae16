"""Who may use the signaling API: JWT auth against a JWKS, CORS origins, loopback binding."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import psutil
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from stack_fixtures import StackFactory

from stack import BIN, ROOT, free_port

pytestmark = pytest.mark.slow

ISSUER = "https://auth.sous.test/pool"
AUDIENCE = "sous-web"
ALLOWED_ORIGIN = "https://kitchen.sous.test"


class Jwks:
    """A signing key and a real HTTP server on 127.0.0.1 publishing its public half."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, key: rsa.RSAPrivateKey | None = None, kid: str = "k1", **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "cook", "iat": now, "exp": now + 300}
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def jwks() -> Iterator[Jwks]:
    published = Jwks()
    yield published
    published.server.shutdown()


async def test_cloud_mode_needs_a_valid_jwt(stack_on: StackFactory, jwks: Jwks) -> None:
    stack, _ = stack_on(
        model="echo",
        env={
            "AUTH_MODE": "jwt",
            "JWT_JWKS_URL": jwks.url,
            "JWT_ISSUER": ISSUER,
            "JWT_AUDIENCE": AUDIENCE,
            "CORS_ORIGINS": ALLOWED_ORIGIN,
        },
    )
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused = {
        "no header": None,
        "not bearer": "Basic Y29vazpwYXNz",
        "garbage": "Bearer not.a.jwt",
        "expired": f"Bearer {jwks.token(exp=int(time.time()) - 60)}",
        "no expiry": f"Bearer {jwks.token(exp=None)}",
        "wrong audience": f"Bearer {jwks.token(aud='someone-else')}",
        "wrong issuer": f"Bearer {jwks.token(iss='https://evil.test')}",
        "foreign key": f"Bearer {jwks.token(key=stranger)}",
        "unknown kid": f"Bearer {jwks.token(key=stranger, kid='k2')}",
        "alg none": "Bearer "
        + jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60}, "", "none"),
    }
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        assert (await http.get("/health")).status_code == 200  # load balancers need no token
        for case, header in refused.items():
            headers = {"Authorization": header} if header else {}
            answer = await http.post("/api/sessions", headers=headers)
            assert answer.status_code == 401, (case, answer.text)
            assert answer.headers["www-authenticate"] == "Bearer", case
            assert answer.json()["detail"], case

        good = {"Authorization": f"Bearer {jwks.token()}"}
        created = await http.post("/api/sessions", headers=good)
        assert created.status_code == 201, created.text
        session = created.json()["session_id"]
        # The session id alone is not enough either: every call needs the token.
        assert (await http.delete(f"/api/sessions/{session}")).status_code == 401
        assert (await http.delete(f"/api/sessions/{session}", headers=good)).status_code == 204

        # CORS: only the configured origin may call from a browser.
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await http.options(
            "/api/sessions", headers={**preflight, "Origin": ALLOWED_ORIGIN}
        )
        assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        other = await http.options(
            "/api/sessions", headers={**preflight, "Origin": "https://evil.test"}
        )
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        plain = await http.get("/health", headers={"Origin": "https://evil.test"})
        assert "access-control-allow-origin" not in plain.headers


@pytest.mark.parametrize(
    ("command", "env"),
    [
        ("sous-signaling", {}),
        ("sous-tools", {}),
        ("sous-media-agent", {"MODEL": "echo"}),
    ],
)
def test_services_listen_on_loopback_only_by_default(
    own_redis: Any, command: str, env: dict[str, str]
) -> None:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")}
    environment.update(env, PORT=str(port), REDIS_URL=own_redis.url)
    process = psutil.Popen([str(BIN / command)], env=environment, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        listening: list[str] = []
        while not listening:
            assert time.monotonic() < deadline, f"{command} did not start listening"
            assert process.poll() is None, f"{command} exited"
            listening = [
                c.laddr.ip
                for c in process.net_connections(kind="inet")
                if c.status == psutil.CONN_LISTEN and c.laddr.port == port
            ]
            time.sleep(0.2)
        assert listening == ["127.0.0.1"]
    finally:
        process.terminate()
        process.wait(timeout=30)
