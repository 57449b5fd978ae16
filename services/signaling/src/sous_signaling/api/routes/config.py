"""GET /api/config: how the page signs in, read before any other call (no auth needed)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ...config import Settings
from ..deps import ServicesDep

router = APIRouter(prefix="/api", tags=["config"])


class OidcClient(BaseModel):
    """A public OAuth 2.0 client: authorization code flow with PKCE (S256)."""

    authorization_endpoint: str = Field(description="Where the page sends the cook to sign in")
    token_endpoint: str = Field(description="Where the page trades the code for tokens")
    revocation_endpoint: str = Field(description="Where the page revokes its refresh token")
    logout_endpoint: str = Field(
        description="Ends the sign-in page's own session (takes client_id and logout_uri)"
    )
    client_id: str
    scopes: list[str]
    redirect_path: str = Field(description="Path on the page's origin the sign-in returns to")


class ClientConfig(BaseModel):
    auth: Literal["none", "token", "oidc"] = Field(
        description="none: no sign-in; token: ask the cook for the access token once; "
        "oidc: sign in at `oidc` and send the ID token"
    )
    oidc: OidcClient | None = None


def client_config(settings: Settings) -> ClientConfig:
    if settings.AUTH_MODE == "none":
        return ClientConfig(auth="none")
    if not settings.OIDC_DOMAIN:
        # A static token, or JWTs without a sign-in page: the cook pastes the token.
        return ClientConfig(auth="token")
    domain = settings.OIDC_DOMAIN  # Cognito's hosted sign-in paths below it
    return ClientConfig(
        auth="oidc",
        oidc=OidcClient(
            authorization_endpoint=f"{domain}/oauth2/authorize",
            token_endpoint=f"{domain}/oauth2/token",
            revocation_endpoint=f"{domain}/oauth2/revoke",
            logout_endpoint=f"{domain}/logout",
            client_id=settings.OIDC_CLIENT_ID,
            scopes=settings.OIDC_SCOPES,
            redirect_path=settings.OIDC_REDIRECT_PATH,
        ),
    )


@router.get("/config", response_model=ClientConfig)
async def get_config(services: ServicesDep, response: Response) -> ClientConfig:
    """How the page signs in; the same for every caller, so it needs no token."""
    # Checked on every page load, so a changed setting takes effect at the next reload.
    response.headers["Cache-Control"] = "no-cache"
    return client_config(services.settings)
