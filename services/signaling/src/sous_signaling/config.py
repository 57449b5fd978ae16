"""Settings of the signaling service, read from environment variables (no prefix)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _split_commas(value: object) -> object:
    """Lists come from env vars as "a,b,c" or as a JSON array."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            return json.loads(stripped)
        return [item.strip() for item in stripped.split(",") if item.strip()]
    return value


_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _sign_in_origin(value: str) -> str:
    """The hosted sign-in page's origin from a bare host name or a URL: https://host[:port]."""
    stripped = value.strip().rstrip("/")
    if not stripped:
        return ""
    parts = urlsplit(stripped if "://" in stripped else f"https://{stripped}")
    if parts.path or parts.query or parts.fragment or not parts.hostname:
        raise ValueError(
            "OIDC_DOMAIN must be the hosted sign-in page's domain, with no path, "
            "e.g. sous-123456789012.auth.us-east-1.amazoncognito.com"
        )
    # Tokens pass through this page: plain http only on the developer's own machine.
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS
    ):
        raise ValueError("OIDC_DOMAIN must use https (plain http only on localhost)")
    return f"{parts.scheme}://{parts.netloc}"


class Settings(BaseSettings):
    """Every limit and endpoint of the service; defaults run locally."""

    model_config = SettingsConfigDict(extra="ignore")

    HOST: str = "127.0.0.1"
    PORT: int = Field(default=8000, ge=1, le=65535)
    REDIS_URL: str = "redis://127.0.0.1:6379/0"

    ROUTER: Literal["local", "agentcore"] = "local"
    AGENTCORE_RUNTIME_ARN: str = ""
    AGENTCORE_QUALIFIER: str = ""
    AWS_REGION: str = "us-east-1"
    AGENT_TIMEOUT_SECONDS: float = Field(default=20.0, gt=0)
    ROUTE_ATTEMPTS: int = Field(default=3, ge=1)

    SESSION_TTL_SECONDS: int = Field(default=600, ge=1)
    MAX_SESSIONS_PER_CLIENT: int = Field(default=5, ge=1)
    RATE_LIMIT_REQUESTS: int = Field(default=300, ge=1)
    RATE_LIMIT_WINDOW_SECONDS: int = Field(default=60, ge=1)
    MAX_SDP_BYTES: int = Field(default=65536, ge=1024)
    MAX_BODY_BYTES: int = Field(default=262144, ge=1024)
    MAX_CANDIDATES_PER_SESSION: int = Field(default=256, ge=1)

    CORS_ORIGINS: Annotated[list[str], NoDecode] = []
    TRUSTED_PROXIES: Annotated[list[IpNetwork], NoDecode] = []

    AUTH_MODE: Literal["none", "token", "jwt"] = "none"
    AUTH_TOKEN: str = ""
    JWT_JWKS_URL: str = ""
    JWT_ISSUER: str = ""
    JWT_AUDIENCE: str = ""
    JWT_ALGORITHMS: Annotated[list[str], NoDecode] = ["RS256"]
    JWKS_TIMEOUT_SECONDS: float = Field(default=5.0, gt=0)

    # How the page signs in (GET /api/config): the hosted sign-in page of an OAuth 2.0 server
    # with Cognito's endpoint paths, where the page runs the authorization code flow with PKCE.
    OIDC_DOMAIN: str = ""
    OIDC_CLIENT_ID: str = ""
    OIDC_SCOPES: Annotated[list[str], NoDecode] = ["openid", "email"]
    OIDC_REDIRECT_PATH: str = "/"

    FRONTEND_DIR: Path = Path("frontend/dist")

    @property
    def candidate_delivery_lease_seconds(self) -> float:
        """How long one request holds the right to deliver a session's queued candidates
        (renewed per candidate). It outlives an agent call and a retry of it: a second
        deliverer must not start while a candidate is still on its way to the agent."""
        return 2 * self.AGENT_TIMEOUT_SECONDS

    @field_validator("CORS_ORIGINS", "JWT_ALGORITHMS", "OIDC_SCOPES", mode="before")
    @classmethod
    def _parse_str_list(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("TRUSTED_PROXIES", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        items = _split_commas(value)
        if isinstance(items, list):
            return [ipaddress.ip_network(str(item), strict=False) for item in items]
        return items

    @field_validator("OIDC_DOMAIN", mode="after")
    @classmethod
    def _normalise_sign_in_domain(cls, value: str) -> str:
        return _sign_in_origin(value)

    @field_validator("OIDC_REDIRECT_PATH", mode="after")
    @classmethod
    def _check_redirect_path(cls, value: str) -> str:
        if not value.startswith("/") or value.startswith("//") or any(c in value for c in "?#"):
            raise ValueError(
                "OIDC_REDIRECT_PATH must be a path on the page's origin such as / "
                "(no query, no fragment)"
            )
        return value

    @field_validator("FRONTEND_DIR", mode="after")
    @classmethod
    def _resolve_frontend_dir(cls, value: Path) -> Path:
        return value.resolve()

    @model_validator(mode="after")
    def _check_required_companions(self) -> Self:
        if self.ROUTER == "agentcore" and not self.AGENTCORE_RUNTIME_ARN:
            raise ValueError("ROUTER=agentcore needs AGENTCORE_RUNTIME_ARN (the runtime's ARN)")
        if self.AUTH_MODE == "token" and not self.AUTH_TOKEN:
            raise ValueError("AUTH_MODE=token needs AUTH_TOKEN (the shared bearer token)")
        if self.AUTH_MODE == "jwt" and not self.JWT_JWKS_URL:
            raise ValueError("AUTH_MODE=jwt needs JWT_JWKS_URL (where the signing keys are)")
        self._check_sign_in()
        if self.MAX_BODY_BYTES < self.MAX_SDP_BYTES:
            raise ValueError("MAX_BODY_BYTES must be at least MAX_SDP_BYTES")
        return self

    def _check_sign_in(self) -> None:
        if not (self.OIDC_DOMAIN or self.OIDC_CLIENT_ID):
            return
        if not (self.OIDC_DOMAIN and self.OIDC_CLIENT_ID):
            raise ValueError("OIDC_DOMAIN and OIDC_CLIENT_ID go together: set both or neither")
        if self.AUTH_MODE != "jwt":
            raise ValueError(
                "OIDC_DOMAIN needs AUTH_MODE=jwt: signaling must check the tokens the sign-in "
                "page issues"
            )
        if "openid" not in self.OIDC_SCOPES:
            raise ValueError("OIDC_SCOPES must include openid: the page sends the ID token")
        if self.JWT_AUDIENCE != self.OIDC_CLIENT_ID:
            raise ValueError(
                "JWT_AUDIENCE must equal OIDC_CLIENT_ID: the page sends ID tokens, whose "
                "audience is that client"
            )
