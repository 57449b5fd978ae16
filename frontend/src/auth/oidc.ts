/**
 * The OAuth 2.0 authorization code flow with PKCE for a public client (no secret), against the
 * endpoints `GET /api/config` names (Cognito's hosted sign-in): the authorization URL, the code
 * and refresh-token grants, revocation and the logout URL. Keeps nothing itself.
 */
import { z } from "zod";
import type { OidcConfig } from "../api/config";
import { readIdToken, type IdTokenClaims } from "./idToken";
import { codeChallenge, randomToken } from "./pkce";

export interface OidcTokens {
  idToken: string;
  refreshToken: string | null;
  /** When the ID token expires, in milliseconds since the epoch. */
  expiresAt: number;
  email: string | null;
}

/** What the page keeps while the cook is at the sign-in page. */
export interface PendingSignIn {
  /** Ties the answer to this tab's request (CSRF protection). */
  state: string;
  /** The PKCE secret; only its hash travels in the authorization URL. */
  verifier: string;
}

export class TokenError extends Error {
  override readonly name = "TokenError";
  /** The OAuth server refused the grant (sign in again) rather than not answering (retry). */
  readonly refused: boolean;

  constructor(message: string, refused: boolean) {
    super(message);
    this.refused = refused;
  }
}

const tokenResponseSchema = z.object({
  id_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
});

const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

export function newPendingSignIn(): PendingSignIn {
  return { state: randomToken(), verifier: randomToken() };
}

export class OidcClient {
  readonly config: OidcConfig;
  /** This page's address the sign-in returns to; the client's callback URL must equal it. */
  readonly redirectUri: string;
  private readonly timeoutMs: number;

  constructor(config: OidcConfig, origin: string, timeoutMs: number) {
    this.config = config;
    this.redirectUri = new URL(config.redirectPath, origin).href;
    this.timeoutMs = timeoutMs;
  }

  /** Where to send the cook to sign in. */
  async authorizationUrl(pending: PendingSignIn): Promise<string> {
    const url = new URL(this.config.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.config.clientId,
      redirect_uri: this.redirectUri,
      scope: this.config.scopes.join(" "),
      state: pending.state,
      code_challenge: await codeChallenge(pending.verifier),
      code_challenge_method: "S256",
    }).toString();
    return url.href;
  }

  /** Trades the code the sign-in returned for tokens. */
  exchangeCode(code: string, verifier: string): Promise<OidcTokens> {
    return this.grant(
      { grant_type: "authorization_code", code, redirect_uri: this.redirectUri },
      verifier,
      null,
    );
  }

  /** New tokens for a refresh token; the refresh token stays unless the server rotates it. */
  refresh(refreshToken: string): Promise<OidcTokens> {
    return this.grant(
      { grant_type: "refresh_token", refresh_token: refreshToken },
      null,
      refreshToken,
    );
  }

  /** Revokes a refresh token; sent with `keepalive` since the page leaves right after. */
  revoke(refreshToken: string): void {
    void fetch(this.config.revocationEndpoint, {
      method: "POST",
      keepalive: true,
      body: new URLSearchParams({ token: refreshToken, client_id: this.config.clientId }),
    }).catch(() => undefined);
  }

  /** Ends the sign-in page's session too, then returns here signed out. */
  logoutUrl(): string {
    const url = new URL(this.config.logoutEndpoint);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      logout_uri: this.redirectUri,
    }).toString();
    return url.href;
  }

  private async grant(
    fields: Record<string, string>,
    verifier: string | null,
    refreshToken: string | null,
  ): Promise<OidcTokens> {
    const body = new URLSearchParams({ ...fields, client_id: this.config.clientId });
    if (verifier !== null) body.set("code_verifier", verifier);
    let response: Response;
    try {
      // A form body keeps this a "simple" cross-origin request: no CORS preflight.
      response = await fetch(this.config.tokenEndpoint, {
        method: "POST",
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new TokenError("the sign-in service is not answering", false);
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = tokenErrorSchema.safeParse(answer);
      const reason = error.success
        ? (error.data.error_description ?? error.data.error)
        : `HTTP ${response.status}`;
      // 4xx: the grant itself was refused (expired, revoked, reused); 5xx: try again later.
      throw new TokenError(`the sign-in service refused: ${reason}`, response.status < 500);
    }
    const tokens = tokenResponseSchema.safeParse(answer);
    if (!tokens.success) throw new TokenError("the sign-in service sent no ID token", true);
    let claims: IdTokenClaims;
    try {
      claims = readIdToken(tokens.data.id_token);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TokenError(`the sign-in service sent a bad ID token: ${reason}`, true);
    }
    return {
      idToken: tokens.data.id_token,
      refreshToken: tokens.data.refresh_token ?? refreshToken,
      expiresAt: claims.expiresAt,
      email: claims.email,
    };
  }
}
