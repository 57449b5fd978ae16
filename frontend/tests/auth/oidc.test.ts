/** The code flow with PKCE against a real HTTP OAuth server that checks what Cognito checks. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OidcConfig } from "../../src/api/config";
import { newPendingSignIn, OidcClient, TokenError } from "../../src/auth/oidc";
import { json } from "../support/httpServer";
import { CLIENT_ID, EMAIL, SignInServer } from "../support/signInServer";

let server: SignInServer;
let config: OidcConfig;

beforeAll(async () => {
  server = await SignInServer.start();
  const raw = server.oidcConfig();
  config = {
    authorizationEndpoint: raw.authorization_endpoint,
    tokenEndpoint: raw.token_endpoint,
    revocationEndpoint: raw.revocation_endpoint,
    logoutEndpoint: raw.logout_endpoint,
    clientId: raw.client_id,
    scopes: raw.scopes,
    redirectPath: raw.redirect_path,
  };
});

afterAll(async () => {
  await server.close();
});

const client = () => new OidcClient(config, "https://sous.example", 2_000);

async function signedIn() {
  const pending = newPendingSignIn();
  const back = new URL(server.authorize(await client().authorizationUrl(pending)));
  return {
    pending,
    back,
    tokens: await client().exchangeCode(back.searchParams.get("code") ?? "", pending.verifier),
  };
}

async function tokenError(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error("expected a TokenError");
}

describe("OidcClient", () => {
  it("asks for a code with an S256 challenge and returns to the callback URL", async () => {
    const pending = newPendingSignIn();
    const url = new URL(await client().authorizationUrl(pending));
    expect(url.searchParams.get("redirect_uri")).toBe("https://sous.example/");
    expect(url.searchParams.get("state")).toBe(pending.state);
    expect(url.href).not.toContain(pending.verifier); // only its hash travels
    const back = new URL(server.authorize(url.href));
    expect(back.searchParams.get("state")).toBe(pending.state);
  });

  it("trades the code for tokens, proving it holds the verifier", async () => {
    const { tokens } = await signedIn();
    expect(tokens.email).toBe(EMAIL);
    expect(tokens.refreshToken).toMatch(/^refresh-/);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    const [exchange] = server.requestsTo("/oauth2/token").slice(-1);
    const form = new URLSearchParams(exchange?.body);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("client_id")).toBe(CLIENT_ID);
    expect(exchange?.headers["content-type"]).toContain("application/x-www-form-urlencoded");
  });

  it("is refused a code with the wrong verifier, and a code used twice", async () => {
    const pending = newPendingSignIn();
    const code =
      new URL(server.authorize(await client().authorizationUrl(pending))).searchParams.get(
        "code",
      ) ?? "";
    const wrong = await tokenError(client().exchangeCode(code, newPendingSignIn().verifier));
    expect(wrong).toMatchObject({ refused: true });
    expect(wrong.message).toContain("invalid_grant");
    // The code was spent by the failed try: the right verifier cannot use it either.
    expect(await tokenError(client().exchangeCode(code, pending.verifier))).toMatchObject({
      refused: true,
    });
  });

  it("refreshes the ID token and keeps the refresh token unless the server rotates it", async () => {
    const { tokens } = await signedIn();
    const renewed = await client().refresh(tokens.refreshToken ?? "");
    expect(renewed.idToken).not.toBe(tokens.idToken);
    expect(renewed.refreshToken).toBe(tokens.refreshToken);
    server.rotateRefreshTokens = true;
    try {
      const rotated = await client().refresh(tokens.refreshToken ?? "");
      expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
      await expect(client().refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
        refused: true,
      });
    } finally {
      server.rotateRefreshTokens = false;
    }
  });

  it("tells a refused grant from a server that is down", async () => {
    expect(await tokenError(client().refresh("refresh-unknown"))).toMatchObject({ refused: true });
    const down = new OidcClient(
      { ...config, tokenEndpoint: "http://127.0.0.1:1/oauth2/token" },
      "https://sous.example",
      2_000,
    );
    expect(await tokenError(down.refresh("refresh-any"))).toMatchObject({ refused: false });
    const handler = server.http.handler;
    server.http.handler = (_req, res) => {
      json(res, 503, { message: "Service unavailable" });
    };
    try {
      expect(await tokenError(client().refresh("refresh-any"))).toMatchObject({ refused: false });
    } finally {
      server.http.handler = handler;
    }
  });

  it("revokes the refresh token and signs out at the sign-in page", async () => {
    const { tokens } = await signedIn();
    client().revoke(tokens.refreshToken ?? "");
    await expect.poll(() => server.revokedRefreshTokens.has(tokens.refreshToken ?? "")).toBe(true);
    await expect(client().refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
      refused: true,
    });
    const logout = new URL(client().logoutUrl());
    expect(`${logout.origin}${logout.pathname}`).toBe(`${server.base}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: CLIENT_ID,
      logout_uri: "https://sous.example/",
    });
  });
});
