"""Optional bearer-token check on the session API.

AUTH_MODE=none lets everyone in (local use); token compares against one shared AUTH_TOKEN;
jwt verifies a JWT's signature against the keys at JWT_JWKS_URL (e.g. a Cognito user pool) and
its exp, iss and aud claims.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Protocol

import jwt
from jwt.types import Options

from .config import Settings
from .errors import ServiceUnavailable, Unauthorized

_HOW_TO = "send the header 'Authorization: Bearer <token>'"


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer ...` header, or Unauthorized."""
    if not authorization:
        raise Unauthorized(f"Missing bearer token: {_HOW_TO}.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(f"Malformed Authorization header: {_HOW_TO}.")
    return token.strip()


class Authenticator(Protocol):
    async def check(self, authorization: str | None) -> None:
        """Return when the request may proceed; raise Unauthorized (or ServiceUnavailable)."""
        ...


class NoAuth:
    async def check(self, authorization: str | None) -> None:
        return None


class StaticTokenAuth:
    def __init__(self, token: str) -> None:
        self._token = token.encode("utf-8")

    async def check(self, authorization: str | None) -> None:
        token = bearer_token(authorization).encode("utf-8")
        if not hmac.compare_digest(token, self._token):
            raise Unauthorized("Invalid bearer token.")


class JwtAuth:
    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str,
        algorithms: list[str],
        timeout_seconds: float,
    ) -> None:
        # PyJWKClient caches the key set and refetches it when a token names an unknown kid.
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, timeout=timeout_seconds)
        self._issuer = issuer
        self._audience = audience
        self._algorithms = algorithms

    async def check(self, authorization: str | None) -> None:
        token = bearer_token(authorization)
        try:
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            raise ServiceUnavailable(
                "Cannot verify tokens right now: the JWKS endpoint is not answering. "
                "Try again shortly."
            ) from exc
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            raise Unauthorized(f"Invalid bearer token: {exc}") from exc
        options: Options = {"require": ["exp"], "verify_aud": bool(self._audience)}
        try:
            jwt.decode(
                token,
                signing_key.key,
                algorithms=self._algorithms,
                audience=self._audience or None,
                issuer=self._issuer or None,
                options=options,
            )
        except jwt.InvalidTokenError as exc:
            raise Unauthorized(f"Invalid bearer token: {exc}.") from exc


def create_authenticator(settings: Settings) -> Authenticator:
    if settings.AUTH_MODE == "token":
        return StaticTokenAuth(settings.AUTH_TOKEN)
    if settings.AUTH_MODE == "jwt":
        return JwtAuth(
            settings.JWT_JWKS_URL,
            settings.JWT_ISSUER,
            settings.JWT_AUDIENCE,
            settings.JWT_ALGORITHMS,
            settings.JWKS_TIMEOUT_SECONDS,
        )
    return NoAuth()
